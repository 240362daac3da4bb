"""RSS and Atom feeds: one Document per item, read by feedparser (imported only for feeds).

A feed that declares entities or an internal DTD is refused before any parser sees it, so a
billion-laughs file costs one string search, not the machine's memory.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ..errors import IngestError
from .article import Article, analyse
from .dates import plausible_iso
from .html import clean_title, fragment_lines
from .metadata import clean_name

_PROLOG_CHARS = 65_536


@dataclass
class FeedItem:
    number: int  # 1-based position in the feed
    article: Article


def refuse_entities(text: str, path: str) -> None:
    """IngestError for XML that declares entities or an internal DTD subset."""
    lowered = text.lower()
    if "<!entity" in lowered:
        raise IngestError(path, "feed declares XML entities (refused: entity expansion attack)")
    doctype = lowered.find("<!doctype", 0, _PROLOG_CHARS)
    if doctype >= 0:
        close = lowered.find(">", doctype)
        subset = lowered.find("[", doctype, close if close >= 0 else len(lowered))
        if subset >= 0:
            raise IngestError(path, "feed has an internal DTD (refused: entity expansion attack)")


def read_feed(data: bytes, text: str, path: str) -> list[FeedItem]:
    refuse_entities(text, path)
    import feedparser

    # A stream, never a string: feedparser fetches strings that look like addresses.
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        raise IngestError(path, "no feed items (not an RSS or Atom feed?)")
    publisher = clean_name(parsed.feed.get("title", "") or "")
    items = []
    for number, entry in enumerate(entries, start=1):
        article = _entry_article(entry, publisher)
        if article.paragraphs:
            items.append(FeedItem(number, article))
    if not items:
        raise IngestError(path, "no feed item has article text")
    return items


def _entry_article(entry: Any, publisher: str | None) -> Article:
    content = entry.get("content") or []
    markup = content[0].get("value", "") if content else entry.get("summary", "")
    title = clean_title(entry.get("title"))
    article = analyse(fragment_lines(markup or ""), detect_headline=False, title=title)
    link = entry.get("link") or ""
    source = entry.get("source") or {}
    article.url = link if link.startswith(("http://", "https://")) else article.url
    article.publisher = clean_name(source.get("title", "") or "") or publisher or article.publisher
    article.byline = clean_name(entry.get("author", "") or "") or article.byline
    article.published = _entry_date(entry) or article.published
    return article


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            iso = plausible_iso(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            if iso:
                return iso
    return None
