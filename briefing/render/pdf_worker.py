"""A process that makes the PDF, started before the brief exists.

Importing WeasyPrint takes about half a second (its C declarations are parsed and its
libraries loaded on import), as long as reading, extracting and assembling a handful of
articles. Both are Python work, so a thread would not overlap them (the GIL); a forked
process does, on a machine with a second core: the worker imports WeasyPrint while the main
process builds the brief, then lays out the PDF when the brief is handed to it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ..errors import RenderError
from ..lifetime import die_with_parent
from ..models import Brief


def _warm_up() -> None:
    from .pdf import load_weasyprint

    # A failure is said again, with its reason, when the PDF is asked for.
    with contextlib.suppress(RenderError):
        load_weasyprint()


def _render(brief: Brief, template_dirs: list[Path], page_size: str, min_font_pt: float) -> bytes:
    from .environment import Templates
    from .pdf import render_pdf

    return render_pdf(brief, Templates(template_dirs), page_size, min_font_pt)


class PdfWorker:
    """One forked process that has WeasyPrint imported by the time the brief is ready."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=context,
            initializer=die_with_parent,  # a killed build leaves no worker behind
            initargs=(os.getpid(),),
        )
        self._warm: Future[None] = self._pool.submit(_warm_up)

    @classmethod
    def start(cls, cores: int) -> PdfWorker | None:
        """A worker where it pays: Linux (a cheap fork) and more than one core to use."""
        if cores < 2 or not sys.platform.startswith("linux"):
            return None
        return cls()

    def render(
        self, brief: Brief, template_dirs: list[Path], page_size: str, min_font_pt: float
    ) -> bytes:
        return self._pool.submit(_render, brief, template_dirs, page_size, min_font_pt).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
