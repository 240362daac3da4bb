"""A fuzzer over front matter, feeds and file names: whatever a file holds or is called, it is
read, or refused with IngestError and a reason; never another exception. What is read
carries no hidden character, and its name is printable and valid UTF-8.

The drawn pieces are the kinds of the issue 16 files (impossible and edge dates, offsets,
anchors and aliases, tags, deep brackets, bidi controls, names that are not UTF-8), so the
fuzzer reaches cases the named tests do not.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.errors import IngestError
from briefing.extract import extract_document
from briefing.ingest import read_documents, read_file
from briefing.models import Document

from .story import story_context

CTX = story_context()
BODY = (
    "Tarvos and Quellin met yesterday and will meet next Monday, officials said. The pact "
    "was signed nine months ago, on the 13th, and ends next year.\n"
)
HIDDEN = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\u200f\ufeff")
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

DATES = [
    "2024-02-30", "2024-13-45", "0001-01-01", "9999-12-31", "0000-00-00", "2033-05-14",
    "2033-05-14T10:00:00+99:00", "2033-05-14 10:00:00 -23:59", "June 31, 2033", "99999-1-1",
]  # fmt: skip
YAML_PIECES = [
    *DATES,
    *("published: ", "note: ", "headline: ", "byline: ", "url: ", "publisher: "),
    *("&a ", "*a ", "<<: *a\n", "!!python/name:os.system ", "!tag ", "!!str ", "!!binary "),
    *("[", "]", "{", "}", ", ", ": ", "\n", "\n  ", "- ", "? ", "'", '"', "|\n  ", "#"),
    *("\u202etaerht", "yes", "~", "1e999", "-.inf", "0x1F", "\t", "\\", "%YAML 1.1\n"),
]
front_matter = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)

FEED_DATES = [
    "Fri, 31 Dec 9999 10:00:00 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "2033-05-14T10:00:00Z",
    "Tue, 30 Feb 2033 10:00:00 +9900", "not a date", "", "Wed, 14 May 2033 08:00:00 +0000",
]  # fmt: skip
TEXT_PIECES = [
    *("Tarvos", "Quellin", "said", "yesterday", "next year", "the 13th", ".", ",", " "),
    *("&#x202e;", "&#8238;", "&#0;", "&#xD800;", "&amp;", "&lt;b&gt;", "<b>", "</b>", "]]>"),
    *("\u202e", "\u2066", "\u200b", '"', "\u201c", "\u201d", "9999", "0000"),
]
feed_text = st.lists(st.sampled_from(TEXT_PIECES), max_size=30).map("".join)
feed_item = st.tuples(feed_text, st.sampled_from(FEED_DATES), feed_text)


def _check(docs: list[Document]) -> None:
    for doc in docs:
        fields = [doc.id, doc.path, doc.headline or "", *doc.paragraphs, *doc.captions]
        shown = json.dumps(fields, ensure_ascii=False)
        shown.encode("utf-8")  # no lone surrogate anywhere
        assert not HIDDEN & set(shown)
        assert doc.published is None or "1900" <= doc.published[:4] <= "2200"
        extract_document(doc, CTX)  # extraction survives what ingest lets through


def _read(path: Path) -> list[Document]:
    try:
        return read_file(path, 1_000_000)
    except IngestError as exc:
        assert exc.reason
        return []


@SETTINGS
@given(front=front_matter, suffix=st.sampled_from([".txt", ".md"]))
def test_any_front_matter_is_read_or_refused(front: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"article{suffix}"
        path.write_text(f"---\n{front}\n---\nFishing talks resume\n\n{BODY}", encoding="utf-8")
        _check(_read(path))


@SETTINGS
@given(items=st.lists(feed_item, min_size=1, max_size=4), title=feed_text)
def test_any_feed_is_read_or_refused(items: list[tuple[str, str, str]], title: str) -> None:
    entries = "".join(
        f"<item><title>{head}</title><pubDate>{date}</pubDate>"
        f"<description>{text} {BODY}</description></item>"
        for head, date, text in items
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.rss"
        path.write_text(feed + "</channel></rss>", encoding="utf-8")
        _check(_read(path))


name_bytes = st.binary(min_size=1, max_size=40).filter(
    lambda b: b"/" not in b and b"\0" not in b and not b.startswith(b".")
)


@SETTINGS
@given(names=st.lists(name_bytes, min_size=1, max_size=4, unique=True))
def test_any_file_name_is_read_and_shown_safely(names: list[bytes]) -> None:
    skipped: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            with open(os.path.join(os.fsencode(folder), name + b".txt"), "wb") as handle:
                handle.write(f"Fishing talks resume\n\n{BODY}".encode())
        docs = list(
            read_documents([folder], Path(folder), 1_000_000, lambda p, r: skipped.append((p, r)))
        )
    assert skipped == []
    assert len(docs) == len(names)
    _check(docs)
    for doc in docs:
        for name in (doc.path, doc.id):
            # Nothing that breaks a line, forges, reorders or cannot be encoded; private-use
            # and unassigned characters are only shown as they are.
            assert not [c for c in name if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")]
            assert not BIDI & set(name)
