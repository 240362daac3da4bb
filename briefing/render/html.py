"""The HTML brief: a standalone page (inline CSS, inline SVG, no script, nothing fetched).

The same template serves the PDF: WeasyPrint lays it out with the print media rules. The
page geometry lives here so that the stylesheet and the one-page fitter agree on it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..models import Brief
from .environment import Templates
from .filters import SectionGroup, estimate_split, group_sections

TEMPLATE = "brief.html.j2"
PX_PER_MM = 96 / 25.4
# Column width as a share of the text width; the rest is the gap between the two columns.
COLUMN_SHARE = 0.48
# Title sizes (times the base size), largest first: a title that one line of the largest
# cannot hold is set in the next size, so that a long title does not take two lines of
# the page's room. Characters of the bold serif title per em of line, measured (conservative).
TITLE_SCALES = (1.8, 1.5)
TITLE_CHARS_PER_EM = 1.62


@dataclass(frozen=True)
class PageGeometry:
    """One sheet of paper and its margins, in millimetres (CSS px where named so)."""

    width_mm: float
    height_mm: float
    top_mm: float = 12.0
    right_mm: float = 12.0
    bottom_mm: float = 11.0
    left_mm: float = 12.0

    @property
    def height_px(self) -> float:
        return self.height_mm * PX_PER_MM

    @property
    def bottom_px(self) -> float:
        return self.bottom_mm * PX_PER_MM

    @property
    def column_px(self) -> int:
        """Width of one of the two columns in CSS px (the timeline graphic's width)."""
        text_mm = self.width_mm - self.left_mm - self.right_mm
        return int(text_mm * COLUMN_SHARE * PX_PER_MM)


PAGES = {"A4": PageGeometry(210.0, 297.0), "Letter": PageGeometry(215.9, 279.4)}


def geometry(page_size: str) -> PageGeometry:
    return PAGES.get(page_size, PAGES["A4"])


def title_scale(title: str, page: PageGeometry, font_pt: float) -> float:
    """The largest title size (times the base size) at which the title is one line, else the
    smallest."""
    text_em = (page.width_mm - page.left_mm - page.right_mm) * PX_PER_MM / (font_pt * 4 / 3)
    for scale in TITLE_SCALES:
        if len(title) <= text_em / scale * TITLE_CHARS_PER_EM:
            return scale
    return TITLE_SCALES[-1]


def render_html(
    brief: Brief,
    templates: Templates,
    page_size: str,
    min_font_pt: float,
    font_pt: float | None = None,
    print_mode: bool = False,
    sheet_height_mm: float | None = None,
    splits: dict[str, int] | None = None,
    layout_seen: dict[str, list[str]] | None = None,
) -> str:
    """The brief as one HTML page.

    `sheet_height_mm` (PDF measuring only) makes the printed sheet that tall, so that the
    whole brief lies on one sheet whatever its length; `splits` tells, per run of column
    sections (keyed by its first section's name), how many sections go in the left column
    (default: an estimate from word counts). `layout_seen`, when given, receives the
    template's full-width sections under "wide" (the PDF fitter's estimate needs them).
    """
    page = geometry(page_size)
    font = max(min_font_pt, font_pt if font_pt is not None else brief.font_pt)
    return templates.render(
        templates.html,
        TEMPLATE,
        brief=brief,
        font_pt=font,
        min_font_pt=min_font_pt,
        page_size=page_size,
        page=page,
        sheet_height_mm=sheet_height_mm,
        print_mode=print_mode,
        column_px=page.column_px,
        title_scale=title_scale(brief.title, page, font),
        splits=splits or {},
        column_groups=functools.partial(_column_groups, seen=layout_seen),
    )


def _column_groups(
    brief: Brief,
    wide: list[str],
    splits: dict[str, int],
    seen: dict[str, list[str]] | None = None,
) -> list[tuple[SectionGroup, int]]:
    """Template helper: the section groups and, for column groups, the left column's size."""
    if seen is not None:
        seen["wide"] = list(wide)
    shown = [s for s in brief.sections if s.items or (s.name == "sources" and brief.sources)]
    groups = group_sections(shown, wide)
    return [(g, splits.get(g.sections[0].name, estimate_split(g.sections))) for g in groups]
