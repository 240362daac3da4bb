"""Where packaged data lives: templates travel inside the wheel (briefing/data/...); in a
source checkout they are read from the top of the repo. The default config
(briefing/default_config.yaml) and the rule tables are package files in both."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .ruleschema import check_table

_PACKAGE = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """Path of a shipped data file or folder (`templates`, `config.yaml`)."""
    packaged = _PACKAGE / "data" / name
    if packaged.exists():
        return packaged
    return _PACKAGE.parent / name


def default_config_path() -> Path:
    """The story-neutral config used where no config.yaml is found."""
    return _PACKAGE / "default_config.yaml"


def rules_path(name: str) -> Path:
    """Path of a rule table (YAML) under briefing/rules/."""
    return _PACKAGE / "rules" / name


# libyaml's C loader is ~10x faster than the pure-Python one; rule tables are read at every
# start (and in every worker process), so it is worth it where PyYAML was built with it.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_text(text: str) -> Any:
    """Parse YAML text safely (no Python object tags), with the fastest safe loader."""
    return yaml.load(text, Loader=_YAML_LOADER)


# Parsed once per process: several modules read the same table (world.yaml four times,
# titles.yaml three), each to build its own structures from it, and none changes it; the
# repeats cost about 16 ms of every start (docs/speed.md, "The rule tables parsed once").
@cache
def load_rules(name: str) -> Any:
    """The parsed rule table briefing/rules/<name>, checked against its schema
    (briefing/ruleschema.py): RuleTableError names each problem's file, line and key. The
    same object for every caller: read it, never change it."""
    text = rules_path(name).read_text(encoding="utf-8")
    data = load_yaml_text(text)
    check_table(data, text, name)
    return data
