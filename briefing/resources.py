"""Where packaged data lives: templates and the default config travel inside the wheel
(briefing/data/...); in a source checkout they are read from the top of the repo."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """Path of a shipped data file or folder (`templates`, `config.yaml`)."""
    packaged = _PACKAGE / "data" / name
    if packaged.exists():
        return packaged
    return _PACKAGE.parent / name


def rules_path(name: str) -> Path:
    """Path of a rule table (YAML) under briefing/rules/."""
    return _PACKAGE / "rules" / name
