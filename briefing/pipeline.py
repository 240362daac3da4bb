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
