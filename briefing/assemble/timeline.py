"""The timeline: one item per event, told by its sentence cut around its date."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict

from ..models import BriefItem, Event, Extraction
from .cite import Citer
from .clipping import DASHES, bare_word, clip_end, ends_clause, undateline, with_ellipsis
from .rules import Rules
from .text import dedupe_key

_DATE_PARTS = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def date_key(date: str) -> tuple[int, int, int]:
    """Sort key of a YYYY, YYYY-MM or YYYY-MM-DD date; a bare year sorts before its months."""
    match = _DATE_PARTS.match(date)
    if not match:
        return (0, 0, 0)
    year, month, day = match.groups()
    return (int(year), int(month or 0), int(day or 0))


def timeline_items(events: list[Event], citer: Citer, sentences: Sentences) -> list[BriefItem]:
    """One item per event, however many sources and dates report it, each told by its
    sentence cut around its date (see `_event_text`).

    Events with the same opening words are one event (a sentence naming two years gives two
    events of the same text: the first date found stands). Among equals the more recent
    events rank higher: a brief is about now, background comes second.
    """
    limit = citer.rules.max_words["event"]
    groups: dict[str, list[tuple[Event, str]]] = defaultdict(list)
    for event in events:
        text = _event_text(event, sentences, limit, citer.rules)
        groups[dedupe_key(text, 8)].append((event, text))
    dates = sorted({date_key(group[0][0].date) for group in groups.values()})
    recency = {d: i / max(1, len(dates) - 1) for i, d in enumerate(dates)}
    items = []
    for group in groups.values():
        first, text = group[0]
        docs = [d for e, _ in group for d in e.docs]
        inferred = all(e.inferred for e, _ in group)
        score = 1.0 - 0.2 * inferred + 0.15 * recency[date_key(first.date)]
        items.append(
            citer.item(text, docs, score, "event", shaped=True, date=first.date, inferred=inferred)
        )
    return items


class Sentences:
    """The whole sentences the sources hold (facts and reactions), by document: an event's
    text, cut around its date by the extractor, is looked up among them."""

    # Sentences of one document searched: enough for the facts kept of a long article.
    PER_DOC = 200
    # Documents of one event searched: the first few that report it.
    DOCS = 4

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self._by_doc: dict[str, list[str]] | None = None

    def by_doc(self) -> dict[str, list[str]]:
        if self._by_doc is None:  # built at the first cut event only
            by_doc: dict[str, list[str]] = defaultdict(list)
            for fact in self.extraction.facts:
                for doc in fact.docs:
                    by_doc[doc].append(" ".join(fact.text.split()))
            for reaction in self.extraction.reactions:
                by_doc[reaction.doc].append(" ".join(reaction.text.split()))
            self._by_doc = by_doc
        return self._by_doc

    def find(self, fragment: str, docs: list[str]) -> tuple[str, int] | None:
        """The sentence holding `fragment`, and where in it the fragment starts."""
        by_doc = self.by_doc()
        for doc in docs[: self.DOCS]:
            for sentence in by_doc.get(doc, [])[: self.PER_DOC]:
                at = sentence.find(fragment)
                if at >= 0:
                    return sentence, at
        return None


def _event_text(event: Event, sentences: Sentences, limit: int, rules: Rules) -> str:
    """The event's sentence, at most `limit` words, holding the date where it can.

    An extractor's text cut at its start ("… and Valmark signed a pact on Monday ...") is
    replaced by its whole sentence when a fact or reaction holds it; the part shown then
    starts at the sentence's start or at a clause start, and ends at a clause's end where
    one is near the limit. A text whose sentence is not found is cut at a clause start
    inside it, or left as it starts, with "…", when the date comes before any."""
    text = " ".join(event.text.split())
    left_cut, right_cut = text.startswith("…"), text.endswith("…")
    fragment = text.strip("… ")
    found = sentences.find(fragment, event.docs) if fragment and (left_cut or right_cut) else None
    if found:
        sentence, at = found
        words = sentence.split(" ")
        first = sentence.count(" ", 0, at)
        dateline = rules.dateline.match(sentence[:400])
        skip = sentence.count(" ", 0, dateline.end()) if dateline else 0
        words, first = words[skip:], max(0, first - skip)
        last = min(len(words), first + len(fragment.split(" ")))
        cut_start, cut_end = False, False
    else:
        words = undateline(fragment, rules).split(" ")
        first, last = 0, len(words)
        cut_start, cut_end = left_cut, right_cut
    anchor = _date_anchor(words, first, last, event.date, rules)
    return _window(words, anchor, limit, cut_start, cut_end)


def _date_anchor(
    words: list[str], first: int, last: int, date: str, rules: Rules
) -> tuple[int, int]:
    """The words of `words[first:last]` that name the date: those naming its day ("June 19",
    "the 19th", "Monday") before those naming its month or year only, and the nearest to
    where the extractor puts a date (a third into its text); that third when none does."""
    expected = first + (last - first) // 3
    names, day_names, days = _date_names(date, rules)
    months = {*rules.months, *rules.month_abbreviations}
    strength: dict[int, int] = {}
    for index in range(first, last):
        word = bare_word(words[index])
        if word in day_names:
            strength[index] = 2
        elif word in names:
            strength[index] = 1
        elif word in days:  # "19" only beside a month: "June 19", "19 June"
            beside = {bare_word(w) for w in words[max(0, index - 1) : index + 2]}
            if beside & months:
                strength[index] = 2
    if not strength:
        return expected, expected
    best = max(strength, key=lambda index: (strength[index], -abs(index - expected)))
    low, high = best, best
    while low - 1 in strength:  # the whole date: "June 19, 2024"
        low -= 1
    while high + 1 in strength:
        high += 1
    return low, high


def _date_names(date: str, rules: Rules) -> tuple[set[str], set[str], set[str]]:
    """Words naming the date's month or year; its day ("monday", "19th"); its bare day
    number ("19")."""
    match = _DATE_PARTS.match(date)
    if not match:
        return set(), set(), set()
    year, month, day = match.groups()
    names = {year}
    if month and 1 <= int(month) <= 12:
        names.update({rules.months[int(month) - 1], rules.month_abbreviations[int(month) - 1]})
    day_names: set[str] = set()
    days: set[str] = set()
    if month and day:
        with contextlib.suppress(ValueError):
            weekday = dt.date(int(year), int(month), int(day)).weekday()
            number = int(day)
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number // 10 != 1 else 0, "th")
            day_names.update({rules.weekdays[weekday], f"{number}{suffix}"})
            days.add(str(number))
    return names, day_names, days


def _window(
    words: list[str], anchor: tuple[int, int], limit: int, cut_start: bool, cut_end: bool
) -> str:
    """At most `limit` of `words`, holding the `anchor` words where a clause start allows:
    from the earliest clause start (the sentence's start unless `cut_start`) whose `limit`
    words reach past the anchor, else from the last clause start before it; cut at a clause
    end near the limit. A clause start leaving fewer than half the limit's words ("…
    Norland, in May") is no start. "…" marks where words are left out."""
    low, high = anchor
    starts = [0] if not cut_start else []
    starts += [
        i
        for i in range(1, min(low, len(words) - limit // 2) + 1)
        if ends_clause(words[i - 1]) or words[i - 1] in DASHES
    ]
    reaching = [s for s in starts if s + limit > high]
    start = reaching[0] if reaching else (starts[-1] if starts else 0)
    shown = words[start:]
    floor = high - start + 1 if 0 <= high - start < limit else 1  # the date stays
    end = len(shown)
    if end > limit or cut_end:
        end = clip_end(shown, min(end, limit), floor)
    text = " ".join(shown[:end])
    text = with_ellipsis(text) if end < len(shown) or cut_end else text
    if start > 0 or cut_start:
        text = "… " + text.lstrip(",;:–—- ")
    return text
