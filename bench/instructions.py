"""Instructions of `briefing extract --jobs 1` on a corpus, per interpreter: the figure to
compare builds by when the machine's speed drifts more than a change moves the time.

Not a test: it prints figures. Needs valgrind. Usage (from the repo root):

    python bench/instructions.py CORPUS --pythons NEW/bin/python,OLD/bin/python

Each interpreter runs the whole `briefing extract --jobs 1` under callgrind, all of them at
once (what else the machine does leaves a count alone; it moves by about 0.05% from run to
run), with `-P`, so that each runs its installed briefing (a compiled one), not the repo's
sources. It prints each count and its ratio to the first interpreter's, and whether every
run wrote the same JSON: a change that saves instructions must not change the extraction.
Callgrind runs a program about 50 times slower than it runs alone: 500 bench articles take
about 2.5 minutes for two builds on two cores.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_COLLECTED = re.compile(r"Collected : (\d+)")


def _started(
    python: str, corpus: Path, config: Path, scratch: Path, n: int
) -> subprocess.Popen[bytes]:
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch / f'{n}.callgrind'}",
        python, "-P", "-m", "briefing", "extract", str(corpus), "--config", str(config),
        "--jobs", "1",
    ]  # fmt: skip
    with open(scratch / f"{n}.json", "wb") as out, open(scratch / f"{n}.err", "wb") as err:
        return subprocess.Popen(command, stdout=out, stderr=err)


def _count(errors: str) -> int:
    found = _COLLECTED.findall(errors)
    if not found:
        raise SystemExit(f"no count from callgrind:\n{errors[-2000:]}")
    return int(found[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pythons", required=True, help="interpreters, comma-separated")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    args = parser.parse_args()
    pythons = [p for p in args.pythons.split(",") if p]
    with tempfile.TemporaryDirectory(prefix="briefing-instructions-") as folder:
        scratch = Path(folder)
        runs = [
            _started(python, args.corpus, args.config, scratch, n)
            for n, python in enumerate(pythons)
        ]
        failed = [pythons[n] for n, run in enumerate(runs) if run.wait() != 0]
        if failed:
            raise SystemExit(f"briefing extract failed under: {', '.join(failed)}")
        counts = [_count((scratch / f"{n}.err").read_text()) for n in range(len(pythons))]
        outputs = {(scratch / f"{n}.json").read_bytes() for n in range(len(pythons))}
    for python, count in zip(pythons, counts, strict=True):
        print(f"{count:>16,} instructions  {count / counts[0]:.4f}x  {python}")
    print("the same JSON from each" if len(outputs) == 1 else "the JSON differs between them")
    sys.exit(0 if len(outputs) == 1 else 1)


if __name__ == "__main__":
    main()
