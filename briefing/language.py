"""Words every stage shares: the calendar (rules/calendar.yaml) and the negations
(rules/negations.yaml), read once per process. Ingest, extract, assemble and render all read
them from here, so that a month or a negation is added in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .resources import load_rules


@dataclass(frozen=True)
class Calendar:
    # Per month, January first: its name, then its abbreviations, as written in text.
    months: tuple[tuple[str, ...], ...]
    weekdays: tuple[str, ...]  # Monday first, as written

    def month_numbers(self) -> dict[str, int]:
        """Each month's name and abbreviations, as written, -> its number (1-12)."""
        return {word: number for number, words in enumerate(self.months, 1) for word in words}

    def month_names(self) -> tuple[str, ...]:
        """The full names, January first."""
        return tuple(words[0] for words in self.months)

    def month_abbreviations(self) -> tuple[str, ...]:
        """Each month's first abbreviation (its name when it has none: "May")."""
        return tuple(words[1] if len(words) > 1 else words[0] for words in self.months)


@dataclass(frozen=True)
class Negations:
    words: frozenset[str]  # negate what follows them ("not", "never", "n't")
    denials: frozenset[str]  # verbs that deny what follows ("denies", "excludes")
    exceptions: frozenset[tuple[str, str]]  # a negation that negates nothing: "not only"
    window: int  # words after a negation that it reaches in a claim


@cache
def negations() -> Negations:
    data = load_rules("negations.yaml")
    exceptions = set()
    for phrase in data["exceptions"]:
        first, second = str(phrase).lower().split()
        exceptions.add((first, second))
    return Negations(
        words=frozenset(str(w).lower() for w in data["negations"]),
        denials=frozenset(str(w).lower() for w in data["denials"]),
        exceptions=frozenset(exceptions),
        window=int(data["window"]),
    )


@cache
def calendar() -> Calendar:
    data = load_rules("calendar.yaml")
    return Calendar(
        months=tuple(tuple(str(w) for w in words) for words in data["months"]),
        weekdays=tuple(str(w) for w in data["weekdays"]),
    )
