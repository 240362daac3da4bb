"""briefing.memory: what the C library is asked to do with freed memory, checked by what its
own accounting (glibc's mallinfo2) then shows."""

from __future__ import annotations

import ctypes
import platform
import subprocess
import sys

import pytest

# In a process of its own: the thresholds, once fixed, stay fixed for the process. A block of
# 4 MiB is mapped, then freed (glibc then raises its threshold to 4 MiB), then a block of
# 512 KiB is made: is it mapped of its own (prints True) or taken from the heap (False)?
_PROBE = """
import ctypes, sys
from briefing.memory import keep_large_blocks_apart

class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
big = bytearray(4 << 20)
del big
if sys.argv[1] == "apart":
    assert keep_large_blocks_apart()
before = libc.mallinfo2().hblkhd
block = bytearray(512 << 10)
print(libc.mallinfo2().hblkhd - before >= 512 << 10)
"""


def _glibc_with_mallinfo2() -> bool:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    return hasattr(ctypes.CDLL(None), "mallinfo2")  # glibc 2.33 on


@pytest.mark.skipif(not _glibc_with_mallinfo2(), reason="needs glibc 2.33+ (mallinfo2)")
@pytest.mark.parametrize(("mode", "mapped"), [("default", "False"), ("apart", "True")])
def test_large_blocks_are_mapped_apart_once_asked(mode: str, mapped: str) -> None:
    # By default glibc, having freed a mapped block of 4 MiB, takes the next 512 KiB from the
    # heap; after keep_large_blocks_apart() it maps it of its own, given back when freed.
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == mapped


def test_keeping_large_blocks_apart_says_where_the_c_library_cannot() -> None:
    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    done = subprocess.run(
        [sys.executable, "-c", "import briefing.memory as m; print(m.keep_large_blocks_apart())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str(glibc)
