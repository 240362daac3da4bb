"""Jinja filters and helpers shared by the templates: escaping, dates, citations, graphics.

Everything here is pure text processing; the templates decide what it looks like.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from ..language import calendar
from ..models import BriefItem, BriefSection, Stance

# --- Markdown escaping ----------------------------------------------------------------------

# Inline syntax anywhere in a line: emphasis, code, links and images, tables, strikethrough.
_MD_INLINE = re.compile(r"[\\`*_\[\]|~]")
# Block syntax at the start of a line: headings, lists, setext underlines ("> " is an entity).
_MD_ORDERED = re.compile(r"\d{1,9}[.)]")
_SPACES = re.compile(r"\s+")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_ENTITY = re.compile(r"[&<>]")


def escape_md(value: object) -> Markup:
    """Extracted text as inert Markdown: shown as written, never markup or raw HTML.

    `<`, `>` and `&` become entities (so `<script>` is text and never appears raw in the
    file), inline markers get a backslash, and a line-start marker ("# ", "1. ", "- ") is
    escaped so that a sentence cannot become a heading or a list. Whitespace runs (newlines
    too) collapse to one space: an item is one line.
    """
    if isinstance(value, Markup):
        return value
    text = _SPACES.sub(" ", str(value))
    text = _MD_ENTITY.sub(lambda m: _MD_ENTITIES[m.group()], text)
    text = _MD_INLINE.sub(lambda m: "\\" + m.group(), text)
    number = _MD_ORDERED.match(text)
    if number:
        end = number.end() - 1
        text = text[:end] + "\\" + text[end:]
    elif text[:1] and text[:1] in "#+=-":
        text = "\\" + text
    return Markup(text)


def md_code(value: object, width: int = 0) -> Markup:
    """Text for a line of a fenced code block: shown verbatim, so not escaped, but with no
    backtick (it could close the fence) and no line break; padded to `width` columns."""
    text = _SPACES.sub(" ", str(value if value is not None else "")).replace("`", "'")
    return Markup(text.ljust(width))


def md_finalize(value: object) -> object:
    """Every `{{ ... }}` of a Markdown template is escaped unless already marked safe."""
    if value is None:
        return ""
    if isinstance(value, Markup | int | float):
        return value
    return escape_md(value)


# --- dates --------------------------------------------------------------------------------


def _parts(value: str | None) -> tuple[int, int, int] | None:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", (value or "").strip()[:10])
    if not match:
        return None
    year, month, day = match.groups()
    return int(year), int(month or 0), int(day or 0)


def long_date(value: str | None) -> str:
    """2024-06-19 -> "19 June 2024"; 2024-06 -> "June 2024"; 2024 -> "2024"."""
    parts = _parts(value)
    if not parts:
        return value or ""
    year, month, day = parts
    if not 1 <= month <= 12:
        return str(year)
    if not day:
        return f"{calendar().month_names()[month - 1]} {year}"
    return f"{day} {calendar().month_names()[month - 1]} {year}"


def short_date(value: str | None) -> str:
    """2024-06-19 -> "19 Jun 2024"; 2024-06 -> "Jun 2024"; 2024 -> "2024"."""
    parts = _parts(value)
    if not parts:
        return value or ""
    year, month, day = parts
    if not 1 <= month <= 12:
        return str(year)
    name = calendar().month_abbreviations()[month - 1]
    return f"{day} {name} {year}" if day else f"{name} {year}"


# --- citations, URLs, sizes --------------------------------------------------------------


def cite(item: BriefItem | list[int]) -> str:
    """[1] or [1, 3]; empty when the item has no source."""
    numbers = item if isinstance(item, list) else item.sources
    return f"[{', '.join(str(n) for n in numbers)}]" if numbers else ""


def md_cite(item: BriefItem) -> Markup:
    """Markdown citation: "[1, 3]", plus "(2 of 3 sources)" when several report it."""
    text = cite(item)
    if item.coverage:
        text += f" ({escape_md(item.coverage)})"
    return Markup(text)


_SAFE_URL = re.compile(r"https?://[^\s<>\"'`]{1,2000}", re.IGNORECASE)


def safe_url(value: str | None) -> str | None:
    """The address when it is a plain http(s) URL, else None (never javascript: or data:)."""
    if value and _SAFE_URL.fullmatch(value.strip()):
        return value.strip()
    return None


_CSS_UNSAFE = re.compile(r"[^\w \-\",'#.%()]")


def css_value(value: object) -> Markup:
    """A theme value for the stylesheet: written as is (quotes and all), less anything that
    could end a declaration or the <style> element (the config allows none of it anyway)."""
    return Markup(_CSS_UNSAFE.sub("", str(value)))


def svg_font(stack: str, generic: str = "sans-serif") -> str:
    """The first family of a CSS font stack, for an SVG attribute: "DejaVu Sans, sans-serif".
    (The SVG graphics are drawn apart from the page's CSS, so they name their font.)"""
    first = stack.split(",")[0].strip().strip("\"'")
    return f"{first}, {generic}" if first and first != generic else generic


def scale_pt(base: float, factor: float, floor: float) -> str:
    """A font size relative to the base, never below the floor: "8.5pt"."""
    return f"{max(floor, base * factor):.2f}pt"


# --- layout helpers -------------------------------------------------------------------------


@dataclass
class SectionGroup:
    wide: bool
    sections: list[BriefSection]


def group_sections(sections: list[BriefSection], wide: list[str]) -> list[SectionGroup]:
    """Consecutive sections that share a layout (full width, or the columns) go together."""
    groups: list[SectionGroup] = []
    for section in sections:
        is_wide = section.name in wide
        if groups and groups[-1].wide == is_wide:
            groups[-1].sections.append(section)
        else:
            groups.append(SectionGroup(is_wide, [section]))
    return groups


STANCE_SCALE: tuple[str, ...] = tuple(Stance)  # condemns (left) .. supports (right)


def stance_step(stance: str | None) -> int | None:
    """Position of a stance on the scale, 0 (condemns) .. 4 (supports); None when unknown."""
    return STANCE_SCALE.index(stance) if stance in STANCE_SCALE else None


def stance_dots(stance: str | None) -> Markup:
    """The stance scale as text: "○●○○○" (left condemns, right supports); "·····" if unknown."""
    step = stance_step(stance)
    if step is None:
        return Markup("·····")
    return Markup("".join("●" if i == step else "○" for i in range(len(STANCE_SCALE))))


def _ordinal(value: str | None) -> float | None:
    parts = _parts(value)
    if not parts:
        return None
    year, month, day = parts
    try:
        return float(date(year, max(month, 1), max(day, 1)).toordinal())
    except ValueError:
        return float(date(year, 1, 1).toordinal())


@dataclass
class TimelineMark:
    x: float  # 0..1 along the axis
    label: str | None  # the year, where it changes and there is room


def timeline_marks(
    items: list[BriefItem], min_step: float = 0.0, min_gap: float = 0.12
) -> list[TimelineMark]:
    """Positions of dated items along an axis (0..1), one per item, in the items' order.

    Each step between consecutive dates gets at least `min_step` of the axis (room for the
    item's number), and the rest of the axis in proportion to the log of the step's length,
    so decades-old background and same-week events both stay readable. A year is labelled
    where it changes, at least `min_gap` after the previous label.
    """
    ordinals = [_ordinal(item.date) for item in items]
    if not any(o is not None for o in ordinals):
        return []
    if len(items) == 1:
        return [TimelineMark(0.5, (items[0].date or "")[:4] or None)]
    logs: list[float] = []
    previous: float | None = None
    for ordinal in ordinals:
        value = ordinal if ordinal is not None else previous
        if previous is not None:
            logs.append(math.log1p(max(0.0, (value or previous) - previous)))
        previous = value if value is not None else previous
    steps = len(logs)
    floor = min(min_step, 1.0 / steps)
    spare = 1.0 - floor * steps
    total = sum(logs)
    widths = [floor + (spare * g / total if total else spare / steps) for g in logs]
    marks = []
    x = 0.0
    last_label_x = -1.0
    last_year = None
    for i, item in enumerate(items):
        if i:
            x += widths[i - 1]
        year = (item.date or "")[:4]
        label = None
        if year != last_year and x - last_label_x >= min_gap:
            label = year
            last_label_x = x
        last_year = year
        marks.append(TimelineMark(round(min(x, 1.0), 4), label))
    return marks
