"""Deliver to disk: OUT/brief.<fmt>, the whole set switched at once.

A build's files must never mix with the previous build's, even when the process is killed
(SIGKILL, power loss) between two file operations. Renaming four files one by one cannot
promise that, so the set lives in a folder of its own and one symbolic link picks the set:

    OUT/brief.md   -> .brief-current/brief.md      (fixed links, one per format)
    OUT/.brief-current -> .brief-<build>            (the switch)
    OUT/.brief-<build>/brief.{md,html,pdf,json}     (one build's files)

A build writes its files in full into a new OUT/.brief-<build>/ (each flushed to disk),
then replaces the `.brief-current` link with one rename: every OUT/brief.<fmt> shows the
new build from that instant, all together. Killed before the rename, the previous brief is
untouched; after it, the new one is whole. OUT stays a plain folder (the digest's state may
live there) and OUT/brief.pdf a usable path: the links are followed by every program that
opens the file (a web server may need FollowSymLinks).

Each build first removes what a killed earlier run left: set folders no link points to,
temporary links and the `.brief.*.tmp` files of the earlier one-file-at-a-time writer. The
first build into a folder of plain brief files (that writer's) hard-links them into a set
of their own and points the links at it before the switch, so that move is whole too.
Where symbolic links cannot be made (some network or FAT file systems), files are renamed
one by one as before: whole files, but a kill between renames can mix two builds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO

from ..errors import DeliveryError

BASENAME = "brief"
CURRENT = f".{BASENAME}-current"
_SET_PREFIX = f".{BASENAME}-"
_LOCK = f".{BASENAME}.lock"
_LINK_SUFFIX = ".link-tmp"
# The formats whose links this writer manages (a user's "brief.md.bak" is left alone).
FORMATS = ("md", "html", "pdf", "json")


# A file's content: its bytes, or a function that writes them to a binary file (the JSON
# brief of a large corpus is written a piece at a time, never held whole).
Content = bytes | Callable[[IO[bytes]], None]


def _put(stream: IO[bytes], content: Content) -> None:
    if isinstance(content, bytes):
        stream.write(content)
    else:
        content(stream)


def _write_temp(path: Path, content: Content) -> Path:
    """`content` in a new temporary file beside `path`, flushed to disk."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            _put(stream, content)
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


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system syncs folders
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """One writer at a time per folder: a build never removes another's set in progress."""
    handle = os.open(target / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _current_set(target: Path) -> str | None:
    try:
        name = os.readlink(target / CURRENT)
    except OSError:
        return None
    return name if name.startswith(_SET_PREFIX) and "/" not in name else None


def stale_entries(target: Path) -> list[str]:
    """Names in `target` that a killed earlier run left: sets no link points to, temporary
    links, and temporary files of the earlier writer."""
    current = _current_set(target)
    stale = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target):
            name = entry.name
            if name in (CURRENT, _LOCK) or name == current or not name.startswith(f".{BASENAME}"):
                continue
            is_set = name.startswith(_SET_PREFIX) and entry.is_dir(follow_symlinks=False)
            if is_set or name.endswith((".tmp", _LINK_SUFFIX)):
                stale.append(name)
    return sorted(stale)


def remove_stale(target: Path) -> None:
    for name in stale_entries(target):
        path = target / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


