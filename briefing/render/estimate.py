"""The one height model of the brief: how tall each item and section will be, before any
layout.

The HTML balances its two columns with it; the PDF's pre-trim adds up its heights
(slot_heights) to drop what can never fit; the PDF fitter trims with it before WeasyPrint's
first render, so that the first render usually fits the page already (one render instead of
two), and puts items back at its heights (corrected by the measurement, fit.with_estimates).
WeasyPrint's measurement has the last word; the fitter's what-if heights for measured run-in
text read this model's geometry.RUN_IN_TEXT_SHARE. It models the built-in templates: lines of
text of a known number of characters in a known width. Constants were measured on WeasyPrint's
layout of DejaVu Sans and Serif (characters per em of line width, on English news text).
Custom templates make it less accurate, never wrong: the fitter still measures.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from ..models import Brief, BriefItem, BriefSection, BriefSource
from .fit import (
    Layout,
    SectionModel,
    Slot,
    best_split,
    item_words,
    slot_words,
)
from .geometry import COLUMN_SHARE, TITLE_CHARS_PER_EM, PageGeometry, title_scale

SANS_CHARS_PER_EM = 1.9
SERIF_CHARS_PER_EM = 1.75
LINE_EM = 1.32  # line-height of the stylesheet
ITEM_GAP_EM = 0.35  # padding under a list item
SECTION_EM = 0.75 + 1.55  # padding under a section, and its heading
HEADER_EM = 5.2  # kicker, meta line, rule and spacing around a one-line title
TITLE_LINE = 1.12  # line-height of the title, in title ems
FOOTER_EM = 2.4  # the colophon
PULL_QUOTE_EM = 1.12  # quotes set across the page (press): their type size
STRIP_ROW_EM = 1.2 * LINE_EM * 0.86  # one country of the stance strip


def _lines(chars: int, width_em: float, per_em: float = SANS_CHARS_PER_EM) -> int:
    return max(1, math.ceil(chars / max(1.0, per_em * width_em)))


def _cite_chars(item: BriefItem) -> int:
    chars = 2 + 3 * len(item.sources) if item.sources else 0
    return chars + (len(item.coverage) + 3 if item.coverage else 0)


def item_em(section: str, item: BriefItem, width_em: float) -> float:
    """Height of one item, in ems of the base font size."""
    text = len(item.text) + _cite_chars(item)
    if section == "bottom_line":  # serif, 1.06 em: measured per character, not per line
        return 1.06 * 1.38 * text / (SERIF_CHARS_PER_EM * (width_em - 1.6) / 1.06)
    if section == "timeline":  # the date runs in, in bold
        return _lines(text + 14, width_em - 1.3) * LINE_EM + ITEM_GAP_EM
    if section == "quotes":
        speaker = len(item.speaker or "") + len(item.speaker_title or "") + 4
        chars = len(item.text) + 2 + speaker * 0.88 * SERIF_CHARS_PER_EM / SANS_CHARS_PER_EM
        return _lines(int(chars), width_em - 0.9, SERIF_CHARS_PER_EM) * LINE_EM + ITEM_GAP_EM
    if section == "reactions":
        # The template leaves out a speaker that the text names; the stance badge is small.
        actor = (
            item.speaker if item.speaker and item.speaker.lower() not in item.text.lower() else None
        )
        parts = [item.country, actor, item.quote]
        chars = text + sum(len(p) + 2 for p in parts if p) + int(0.8 * len(item.stance_label or ""))
        return _lines(chars, width_em - 0.9) * LINE_EM + ITEM_GAP_EM
    height = _lines(text, width_em - 0.9) * LINE_EM + ITEM_GAP_EM
    if item.counterpoint is not None:
        chars = len(item.counterpoint.text) + _cite_chars(item.counterpoint) + 18
        height += _lines(chars, width_em - 1.6) * LINE_EM + 0.4
    return height


def _source_em(source: BriefSource, width_em: float) -> float:
    """One line of the source list (at 0.82 em, in one of its two columns)."""
    half = width_em * COLUMN_SHARE / 0.82 - 1.9
    chars = len(source.headline) + len(source.publisher or "") + 18
    return _lines(chars, half) * LINE_EM * 0.82 + 0.12 * 0.82


def _section_extra_em(section: BriefSection, brief: Brief) -> float:
    """What a section draws besides its items: heading, padding, graphics."""
    if section.name == "reactions":
        return SECTION_EM + len(brief.stances) * STRIP_ROW_EM + 0.45
    if section.name == "timeline" and len(section.items) > 1:
        return SECTION_EM + 2 * 0.8 * 4 / 3 * 0.75 + 1.3  # the graphic: labels and axis
    if section.name == "bottom_line":
        return SECTION_EM + 0.9 - ITEM_GAP_EM  # the shaded box's padding
    if section.name == "sources":
        return SECTION_EM + 0.3
    return SECTION_EM


def _model(
    section: BriefSection, brief: Brief, width_em: float, em_px: float, wide: bool = False
) -> SectionModel:
    """A section as the layout model sees it, with made-up boxes of the estimated heights:
    items one under the other (sources in two columns, split by count as drawn)."""
    model = SectionModel(section.name, (0.0, 0.0, 0.0, 0.0), wide=False, right=False)
    if section.name == "sources":
        # One pass, each source as read (slot_heights reads them so too): a SourceList
        # makes a source each time one is read, and finding it again by number made it twice.
        slots, heights = [], []
        for source in brief.sources:
            slots.append(Slot("sources", source.number - 1))
            heights.append(_source_em(source, width_em) * em_px)
        half = (len(slots) + 1) // 2
        columns = [(0.0, slots[:half], heights[:half]), (100.0, slots[half:], heights[half:])]
    elif section.name == "quotes" and wide:
        # Across the page, quotes are pull quotes: two columns split by count, larger type.
        slots = [Slot(section.name, i) for i in range(len(section.items))]
        scale = PULL_QUOTE_EM
        column_em = width_em * COLUMN_SHARE / scale - 0.3
        heights = [item_em("quotes", i, column_em) * scale * em_px for i in section.items]
        half = (len(slots) + 1) // 2
        columns = [(0.0, slots[:half], heights[:half]), (100.0, slots[half:], heights[half:])]
    else:
        slots = [Slot(section.name, i) for i in range(len(section.items))]
        heights = [item_em(section.name, i, width_em) * em_px for i in section.items]
        columns = [(0.0, slots, heights)]
    tallest = 0.0
    for x, column_slots, column_heights in columns:
        y = 0.0
        for slot, height in zip(column_slots, column_heights, strict=True):
            model.items[slot] = (x, y, x + 50.0, y + height)
            model.words[slot] = (
                slot_words(brief, slot)
                if slot.section == "sources"
                else item_words(section.items[slot.index])
            )
            y += height
        tallest = max(tallest, y)
    total = tallest + _section_extra_em(section, brief) * em_px
    model.box = (0.0, 0.0, 50.0, total)
    return model


def estimated_layout(
    brief: Brief, font_pt: float, page: PageGeometry, wide: Collection[str]
) -> Layout:
    """The layout model of the brief, from estimates instead of a render. `wide`: the
    sections the template sets across the page (the others share two columns)."""
    em_px = font_pt * 4 / 3
    text_em = page.text_px / em_px
    column_em = text_em * COLUMN_SHARE
    scale = title_scale(brief.title, page, font_pt)
    title_lines = _lines(len(brief.title), text_em / scale, TITLE_CHARS_PER_EM)
    used = (HEADER_EM + title_lines * scale * TITLE_LINE + FOOTER_EM) * em_px
    shown = [s for s in brief.sections if s.items or (s.name == "sources" and brief.sources)]
    models: list[SectionModel] = []
    run: list[BriefSection] = []
    for section in [*shown, None]:
        if section is not None and section.name not in wide:
            run.append(section)
            continue
        if run:
            single = len(run) == 1  # a lone column section takes the whole width
            built = [_model(s, brief, text_em if single else column_em, em_px) for s in run]
            split, tallest = best_split([m.height for m in built])
            for index, model in enumerate(built):
                model.wide, model.right = single, not single and index >= split
            models += built
            used += tallest
            run = []
        if section is not None:
            model = _model(section, brief, text_em, em_px, wide=True)
            model.wide = True
            models.append(model)
            used += model.height
    return Layout(1, used, page.capacity_px, models)


def column_splits(
    brief: Brief, font_pt: float, page: PageGeometry, wide: Collection[str]
) -> dict[str, int]:
    """For each run of column sections (keyed by its first section), how many go in the
    left column: the split that balances their estimated heights."""
    return estimated_layout(brief, font_pt, page, wide).splits()


def slot_heights(brief: Brief, font_pt: float, page: PageGeometry) -> dict[Slot, float]:
    """Every item's and source's estimated height in CSS px, each as set in one of the two
    columns (sources are, in the two columns of their list): the cheap sums the PDF's
    pre-trim needs, without building the layout model (linear in the sources)."""
    em_px = font_pt * 4 / 3
    text_em = page.text_px / em_px
    column_em = text_em * COLUMN_SHARE
    heights = {
        Slot(section.name, index): item_em(section.name, item, column_em) * em_px
        for section in brief.sections
        for index, item in enumerate(section.items)
    }
    for source in brief.sources:
        heights[Slot("sources", source.number - 1)] = _source_em(source, text_em) * em_px
    return heights


def page_room_px(page: PageGeometry) -> float:
    """What one page holds of items set in column width: its two columns, top to bottom."""
    return 2 * page.capacity_px
