"""The word tables and anchored patterns of the date reader (briefing/extract/dates.py),
built once from briefing/rules/dates.yaml and the shared calendar (months, weekdays)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..language import calendar as shared_calendar
from ..resources import load_rules
from .textkeys import token_table

# The kinds of trigger a sentence is scanned for.
DIGITS, MONTH_NAME, WEEKDAY, UNIT, CORE = "digits", "month", "weekday", "unit", "core"
# Pattern pieces, shared with the reader's own anchored patterns.
YEAR_RX = r"(?:1[6-9]\d\d|20\d\d)"
GAP_RX = r"[ \t\u00a0]{1,3}"  # a bounded gap between words
ORDINAL_RX = r"(?:st|nd|rd|th)"


@dataclass(frozen=True)
class Tables:
    months: dict[str, int]  # lower-case name -> month
    weekdays: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, dict[str, Any]]  # singular and plural -> spec
    phrases: dict[str, dict[str, Any]]
    triggers: dict[str, str]  # token spelling -> trigger word
    trigger_kinds: dict[str, str]  # trigger word -> kind
    past_modifiers: frozenset[str]
    future_modifiers: frozenset[str]
    this_modifiers: frozenset[str]
    month_prepositions: frozenset[str]
    ordinal_prepositions: frozenset[str]
    ordinal_blockers: frozenset[str]
    year_blockers: frozenset[str]
    year_quantity_words: frozenset[str]
    dateline_words: frozenset[str]
    max_event_words: int
    month_at: re.Pattern[str]
    day_month_at: re.Pattern[str]
    weekday_at: re.Pattern[str]
    count_at: re.Pattern[str]
    phrase_at: re.Pattern[str]
    future_cue: re.Pattern[str]
    future_gate: dict[str, str]  # token spelling -> last word of a future cue
    since_cue: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    """Longest first, so that "the day before yesterday" wins over "the day before"."""
    ordered = sorted({str(w) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", GAP_RX) for w in ordered)


def _cue_pattern(words: list[str], undone_by: list[str] | None = None) -> re.Pattern[str]:
    """Any of `words` as whole words, unless one of `undone_by` follows it."""
    undo = rf"(?!\s{{0,3}}(?:{_alternation(undone_by)})(?!\w))" if undone_by else ""
    return re.compile(rf"(?<![\w'])(?:{_alternation(words)})(?!\w){undo}", re.IGNORECASE)


def _lowered(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data[key])


def _trigger_kinds(
    data: dict[str, Any],
    months: dict[str, int],
    weekdays: dict[str, int],
    units: dict[str, dict[str, Any]],
) -> dict[str, str]:
    kinds = {str(m).lower(): MONTH_NAME for m in months}
    kinds.update({str(w).lower(): WEEKDAY for w in weekdays})
    kinds.update(dict.fromkeys(units, UNIT))
    kinds.update({str(w).lower(): CORE for w in data["phrase_cores"]})
    for phrase in data["relative_phrases"]:
        if not any(word in kinds for word in str(phrase).lower().split()):
            raise ValueError(f"dates.yaml: relative phrase {phrase!r} holds no unit or core word")
    return kinds


@cache
def tables() -> Tables:
    data = load_rules("dates.yaml")
    months = shared_calendar().month_numbers()  # as written: "May" is a month, "may" not
    weekdays = {day: index for index, day in enumerate(shared_calendar().weekdays)}
    units: dict[str, dict[str, Any]] = {}
    for name, spec in data["units"].items():
        units[str(name).lower()] = dict(spec)
        units[str(name).lower() + "s"] = dict(spec)
    kinds = _trigger_kinds(data, months, weekdays, units)
    triggers = token_table(kinds)
    for name in months:  # "mid-June", "early-March"
        for prefix in data["month_prefixes"]:
            for spelling in token_table([f"{prefix}-{name}"]):
                triggers[spelling] = str(name).lower()
    month = _alternation(list(months))
    number_word = f"(?i:{_alternation(list(data['numbers']))})"
    number = rf"(?:\d{{1,3}}|{number_word}(?:-{number_word})?)"
    return Tables(
        months={k.lower(): v for k, v in months.items()},
        weekdays={k.lower(): v for k, v in weekdays.items()},
        numbers={str(k).lower(): int(v) for k, v in data["numbers"].items()},
        units=units,
        phrases={
            " ".join(str(k).lower().split()): dict(v) for k, v in data["relative_phrases"].items()
        },
        triggers=triggers,
        trigger_kinds=kinds,
        past_modifiers=_lowered(data, "past_modifiers"),
        future_modifiers=_lowered(data, "future_modifiers"),
        this_modifiers=_lowered(data, "this_modifiers"),
        month_prepositions=_lowered(data, "month_prepositions"),
        ordinal_prepositions=_lowered(data, "ordinal_prepositions"),
        ordinal_blockers=_lowered(data, "ordinal_blockers"),
        year_blockers=_lowered(data, "year_blockers"),
        year_quantity_words=_lowered(data, "year_quantity_words"),
        dateline_words=_lowered(data, "dateline_words"),
        max_event_words=int(data["max_event_words"]),
        # June | June 19 | June 19, 2024 | June 2024 | June of last year
        month_at=re.compile(
            rf"(?P<mon>{month})(?![a-z])\.?(?:{GAP_RX}(?P<d>[1-3]?\d){ORDINAL_RX}?(?!\w))?"
            rf"(?:,?{GAP_RX}(?:(?i:of){GAP_RX})?(?:(?P<y>{YEAR_RX})(?![\w]|[.,]\d)"
            rf"|(?P<rel>(?i:{_alternation(data['year_phrases'])}))(?!\w)))?"
        ),
        # 19 June | 19th of June 2024
        day_month_at=re.compile(
            rf"(?P<d>[1-3]?\d){ORDINAL_RX}?{GAP_RX}(?:(?i:of){GAP_RX})?(?P<mon>{month})(?![a-z])\.?"
            rf"(?:,?{GAP_RX}(?P<y>{YEAR_RX})(?![\w]|[.,]\d))?"
        ),
        # Wednesday, but not "Wednesday, June 19" (the written date is read instead)
        weekday_at=re.compile(
            rf"(?P<wd>{_alternation(list(weekdays))})(?!\w)"
            rf"(?!,?{GAP_RX}(?:[1-3]?\d{ORDINAL_RX}?{GAP_RX})?(?:{month})(?![a-z]))"
        ),
        # nine months ago | 24 years after | twenty-four years | 3 days earlier
        count_at=re.compile(
            rf"(?P<n>{number})(?:{GAP_RX}|-)(?P<unit>(?i:{_alternation(list(units))}))(?!\w)"
            rf"(?:{GAP_RX}(?P<dir>(?i:ago|earlier|after|since|later|before))(?!\w))?"
        ),
        phrase_at=re.compile(rf"(?i:{_alternation(list(data['relative_phrases']))})(?!\w)"),
        future_cue=_cue_pattern(data["future_cues"], data["future_cue_undone_by"]),
        future_gate=token_table(str(cue).split()[-1] for cue in data["future_cues"]),
        since_cue=_cue_pattern(data["since_cues"]),
    )
