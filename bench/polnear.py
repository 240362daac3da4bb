"""Quote attribution on real news: the PolNeAR scorer on its train and dev splits.

Not a test: it prints the scorer's figures. Usage (from the repo root):

    python bench/polnear.py                      # ../shared/polnear, train and dev
    python bench/polnear.py --split dev --verbose
    python bench/polnear.py --data /path/to/polnear --scorer /path/to/polnear.py

PolNeAR (Newell, Margolin and Ruths, LREC 2018) is 2016 U.S. election news from seven outlets
with human-annotated attributions. The corpus and its scorer are kept beside the repository
(`../shared/polnear/`, `../shared/tools/polnear.py`), never inside it: the articles belong to
their publishers. Where they are absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _briefing() -> str:
    """The `briefing` command of the running interpreter's environment."""
    local = Path(sys.executable).parent / "briefing"
    return str(local) if local.exists() else "briefing"


def score(scorer: Path, data: Path, split: str, verbose: bool) -> str:
    """The scorer's output for one split (its last line holds the metrics)."""
    args = [sys.executable, str(scorer), "--data", str(data), "--split", split]
    args += ["--briefing", _briefing()] + (["--verbose"] if verbose else [])
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    return (done.stdout + done.stderr).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "polnear")
    parser.add_argument("--scorer", type=Path, default=SHARED / "tools" / "polnear.py")
    parser.add_argument("--split", action="append", help="train, dev (default: both)")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    missing = [p for p in (args.data / "data", args.scorer) if not p.exists()]
    if missing:
        print(f"skipped: PolNeAR not found ({', '.join(map(str, missing))}); pass --data/--scorer")
        return 0
    for split in args.split or ["train", "dev"]:
        print(f"== {split}")
        print(score(args.scorer, args.data, split, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
