"""Dated events: every sentence that names a date, explicit or relative, becomes an event of
that date, described by the sentence (cut around the date when it is long).

Dates are found and resolved by briefing/extract/dates.py against the anchor (the article's
own date, else the story's); an event is `inferred` when its date needed an inferred anchor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from collections.abc import Iterator

from ..models import Event
from .dates import Mention, Reader, is_dateline, tables
from .parsed import ParsedDocument
from .textkeys import (
    REMEMBERED_KEYS,
    KeptWords,
    Mentions,
    Numbering,
    RecentKeys,
    WordSet,
    content_words,
)
from .textunits import Unit

# A hostile file can hold thousands of dates; the timeline needs a handful per article.
MAX_EVENTS_PER_DOC = 100
MAX_EVENT_CHARS = 240
# An event keeps its whole sentence up to this length; of a longer one (broken or hostile
# text) it keeps the words within SENTENCE_REACH characters of the date.
MAX_SENTENCE_CHARS = 2000
SENTENCE_REACH = 600
# Events of one date compared word by word with at most this many earlier ones (keeps the
# merge linear when thousands of articles report the same day).
MAX_COMPARED_PER_DATE = 30
# Merged events kept for the whole corpus (the timeline shows about ten).
MAX_MERGED = 500
SAME_EVENT_JACCARD = 0.6
_DATE_KEY = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


_Line = tuple[str, Unit | None]


def _units(parsed: ParsedDocument) -> Iterator[_Line]:
    """The document's text in reading order: headline, subheads, body, captions; each body
    sentence with its unit from the shared split (its words, already read)."""
    doc = parsed.doc
    if doc.headline:
        yield doc.headline, None
    for line in doc.subheadlines:
        yield line, None
    for unit in parsed.units:
        yield unit.text, unit
    for sentence in parsed.captions:
        yield sentence.text, None


def _event_text(sentence: str, mention: Mention) -> str:
    """About `max_event_words` words of a long sentence around the date. Only a window of
    the sentence is read, so that a hostile megabyte-long "sentence" costs no more."""
    limit = tables().max_event_words
    lo = max(0, mention.start - 12 * limit)
    hi = min(len(sentence), mention.end + 16 * limit)
    before = sentence[lo : mention.start].split()
    after = sentence[mention.start : hi].split()
    if lo > 0 and before:
        before = before[1:]  # maybe cut in the middle of a word
    if hi < len(sentence) and after:
        after = after[:-1]
    take_before = min(len(before), max(limit // 3, limit - len(after)))
    words = before[len(before) - take_before :] + after[: limit - take_before]
    text = " ".join(words)
    if take_before < len(before) or lo > 0:
        text = "… " + text
    if limit - take_before < len(after) or hi < len(sentence):
        text += " …"
    if len(text) > MAX_EVENT_CHARS:
        text = text[: MAX_EVENT_CHARS - 1] + "…"
    return text


def _sentence_around(sentence: str, mention: Mention) -> tuple[str, int, int]:
    """The sentence the event shows, and where its date is in it: the whole sentence, or of
    a very long one the words around the date, with "…" where it is cut."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence, mention.start, mention.end
    lo, hi = mention.start - SENTENCE_REACH, mention.end + SENTENCE_REACH
    if lo > 0:  # from a space, not in the middle of a word
        space = sentence.find(" ", lo, mention.start)
        lo = space + 1 if space >= 0 else mention.start
    if hi < len(sentence):
        space = sentence.rfind(" ", mention.end, hi)
        hi = space if space >= 0 else mention.end
    lo, hi = max(lo, 0), min(hi, len(sentence))
    before = "… " if lo > 0 else ""
    window = before + sentence[lo:hi] + (" …" if hi < len(sentence) else "")
    shift = len(before) - lo
    return window, mention.start + shift, mention.end + shift


def extract_events(parsed: ParsedDocument, anchor: dt.date, inferred: bool) -> list[Event]:
    """The dated events of the document, relative dates resolved against `anchor`
    (`inferred`: the anchor is not the article's own date)."""
    doc_id = parsed.doc.id
    reader = Reader(anchor)
    events: list[Event] = []
    seen: set[tuple[str, str]] = set()
    limit = tables().max_event_words
    for sentence, unit in _units(parsed):
        mentions = reader.read(sentence, unit)
        if not mentions or is_dateline(sentence, mentions):
            continue
        short = len(sentence) <= MAX_EVENT_CHARS and sentence.count(" ") < limit
        whole = " ".join(sentence.split()) if short else ""
        dated: set[str] = set()
        for mention in mentions:
            if mention.date in dated:
                continue  # "March 12 ... on Wednesday": one event of that day per sentence
            dated.add(mention.date)
            text = whole or _event_text(sentence, mention)
            if (mention.date, text) in seen:
                continue
            seen.add((mention.date, text))
            relative = inferred and mention.relative
            around, start, end = _sentence_around(sentence, mention)
            events.append(Event(mention.date, text, [doc_id], relative, around, start, end))
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


