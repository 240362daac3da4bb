"""Hatch build hook: the extractors compiled with mypyc when a wheel is built.

`pip install .` (or `pip wheel .`) builds a wheel whose `briefing/extract` modules and the
text-path readers of `briefing/ingest` are C extensions made by mypyc (1.3-1.4x faster
extraction on pyenv's CPython, the same output; it adds 2-3 minutes to the install); the
.py files stay beside them. Without a C compiler and Python's headers, or when mypyc
fails, the wheel is the pure-Python one, with a warning; `BRIEFING_COMPILE=0` asks for the
pure one. Every editable install (`pip install -e .`, the README's two commands) is pure
Python: an editable install runs the source tree itself, and compiled modules there would
go stale as the sources are edited.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The modules compiled: the extractors, whole, and the readers of the text path (plain text
# and Markdown articles). The HTML and feed readers stay Python: their time is spent in
# trafilatura and feedparser. models.py and the later stages stay Python too, but for the
# JSON writer, which encodes every row of a corpus's extraction (several times faster
# compiled: see docs/speed.md).
COMPILED = [
    "briefing/extract",
    *(
        f"briefing/ingest/{name}.py"
        for name in (
            "__init__", "article", "boilerplate", "dates", "decode", "frontmatter", "lines",
            "metadata", "safetext", "tables", "text", "walk",
        )
    ),
    # The JSON writer: every row of a corpus's extraction goes through its encoder.
    "briefing/render/json.py",
]  # fmt: skip


def _wanted() -> bool:
    return os.environ.get("BRIEFING_COMPILE", "1") != "0"


def _compiler_missing() -> str | None:
    """Why a C extension cannot be built here, or None when it can."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler})"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "no Python headers (Python.h)"
    return None


class CompileHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        return ["mypy>=1.10", "setuptools>=68"] if _wanted() else []

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable" or not _wanted():
            return
        reason = _compiler_missing()
        if reason:
            self.app.display_warning(f"briefing: {reason}; building the pure-Python wheel")
            return
        work = self._work = Path(tempfile.mkdtemp(prefix="briefing-mypyc-"))
        try:
            built = self._compile(work)
        except (OSError, subprocess.CalledProcessError) as exc:
            self.app.display_warning(f"briefing: mypyc failed ({exc}); pure-Python wheel")
            return
        # Extension modules go beside their .py files (the import system prefers them);
        # mypyc's shared runtime library goes to the top of site-packages.
        for path in built:
            build_data["force_include"][str(path)] = str(path.relative_to(work / "src"))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        self.app.display_info(f"briefing: compiled {len(built)} modules with mypyc")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work: Path | None = getattr(self, "_work", None)
        if work is not None:  # the wheel holds its copies of the built files now
            shutil.rmtree(work, ignore_errors=True)

    def _compile(self, work: Path) -> list[Path]:
        """mypyc on a copy of the sources (the tree stays clean); the built .so files."""
        source = work / "src"
        shutil.copytree(
            Path(self.root) / "briefing",
            source / "briefing",
            ignore=shutil.ignore_patterns("__pycache__", "*.so"),
        )
        shutil.copy(Path(self.root) / "pyproject.toml", source)  # mypy's settings
        env = {**os.environ, "MYPYC_OPT_LEVEL": os.environ.get("MYPYC_OPT_LEVEL", "3")}
        subprocess.run(
            [sys.executable, "-m", "mypyc", "--ignore-missing-imports", *COMPILED],
            cwd=source,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return sorted(p for p in source.rglob("*.so") if "build" not in p.relative_to(source).parts)
