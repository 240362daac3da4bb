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


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release_freed_memory() -> bool:
    """Return the heap's free pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
