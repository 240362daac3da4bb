"""Deliver to disk: OUT/brief.<fmt>, each file replaced atomically.

Every output is first written in full to a temporary file in the target folder (same file
system, so the rename is atomic), flushed to disk, then renamed over the old file with
os.replace. A run that fails or is interrupted leaves the previous brief intact and no partial
file behind. All outputs are rendered before this is called, so a render error writes nothing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import DeliveryError

BASENAME = "brief"


def write_atomic(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that readers see the old file or the new one, never half."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes 0600; a brief is meant to be read
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_outputs(outputs: dict[str, bytes], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write each format's bytes to OUT/brief.<fmt>; returns the paths, in the given order."""
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create output folder {target}: {exc.strerror or exc}") from exc
    written = []
    for fmt, content in outputs.items():
        path = target / f"{BASENAME}.{fmt}"
        try:
            write_atomic(path, content)
        except OSError as exc:
            raise DeliveryError(f"cannot write {path}: {exc.strerror or exc}") from exc
        written.append(path)
    return written
