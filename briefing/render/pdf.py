"""The one-page PDF: WeasyPrint lays out the HTML brief with its print CSS.

How the page is kept to one sheet, in few renders:

1. The brief is laid out on a sheet as wide as the paper but metres tall, so all of it lies
   on one sheet and WeasyPrint's own layout says exactly how tall it is: the end-of-content
   marker (#brief-end) gives the height, and every item, section and source carries an
   element id, so its box is in the page's anchors (`measure`).
2. Before that first render, a quick estimate from the text's length (estimate.py) drops
   what clearly cannot fit, lowest-ranked first (fit.droppable: sections take turns by the
   room their items take; never the last item of a section). It aims a little past the
   page (FIRST_AIM), as the estimate errs on the tall side. The first render then usually
   fits and is full: its sheet is cropped to the paper (the PDF page gets the paper's size;
   nothing lies below the cut) and that is the PDF.
3. When it overflows, the measured boxes tell exactly what to drop and how to re-balance
   the two columns (fit.plan), and a second render checks. When it fits but the estimate
   dropped too much, the measured boxes plus the dropped items at their estimated heights
   (fit.with_estimates: each section's estimate corrected by how far off it was) tell what
   to put back, a column with room included; a second render checks, and should it
   overflow, a third trims it from its measured boxes. Should the plan be off twice, the
   number of items to drop is found by bisection (log2 of the droppable items at worst).
   Only when every section is down to its best item does the type shrink, never below
   render.min_font_pt.
4. The search's answer is kept by the first render's HTML (layout_cache.py): the same
   brief, templates and paper again are laid out once, with that answer, and checked.

Which sections run across the page the template declares (Templates.wide_sections); the
paper is the brief's (brief.page_size), its geometry in geometry.py.

Nothing is fetched: the URL fetcher serves data: URLs and files under the template folders.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import mimetypes
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import RenderError
from ..models import Brief
from . import layout_cache
from .environment import Templates, builtin_templates
from .estimate import estimated_layout, page_room_px, slot_heights
from .fit import (
    SAFETY_PX,
    Box,
    Layout,
    Plan,
    SectionModel,
    Slot,
    droppable,
    item_words,
    plan,
    slot_words,
    with_estimates,
    with_uncited,
    without,
)
from .geometry import SHEET_HEIGHT_MM, PageGeometry, geometry
from .html import TEMPLATE, render_html

log = logging.getLogger("briefing")

# Before the first layout, trim to this many times what a page can hold (the estimate's
# heights, estimate.slot_heights), so that a corpus of thousands of articles does not lay out
# thousands of source lines.
PRETRIM_FACTOR = 1.6
MAX_RENDERS = 12
# The first layout aims this far past the estimated page: the estimate errs on the tall side,
# and a page that overflows is trimmed exactly from its measured boxes.
FIRST_AIM = 1.05
# Third-party loggers that narrate every render at INFO/DEBUG.
_CHATTY_LOGGERS = ("fontTools", "weasyprint.progress")


class _QuietFontNotice(logging.Filter):
    """WeasyPrint warns on every PDF, for each font, when HarfBuzz-Subset is missing; the PDF
    is fine, only slower (its fonts are subset by fontTools, in Python). Its warnings are
    dropped; what they mean is said once, at -v, with the package that speeds it up."""

    def __init__(self) -> None:
        super().__init__()
        self.told = False

    def filter(self, record: logging.LogRecord) -> bool:
        if "HarfBuzz-Subset" not in str(record.msg):
            return True
        if not self.told:
            self.told = True
            log.info(
                "PDF fonts subset by fontTools, about 0.8 s more per PDF: install HarfBuzz's "
                "subset library (Debian: libharfbuzz-subset0) to make PDFs faster"
            )
        return False


@functools.cache
def load_weasyprint() -> Any:
    """Import WeasyPrint on first use: Markdown-only runs never pay for it."""
    import ctypes.util

    original = ctypes.util.find_library
    if sys.platform.startswith("linux"):
        # WeasyPrint tries several names per library; each miss makes ctypes run gcc and
        # ldconfig (~0.4 s in all). The sonames it also tries load directly on Linux.
        ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # type: ignore[import-untyped, unused-ignore]  # absent where the wheel is compiled
    except OSError:
        ctypes.util.find_library = original
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        try:
            import weasyprint
        except (ImportError, OSError) as exc:
            raise RenderError(f"PDF output needs WeasyPrint and Pango: {exc}") from exc
    except ImportError as exc:
        raise RenderError(f"PDF output needs WeasyPrint: {exc}") from exc
    finally:
        ctypes.util.find_library = original
    logging.getLogger("weasyprint").addFilter(_QuietFontNotice())
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return weasyprint


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def make_url_fetcher(weasyprint: Any, roots: list[Path]) -> Any:
    """A fetcher that serves data: URLs and files under `roots`, and refuses the rest."""
    allowed = [root.resolve() for root in roots]

    class AssetFetcher(weasyprint.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if _inside(path, allowed) and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0]
                    return weasyprint.urls.URLFetcherResponse(
                        url,
                        path.read_bytes(),
                        {"Content-Type": content_type or "application/octet-stream"},
                    )
            raise ValueError(f"not fetched (briefing loads only packaged assets): {url[:200]}")

    return AssetFetcher(allowed_protocols=("data", "file"))


# --- measuring a layout -------------------------------------------------------------------


def _anchors(document: Any, sheet_px: float) -> dict[str, Box]:
    """Element id -> box, with later sheets stacked below the first (continuous y)."""
    anchors: dict[str, Box] = {}
    for number, page in enumerate(document.pages):
        offset = number * sheet_px
        for name, (x1, y1, x2, y2) in page.anchors.items():
            anchors.setdefault(name, (x1, y1 + offset, x2, y2 + offset))
    return anchors


def measure(document: Any, brief: Brief, gone: set[Slot], page: PageGeometry) -> Layout:
    """The layout's height, and each section's items with their measured boxes.

    `brief` is the brief before dropping `gone`; the document shows it without them, so its
    item ids count only the items kept while the slots keep their places in `brief`.
    """
    sheet_px = document.pages[0].height
    anchors = _anchors(document, sheet_px)
    start = anchors.get("brief-start", (0.0, page.top_px, 0.0, 0.0))
    end = anchors.get("brief-end")
    used = (end[1] if end else len(document.pages) * sheet_px) - start[1]
    capacity = page.height_px - start[1] - page.bottom_px
    text_left = start[0]
    text_width = max(1.0, document.pages[0].width - 2 * text_left)
    sections = []
    for section in brief.sections:
        box = anchors.get(f"section-{section.name}")
        if box is None:
            continue  # an empty section the template leaves out
        model = SectionModel(
            name=section.name,
            box=box,
            wide=(box[2] - box[0]) > 0.75 * text_width,
            right=box[0] > text_left + text_width / 2,
        )
        shown = 0
        for index, item in enumerate(section.items):
            slot = Slot(section.name, index)
            if slot in gone:
                continue
            shown += 1
            _add_slot(model, slot, f"{section.name}-{shown}", anchors, item_words(item))
        if section.name == "sources":
            for source in brief.sources:
                slot = Slot("sources", source.number - 1)
                if slot not in gone:
                    words = slot_words(brief, slot)
                    _add_slot(model, slot, slot.element_id, anchors, words)
        sections.append(model)
    return Layout(len(document.pages), used, capacity, sections)


def _add_slot(
    model: SectionModel, slot: Slot, element_id: str, anchors: dict[str, Box], words: int
) -> None:
    box = anchors.get(element_id)
    if box is None:
        return
    model.items[slot] = box
    model.words[slot] = words
    extra = anchors.get(f"{element_id}~strip")
    if extra is not None:
        model.extras[slot] = extra[3] - extra[1]


def pretrim(brief: Brief, font: float) -> Brief:
    """Cheaply drop what can never fit, before laying anything out: the lowest first, while
    the estimated heights add up to more than PRETRIM_FACTOR pages."""
    page = geometry(brief.page_size)
    heights = slot_heights(brief, font, page)
    room = PRETRIM_FACTOR * page_room_px(page)
    total = sum(heights.values())
    if total <= room:
        return brief
    chosen = []
    for slot in droppable(brief):
        if total <= room:
            break
        chosen.append(slot)
        total -= heights[slot]
    return without(brief, chosen)


# --- rendering ----------------------------------------------------------------------------


class _Renderer:
    """Lays out versions of one brief, counting the renders."""

    def __init__(self, brief: Brief, templates: Templates, min_font_pt: float) -> None:
        self.weasyprint = load_weasyprint()
        self.brief = brief
        self.templates = templates
        self.page = geometry(brief.page_size)
        self.min_font_pt = min_font_pt
        self.fetcher = make_url_fetcher(
            self.weasyprint, [*templates.search_path, builtin_templates()]
        )
        self.base_url = builtin_templates().resolve().as_uri() + "/"
        self.count = 0
        # Which sections the template sets across the page, as it declares them: the
        # estimate needs to know before the first layout.
        self.wide = templates.wide_sections(TEMPLATE)

    def estimate(self, font: float) -> Layout:
        """The estimated layout of the whole brief at `font` pt."""
        return estimated_layout(self.brief, font, self.page, self.wide)

    def html(self, gone: set[Slot], font: float, splits: dict[str, int] | None) -> str:
        """The HTML of the brief without `gone`, on the measuring sheet."""
        return render_html(
            without(self.brief, gone) if gone else self.brief,
            self.templates,
            self.min_font_pt,
            font,
            print_mode=True,
            sheet_height_mm=SHEET_HEIGHT_MM,
            splits=splits,
        )

    def layout(
        self,
        gone: set[Slot],
        font: float,
        splits: dict[str, int] | None,
        html: str | None = None,
    ) -> Attempt:
        """WeasyPrint's layout of the brief without `gone` (of `html` when already made)."""
        if html is None:
            html = self.html(gone, font, splits)
        self.count += 1
        document = self.weasyprint.HTML(
            string=html, base_url=self.base_url, url_fetcher=self.fetcher
        ).render()
        layout = measure(document, self.brief, gone, self.page)
        log.debug(
            "pdf: render %d at %.2f pt, %d slot(s) dropped: %.0f of %.0f px",
            self.count,
            font,
            len(gone),
            layout.used,
            layout.capacity,
        )
        return Attempt(document, layout, set(gone), font, dict(splits or {}))

    def write(self, attempt: Attempt) -> bytes:
        """The first sheet, cut to the paper's height: the PDF's one page."""
        first = attempt.document.pages[0]
        first.height = self.page.height_px
        pdf: bytes = attempt.document.copy([first]).write_pdf()
        return pdf


