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


@cache
def calendar() -> Calendar:
    data = load_rules("calendar.yaml")
    return Calendar(
        months=tuple(tuple(str(w) for w in words) for words in data["months"]),
        weekdays=tuple(str(w) for w in data["weekdays"]),
    )
