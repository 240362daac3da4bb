"""The source list: every article numbered in input order, and how often the brief cites it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..models import BriefItem, BriefSection, BriefSource, Extraction, SourceList, set_cited
from .cite import document_fields
from .clipping import clip, short_name
from .rules import Rules

_SAFE_URL = re.compile(r"https?://[^\s<>\"']{1,2000}", re.IGNORECASE)


FIRST_WORDS = 10  # words of the text that name a source without a headline


def _first_words(first: str | None) -> str:
    """A source with no headline is named by the first words of its text (clipped with an
    ellipsis), never by its file name, which says nothing to a reader."""
    text = first or ""
    return clip(text, FIRST_WORDS) if text.strip() else "(untitled)"


def source_list(
    extraction: Extraction, rules: Rules, ids: Sequence[str] | None = None
) -> SourceList:
    sources = SourceList(expected=len(extraction.documents))
    # One string of each publisher and date (a day of news has a few hundred of each), and
    # of each id, the one the citer holds (`ids`, by number), when it is given.
    shared: dict[str | None, str | None] = {}
    # Only the first paragraph of the text is read, and only of a source without a headline.
    rows = document_fields(extraction.documents, "id", "headline", "publisher", "published", "url")
    for number, (doc, headline, publisher, published, url) in enumerate(rows, start=1):
        url = url if url and _SAFE_URL.fullmatch(url.strip()) else None
        shown = (headline or "").strip() or _first_words(_first_paragraph(extraction, number))
        name = short_name(publisher)
        sources.append(
            BriefSource(
                number=number,
                doc=ids[number - 1] if ids is not None else doc,
                headline=clip(shown, rules.max_words.get("headline")),
                publisher=shared.setdefault(name, name),
                date=shared.setdefault(published, published),
                url=url.strip() if url else None,
            )
        )
    return sources


def _first_paragraph(extraction: Extraction, number: int) -> str | None:
    paragraphs = extraction.documents[number - 1].paragraphs
    return paragraphs[0] if paragraphs else None


def count_citations(sections: list[BriefSection], sources: Sequence[BriefSource]) -> None:
    counts: Counter[int] = Counter()
    for section in sections:
        for shown in section.items:
            item: BriefItem | None = shown  # the item, then the other side of its dispute
            while item is not None:
                counts.update(item.sources)
                for part in item.parts:  # a line of parts cites through them
                    counts.update(part.sources)
                item = item.counterpoint
    set_cited(sources, counts)