def merge_events(events: list[Event]) -> list[Event]:
    """One event per date and wording: exact keys first (date + leading content words), then
    word overlap with a bounded number of earlier events of the same date. Oldest first;
    past `MAX_MERGED` events, those reported by the fewest documents are dropped."""
    merging = EventMerge(capacity=None)
    for event in events:
        merging.add(event, content_words(event.text))
    return merging.result()


def _kept(event: Event) -> Event:
    """A copy of `event` (without its documents) as a merge keeps it: its date a shared
    string, and its sentence its text when they are the same (most are: at 30,000 articles,
    7,273 merged events held 248 distinct dates, and 5,642 a sentence equal to their text,
    each a string of its own once unpickled)."""
    sentence = event.text if event.sentence == event.text else event.sentence
    return dataclasses.replace(event, date=sys.intern(event.date), docs=[], sentence=sentence)


class EventMerge:
    """merge_events as a stream, fed one event (and its content words) at a time. With a
    `capacity`, past twice that many events those reported by the fewest documents so far
    go (the result keeps the best-reported MAX_MERGED anyway)."""

    def __init__(
        self, capacity: int | None, ordered: bool = False, numbering: Numbering | None = None
    ) -> None:
        self.capacity = capacity
        # Events come in document order (a corpus merge): see textkeys.Mentions.
        self.ordered = ordered
        # (a corpus merge's is shared by its three merges: extract.Merge)
        self.numbering = numbering if numbering is not None else Numbering(ordered)
        # An event's exact key (date + leading content words) -> its merged event. Known by its
        # hash, not kept, and the last REMEMBERED_KEYS of them only (see textkeys.RecentKeys):
        # each report of a widely reported event has its own wording.
        self.by_key = RecentKeys(REMEMBERED_KEYS if capacity is not None else None)
        # The first MAX_COMPARED_PER_DATE events of each date (the only ones compared), by
        # date and numbers: only events with the same numbers can be near duplicates
        # (near_duplicates), so an event is compared with those alone, in the same order.
        self.compared: dict[tuple[str, frozenset[str]], list[tuple[KeptWords, int]]] = {}
        self.per_date: dict[str, int] = {}  # how many events of each date are in `compared`
        self.merged: dict[int, Event] = {}  # their documents are in `mentions` until result()
        self.mentions: dict[int, Mentions] = {}
        self.count = 0

    def add(self, event: Event, words: list[str], numbers: frozenset[str] | None = None) -> None:
        """Merge `event`, whose content words are `words` (and the numbers among them, when
        known)."""
        key = hash((event.date, tuple(words[:8])))
        index = self.by_key.get(key)
        if index is not None and index not in self.merged:  # evicted since
            index = None
        if index is None:
            word_set = WordSet(frozenset(words), numbers)
            compared = (event.date, word_set.numbers)
            index = None
            for other_words, other in self.compared.get(compared, ()):
                if word_set.near(other_words, SAME_EVENT_JACCARD) and other in self.merged:
                    index = other
                    break
            if index is None:
                index = self.count
                self.count += 1
                self.merged[index] = _kept(event)
                self.mentions[index] = Mentions(self.ordered)
                stored = self.per_date.get(event.date, 0)
                if stored < MAX_COMPARED_PER_DATE:
                    self.compared.setdefault(compared, []).append((word_set.kept(), index))
                    self.per_date[event.date] = stored + 1
            self.by_key.put(key, index)
        target = self.merged[index]
        target.inferred = target.inferred and event.inferred
        self.mentions[index].add_all(event.docs, self.numbering)
        if self.capacity is not None and len(self.merged) > 2 * self.capacity:
            self._evict(self.capacity)

    def _best(self, keep: int) -> list[int]:
        """The indices of the `keep` events reported by the most documents (first ones on a
        tie), in order."""
        if len(self.merged) <= keep:
            return list(self.merged)
        by_support = sorted(self.merged, key=lambda i: (-len(self.mentions[i]), i))
        return sorted(by_support[:keep])

    def _evict(self, keep: int) -> None:
        kept = set(self._best(keep))
        for index in [i for i in self.merged if i not in kept]:
            del self.merged[index]
            del self.mentions[index]

    def result(self) -> list[Event]:
        merged = [
            dataclasses.replace(self.merged[i], docs=self.mentions[i].named(self.numbering))
            for i in self._best(MAX_MERGED)
        ]
        merged.sort(key=lambda e: date_sort_key(e.date))
        return merged
