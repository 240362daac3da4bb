"""The PDF made in the early-started worker process is the PDF made in-process."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from brief_fixture import harbour_config, harbour_extraction
from pypdf import PdfReader

from briefing.assemble import assemble
from briefing.errors import RenderError
from briefing.render import PdfWorker, render
from briefing.render.environment import builtin_templates


def _dirs(audience: str) -> list[Path]:
    return [builtin_templates() / audience, builtin_templates()]


def _pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("audience", ["analyst", "press"])
def test_worker_pdf_equals_in_process_pdf(audience: str) -> None:
    brief = assemble(harbour_extraction(), harbour_config(), audience)
    here = render(brief, ["pdf"], _dirs(audience), 8.0)["pdf"]
    with PdfWorker() as worker:
        there = render(brief, ["pdf"], _dirs(audience), 8.0, pdf_worker=worker)["pdf"]
    assert len(_pdf_text(there)) == 1
    assert _pdf_text(there) == _pdf_text(here)


def test_worker_failure_reaches_the_caller(tmp_path: Path) -> None:
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "brief.html.j2").write_text("{% block %}", encoding="utf-8")
    brief = assemble(harbour_extraction(), harbour_config(), "analyst")
    with PdfWorker() as worker, pytest.raises(RenderError, match=r"brief\.html\.j2"):
        worker.render(brief, [broken, builtin_templates()], "A4", 8.0)


def test_no_worker_on_one_core() -> None:
    assert PdfWorker.start(1) is None
