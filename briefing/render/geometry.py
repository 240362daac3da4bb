"""The page's geometry, in one place: paper sizes and margins, the two columns, the title's
sizes and the CSS unit conversions.

The stylesheet (templates/_base/style.css.j2, through `page` and `column_percent`), the
estimate (estimate.py) and the PDF's measurement (pdf.py) all read it from here, so that
they agree on where the text goes.
"""

from __future__ import annotations

from dataclasses import dataclass

PX_PER_MM = 96 / 25.4
# Column width as a share of the text width; the rest is the gap between the two columns.
COLUMN_SHARE = 0.48
# Title sizes (times the base size), largest first: a title that one line of the largest
# cannot hold is set in the next size, so that a long title does not take two lines of
# the page's room. Characters of the bold serif title per em of line, measured (conservative).
TITLE_SCALES = (1.8, 1.5)
TITLE_CHARS_PER_EM = 1.62
# The PDF's measuring sheet: tall enough for any brief the pre-trim lets through.
SHEET_HEIGHT_MM = 4000.0
# A parameter of the height model (estimate.py) that the fitter's what-if heights read too
# (fit.SectionModel.height_without), kept here because both import this module: of a section
# whose items run in as sentences of one paragraph, this share of the measured height is the
# paragraph, shrinking in proportion to the words dropped; the rest (heading, padding, the
# paragraph's last line) stays. A coarse share: the fitter measures again after each plan.
RUN_IN_TEXT_SHARE = 0.85


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
    def top_px(self) -> float:
        return self.top_mm * PX_PER_MM

    @property
    def bottom_px(self) -> float:
        return self.bottom_mm * PX_PER_MM

    @property
    def text_px(self) -> float:
        """Width of the text between the side margins, in CSS px."""
        return (self.width_mm - self.left_mm - self.right_mm) * PX_PER_MM

    @property
    def column_px(self) -> int:
        """Width of one of the two columns in CSS px (the timeline graphic's width)."""
        text_mm = self.width_mm - self.left_mm - self.right_mm
        return int(text_mm * COLUMN_SHARE * PX_PER_MM)

    @property
    def capacity_px(self) -> float:
        """Height of the text area between the top and bottom margins, in CSS px."""
        return self.height_px - self.top_px - self.bottom_px

    def text_em(self, font_pt: float) -> float:
        """Width of the text in ems of a `font_pt` font."""
        return self.text_px / (font_pt * 4 / 3)  # as CSS converts pt to px


PAGES = {"A4": PageGeometry(210.0, 297.0), "Letter": PageGeometry(215.9, 279.4)}
# The width of a column in the stylesheet ("48"), as a CSS percentage of the text width.
COLUMN_PERCENT = f"{COLUMN_SHARE * 100:g}"


def geometry(page_size: str) -> PageGeometry:
    return PAGES.get(page_size, PAGES["A4"])


def title_scale(title: str, page: PageGeometry, font_pt: float) -> float:
    """The largest title size (times the base size) at which the title is one line, else the
    smallest."""
    text_em = page.text_em(font_pt)
    for scale in TITLE_SCALES:
        if len(title) <= text_em / scale * TITLE_CHARS_PER_EM:
            return scale
    return TITLE_SCALES[-1]
