"""Deliver to disk: OUT/brief.<fmt>, each file replaced atomically.

Every output is first written in full to a temporary file in the target folder (same file
system, so the rename is atomic) and flushed to disk; only when all of them are written are
they renamed over the old files with os.replace. A run that fails or is interrupted while
writing (a full disk, Ctrl-C) leaves the previous brief intact and no partial or temporary
file behind. All outputs are rendered before this is called, so a render error writes nothing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import DeliveryError

BASENAME = "brief"


def _write_temp(path: Path, content: bytes) -> Path:
    """`content` in a new temporary file beside `path`, flushed to disk."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes 0600; a brief is meant to be read
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def _remove(temps: list[Path]) -> None:
    for temp in temps:
        with contextlib.suppress(OSError):
            temp.unlink()


def write_atomic(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that readers see the old file or the new one, never half."""
    temp = _write_temp(path, content)
    try:
        os.replace(temp, path)
    except BaseException:
        _remove([temp])
        raise


def write_outputs(outputs: dict[str, bytes], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write each format's bytes to OUT/brief.<fmt>; returns the paths, in the given order.

    All files are written under temporary names first, then renamed one after the other, so a
    failure while writing changes none of the previous files."""
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create output folder {target}: {exc.strerror or exc}") from exc
    paths = [target / f"{BASENAME}.{fmt}" for fmt in outputs]
    pending: list[Path] = []  # temporary files not renamed yet; removed if anything fails
    try:
        for path, content in zip(paths, outputs.values(), strict=True):
            try:
                pending.append(_write_temp(path, content))
            except OSError as exc:
                raise DeliveryError(f"cannot write {path}: {exc.strerror or exc}") from exc
        for path in paths:
            try:
                os.replace(pending[0], path)
            except OSError as exc:
                raise DeliveryError(f"cannot write {path}: {exc.strerror or exc}") from exc
            pending.pop(0)
    except BaseException:
        _remove(pending)
        raise
    return paths
