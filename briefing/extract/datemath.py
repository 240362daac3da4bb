"""Calendar arithmetic for the date reader (briefing/extract/dates.py): moving a date by
days, months or years, rendering it at a precision, and building dates that may not exist.

Date arithmetic is total: a result past the calendar's ends (year 1 or 9999, reachable from a
story date such as 9999-12-31 and "next year") is clamped to the end, never raised.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

DAY, MONTH, YEAR = "day", "month", "year"  # the precisions a date is rendered at
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_days(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, clamped to dt.date.min..dt.date.max."""
    ordinal = day.toordinal() + days
    return dt.date.fromordinal(min(max(ordinal, 1), dt.date.max.toordinal()))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept within the month ("Jan 31" + 1 = "Feb 28/29");
    clamped to the calendar's ends."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    last = DAYS_IN_MONTH[month0] + (month0 == 1 and calendar.isleap(year))
    return dt.date(year, month0 + 1, min(day.day, last))


def shift(day: dt.date, spec: dict[str, Any], sign: int = 1) -> dt.date:
    """`day` moved by a table entry's days, months or years (times `sign`), clamped."""
    moved = add_days(day, sign * int(spec.get("days", 0)))
    months = int(spec.get("months", 0)) + 12 * int(spec.get("years", 0))
    return add_months(moved, sign * months) if months else moved


def render(day: dt.date, precision: str) -> str:
    if precision == YEAR:
        return f"{day.year:04d}"
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist ("June 31") or lies past the calendar."""
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def count_back(base: dt.date, unit: dict[str, Any], count: int) -> dt.date | None:
    """`count` of a table unit before `base` ("nine months ago"), None past the calendar."""
    scaled = {key: int(value) * count for key, value in unit.items() if key != "precision"}
    try:
        return shift(base, scaled, sign=-1)
    except (OverflowError, ValueError):
        return None
