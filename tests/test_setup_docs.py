"""The README's set-up names every system package `.ci/run` installs (the HarfBuzz subset
library that makes PDFs fast among them), so the two cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ci_packages() -> set[str]:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    found: set[str] = set()
    for group in re.findall(r"need\+=\(([^)]*)\)", script):
        found.update(group.split())
    return found


def test_readme_names_every_system_package_ci_installs() -> None:
    packages = _ci_packages()
    assert "libharfbuzz-subset0" in packages
    assert {"libpango-1.0-0", "poppler-utils"} <= packages
    setup = (ROOT / "README.md").read_text(encoding="utf-8").split("## Using it")[0]
    missing = sorted(p for p in packages if f"`{p}`" not in setup)
    assert not missing, f"README's Set-up does not name {missing}, which .ci/run installs"
