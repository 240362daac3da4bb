"""The HTML brief: a standalone page (inline CSS, inline SVG, no script, nothing fetched).

The same template serves the PDF: WeasyPrint lays it out with the print media rules. The
page's geometry comes from geometry.py, and the columns are balanced by the same estimate
the one-page fitter starts from (estimate.py).
"""

from __future__ import annotations

import base64
import functools
import mimetypes
from pathlib import Path

from ..errors import RenderError
from ..models import Brief
from .environment import Templates
from .estimate import column_splits
from .filters import SectionGroup, group_sections
from .geometry import COLUMN_PERCENT, PageGeometry, geometry, title_scale

TEMPLATE = "brief.html.j2"


def render_html(
    brief: Brief,
    templates: Templates,
    min_font_pt: float,
    font_pt: float | None = None,
    print_mode: bool = False,
    sheet_height_mm: float | None = None,
    splits: dict[str, int] | None = None,
) -> str:
    """The brief as one HTML page, on the brief's paper (`brief.page_size`).

    `sheet_height_mm` (PDF measuring only) makes the printed sheet that tall, so that the
    whole brief lies on one sheet whatever its length; `splits` tells, per run of column
    sections (keyed by its first section's name), how many sections go in the left column
    (default: the split that balances the estimated heights).
    """
    page = geometry(brief.page_size)
    font = max(min_font_pt, font_pt if font_pt is not None else brief.font_pt)
    return templates.render(
        templates.html,
        TEMPLATE,
        brief=brief,
        font_pt=font,
        min_font_pt=min_font_pt,
        page_size=brief.page_size,
        page=page,
        sheet_height_mm=sheet_height_mm,
        print_mode=print_mode,
        column_px=page.column_px,
        column_percent=COLUMN_PERCENT,
        title_scale=title_scale(brief.title, page, font),
        splits=splits or {},
        column_groups=functools.partial(_column_groups, font_pt=font, page=page),
        theme=brief.theme,
        logo_url=logo_url(brief.theme.logo),
    )


def logo_url(path: str | None) -> str | None:
    """The logo as a data: URL: the page stays standalone, and nothing is fetched."""
    if not path:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RenderError(f"theme.logo: cannot read {path}: {exc.strerror or exc}") from exc
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _column_groups(
    brief: Brief,
    wide: list[str],
    splits: dict[str, int],
    font_pt: float,
    page: PageGeometry,
) -> list[tuple[SectionGroup, int]]:
    """Template helper: the section groups and, for column groups, the left column's size
    (as `splits` says, else as the estimate balances them)."""
    shown = [s for s in brief.sections if s.items or (s.name == "sources" and brief.sources)]
    groups = group_sections(shown, wide)
    if any(not g.wide and g.sections[0].name not in splits for g in groups):
        splits = {**column_splits(brief, font_pt, page, wide), **splits}
    return [(g, splits.get(g.sections[0].name, len(g.sections))) for g in groups]
