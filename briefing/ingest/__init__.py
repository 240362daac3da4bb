"""Stage 1: read articles from files into Documents.

One reader per input kind, chosen by the file's suffix: plain text and Markdown (text.py),
HTML (html.py, trafilatura), RSS/Atom (feed.py, feedparser). Heavy libraries are imported by
the reader that needs them, so a corpus of .txt files never loads them. A file that cannot be
used raises IngestError with the reason; `read_documents` turns that into a skip.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import IngestError
from ..models import Document
from .article import Article
from .decode import decode
from .frontmatter import split_front_matter
from .lines import single_spaced
from .safetext import printable, strip_unsafe
from .walk import (
    FEED_SUFFIXES,
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    SUPPORTED_SUFFIXES,
    PathQueue,
    document_ids,
    iter_input_files,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "PathQueue",
    "document_ids",
    "iter_input_files",
    "read_documents",
    "read_file",
    "unexpected_reason",
]

SkipHandler = Callable[[str, str], None]

_WORDY = re.compile(r"[^\W_]")
_INVISIBLE = (*((c, "") for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"), ("\u00a0", " "))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        # open and fstat rather than Path.stat and Path.open: one look-up of the name, and
        # no pathlib code (Python) run for each of a corpus's files.
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise IngestError(
                    str(path), f"too large ({size:,} bytes; the limit is {max_bytes:,})"
                )
            # Asked for what the file holds (and one byte more, to see it grow): asked for
            # max_bytes, read() first allocates that much, which costs an mmap per file.
            data = handle.read(size + 1)
            if len(data) > size:  # the file grew while we looked: read up to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:  # the file grew while we looked
        raise IngestError(str(path), f"too large (more than {max_bytes:,} bytes)")
    return data


def _clean_text(text: str) -> str:
    """One newline convention, no invisible characters, no form feeds."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if text.isascii():
        return strip_unsafe(text)
    for char, replacement in _INVISIBLE:
        if char in text:  # str.replace per character: far faster than str.translate
            text = text.replace(char, replacement)
    return strip_unsafe(text)


def _safe_article(article: Article, clean: bool = False) -> Article:
    """The article's fields without hidden characters, whatever reader made them: markup
    (`&#x202e;` in HTML or a feed) can bring back what _clean_text took from the file.
    `clean`: the fields are pieces of the cleaned text itself (plain text), nothing to take."""
    # A paragraph without a letter or digit ('"' * 300_000, a row of dashes) is no text.
    if clean:
        article.paragraphs = [p for p in article.paragraphs if _WORDY.search(p)]
        article.captions = [c for c in article.captions if c.strip()]
        return article
    article.headline = strip_unsafe(article.headline) if article.headline else article.headline
    article.subheadlines = [strip_unsafe(s) for s in article.subheadlines]
    article.paragraphs = [p for p in map(strip_unsafe, article.paragraphs) if _WORDY.search(p)]
    article.captions = [c for c in map(strip_unsafe, article.captions) if c.strip()]
    for name in ("publisher", "published", "byline", "url"):
        value = getattr(article, name)
        if value:
            setattr(article, name, strip_unsafe(value) or None)
    return article


def content_hash(article: Article) -> str:
    """sha256 of the normalised words: re-saving, re-encoding or re-wrapping a file does not
    make it a new document."""
    text = "\n".join([article.headline or "", *article.paragraphs])
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    lines = text.split("\n")
    if not all(map(single_spaced, lines)):
        text = "\n".join(" ".join(line.split()) for line in lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _document(
    doc_id: str, path: Path, article: Article, overrides: dict[str, str], clean: bool = False
) -> Document:
    """The Document of an article. Its id and path are shown and stored everywhere (JSON,
    stderr, the digest's state and mail), so they are kept printable: a name that is not
    UTF-8 or holds a newline is escaped. `clean`: see _safe_article."""
    article = _safe_article(article, clean)
    if not article.paragraphs:
        raise IngestError(str(path), "no article text")
    overrides = {key: strip_unsafe(value) for key, value in overrides.items()}
    return Document(
        id=printable(doc_id),
        path=printable(str(path)),
        headline=overrides.get("headline", article.headline),
        subheadlines=article.subheadlines,
        publisher=overrides.get("publisher", article.publisher),
        published=overrides.get("published", article.published),
        byline=overrides.get("byline", article.byline),
        url=overrides.get("url", article.url),
        paragraphs=article.paragraphs,
        captions=article.captions,
        content_hash=content_hash(article),
        dateline=article.dateline,
    )


def _read_text_kind(path: Path, text: str, markdown: bool, doc_id: str) -> Document:
    from .text import read_markdown, read_text

    overrides, body = split_front_matter(text, str(path))
    article = read_markdown(body) if markdown else read_text(body)
    if not article.paragraphs:
        raise IngestError(str(path), "no article text")
    # Plain text's fields are cut from the cleaned text (markdown-it may decode a character
    # reference into a hidden character: Markdown's are cleaned again).
    return _document(doc_id, path, article, overrides, clean=not markdown)


def unexpected_reason(exc: BaseException, stage: str) -> str:
    """The skip reason for an exception no reader expected (a library's bug, or input
    stranger than its rules foresaw): one line, its type and the start of its message."""
    message = " ".join(str(exc).split())[:160]
    return f"{stage} failed ({type(exc).__name__}{': ' + message if message else ''})"


def read_file(path: Path, max_bytes: int, doc_id: str | None = None) -> list[Document]:
    """The documents of one file (several for a feed); IngestError when it is unusable,
    whatever the reason (a parser's own exception included: feedparser fails on some
    character references)."""
    try:
        return _read_file(path, max_bytes, doc_id or path.stem)
    except IngestError:
        raise
    except Exception as exc:  # one file's failure is that file's skip
        raise IngestError(str(path), unexpected_reason(exc, "reading")) from exc


def _read_file(path: Path, max_bytes: int, doc_id: str) -> list[Document]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(str(path), f"unsupported file type '{suffix or path.name}'")
    data = _read_bytes(path, max_bytes)
    text = _clean_text(decode(data, str(path)))
    if suffix in HTML_SUFFIXES:
        from .html import read_html

        article = read_html(text, str(path))
        if not article.paragraphs:
            raise IngestError(str(path), "no article text")
        return [_document(doc_id, path, article, {})]
    if suffix in FEED_SUFFIXES:
        from .feed import read_feed

        docs = []
        for item in read_feed(data, text, str(path)):
            with contextlib.suppress(IngestError):  # an item with no text once cleaned
                docs.append(_document(f"{doc_id}-{item.number}", path, item.article, {}))
        if not docs:
            raise IngestError(str(path), "no feed item has article text")
        return docs
    return [_read_text_kind(path, text, suffix in MARKDOWN_SUFFIXES, doc_id)]


def read_documents(
    paths: list[str],
    base: Path,
    max_bytes: int,
    on_skip: SkipHandler,
    skip_dirs: list[Path] | None = None,
) -> Iterator[Document]:
    """Every usable document of the inputs; each unusable file goes to `on_skip(path, why)`.
    Folders in `skip_dirs` (the output folder) are not read."""
    files = list(iter_input_files(paths, base, skip_dirs))
    ids = document_ids(files)
    for path in files:
        try:
            docs = read_file(path, max_bytes, ids.get(str(path)))
        except IngestError as exc:
            on_skip(exc.path, exc.reason)
            continue
        except Exception as exc:  # read_file's own net failed: still only this file
            on_skip(str(path), unexpected_reason(exc, "reading"))
            continue
        yield from docs
