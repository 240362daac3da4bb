"""Processes that work beside a large build's own: one writes brief.json's extraction while
the build assembles the brief, the other drafts its quotes (assemble/quotes.py), then checks
half of its citations (assemble/support.py); either process may take either job.

brief.json holds the whole extraction (the documents, quotes and reactions the spool holds,
then the merged events, questions and facts), and the brief after it. At 100,000 articles
the spool's part is about 430 MB of JSON and 8 s of writing, and it does not depend on the
brief: a helper writes it while the build assembles and renders, and the build then copies
it into brief.json and adds the merged items and the brief (render.json.json_writer).

The processes are forked when the build starts, while it is small (a fork's memory is
counted again in the child), and handed what their jobs need (the spool's path, the
checks) when the extraction is done. Whatever goes wrong there, the build does
the job itself, as without them.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from .extract.spool import Spool, spooled_extraction
from .lifetime import die_with_parent

log = logging.getLogger("briefing")


def _ready() -> None:
    """Nothing: the first tasks make the pool fork its processes now, while the build is small."""


def _write(spool_path: Path, target: Path) -> None:
    import io

    from .render.json import write_spooled_keys

    spool = Spool(spool_path, written=True)
    try:
        # Only the spool's tables: the merged items stay in the build's process (pickled
        # with the job, their million document ids cost it 10-20 MB at its peak).
        extraction = spooled_extraction(spool, [], [], [])
        with target.open("wb") as binary:
            text = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
            write_spooled_keys(text, extraction)
            text.flush()
            text.detach()
    finally:
        spool.close()


# Documents below which the extraction's JSON is written by the build itself: handing it over
# costs more than it saves (a thousand articles' JSON takes about 0.1 s to write).
SMALLEST = 1_000


class BuildHelpers:
    """Two forked processes: one writes the extraction's JSON to a file (`start`, then
    `submit`, then `written`); the other is `pool`'s for other jobs (the quotes' drafts,
    the citation check)."""

    def __init__(self) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=2,
            mp_context=multiprocessing.get_context("fork"),
            initializer=die_with_parent,  # a killed build leaves no worker behind
            initargs=(os.getpid(),),
        )
        for _ in range(2):
            self.pool.submit(_ready)
        self._job: Future[None] | None = None
        self._target: Path | None = None
        self.smallest = SMALLEST

    @classmethod
    def start(cls, cores: int) -> BuildHelpers | None:
        """Helpers where they pay: Linux (a cheap fork) and a second core to run them on."""
        if cores < 2 or not sys.platform.startswith("linux"):
            return None
        return cls()

    def submit(self, spool: Spool, target: Path) -> None:
        """Have a helper write the JSON's first part to `target`: the documents, quotes and
        reactions, read from `spool`'s file (committed: the helper has a connection of its
        own)."""
        if spool.path is None:  # a private in-memory spool: only this process can read it
            return
        if spool.counts["documents"] < self.smallest:  # written here sooner than handed over
            return
        self._target = target
        self._job = self.pool.submit(_write, spool.path, target)

    def written(self) -> Path | None:
        """The file, once written; None when the helper had nothing to write or failed (then
        the build writes the JSON itself: the reason is logged)."""
        if self._job is None:
            return None
        try:
            self._job.result()
        except Exception as exc:  # any failure there costs time, not the brief
            log.info("the extraction's JSON is written here instead (%s)", exc)
            return None
        return self._target

    def close(self) -> None:
        """End the processes, and remove the JSON file written."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self._target is not None:
            with contextlib.suppress(OSError):
                self._target.unlink()
