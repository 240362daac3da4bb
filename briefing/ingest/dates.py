"""Full calendar dates in metadata lines ("Posted on : 2024-06-19 16:24 KST", "Jun 19, 2024").

Only a date with year, month and day counts: an article's `published` is never guessed from a
partial date ("June 19", "the 19th"). Every pattern is a bounded alternation, so scanning is
linear in the length of the text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from ..language import calendar
from .tables import load_rules, words_of

RULES = "ingest.yaml"
MAX_DATE_LINE_CHARS = 160
# The years an article's date may have: dates enter the pipeline only inside this range, so
# that later arithmetic ("the year before", "in 30 years") stays far from the calendar's ends.
MIN_YEAR, MAX_YEAR = 1900, 2200

_TIME = re.compile(r"(?<!\d)T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?")
_YEAR = re.compile(r"\d{4}")  # every full date has one: a cheap test before the full scan
# An ASCII line with fewer than four digits has no year, which counting (in C) tells sooner
# than the regex, which tests each character against the digits.
_NOT_ASCII_DIGIT = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)
_WORD = re.compile(r"[^\W\d_][\w.'’-]{0,40}")


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    iso: str  # YYYY-MM-DD


@dataclass(frozen=True)
class DateLine:
    """A line that states a date of the article itself; rank 0 = published, 1 = unlabelled,
    2 = updated (the first publication is preferred)."""

    iso: str
    rank: int


@cache
def _months() -> dict[str, int]:
    return {name.lower(): number for name, number in calendar().month_numbers().items()}


@cache
def _date_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in sorted(_months(), key=len, reverse=True))
    month_first = (
        rf"\b(?P<m1>{names})\.?\s{{1,3}}(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s{{1,3}}"
        r"(?P<y1>\d{4})(?!\d)"
    )
    day_first = (
        rf"(?<!\d)(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s{{1,3}}(?:of\s{{1,3}})?(?P<m2>{names})\b"
        r"\.?,?\s{1,3}(?P<y2>\d{4})(?!\d)"
    )
    year_first = (
        r"(?<![\d.])(?P<y3>\d{4})\s?(?P<s3>[-./])\s?(?P<m3>\d{1,2})\s?(?P=s3)\s?"
        r"(?P<d3>\d{1,2})(?!\d)"
    )
    numeric = r"(?<![\d.])(?P<a4>\d{1,2})(?P<s4>[-./])(?P<b4>\d{1,2})(?P=s4)(?P<y4>\d{4})(?!\d)"
    return re.compile(f"{month_first}|{day_first}|{year_first}|{numeric}", re.IGNORECASE)


def _iso(year: str | int, month: int, day: int) -> str | None:
    try:
        return dt.date(int(year), month, day).isoformat()
    except (ValueError, OverflowError):
        return None


def plausible_iso(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD of a real day within MIN_YEAR..MAX_YEAR, else None."""
    return _iso(year, month, day) if MIN_YEAR <= year <= MAX_YEAR else None


def _match_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups["y1"]:
        return _iso(groups["y1"], _months()[groups["m1"].lower()], int(groups["d1"]))
    if groups["y2"]:
        return _iso(groups["y2"], _months()[groups["m2"].lower()], int(groups["d2"]))
    if groups["y3"]:
        return _iso(groups["y3"], int(groups["m3"]), int(groups["d3"]))
    first, second = int(groups["a4"]), int(groups["b4"])
    if first <= 12 and second <= 12 and first != second:
        return None  # 03/04/2024: day and month cannot be told apart, so no date
    day, month = (first, second) if first > 12 else (second, first)
    return _iso(groups["y4"], month, day)


def find_dates(text: str) -> list[FoundDate]:
    """Every full date in `text`, in order."""
    found = []
    for match in _date_pattern().finditer(text):
        iso = _match_iso(match)
        if iso and MIN_YEAR <= int(iso[:4]) <= MAX_YEAR:
            found.append(FoundDate(match.start(), match.end(), iso))
    return found


def parse_full_date(text: str) -> str | None:
    """The ISO form of a text that is one full date (front matter, feed fields), else None."""
    found = find_dates(text)
    return found[0].iso if len(found) == 1 else None


@cache
def _label_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    def alternation(key: str) -> re.Pattern[str]:
        words = sorted(words_of(RULES, key), key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)

    return alternation("published_labels"), alternation("updated_labels")


def _rank(label: str) -> int:
    published, updated = _label_patterns()
    if updated.search(label):
        return 2
    return 0 if published.search(label) else 1


def _other_words(rest: str) -> int:
    allowed = words_of(RULES, "date_line_words")
    words = _WORD.findall(_TIME.sub(" ", rest))
    return sum(1 for w in words if not {w.lower(), w.lower().rstrip(".")} & allowed)


def _may_hold_year(line: str) -> bool:
    if line.isascii() and len(line.encode("ascii").translate(None, _NOT_ASCII_DIGIT)) < 4:
        return False
    return _YEAR.search(line) is not None


def date_line(line: str) -> DateLine | None:
    """The article's own date when `line` is a date line: dates, times, zones and a few label
    words, nothing that reads like a sentence about an event."""
    if len(line) > MAX_DATE_LINE_CHARS or not _may_hold_year(line):
        return None
    found = find_dates(line)
    if not found:
        return None
    pieces, labels, previous = [], [], 0
    for date in found:
        labels.append(line[previous : date.start])
        pieces.append(line[previous : date.start])
        previous = date.end
    pieces.append(line[previous:])
    if _other_words(" ".join(pieces)) > int(load_rules(RULES)["date_line_max_other_words"]):
        return None
    ranked = sorted((_rank(label), i) for i, label in enumerate(labels))
    rank, index = ranked[0]
    return DateLine(found[index].iso, rank)