@dataclass
class Attempt:
    document: Any
    layout: Layout
    gone: set[Slot]  # what it leaves out, at
    font: float  # this size, with
    splits: dict[str, int]  # these column splits


def render_pdf(
    brief: Brief, templates: Templates, page_size: str | None, min_font_pt: float
) -> bytes:
    """Exactly one page, whatever the content, on the brief's paper. (`page_size`, when
    given, must be the brief's: the PDF worker still passes it along.)"""
    if page_size is not None and page_size != brief.page_size:
        brief = dataclasses.replace(brief, page_size=page_size)
    font = max(min_font_pt, brief.font_pt)
    renderer = _Renderer(pretrim(brief, font), templates, min_font_pt)
    brief = renderer.brief
    order = droppable(brief)
    # First the estimate, so that the first render usually fits as it is.
    estimate = renderer.estimate(font)
    guess = plan(brief, order, estimate, set(), (estimate.capacity - SAFETY_PX) * FIRST_AIM)
    log.debug("pdf: estimate: drop %d of %d, %.0f px", len(guess.gone), len(order), guess.height)
    first_html = renderer.html(guess.gone, font, guess.splits)
    # The same first page as a brief fitted before: its answer, checked by one layout.
    key = layout_cache.cache_key(first_html, min_font_pt, renderer.weasyprint.__version__)
    known = layout_cache.load(key)
    if known is not None:
        attempt = renderer.layout(set(known.gone), known.font, known.splits)
        if attempt.layout.fits == known.fits:
            log.debug("pdf: laid out as before (layout cache)")
            if not known.fits:
                _warn_cut(known.font)
            return renderer.write(attempt)
    attempt = renderer.layout(guess.gone, font, guess.splits, first_html)
    fitted = _search(renderer, order, guess, attempt, font)
    log.debug("pdf: one page after %d render(s)", renderer.count)
    layout_cache.store(
        key,
        layout_cache.CachedPlan(
            frozenset(fitted.gone), fitted.splits, fitted.font, fitted.layout.fits
        ),
    )
    return renderer.write(fitted)


