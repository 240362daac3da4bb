"""Stage 1: read articles from files into Documents. (Minimal placeholder reader.)"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import IngestError
from ..models import Document

SkipHandler = Callable[[str, str], None]


def iter_input_files(paths: list[str], base: Path) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw) if Path(raw).is_absolute() else base / raw
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def read_file(path: Path, max_bytes: int) -> list[Document]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(str(path), str(exc)) from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise IngestError(str(path), "no article text")
    return [
        Document(
            id=path.stem,
            path=str(path),
            headline=lines[0],
            paragraphs=lines[1:],
            content_hash=hashlib.sha256("\n".join(lines).encode()).hexdigest(),
        )
    ]


def read_documents(
    paths: list[str], base: Path, max_bytes: int, on_skip: SkipHandler
) -> Iterator[Document]:
    for path in iter_input_files(paths, base):
        try:
            yield from read_file(path, max_bytes)
        except IngestError as exc:
            on_skip(exc.path, exc.reason)
