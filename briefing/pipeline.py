"""The pipeline as library calls: ingest -> extract -> assemble -> render -> deliver.

The CLI is a thin layer over these functions; tests and the digest call them too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from .config import Config
from .errors import NoDocumentsError
from .extract import ExtractContext, extract_corpus
from .ingest import read_documents
from .models import Document, Extraction

log = logging.getLogger("briefing")


def warn_skip(path: str, reason: str) -> None:
    log.warning("skipped %s: %s", path, reason)


def load_documents(
    config: Config, paths: list[str] | None, on_skip: Callable[[str, str], None] = warn_skip
) -> list[Document]:
    """Read every usable document; command-line paths are relative to the working directory."""
    base = Path.cwd() if paths else config.base_dir
    max_bytes = int(config.ingest.max_file_mb * 1024 * 1024)
    docs = list(read_documents(list(paths or config.inputs), base, max_bytes, on_skip))
    if not docs:
        raise NoDocumentsError("no usable document among the inputs")
    return docs


def run_extract(config: Config, paths: list[str] | None) -> Extraction:
    docs = load_documents(config, paths)
    return extract_corpus(docs, ExtractContext.from_config(config))


def template_search_path(config: Config, audience: str, templates_dir: str | None) -> list[Path]:
    """Where templates are looked up, most specific first (see templates/README.md)."""
    from .resources import data_path

    candidates: list[Path] = []
    if templates_dir:
        candidates.append(Path(templates_dir))
    configured = config.audiences[audience].templates
    if configured:
        candidates.append(config.resolve(configured))
    cwd_templates = Path.cwd() / "templates"
    builtin = data_path("templates")
    candidates += [cwd_templates / audience, cwd_templates, builtin / audience, builtin]
    seen: set[Path] = set()
    search: list[Path] = []
    for path in candidates:
        resolved = path.resolve()
        if resolved.is_dir() and resolved not in seen:
            seen.add(resolved)
            search.append(resolved)
    return search


def build(
    config: Config,
    paths: list[str] | None,
    audience: str,
    formats: list[str],
    out_dir: Path,
    templates_dir: str | None = None,
) -> list[Path]:
    """The main job: articles in, brief.{md,html,pdf,json} out (written atomically)."""
    from .assemble import assemble
    from .deliver.files import write_outputs
    from .render import render

    settings = config.audience(audience)
    extraction = run_extract(config, paths)
    brief = assemble(extraction, config, audience)
    outputs = render(
        brief,
        formats,
        template_search_path(config, audience, templates_dir),
        settings.page_size or config.render.page_size,
        config.render.min_font_pt,
    )
    return write_outputs(outputs, out_dir)
