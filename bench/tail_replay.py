"""The build's own work after the extraction, replayed from a saved extraction: the figures
behind docs/speed.md's "The build's own work after the extraction, shortened".

At 100,000 articles a build extracts for about 2.5 minutes, then assembles, renders and
writes for about half a minute in its own process. To measure that half minute again and
again, `save` runs one build and keeps what its extraction handed over (the spool and the
pickled merged items); `replay` runs the same build with that in place of the extraction.

Not a test: it prints figures. Usage (from the repo root, with briefing installed):

    python bench/tail_replay.py save CORPUS SAVED [--config config.yaml] [--jobs 2]
    python bench/tail_replay.py replay SAVED OUT [--config config.yaml] [--jobs 2]
    python bench/tail_replay.py replay SAVED OUT --phases   # bench/phases.py's lines

`replay` prints the wall time of the build from the end of the extraction (the copy of the
saved spool, about 1 s for 838 MB, included) and this process's CPU time; with `--phases`,
bench/phases.py's lines instead (time, RSS and peak of each phase). SAVED is a path prefix:
SAVED.sqlite and SAVED.merged.pkl.
"""

from __future__ import annotations

import argparse
import pickle
import runpy
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from briefing import pipeline
from briefing.config import load_config
from briefing.extract.spool import Spool, spooled_extraction

FORMATS = ["md", "json"]


def save(corpus: str, saved: str, config_path: str, jobs: int) -> None:
    extract_to_spool = pipeline._extract_to_spool

    def keeping(*args: Any) -> bytes:
        merged = extract_to_spool(*args)
        Path(saved + ".merged.pkl").write_bytes(merged)
        shutil.copy(args[-1], saved + ".sqlite")  # (the spool's path, written and closed)
        return merged

    pipeline._extract_to_spool = keeping
    config = load_config(config_path)
    out = Path(saved + ".out")
    pipeline.build(config, [corpus], config.default_audience, FORMATS, out, jobs=jobs)


def _replaying(saved: str) -> None:
    def saved_extraction(
        config: Any, paths: Any, jobs: int, out_dir: Path, spool: Spool
    ) -> tuple[Any, Spool]:
        assert spool.path is not None
        spool.close()
        shutil.copy(saved + ".sqlite", spool.path)
        events, questions, facts = pickle.loads(Path(saved + ".merged.pkl").read_bytes())
        written = Spool(spool.path, written=True)
        return spooled_extraction(written, events, questions, facts), written

    pipeline._extracted_apart = saved_extraction


def replay(saved: str, out: str, config_path: str, jobs: int, phases: bool) -> None:
    _replaying(saved)
    if phases:  # bench/phases.py, its extraction the saved one (its corpus is not read)
        sys.argv = ["phases.py", saved, "--config", config_path, "--out", out]
        sys.argv += ["--jobs", str(jobs)]
        runpy.run_path(str(Path(__file__).with_name("phases.py")), run_name="__main__")
        return
    config = load_config(config_path)
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu = time.perf_counter(), time.process_time()
    pipeline.build(config, [saved], config.default_audience, FORMATS, Path(out), jobs=jobs)
    print(
        f"after the extraction: {time.perf_counter() - wall:.2f} s wall, "
        f"{time.process_time() - cpu:.2f} s CPU in this process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["save", "replay"])
    parser.add_argument("source", help="save: the corpus; replay: the saved prefix")
    parser.add_argument("target", help="save: the saved prefix; replay: the output folder")
    parser.add_argument("--config", default="config.yaml")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--phases", action="store_true", help="bench/phases.py's lines")
    args = parser.parse_args()
    if args.mode == "save":
        save(args.source, args.target, args.config, args.jobs)
    else:
        replay(args.source, args.target, args.config, args.jobs, args.phases)


if __name__ == "__main__":
    main()