def _search(
    renderer: _Renderer, order: list[Slot], guess: Plan, attempt: Attempt, font: float
) -> Attempt:
    """From the first layout (of the estimate's plan), the layout to print."""
    brief = renderer.brief
    if attempt.layout.fits:
        return _fill_up(renderer, order, guess, attempt, font) or attempt
    fitted: Attempt | None = None
    gone = guess.gone
    hopeless = False  # even with every droppable slot gone it would not fit
    # Measured now: plan from the boxes, then once more from the closer measurement.
    for _ in range(2):
        proposal = plan(brief, order, attempt.layout, gone)
        hopeless = not proposal.fits
        if hopeless or proposal.gone == gone:
            break
        log.debug("pdf: plan: drop %d, estimated %.0f px", len(proposal.gone), proposal.height)
        gone = proposal.gone
        attempt = renderer.layout(gone, font, proposal.splits)
        if attempt.layout.fits:
            fitted = attempt
            break
    if fitted is None and not hopeless:
        fitted = _bisect(renderer, order, 0, len(order), font)
    if fitted is None:
        fitted = _shrink_font(renderer, with_uncited(brief, order), font)
    return fitted


def _fill_up(
    renderer: _Renderer, order: list[Slot], guess: Plan, attempt: Attempt, font: float
) -> Attempt | None:
    """The first render fits but the estimate dropped too much: the page, or one of its
    columns, has room left.

    The measured boxes, with the dropped items back at their estimated heights (corrected by
    how far off the estimate was for each section), tell what to put back. Should WeasyPrint
    find that too much, its measured boxes tell what to take out again (one more render,
    which nearly always fits): either way the page ends fuller than the first.
    """
    if not guess.gone:
        return None
    brief = renderer.brief
    estimate = renderer.estimate(font)
    fuller = plan(brief, order, with_estimates(attempt.layout, estimate, guess.gone), set())
    # Worth a render when an item comes back: the columns may also split anew (a column
    # with room beside a full one holds more once a section changes sides).
    if not fuller.fits or not any(slot.section != "sources" for slot in guess.gone - fuller.gone):
        return None
    log.debug("pdf: room left: put back %d slot(s)", len(guess.gone - fuller.gone))
    second = renderer.layout(fuller.gone, font, fuller.splits)
    if second.layout.fits:
        return second if second.layout.used > attempt.layout.used else None
    # Too full: the fewest drops that the measured boxes say will fit.
    trimmed = plan(brief, order, second.layout, fuller.gone)
    if not trimmed.fits or renderer.count >= MAX_RENDERS:
        return None
    third = renderer.layout(trimmed.gone, font, trimmed.splits)
    return third if third.layout.fits and third.layout.used > attempt.layout.used else None


