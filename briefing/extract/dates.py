"""Find date expressions in a sentence and resolve them to YYYY, YYYY-MM or YYYY-MM-DD.

Explicit dates ("June 19, 2024", "19 June", "June 2024", "in 1987", "2024-06-19") and
relative ones ("on the 19th", "Wednesday", "the day before", "last September", "nine months
ago", "the first visit in 24 years": this year) are resolved against an anchor (the
article's date, else the story's), as precisely as the text allows. Word tables:
briefing/rules/dates.yaml, loaded by datetables.py; the calendar arithmetic is datemath.py.

How, and why so: one regex alternation of every date form reads only ~0.5 MB/s here (the
whole extraction must reach 2 MB/s). So a sentence is first split into tokens and looked up
in a table of trigger words (months, weekdays, units, "today"...; set look-ups in C) and
scanned for digits; only at those triggers do small anchored patterns run, and the words
before a trigger ("last", "on the", "in") are read by looking back. Every repetition is
bounded, so hostile text stays linear.

dateparser is not used: its `search_dates` reads the samples at about 0.04 MB/s, `parse`
costs about 1 ms per phrase, and it misses forms the briefs need ("last September", "the
day before") or makes them too precise ("June 2024" becomes a day).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .datemath import (
    DAY,
    DAYS_IN_MONTH,
    MONTH,
    YEAR,
    add_days,
    add_months,
    count_back,
    render,
    safe_date,
    shift,
)
from .datetables import (
    DIGITS,
    GAP_RX,
    MONTH_NAME,
    ORDINAL_RX,
    WEEKDAY,
    YEAR_RX,
    Tables,
    tables,
)
from .textkeys import has_digit, words_in
from .textunits import Unit

# Bounds for hostile text (a "sentence" of a million dates): real sentences stay far below.
MAX_MENTIONS_PER_SENTENCE = 24
MAX_TRIGGERS_PER_SENTENCE = 400
# "18th and 19th", "18-19th", "18th to the 19th": the second day of a range
_DAY_RANGE = rf"[ \t]{{0,2}}(?:-|–|~|&|(?i:to|and))[ \t]{{0,2}}(?:(?i:the){GAP_RX})?[1-3]?\d"
_DIGIT_RUN = re.compile(r"[0-9][0-9]{0,11}")  # a class first: the engine skips to digits
_NEXT_WORD = re.compile(r"[ \t\u00a0]{0,3}([\w%]{1,20})")
# The word before a position, read on the reversed text so that the match is anchored (a
# search for "word$" would try every start in the window).
_PREV_WORD_REVERSED = re.compile(r"(?:[ \t\u00a0]{1,3}|-(?=[a-z]))([A-Za-z'’-]{1,30})")
_PREV_TOKEN_REVERSED = re.compile(r"[ \t\u00a0]{1,3}(\S{1,12})")
_ISO_AT = re.compile(
    rf"(?P<y>{YEAR_RX})(?P<sep>[-./])(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01])(?!\w)"
)
_ORDINAL_AT = re.compile(
    rf"[1-3]?\d(?:{ORDINAL_RX}(?:{_DAY_RANGE}{ORDINAL_RX})?|{_DAY_RANGE}{ORDINAL_RX})\b"
)


# A tuple rather than a dataclass: thousands are made per megabyte, and a frozen dataclass
# costs three times as much to create. Made with tuple.__new__ (_new_mention): a
# NamedTuple's own __new__ runs interpreted, even compiled by mypyc.
class Mention(NamedTuple):
    """A date found in a sentence."""

    start: int
    end: int
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    relative: bool  # resolved against the anchor (or the last date named), not written out


_new_mention = tuple.__new__  # skips NamedTuple's __new__, which runs interpreted


class _Found:
    """What a parser read at a trigger: a date, or only words to skip (`day` is None).
    A class of its own, not a NamedTuple: compiled by mypyc, its __init__ is native code,
    where a NamedTuple's __new__ runs interpreted."""

    def __init__(
        self,
        start: int,
        end: int,
        day: dt.date | None = None,
        precision: str = DAY,
        relative: bool = True,
        gap: bool = False,  # "the first visit in 24 years": the anchor's year, the gap's end
    ) -> None:
        self.start = start
        self.end = end
        self.day = day
        self.precision = precision
        self.relative = relative
        self.gap = gap


