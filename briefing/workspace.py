"""`briefing init`: a starter workspace for a new story (config, templates, articles/).

The files come from the shipped templates' `_init/` folder; nothing here renders anything,
so this lives beside the CLI rather than in the render stage.
"""

from __future__ import annotations

from pathlib import Path

from .resources import data_path


def scaffold(target: Path) -> list[Path]:
    """Write a starter workspace into `target`: a commented config.yaml, an articles/ folder
    and one example audience template folder. Existing files are kept. Returns the files
    written."""
    source = data_path("templates") / "_init"
    written: list[Path] = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(source)
        destination = target / relative
        if destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes())
        written.append(destination)
    (target / "articles").mkdir(parents=True, exist_ok=True)
    return written