def _bisect(
    renderer: _Renderer, order: list[Slot], low: int, high: int, font: float
) -> Attempt | None:
    """The fewest drops that fit, by bisection between `low` (too few) and `high`."""
    fitted = None
    while high - low > 1 and renderer.count < MAX_RENDERS:
        middle = (low + high) // 2
        attempt = renderer.layout(with_uncited(renderer.brief, order[:middle]), font, None)
        if attempt.layout.fits:
            high, fitted = middle, attempt
        else:
            low = middle
    if fitted is None and high > low and renderer.count < MAX_RENDERS:
        attempt = renderer.layout(with_uncited(renderer.brief, order[:high]), font, None)
        fitted = attempt if attempt.layout.fits else None
    return fitted


def _shrink_font(renderer: _Renderer, gone: set[Slot], font: float) -> Attempt:
    """Every section is down to its best item and it still overflows: smaller type, never
    below the floor. Should even the floor overflow, the page is cut at the paper's edge."""
    attempt = renderer.layout(gone, font, None)
    while not attempt.layout.fits and font > renderer.min_font_pt:
        if renderer.count >= MAX_RENDERS:
            break
        # Text area grows with the square of the font size (taller lines, fewer per line).
        ratio = (attempt.layout.capacity - SAFETY_PX) / max(attempt.layout.used, 1.0)
        smaller = math.floor(font * math.sqrt(ratio) * 20) / 20
        font = max(renderer.min_font_pt, min(smaller, font - 0.05))
        attempt = renderer.layout(gone, font, None)
    if not attempt.layout.fits:
        _warn_cut(font)
    return attempt


def _warn_cut(font: float) -> None:
    log.warning("the brief does not fit on one page even at %.1f pt; cut at the edge", font)
