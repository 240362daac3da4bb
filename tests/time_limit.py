"""Bounds for the linear-time tests.

Time is the process's own CPU time (user + system), not the wall clock: on a shared two-core
machine other processes stretch the wall clock several times over, while a quadratic
algorithm on a megabyte still costs minutes of CPU. `time_limit` stops a run at its bound
(a quadratic run would otherwise hang the suite); `assert_grows_linearly` times the same work
at a quarter of the size and at the full size, so the test checks the growth of the cost,
not one absolute second count, and checks the output of both runs.
"""

from __future__ import annotations

import gc
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class TooSlow(TimeoutError):
    """The block was still running at its bound."""


@contextmanager
def time_limit(seconds: float, what: str = "the block") -> Iterator[None]:
    """Stop the block with TooSlow once it has used `seconds` of CPU time (Python code is
    interrupted between bytecodes)."""

    def expire(signum: int, frame: object) -> None:
        raise TooSlow(f"{what} still running after {seconds:.1f} s of CPU time")

    previous: Callable[..., object] | int | None = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def cpu_time(run: Callable[[], T], bound: float, what: str) -> tuple[float, T]:
    """(CPU seconds, result) of `run`, stopped with TooSlow at `bound` CPU seconds."""
    gc.collect()
    started = time.process_time()
    with time_limit(bound, what):
        result = run()
    return time.process_time() - started, result


# Linear growth makes the full size cost 4x the quarter; quadratic, 16x. The threshold sits
# between with room for noise, and small runs are floored so that timer resolution and
# start-up costs do not decide the ratio.
GROWTH_LIMIT = 8.0
FLOOR_S = 0.1
SHORT_S = 0.5  # a run this short is timed twice and the faster kept: one GC pass is noise


def _best_of_short(run: Callable[[], T], bound: float, what: str) -> tuple[float, T]:
    seconds, result = cpu_time(run, bound, what)
    if seconds < SHORT_S:
        seconds = min(seconds, cpu_time(run, bound, what)[0])
    return seconds, result


def assert_grows_linearly(
    run_at: Callable[[int], T],
    size: int,
    what: str,
    *,
    bound: float = 60.0,
    count: Callable[[T], int] | None = None,
) -> T:
    """Run `run_at(size // 4)` then `run_at(size)`; fail if the cost grew faster than linear.

    `count` maps a result to its number of items: both runs must find some, and the full
    run about four times as many (so an extractor that returns nothing fails). Returns the
    full run's result for further checks.
    """
    small_s, small = _best_of_short(lambda: run_at(size // 4), bound, f"{what} at a quarter size")
    big_s, big = _best_of_short(lambda: run_at(size), bound, f"{what} at full size")
    if big_s / max(small_s, FLOOR_S) >= GROWTH_LIMIT:
        # Measured again, both sizes in turn, before a verdict: CI runs two test sessions
        # side by side on two cores, and a run's CPU time grew 2.2x while the other was busy
        # (0.86 s against 0.39 s alone), so that a linear extractor measured 8.3x once.
        quarter, full = f"{what} at a quarter size", f"{what} at full size"
        small_s = min(small_s, cpu_time(lambda: run_at(size // 4), bound, quarter)[0])
        big_s = min(big_s, cpu_time(lambda: run_at(size), bound, full)[0])
    ratio = big_s / max(small_s, FLOOR_S)
    assert ratio < GROWTH_LIMIT, (
        f"{what}: {big_s:.2f} s at full size against {small_s:.2f} s at a quarter "
        f"({ratio:.1f}x; linear is 4x)"
    )
    if count is not None:
        found_small, found_big = count(small), count(big)
        assert found_small > 0, f"{what}: nothing found at a quarter size"
        assert 3 * found_small <= found_big <= 5 * found_small, (
            f"{what}: {found_small} items at a quarter size, {found_big} at full size"
        )
    return big
