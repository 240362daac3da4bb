"""Stage 4: render a Brief as Markdown, HTML, a one-page PDF and JSON.

Templates come from a search path, most specific first (see templates/README.md); the
built-in ones are shipped in the package. WeasyPrint is imported only when a PDF is asked for.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RenderError
from ..models import Brief, Extraction
from .environment import Templates, builtin_templates
from .html import render_html
from .json import render_json
from .markdown import render_markdown
from .pdf_worker import PdfWorker

__all__ = ["PdfWorker", "render", "scaffold"]


def render(
    brief: Brief,
    formats: list[str],
    template_dirs: list[Path],
    page_size: str,
    min_font_pt: float,
    extraction: Extraction | None = None,
    pdf_worker: PdfWorker | None = None,
) -> dict[str, bytes]:
    """File contents per format ("md", "html", "pdf", "json"), in the order asked.

    The HTML and JSON hold the whole brief (within the audience's limits); the Markdown keeps
    to the audience's word budget and the PDF to one page, both by dropping the lowest-ranked
    items. The JSON includes the extraction when it is given. `pdf_worker`: a process
    started early that lays out the PDF (else it is made here).
    """
    templates = Templates(template_dirs)
    outputs: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "md":
            outputs[fmt] = render_markdown(brief, templates).encode("utf-8")
        elif fmt == "html":
            html = render_html(brief, templates, page_size, min_font_pt)
            outputs[fmt] = html.encode("utf-8")
        elif fmt == "pdf" and pdf_worker is not None:
            outputs[fmt] = pdf_worker.render(brief, template_dirs, page_size, min_font_pt)
        elif fmt == "pdf":
            from .pdf import render_pdf

            outputs[fmt] = render_pdf(brief, templates, page_size, min_font_pt)
        elif fmt == "json":
            outputs[fmt] = render_json(brief, extraction).encode("utf-8")
        else:
            raise RenderError(f"unknown format {fmt!r}; valid formats: md, html, pdf, json")
    return outputs


def scaffold(target: Path) -> list[Path]:
    """Write a starter workspace into `target` for `briefing init`: a commented config.yaml,
    an articles/ folder and one example audience template folder. Existing files are kept.
    Returns the files written."""
    source = builtin_templates() / "_init"
    written: list[Path] = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(source)
        destination = target / relative
        if destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes())
        written.append(destination)
    (target / "articles").mkdir(parents=True, exist_ok=True)
    return written
