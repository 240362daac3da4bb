"""An alarm for the linear-time tests: a quadratic run on a megabyte would otherwise take
minutes to hours and hang the suite, so it is stopped at its bound and fails."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class TooSlow(TimeoutError):
    """The block was still running at its bound."""


@contextmanager
def time_limit(seconds: float, what: str = "the block") -> Iterator[None]:
    """Stop the block with TooSlow once `seconds` have passed (Python code is interrupted
    between bytecodes)."""

    def expire(signum: int, frame: object) -> None:
        raise TooSlow(f"{what} still running after {seconds:.1f} s")

    previous: Callable[..., object] | int | None = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