# --- reading one sentence ------------------------------------------------------------------


def _prev_word(text: str, pos: int) -> tuple[int, str] | None:
    """The word right before `pos` (spaces or a hyphen between), lower-cased, and its start."""
    match = _PREV_WORD_REVERSED.match(text[max(0, pos - 36) : pos][::-1])
    if match is None:
        return None
    return pos - match.end(), match.group(1)[::-1].lower().strip("'’-")


def _prev_token(text: str, pos: int) -> str | None:
    """The whitespace-separated token before `pos`, lower-cased."""
    match = _PREV_TOKEN_REVERSED.match(text[max(0, pos - 16) : pos][::-1])
    return match.group(1)[::-1].lower() if match else None


def _occurrences(lowered: str, word: str) -> list[int]:
    """Start offsets of `word` as a whole word (letters on neither side)."""
    found, at = [], lowered.find(word)
    while at >= 0:
        before = lowered[at - 1] if at else " "
        after = lowered[at + len(word) : at + len(word) + 1] or " "
        if not before.isalpha() and not after.isalpha():
            found.append(at)
        at = lowered.find(word, at + len(word))
    return found


@dataclass
class Reader:
    """Reads the sentences of one document in order, remembering the last date named so that
    "that day" or "July of the same year" resolve against it."""

    anchor: dt.date
    context_day: dt.date | None = None
    context_year: int | None = None
    t: Tables = field(default_factory=tables)
    # (year, month) of the anchor's month and the months either side, for "on the 13th"
    _months_around: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        first = self.anchor.replace(day=1)
        self._months_around = [
            (d.year, d.month) for d in (add_months(first, -1), first, add_months(first, 1))
        ]

    def read(self, sentence: str, unit: Unit | None = None) -> list[Mention]:
        """The dates of `sentence`, in order; `unit`: its words, when the caller has them."""
        mentions: list[Mention] = []
        gaps: list[Mention] = []
        consumed = 0
        for pos, kind, word in self._triggers(sentence, unit):
            if pos < consumed:
                continue
            found = self._parse(sentence, pos, kind, word)
            if found is None:
                continue
            if found.start < consumed:  # its leading word was read already ("since")
                found.start = consumed  # (each parser returns a _Found of its own)
            consumed = found.end
            if found.day is not None and 1600 <= found.day.year <= self.anchor.year + 30:
                mention = self._remember(found)
                mentions.append(mention)
                if found.gap:
                    gaps.append(mention)
                if len(mentions) == MAX_MENTIONS_PER_SENTENCE:
                    break  # a list of dates, or a hostile text: the rest adds nothing
        return self._without_redundant_gaps(mentions, gaps) if gaps else mentions

    def _without_redundant_gaps(
        self, mentions: list[Mention], gaps: list[Mention]
    ) -> list[Mention]:
        """A gap's year says less than a date of the same year in its sentence ("arrived on
        Wednesday for his first visit in 24 years"): the gap is dropped then."""
        year = f"{self.anchor.year:04d}"
        dated = any(m.date.startswith(year) for m in mentions if m not in gaps)
        return [m for m in mentions if m not in gaps] if dated else mentions

    def _triggers(self, sentence: str, unit: Unit | None) -> list[tuple[int, str, str]]:
        lowered = sentence.lower() if unit is None else unit.lowered
        found = words_in(self.t.triggers, lowered.split() if unit is None else unit.words)
        triggers = [
            (pos, self.t.trigger_kinds[word], word)
            for word in found
            for pos in _occurrences(lowered, word)
        ]
        if has_digit(sentence):
            triggers.extend([(m.start(), DIGITS, m.group()) for m in _DIGIT_RUN.finditer(sentence)])
        if not triggers:
            return triggers
        triggers.sort()
        return triggers[:MAX_TRIGGERS_PER_SENTENCE]

    def _remember(self, found: _Found) -> Mention:
        assert found.day is not None
        if found.gap:
            return _new_mention(
                Mention, (found.start, found.end, render(found.day, found.precision), True)
            )
        if found.precision == DAY:
            self.context_day = found.day
        self.context_year = found.day.year
        date = render(found.day, found.precision)
        return _new_mention(Mention, (found.start, found.end, date, found.relative))

    def _parse(self, text: str, pos: int, kind: str, word: str) -> _Found | None:
        if kind == DIGITS:
            return self._digits(text, pos, word)
        if kind == MONTH_NAME:
            return self._month(text, pos) if text[pos].isupper() else None
        if kind == WEEKDAY:
            return self._weekday(text, pos) if text[pos].isupper() else None
        return self._phrase(text, pos, word) or self._counted(text, pos)

    def _future(self, text: str, start: int) -> bool:
        """Does the clause before the date speak of the future ("will visit on the 18th")?"""
        lo = max(0, start - 60)
        if not self.t.future_gate.keys() & text[lo:start].lower().split():
            return False  # no word of any cue: skip the (slower) cue regex
        return self.t.future_cue.search(text, lo, start) is not None

    # --- digits: 2024-06-19, 19 June, on the 19th, 24 years ago, 1987 ---------------------

    def _digits(self, text: str, pos: int, run: str) -> _Found | None:
        end = pos + len(run)
        skip = _Found(pos, end)
        if pos and (text[pos - 1].isalnum() or text[pos - 1] in "_.,:/"):
            return skip  # part of a code, a decimal or a time
        after = text[end : end + 1]
        if len(run) == 4:
            if after in ("-", ".", "/") and (iso := _ISO_AT.match(text, pos)):
                day = safe_date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
                return _Found(pos, iso.end(), day, DAY, False)
            return self._year(text, pos, run)
        if len(run) > 3 or after in (":", "."):
            return skip  # a long number, a time (2:22 a.m.), a decimal
        # What follows the number tells which form it may start.
        if len(run) <= 2 and (dm := self.t.day_month_at.match(text, pos)):
            month = self.t.months[dm["mon"].lower()]
            return self._month_date(text, pos, dm.end(), month, dm["d"], dm["y"], None, "")
        if len(run) <= 2 and (ordinal := _ORDINAL_AT.match(text, pos)):
            return self._ordinal(text, pos, ordinal.end(), int(run))
        if after in (" ", "-", "\t", "\u00a0") and (count := self.t.count_at.match(text, pos)):
            return self._count(text, count)
        return skip

    def _ordinal(self, text: str, pos: int, end: int, day_num: int) -> _Found | None:
        """ "on the 19th", "of the 18th and 19th", "on 18-19th"; not "the 19th century"."""
        following = _NEXT_WORD.match(text, end)
        if following and following.group(1).lower() in self.t.ordinal_blockers:
            return _Found(pos, end)
        before = _prev_word(text, pos)
        if before and before[1] == "the":
            before = _prev_word(text, before[0])
        if before is None or before[1] not in self.t.ordinal_prepositions:
            return _Found(pos, end)
        return _Found(before[0], end, self._day_of_month(text, pos, day_num), DAY, True)

    def _year(self, text: str, pos: int, run: str) -> _Found | None:
        end = pos + 4
        after = text[end : end + 2]
        if after[:1] in ("s", "%") or (after[:1] in ".," and after[1:2].isdigit()):
            return _Found(pos, end)  # the 1940s, 2000%, 2000.5
        following = _NEXT_WORD.match(text, end)
        if following and following.group(1).lower() in self.t.year_blockers:
            return _Found(pos, end)  # "2000 troops"
        previous = _prev_token(text, pos)
        if previous and previous.strip(".") in self.t.year_quantity_words:
            return _Found(pos, end)  # "about 2000", "No. 1987"
        if pos and text[pos - 1] in "$#€£¥₩":
            return _Found(pos, end)
        return _Found(pos, end, safe_date(int(run), 1, 1), YEAR, False)

    # --- month names: June 19, 2024 | last September | in February this year ------------

    def _month(self, text: str, pos: int) -> _Found | None:
        match = self.t.month_at.match(text, pos)
        if match is None:
            return None
        before = _prev_word(text, pos)
        pre = before[1] if before else ""
        known = self.t.month_prepositions | self.t.past_modifiers | self.t.future_modifiers
        if pre not in known:
            pre = ""
        if not (pre or match["d"] or match["y"] or match["rel"]):
            return _Found(pos, match.end())  # a lone capitalised "May" is too often no month
        start = before[0] if before and pre else pos
        month = self.t.months[match["mon"].lower()]
        return self._month_date(
            text, start, match.end(), month, match["d"], match["y"], match["rel"], pre
        )

    def _month_date(
        self,
        text: str,
        start: int,
        end: int,
        month: int,
        day_text: str | None,
        year_text: str | None,
        year_rel: str | None,
        pre: str,
    ) -> _Found:
        day_num = int(day_text) if day_text else None
        precision = DAY if day_num else MONTH
        if year_text:
            year, relative = int(year_text), False
        elif year_rel:
            year, relative = self._relative_year(" ".join(year_rel.lower().split())), True
        else:
            year, relative = self._year_of_month(text, start, month, day_num, pre), True
        return _Found(start, end, safe_date(year, month, day_num or 1), precision, relative)

    def _relative_year(self, phrase: str) -> int:
        if phrase == "last year":
            return self.anchor.year - 1
        if phrase == "next year":
            return self.anchor.year + 1
        if phrase == "the following year":
            return (self.context_year or self.anchor.year) + 1
        if phrase in ("the same year", "that year"):
            return self.context_year or self.anchor.year
        return self.anchor.year

    def _year_of_month(
        self, text: str, start: int, month: int, day_num: int | None, pre: str
    ) -> int:
        """The year of a month written without one, from its modifier or the tense."""
        year, this_month = self.anchor.year, self.anchor.month
        if pre in self.t.this_modifiers:
            return year
        if pre in self.t.past_modifiers:  # "last September": the latest before this month
            return year if month < this_month else year - 1
        if pre in self.t.future_modifiers:
            return year if month > this_month else year + 1
        future = self._future(text, start)
        if day_num is None:
            if future:
                return year if month >= this_month else year + 1
            return year if month <= this_month else year - 1
        # A day and a month: the nearest such date, the past preferred unless the clause is
        # about the future.
        best, best_cost = year, -1
        for candidate in (year - 1, year, year + 1):
            day = safe_date(candidate, month, day_num)
            if day is None:
                continue
            gap = (day - self.anchor).days
            cost = abs(gap) * (2 if gap and (gap > 0) != future else 1)
            if best_cost < 0 or cost < best_cost:
                best, best_cost = candidate, cost
        return best

    def _day_of_month(self, text: str, start: int, day_num: int) -> dt.date | None:
        """ "On the 13th": this month's 13th, or the month before or after when that one
        lies on the side of the anchor the tense points to (three days of slack)."""
        candidates = []
        for year, month in self._months_around:
            if day_num <= DAYS_IN_MONTH[month - 1] + (month == 2 and calendar.isleap(year)):
                candidates.append(dt.date(year, month, day_num))
        if not candidates or day_num < 1:
            return None
        if self._future(text, start):
            later = [d for d in candidates if d >= add_days(self.anchor, -3)]
            return min(later) if later else candidates[-1]
        earlier = [d for d in candidates if d <= add_days(self.anchor, 3)]
        return max(earlier) if earlier else candidates[0]

    # --- weekdays ------------------------------------------------------------------------

    def _weekday(self, text: str, pos: int) -> _Found | None:
        match = self.t.weekday_at.match(text, pos)
        if match is None:
            return _Found(pos, pos + 3)  # "Wednesday, June 19": the written date is read
        before = _prev_word(text, pos)
        pre = before[1] if before else ""
        back = (self.anchor.weekday() - self.t.weekdays[match["wd"].lower()]) % 7
        if pre in self.t.past_modifiers:
            offset = -(back or 7)
        elif pre in self.t.future_modifiers:
            offset = (7 - back) % 7 or 7
        elif pre in self.t.this_modifiers or self._future(text, pos):
            offset = (7 - back) % 7
        else:
            offset = -back
        start = (
            before[0] if before and pre in self.t.past_modifiers | self.t.future_modifiers else pos
        )
        return _Found(start, match.end(), add_days(self.anchor, offset), DAY, True)

    # --- relative phrases and counts -------------------------------------------------------

    def _phrase(self, text: str, pos: int, word: str) -> _Found | None:
        """The longest relative phrase that holds the trigger word ("the day before")."""
        starts = [pos]
        for _ in range(3):
            before = _prev_word(text, starts[-1])
            if before is None:
                break
            starts.append(before[0])
        for start in reversed(starts):  # farthest first: the longest phrase
            match = self.t.phrase_at.match(text, start)
            if match and match.end() >= pos + len(word):
                spec = self.t.phrases[" ".join(match.group(0).lower().split())]
                base = self.anchor
                if spec.get("from") == "context" and self.context_day is not None:
                    base = self.context_day
                return _Found(start, match.end(), shift(base, spec), str(spec["precision"]))
        return None

    def _counted(self, text: str, pos: int) -> _Found | None:
        """A unit after a number word: "nine months ago", "after two years"."""
        before = _prev_word(text, pos)
        if before is None:
            return None
        count = self.t.count_at.match(text, before[0])
        if count is None or count.end() < pos:
            return None
        return self._count(text, count)

    def _number(self, text: str) -> int | None:
        total = 0
        for part in text.lower().split("-"):
            if part.isdigit():
                total += int(part)
            elif part in self.t.numbers:
                total += self.t.numbers[part]
            else:
                return None
        return total

    def _count(self, text: str, count: re.Match[str]) -> _Found | None:
        """ "N units ago/earlier" and "N years after/since" count back from the anchor (or,
        "earlier", from the date just named); "after N months" counts back too. "(the
        first ...) in N years" is a gap that ends now: the anchor's year, not N years back
        (the earlier date is the previous occurrence, dated only when the text names it:
        "since July 2000"). "N years later" and "in 5 years" alone are not dated."""
        skip = _Found(count.start(), count.end())
        unit = self.t.units[count["unit"].lower()]
        number = self._number(count["n"])
        direction = (count["dir"] or "").lower()
        if number is None or number > 999:
            return skip
        if direction in ("", "since") and (gap := self._gap(text, count)) is not None:
            return gap
        base = self.anchor
        start = count.start()
        if direction in ("after", "since"):
            if unit["precision"] != YEAR:
                return skip  # "two days after the vote" counts from the vote
        elif direction == "earlier":
            base = self.context_day or self.anchor
        elif direction != "ago":
            before = _prev_word(text, count.start())
            if before is None or not self._looks_back(text, before, count):
                return skip
            start = before[0]
        day = count_back(base, unit, number)
        return _Found(start, count.end(), day, str(unit["precision"])) if day else skip

    def _gap(self, text: str, count: re.Match[str]) -> _Found | None:
        """ "the first visit in 24 years", "for the first time in nine years" (a cue such as
        "first" before "in"): the event is now, so the anchor's year. The count ends before
        a "since" after it, so that "since July 2000" is read as its own date."""
        before = _prev_word(text, count.start())
        if before is None or before[1] != "in":
            return None
        if self.t.since_cue.search(text, max(0, before[0] - 80), before[0]) is None:
            return None
        end = count.end("unit")
        return _Found(before[0], end, self.anchor.replace(month=1, day=1), YEAR, True, gap=True)

    def _looks_back(self, text: str, before: tuple[int, str], count: re.Match[str]) -> bool:
        """ "after nine months" (not "after two years of talks", not the future): the
        meeting before this one."""
        if before[1] == "after":
            following = _NEXT_WORD.match(text, count.end())
            if following and following.group(1).lower() == "of":
                return False
            return not self._future(text, before[0])
        return False


_DATELINE_WORD = re.compile(r"[A-Za-z]{1,30}(?:\.[A-Za-z])?")


def is_dateline(sentence: str, mentions: list[Mention]) -> bool:
    """A line of dates and times ("Posted on : 2024-06-19 16:24 KST"), not a sentence."""
    if sentence.count(" ", 0, 400) > 24:
        return False  # a dateline is short
    dateline_words = tables().dateline_words
    rest, last = [], 0
    for mention in mentions:
        rest.append(sentence[last : min(mention.start, last + 400)])
        last = mention.end
    rest.append(sentence[last : last + 400])
    content = 0
    for word in _DATELINE_WORD.findall(" ".join(rest)[:2000]):
        if word.lower() not in dateline_words:
            content += 1
            if content == 3:  # a sentence: most have three such words early on
                return False
    return True
