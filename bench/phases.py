"""Where a build's own memory goes, phase by phase: the figures behind docs/speed.md's "What is
left, and why" (flat memory).

Not a test: it prints figures. Linux with glibc only (it reads /proc and `mallinfo2`).
Usage (from the repo root, with briefing installed; the compiled install for the figures
docs/speed.md gives):

    python bench/phases.py CORPUS [--config config.yaml] [--jobs 2] [--formats md,json]
    python bench/phases.py CORPUS --merge-parts     # and the merge's parts at its finish

It runs `briefing build` in this process (whose extraction runs in a process of its own on
Linux: its lines are marked "[extraction]") and, before and after each phase (extraction,
the citer, drafting and the citation check, the source list, render, the writing of the
outputs, and each trim of the heap), prints: the time, the process's RSS, its peak since
the line before (exact: the kernel's high-water mark, reset at each line through
/proc/self/clear_refs; sampled every 20 ms where that cannot be written, and then a short
peak can be missed), pymalloc's arenas (1 MiB each, returned only when
wholly empty), its live small objects, and glibc's heap in use (`mallinfo2`: the lists,
dicts and arrays past 512 bytes). With `--merge-parts`, at the end of extraction, the size
of each part of the streaming merge (a deep `sys.getsizeof`, each object counted once, in
the order printed): that measuring holds a set of every object it met, so read the RSS of
a run without it.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import gc
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MB = 2**20


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            *("arena", "ordblks", "smblks", "hblks", "hblkhd"),
            *("usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"),
        )
    ]


def _libc_mallinfo() -> Callable[[], _MallInfo2] | None:
    with contextlib.suppress(OSError, AttributeError):
        function = ctypes.CDLL(None).mallinfo2  # the process's C library, as memory.py
        function.restype = _MallInfo2
        return function
    return None


_MALLINFO = _libc_mallinfo()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def pymalloc() -> tuple[int, float]:
    """(arenas allocated now, MB in live small objects), read from sys._debugmallocstats,
    which writes to the C stderr: caught through a pipe."""
    read, write = os.pipe()
    saved = os.dup(2)
    os.dup2(write, 2)
    os.close(write)
    try:
        sys._debugmallocstats()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    text = b"".join(chunks).decode()
    arenas = re.search(r"arenas allocated current\s+=\s+([\d,]+)", text)
    live = re.search(r"bytes in allocated blocks\s+=\s+([\d,]+)", text)
    if arenas is None or live is None:
        return 0, 0.0
    return int(arenas.group(1).replace(",", "")), int(live.group(1).replace(",", "")) / MB


def high_water_mb() -> float | None:
    """The process's peak RSS since it started or since reset_high_water (VmHWM)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def reset_high_water() -> bool:
    """Start the process's peak RSS again from its RSS now (Linux: clear_refs, 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


class Watch:
    """The RSS peak between two reports: the kernel's high-water mark, reset at each report;
    where that cannot be reset, sampled every 20 ms by a thread."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.main = os.getpid()
        self._start_sampling()

    def _start_sampling(self) -> None:
        """(again in a forked process, the build's extraction's: a thread does not survive
        a fork)"""
        self.pid = os.getpid()
        self.peak = rss_mb()
        self.exact = reset_high_water()
        if not self.exact:  # (the kernel's mark makes the samples needless)
            threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def report(self, label: str) -> None:
        if os.getpid() != self.pid:
            self._start_sampling()
        if os.getpid() != self.main:  # the build's extraction runs in a process of its own
            label = f"[extraction] {label}"
        arenas, live = pymalloc()
        heap = "n/a"
        if _MALLINFO is not None:
            info = _MALLINFO()
            heap = f"{(info.uordblks + info.hblkhd) / MB:6.1f}"
        now = rss_mb()
        exact = high_water_mb() if self.exact else None
        peak = max(self.peak, now) if exact is None else exact
        print(
            f"{time.perf_counter() - self.started:7.1f} s  {label:<39} RSS {now:6.1f}  "
            f"peak {peak:6.1f}  arenas {arenas:3d}  live {live:6.1f}  "
            f"heap {heap}",
            flush=True,
        )
        self.peak = now
        if self.exact:
            reset_high_water()


def wrap(owner: Any, name: str, watch: Watch, label: str | None = None) -> None:
    """Report before and after each call of `owner.name` (a module's function or a class's
    method, looked up by its callers at call time)."""
    function = getattr(owner, name)
    shown = label or name

    @functools.wraps(function)
    def reported(*args: Any, **kwargs: Any) -> Any:
        watch.report(f"before {shown}")
        try:
            return function(*args, **kwargs)
        finally:
            watch.report(f"after {shown}")

    setattr(owner, name, reported)


def deep_size(root: object, seen: set[int]) -> int:
    """The bytes of `root` and of everything it refers to that `seen` does not hold yet."""
    total, stack = 0, [root]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type) or callable(item):
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        stack.extend(gc.get_referents(item))
    return total


MERGE_PARTS = {
    "facts": ("grouper", "groups", "numbering"),
    "events": ("by_key", "compared", "merged", "mentions", "numbering"),
    "questions": ("grouper", "merged", "mentions", "numbering"),
}


def report_merge_parts(pipeline: Any) -> None:
    """At the streaming merge's finish, the size of each of its parts."""
    real = pipeline.Merge

    class Measured:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.__dict__["merge"] = real(*args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.__dict__["merge"], name)

        def finish(self) -> Any:
            merge = self.__dict__["merge"]
            seen = {id(merge.ctx), id(merge.spool)}
            for merger, parts in MERGE_PARTS.items():
                for part in parts:
                    size = deep_size(getattr(getattr(merge, merger), part), seen)
                    print(f"  merge's {merger + '.' + part:<20} {size / MB:7.2f} MB", flush=True)
            return merge.finish()

    pipeline.Merge = Measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="a folder of articles")
    parser.add_argument("--config", default="config.yaml")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", default="md,json")
    parser.add_argument("--out", default=None, help="output folder (default: a temporary one)")
    parser.add_argument("--merge-parts", action="store_true")
    args = parser.parse_args()

    from briefing import assemble, pipeline, render
    from briefing.assemble import brief, cite, support
    from briefing.config import load_config
    from briefing.deliver import files

    watch = Watch()
    wrap(pipeline, "run_extract", watch, "extraction")
    wrap(pipeline, "release_freed_memory", watch, "trim")
    wrap(brief, "Citer", watch, "the citer")
    wrap(cite.Citer, "prefetch", watch, "drafts' check")
    wrap(support.Support, "check_numbers", watch, "citation check")
    wrap(brief, "_candidates", watch, "drafting")
    wrap(brief, "source_list", watch, "source list")
    wrap(assemble, "assemble", watch)
    wrap(render, "render", watch)
    wrap(files, "write_outputs", watch, "writing outputs")
    if args.merge_parts:
        report_merge_parts(pipeline)
    config = load_config(Path(args.config))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(args.out) if args.out else Path(scratch)
        watch.report("start")
        formats = args.formats.split(",")
        pipeline.build(config, [args.corpus], "analyst", formats, out, jobs=args.jobs)
        watch.report("end")


if __name__ == "__main__":
    main()
