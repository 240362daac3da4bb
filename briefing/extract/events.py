"""Dated events: every sentence that names a date, explicit or relative, becomes an event of
that date, described by the sentence (cut around the date when it is long).

Dates are found and resolved by briefing/extract/dates.py against the anchor (the article's
own date, else the story's); an event is `inferred` when its date needed an inferred anchor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..models import Document, Event
from .dates import Mention, Reader, is_dateline, tables
from .textkeys import content_words, jaccard
from .textunits import body_sentences, caption_sentences

# A hostile file can hold thousands of dates; the timeline needs a handful per article.
MAX_EVENTS_PER_DOC = 100
MAX_EVENT_CHARS = 240
# Events of one date compared word by word with at most this many earlier ones (keeps the
# merge linear when thousands of articles report the same day).
MAX_COMPARED_PER_DATE = 30
SAME_EVENT_JACCARD = 0.6
_DATE_KEY = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _units(doc: Document) -> Iterator[str]:
    """The document's text in reading order: headline, subheads, body, captions."""
    if doc.headline:
        yield doc.headline
    yield from doc.subheadlines
    for sentence in body_sentences(doc):
        yield sentence.text
    for sentence in caption_sentences(doc):
        yield sentence.text


def _event_text(sentence: str, mention: Mention) -> str:
    """The sentence, or about `max_event_words` words of it around the date."""
    limit = tables().max_event_words
    if sentence.count(" ") < limit and len(sentence) <= MAX_EVENT_CHARS:
        return " ".join(sentence.split())  # short enough as it is (the common case)
    words = sentence.split()
    if len(words) > limit:
        at = len(sentence[: mention.start].split())  # the date's word
        first = max(0, min(at - limit // 3, len(words) - limit))
        last = first + limit
        text = " ".join(words[first:last])
        text = ("… " if first else "") + text + (" …" if last < len(words) else "")
    else:
        text = " ".join(words)
    if len(text) > MAX_EVENT_CHARS:
        text = text[: MAX_EVENT_CHARS - 1] + "…"
    return text


def extract_events(doc: Document, anchor: dt.date, inferred: bool) -> list[Event]:
    reader = Reader(anchor)
    events: list[Event] = []
    seen: set[tuple[str, str]] = set()
    for sentence in _units(doc):
        mentions = reader.read(sentence)
        if not mentions or is_dateline(sentence, mentions):
            continue
        for mention in mentions:
            text = _event_text(sentence, mention)
            if (mention.date, text) in seen:
                continue
            seen.add((mention.date, text))
            events.append(Event(mention.date, text, [doc.id], inferred and mention.relative))
            if len(events) >= MAX_EVENTS_PER_DOC:
                return events
    return events


def date_sort_key(date: str) -> tuple[int, int, int]:
    """A bare year sorts before its months, a month before its days."""
    match = _DATE_KEY.match(date)
    if match is None:
        return (0, 0, 0)
    year, month, day = match.groups()
    return (int(year), int(month or 0), int(day or 0))


def _add_docs(target: Event, source: Event) -> None:
    for doc in source.docs:
        if doc not in target.docs:
            target.docs.append(doc)
    target.inferred = target.inferred and source.inferred


def merge_events(events: list[Event]) -> list[Event]:
    """One event per date and wording: exact keys first (date + leading content words), then
    word overlap with a bounded number of earlier events of the same date. Oldest first."""
    by_key: dict[tuple[str, tuple[str, ...]], Event] = {}
    by_date: dict[str, list[tuple[frozenset[str], Event]]] = {}
    merged: list[Event] = []
    for event in events:
        words = content_words(event.text)
        key = (event.date, tuple(words[:8]))
        if key in by_key:
            _add_docs(by_key[key], event)
            continue
        word_set = frozenset(words)
        same_day = by_date.setdefault(event.date, [])
        twin = next(
            (
                other
                for other_words, other in same_day[:MAX_COMPARED_PER_DATE]
                if jaccard(word_set, other_words) >= SAME_EVENT_JACCARD
            ),
            None,
        )
        if twin is not None:
            _add_docs(twin, event)
            by_key[key] = twin
            continue
        copy = Event(event.date, event.text, list(dict.fromkeys(event.docs)), event.inferred)
        by_key[key] = copy
        same_day.append((word_set, copy))
        merged.append(copy)
    merged.sort(key=lambda e: date_sort_key(e.date))
    return merged
