"""Stage 4: render a Brief as Markdown, HTML, a one-page PDF and JSON.

Templates come from a search path, most specific first (see templates/README.md); the
built-in ones are shipped in the package. WeasyPrint is imported only when a PDF is asked for.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..errors import RenderError
from ..models import Brief, Extraction
from .pdf_worker import PdfWorker

__all__ = ["PdfWorker", "render"]


def render(
    brief: Brief,
    formats: list[str],
    template_dirs: list[Path],
    min_font_pt: float,
    extraction: Extraction | None = None,
    pdf_worker: PdfWorker | None = None,
) -> dict[str, bytes]:
    """File contents per format ("md", "html", "pdf", "json"), in the order asked.

    The HTML and JSON hold the whole brief (within the audience's limits); the Markdown keeps
    to the audience's word budget and the PDF to one page of the brief's paper
    (`brief.page_size`), both by dropping the lowest-ranked items. The JSON includes the
    extraction when it is given. `pdf_worker`: a process started early that lays out the
    PDF (else it is made here).
    """
    # Imported here, not with the package: `briefing extract` writes its JSON through
    # render.json and must not pay for Jinja's import (a tenth of its start-up).
    from .environment import Templates
    from .html import render_html
    from .json import render_json
    from .markdown import render_markdown

    templates = Templates(template_dirs)
    outputs: dict[str, bytes] = {}
    pdf_job: Future[bytes] | None = None
    if "pdf" in formats and pdf_worker is not None:
        # The worker lays out the PDF while this process renders the other formats: a
        # thread waits for it (and holds no lock while it waits).
        waiter = ThreadPoolExecutor(max_workers=1)
        pdf_job = waiter.submit(
            pdf_worker.render, brief, template_dirs, brief.page_size, min_font_pt
        )
        waiter.shutdown(wait=False)
    for fmt in formats:
        if fmt == "md":
            outputs[fmt] = render_markdown(brief, templates).encode("utf-8")
        elif fmt == "html":
            outputs[fmt] = render_html(brief, templates, min_font_pt).encode("utf-8")
        elif fmt == "pdf" and pdf_job is not None:
            outputs[fmt] = b""  # in the order asked; filled in below
        elif fmt == "pdf":
            from .pdf import render_pdf

            outputs[fmt] = render_pdf(brief, templates, None, min_font_pt)
        elif fmt == "json":
            outputs[fmt] = render_json(brief, extraction).encode("utf-8")
        else:
            raise RenderError(f"unknown format {fmt!r}; valid formats: md, html, pdf, json")
    if pdf_job is not None:
        outputs["pdf"] = pdf_job.result()
    return outputs
