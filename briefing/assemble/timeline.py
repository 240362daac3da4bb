"""The timeline: one item per event, told by its sentence cut around its date."""

from __future__ import annotations

import re
from collections import defaultdict

from ..models import BriefItem, Event
from .cite import Citer, Draft
from .clipping import DASHES, clip_end, ends_clause, undateline, with_ellipsis
from .text import dedupe_key

_DATE_PARTS = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def date_key(date: str) -> tuple[int, int, int]:
    """Sort key of a YYYY, YYYY-MM or YYYY-MM-DD date; a bare year sorts before its months."""
    match = _DATE_PARTS.match(date)
    if not match:
        return (0, 0, 0)
    year, month, day = match.groups()
    return (int(year), int(month or 0), int(day or 0))


def timeline_items(events: list[Event], citer: Citer) -> list[BriefItem]:
    return [citer.draft_item(draft) for draft in timeline_drafts(events, citer)]


def timeline_drafts(events: list[Event], citer: Citer) -> list[Draft]:
    """One item per event, however many sources and dates report it, each told by its
    sentence cut around its date (see `_event_text`).

    Events with the same opening words are one event (a sentence naming two years gives two
    events of the same text: the first date found stands). Among equals the more recent
    events rank higher: a brief is about now, background comes second.
    """
    limit = citer.rules.max_words["event"]
    groups: dict[str, list[tuple[Event, str]]] = defaultdict(list)
    for event in events:
        dateline = citer.dateline(event.docs[0]) if event.docs else ""
        text = _event_text(event, limit, dateline)
        groups[dedupe_key(text, 8)].append((event, text))
    dates = sorted({date_key(group[0][0].date) for group in groups.values()})
    recency = {d: i / max(1, len(dates) - 1) for i, d in enumerate(dates)}
    drafts = []
    for group in groups.values():
        first, text = group[0]
        # (an event alone in its group lends its list: a day of news's lists hold millions)
        docs = first.docs if len(group) == 1 else [d for e, _ in group for d in e.docs]
        inferred = all(e.inferred for e, _ in group)
        score = 1.0 - 0.2 * inferred + 0.15 * recency[date_key(first.date)]
        fields = {"date": first.date, "inferred": inferred}
        drafts.append(Draft(text, docs, score, "event", shaped=True, fields=fields))
    return drafts


_TOKEN = re.compile(r"\S+")


def _event_text(event: Event, limit: int, dateline: str) -> str:
    """The event's sentence, at most `limit` words, holding the date where it can: from the
    sentence's start or from a clause start, ending at a clause's end near the limit, and
    without the `dateline` of its article. The extractor gives the sentence and where the
    date is in it; an event without its sentence (read back from JSON) shows its text from
    its start, cut where it was cut."""
    if not event.sentence:
        text = " ".join(event.text.split())
        shown = undateline(text.strip("… "), dateline).split(" ")
        return _window(shown, (0, 0), limit, text.startswith("…"), text.endswith("…"))
    tokens = list(_TOKEN.finditer(event.sentence))
    skip = len(dateline.split())
    if not skip or [token.group() for token in tokens[:skip]] != dateline.split():
        skip = 0
    words: list[str] = []
    low, high = -1, -1
    for token in tokens[skip:]:
        if token.start() < event.date_end and token.end() > event.date_start:
            low, high = (len(words) if low < 0 else low), len(words)
        words.append(token.group())
    # Of a very long sentence the extractor keeps the words around the date, "…" where cut.
    cut_start, cut_end = words[:1] == ["…"], len(words) > 1 and words[-1] == "…"
    words = words[cut_start : len(words) - cut_end]
    # A date in the dateline is not shown: the sentence from its start then.
    anchor = (low - cut_start, high - cut_start) if low >= 0 else (0, 0)
    return _window(words, anchor, limit, cut_start, cut_end)


def _window(
    words: list[str], anchor: tuple[int, int], limit: int, cut_start: bool, cut_end: bool
) -> str:
    """At most `limit` of `words`, holding the `anchor` words: from the earliest clause start
    (the sentence's start unless `cut_start`) whose `limit` words reach past the anchor,
    else from a third of the limit before the anchor (or `limit` words before the end); cut
    at a clause end near the limit. A clause start leaving fewer than half the limit's words
    ("… Norland, in May") is no start. "…" marks where words are left out."""
    low, high = anchor
    starts = [0] if not cut_start else []
    starts += [
        i
        for i in range(1, min(low, len(words) - limit // 2) + 1)
        if ends_clause(words[i - 1]) or words[i - 1] in DASHES
    ]
    reaching = [s for s in starts if s + limit > high]
    # With no clause start in reach, from inside a clause: the date is what the event is about.
    start = reaching[0] if reaching else max(0, min(low - limit // 3, len(words) - limit))
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
