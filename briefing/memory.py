"""Giving freed heap memory back to the system between a large build's phases.

CPython frees a build's transient objects (a document read for a citation check, a pickled
job) into the C library's heap, but glibc returns a page to the system only from the top
of the heap: pages freed between objects that live on stay in the process's RSS. At
100,000 articles the citation check's pass left about 50 MB so held. glibc's
`malloc_trim(0)` returns every whole free page (madvise), in milliseconds; the memory is
still the process's to reuse. Dask's workers do the same (`distributed`'s memory
trimming). Elsewhere (musl, macOS, Windows) this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable
from typing import Any


@functools.cache
def _glibc(name: str) -> Any | None:
    """glibc's function `name` (ctypes), None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):  # not glibc
        return None


def _malloc_trim() -> Callable[[int], int] | None:
    trim: Callable[[int], int] | None = _glibc("malloc_trim")
    return trim


# mallopt's parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

# Fixed where glibc would move them: blocks from 128 KiB are mapped of their own (glibc's
# default start), and the heap's top is given back once 1 MiB of it is free.
STEADY_MMAP_THRESHOLD = 128 * 1024
STEADY_TRIM_THRESHOLD = 1024 * 1024


def _mallopt() -> Callable[[int, int], int] | None:
    function = _glibc("mallopt")
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_int]  # int mallopt(int param, int value)
        function.restype = ctypes.c_int
    mallopt: Callable[[int, int], int] | None = function
    return mallopt


def keep_large_blocks_apart() -> bool:
    """Map each large block (from 128 KiB) of its own, for the rest of this process; False
    where the C library cannot.

    glibc raises its threshold for that to the size of each mapped block freed (up to
    32 MiB), so that a process which keeps making and dropping large blocks is spared the
    system calls. A long merge does that (its remembered keys' tables, the batches it
    unpickles): afterwards its growing arrays and tables are made in the heap, and each
    one moved as it grows leaves a hole that holds pages until a trim. Mapped, a block
    freed or moved goes back to the system at once. For a process whose time matters more
    than its memory (an extraction worker) the dynamic threshold is the better choice: the
    workers are forked before this is called. (A worker forked after it, to replace one
    that crashed, inherits it: slower, not wrong. glibc has no way back to the dynamic
    threshold.)"""
    mallopt = _mallopt()
    if mallopt is None:
        return False
    # Setting either fixes both (glibc then stops adjusting them).
    return bool(
        mallopt(_M_MMAP_THRESHOLD, STEADY_MMAP_THRESHOLD)
        and mallopt(_M_TRIM_THRESHOLD, STEADY_TRIM_THRESHOLD)
    )


def release_freed_memory() -> bool:
    """Return the heap's free pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
