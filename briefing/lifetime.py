"""Worker processes end with the process that started them.

A killed `briefing build` must not leave its PDF worker or extraction workers running for a
minute, holding the caller's stderr (and a cron job's pipe) open. Two mechanisms:

- In each worker, `die_with_parent` asks Linux for a parent-death signal
  (prctl(PR_SET_PDEATHSIG, SIGKILL)): when the parent ends, however it ends (SIGKILL
  included), the kernel kills the worker. The workers are forked from the main thread,
  whose end is what the kernel watches. Should the parent already be gone when the worker
  starts (it died between fork and prctl), the worker leaves at once.
- In the parent, `end_children_on_signals` (the console entry point only: tests keep their
  own handlers) turns SIGTERM and SIGHUP into: kill every child process, then die of the
  same signal, so the caller sees the usual exit status.
Output folders need no clean-up here: deliver/files.py switches sets atomically and the
next build removes what a killed one left.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from types import FrameType

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """In a worker: be killed by the kernel when the parent process ends (Linux)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _end_children(signum: int, frame: FrameType | None) -> None:
    for child in multiprocessing.active_children():
        with contextlib.suppress(Exception):
            child.kill()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def end_children_on_signals() -> None:
    """SIGTERM and SIGHUP kill the child processes first, then this one."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):  # not the main thread, or no SIGHUP
            signal.signal(signum, _end_children)
