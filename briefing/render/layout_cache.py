"""The PDF fitter's answers, kept on disk by content: a brief laid out before is laid out once.

Fitting a brief to one page takes one to three WeasyPrint layouts (about 0.4 s each for a
full analyst page); rebuilding the same brief - the same articles, config and templates -
finds the same answer. The first layout's HTML (a function of the brief, the templates, the
paper, the font and the estimate) together with the fitter's own code and WeasyPrint's
version is the key; the value is the plan the search ended with (what was dropped, the
column splits, the font size). A hit is laid out once and checked: it must measure as the
search found it (one page that fits, or the font floor's cut), else the search runs as
before. A miss or any trouble with the folder (read-only, full, foreign files) costs nothing
but the search.

The folder is layouts/ under $BRIEFING_CACHE_DIR, else $XDG_CACHE_HOME/briefing, else
~/.cache/briefing (whose jinja/ holds the templates' compiled code, environment.py);
BRIEFING_CACHE_DIR set to an empty string turns both off. At most MAX_ENTRIES plans are
kept, the oldest dropped first.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fit import Slot

MAX_ENTRIES = 256
_FORMAT = 1  # bump when the stored plan changes shape


@dataclass(frozen=True)
class CachedPlan:
    gone: frozenset[Slot]
    splits: dict[str, int]
    font: float
    fits: bool  # False: even the font floor overflowed and the page was cut at the edge


def cache_root() -> Path | None:
    """briefing's cache folder (None: turned off). Also holds the templates' compiled code."""
    configured = os.environ.get("BRIEFING_CACHE_DIR")
    if configured is not None:
        return Path(configured).expanduser() if configured else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home directory to be found: no cache
            return None
    return Path(base) / "briefing"


def cache_dir() -> Path | None:
    root = cache_root()
    return root / "layouts" if root is not None else None


@functools.cache
def _code_digest(weasyprint_version: str) -> str:
    """The fitter's code and WeasyPrint's version: a change to either may change the answer."""
    digest = hashlib.sha256(f"{_FORMAT}:{weasyprint_version}".encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(first_html: str, min_font_pt: float, weasyprint_version: str) -> str:
    digest = hashlib.sha256(_code_digest(weasyprint_version).encode())
    digest.update(f"{min_font_pt!r}\n".encode())
    digest.update(first_html.encode("utf-8"))
    return digest.hexdigest()


def load(key: str) -> CachedPlan | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        return CachedPlan(
            gone=frozenset(Slot(str(s), int(i)) for s, i in data["gone"]),
            splits={str(k): int(v) for k, v in data["splits"].items()},
            font=float(data["font"]),
            fits=bool(data["fits"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: str, plan: CachedPlan) -> None:
    folder = cache_dir()
    if folder is None:
        return
    data: dict[str, Any] = {
        "gone": sorted([slot.section, slot.index] for slot in plan.gone),
        "splits": plan.splits,
        "font": plan.font,
        "fits": plan.fits,
    }
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name, then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temporary, folder / f"{key}.json")
        _prune(folder)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in entries[: max(0, len(entries) - MAX_ENTRIES)]:
        with contextlib.suppress(OSError):
            old.unlink()
