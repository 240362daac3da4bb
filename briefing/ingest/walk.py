"""Input paths -> files: files as given, folders walked recursively in sorted order, globs.

Symbolic links are followed, but a folder already walked (by its resolved path) is never
entered again, so a link pointing to its own parent cannot loop. Each file comes once. A link
that cannot be resolved (dangling, or a loop of links) is passed on like a missing file: the
reader reports it with its reason.
"""

from __future__ import annotations

import glob
import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

log = logging.getLogger("briefing")

# The file kinds ingest reads, by suffix. Inside folders other files are passed over
# silently; a file named explicitly is reported when its kind is not one of these.
TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
_GLOB_CHARS = frozenset("*?[")
# A folder holding this entry is a brief's output folder (deliver/files.py switches each
# build's set of files through it): never read as articles, wherever it sits among the inputs.
OUTPUT_MARKER = ".brief-current"


class _Walk:
    def __init__(self, skip: set[str] | None = None) -> None:
        # Folders never read (the build's own output folder), as resolved paths.
        self.skip = skip or set()
        self.seen_dirs: set[str] = set()
        self.open_dirs: set[str] = set()  # the folders being walked: the current branch
        self.seen_files: set[str] = set()

    def file(self, path: Path, key: str | None = None) -> Iterator[Path]:
        key = key or os.path.realpath(path)
        if key not in self.seen_files:
            self.seen_files.add(key)
            yield path

    def folder(self, root: Path) -> Iterator[Path]:
        key = os.path.realpath(root)
        if key in self.skip:
            log.info("skipped %s: the output folder", root)
            return
        if key in self.open_dirs:
            log.warning("skipped %s: symlink loop (a link to a folder above it)", root)
            return
        if key in self.seen_dirs:
            log.warning("skipped %s: folder already read", root)
            return
        if os.path.lexists(os.path.join(root, OUTPUT_MARKER)):
            log.info("skipped %s: a brief's output folder", root)
            return
        self.seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(root), key=lambda entry: entry.name)
        except OSError as exc:
            log.warning("skipped %s: %s", root, exc.strerror or exc)
            return
        self.open_dirs.add(key)
        try:
            yield from self._entries(entries, key)
        finally:
            self.open_dirs.discard(key)

    def _entries(self, entries: list[os.DirEntry[str]], folder_key: str) -> Iterator[Path]:
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files and folders (.git, editor backups)
            try:
                is_dir = entry.is_dir()
            except OSError:  # a loop of links: a file to the reader, which says why it fails
                is_dir = False
            if is_dir:
                yield from self.folder(Path(entry.path))
            elif os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES:
                # A plain file's resolved path is its folder's plus its name: no realpath
                # (a system call per path component) for each of 100,000 files.
                key = None if _is_link(entry) else os.path.join(folder_key, entry.name)
                yield from self.file(Path(entry.path), key)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True


def document_ids(files: Sequence[Path | str] | PathQueue) -> dict[str, str]:
    """Ids for the files whose name (without its suffix) an earlier file of the list already
    has: "article~2", "article~3"... The others keep their name as their id, so that two
    folders that each hold an article.txt never share an id (and so never each other's
    citations). Keyed by str(path)."""
    stems = [Path(path).stem for path in files]
    taken = set(stems)
    seen: set[str] = set()
    ids: dict[str, str] = {}
    for path, stem in zip(files, stems, strict=True):
        if stem not in seen:
            seen.add(stem)
            continue
        number = 2
        while f"{stem}~{number}" in taken:
            number += 1
        ids[str(path)] = f"{stem}~{number}"
        taken.add(ids[str(path)])
    return ids


class PathQueue:
    """Paths to read, in their order, taken from the front a few at a time (`take`).

    A day's 100,000 paths held as strings take about 10 MB, which the extraction's process
    held through the rise of its peak (they are taken as the workers go). Here each run of
    paths in one folder keeps the folder once and its files' names joined by NUL (which no
    path holds), 1,024 names a string: about 2 MB, and a string's names go once taken."""

    BATCH = 1024

    def __init__(self, paths: Iterable[Path | str]) -> None:
        self._batches: deque[tuple[str, str]] = deque()  # (folder, names joined by NUL)
        self._folder = ""  # the folder of the names being taken
        self._names: list[str] = []  # those names, the next one last
        self._count = 0
        folder = ""
        names: list[str] = []
        for path in map(str, paths):
            cut = max(path.rfind("/"), path.rfind(os.sep)) + 1
            if path[:cut] != folder or len(names) >= self.BATCH:
                self._batch(folder, names)
                folder, names = path[:cut], []
            names.append(path[cut:])
        self._batch(folder, names)

    def _batch(self, folder: str, names: list[str]) -> None:
        if names:
            self._batches.append((folder, "\0".join(names)))
            self._count += len(names)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        """The paths not taken yet, in order (none taken)."""
        folder = self._folder
        for name in reversed(self._names):
            yield folder + name
        for folder, joined in list(self._batches):
            for name in joined.split("\0"):
                yield folder + name

    def take(self, most: int) -> list[str]:
        """The next `most` paths (fewer at the end), taken out of the queue."""
        taken: list[str] = []
        while len(taken) < most and (self._names or self._batches):
            if not self._names:
                self._folder, joined = self._batches.popleft()
                self._names = joined.split("\0")[::-1]
            taken.append(self._folder + self._names.pop())
        self._count -= len(taken)
        return taken


def _is_glob(raw: str) -> bool:
    return any(c in _GLOB_CHARS for c in raw)


def iter_input_files(
    paths: list[str], base: Path, skip: list[Path] | None = None
) -> Iterator[Path]:
    """Files to read, in a stable order. A path that does not exist and a glob that matches
    nothing are logged; a dangling link is still yielded (the reader says why it fails).
    Folders in `skip` (the output folder: `briefing build .` writes brief.md into ./out)
    are never walked."""
    walk = _Walk({os.path.realpath(p) for p in skip or []})
    for raw in paths:
        path = Path(raw).expanduser()
        path = path if path.is_absolute() else base / path
        if _is_glob(raw) and not path.exists():
            matches = sorted(glob.glob(str(path), recursive=True))
            if not matches:
                log.warning("skipped %s: no file matches", raw)
            for match in matches:
                found = Path(match)
                yield from walk.folder(found) if found.is_dir() else walk.file(found)
        elif path.is_dir():
            yield from walk.folder(path)
        elif not path.exists() and not path.is_symlink():
            log.warning("skipped %s: does not exist", raw)
        else:
            yield from walk.file(path)