def _write_set(folder: Path, outputs: Mapping[str, Content], target: Path) -> None:
    for fmt, content in outputs.items():
        path = folder / f"{BASENAME}.{fmt}"
        try:
            with open(path, "xb") as stream:
                _put(stream, content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(path, 0o644)
        except OSError as exc:
            shown = target / f"{BASENAME}.{fmt}"
            raise DeliveryError(f"cannot write {shown}: {exc.strerror or exc}") from exc
    _fsync_dir(folder)


def _link(target: Path, name: str, points_to: str) -> None:
    """Make `target/name` a symbolic link to `points_to`, replacing what was there in one
    rename."""
    temp = target / f".{name.lstrip('.')}.{os.getpid()}{_LINK_SUFFIX}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)
    os.symlink(points_to, temp)
    try:
        os.replace(temp, target / name)
    except BaseException:
        _remove([temp])
        raise


def _is_ours(path: Path) -> bool:
    """Whether `path` is one of the fixed links through the switch."""
    return os.path.islink(path) and os.readlink(path) == f"{CURRENT}/{path.name}"


def _adopt_plain_files(target: Path, formats: list[str]) -> None:
    """Plain brief files (the earlier writer's, or a copy put there) join the current set,
    a new one if there is none, and are each replaced by a link to the same content:
    nothing changes for a reader, and the switch to the new set then moves every file at
    once."""
    plain = [
        target / f"{BASENAME}.{fmt}"
        for fmt in formats
        if (target / f"{BASENAME}.{fmt}").is_file()
        and not (target / f"{BASENAME}.{fmt}").is_symlink()
    ]
    if not plain:
        return
    current = _current_set(target)
    folder = target / current if current else Path(tempfile.mkdtemp(prefix=_SET_PREFIX, dir=target))
    try:
        os.chmod(folder, 0o755)
        for source in plain:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(folder / source.name)
            try:
                os.link(source, folder / source.name)
            except OSError:
                shutil.copy2(source, folder / source.name)
        _fsync_dir(folder)
        if current is None:
            _link(target, CURRENT, folder.name)
    except BaseException:
        if current is None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    for source in plain:
        _link(target, source.name, f"{CURRENT}/{source.name}")


def _switch(target: Path, outputs: Mapping[str, Content]) -> None:
    formats = [*FORMATS, *(f for f in outputs if f not in FORMATS)]
    _adopt_plain_files(target, formats)
    previous = _current_set(target)
    folder = Path(tempfile.mkdtemp(prefix=_SET_PREFIX, dir=target))
    try:
        os.chmod(folder, 0o755)
        _write_set(folder, outputs, target)
        for fmt in outputs:  # the links through the switch, made once
            if not _is_ours(target / f"{BASENAME}.{fmt}"):
                _link(target, f"{BASENAME}.{fmt}", f"{CURRENT}/{BASENAME}.{fmt}")
        _link(target, CURRENT, folder.name)  # the switch: one rename
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _fsync_dir(target)
    if previous and previous != folder.name:
        shutil.rmtree(target / previous, ignore_errors=True)
    for fmt in formats:  # formats this build did not make: their links now lead nowhere
        if fmt not in outputs and _is_ours(target / f"{BASENAME}.{fmt}"):
            with contextlib.suppress(OSError):
                os.unlink(target / f"{BASENAME}.{fmt}")


def _replace_one_by_one(outputs: Mapping[str, Content], paths: list[Path]) -> None:
    """Where symbolic links cannot be made: whole files, renamed one after the other."""
    pending: list[Path] = []
    try:
        for path, content in zip(paths, outputs.values(), strict=True):
            try:
                pending.append(_write_temp(path, content))
            except OSError as exc:
                raise DeliveryError(f"cannot write {path}: {exc.strerror or exc}") from exc
        for path in paths:
            if path.is_symlink():
                path.unlink()
            os.replace(pending[0], path)
            pending.pop(0)
    except OSError as exc:
        raise DeliveryError(f"cannot write {paths[0].parent}: {exc.strerror or exc}") from exc
    finally:
        _remove(pending)


def _symlinks_work(target: Path) -> bool:
    probe = target / f".{BASENAME}.probe.{os.getpid()}{_LINK_SUFFIX}"
    try:
        os.symlink(".", probe)
    except OSError:
        return False
    os.unlink(probe)
    return True


def write_outputs(outputs: Mapping[str, Content], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write each format's bytes to OUT/brief.<fmt>, all switched at once; returns the
    paths, in the given order."""
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create output folder {target}: {exc.strerror or exc}") from exc
    paths = [target / f"{BASENAME}.{fmt}" for fmt in outputs]
    try:
        with _locked(target):
            remove_stale(target)
            if _symlinks_work(target):
                _switch(target, outputs)
            else:
                _replace_one_by_one(outputs, paths)
    except OSError as exc:
        raise DeliveryError(f"cannot write to {target}: {exc.strerror or exc}") from exc
    return paths
