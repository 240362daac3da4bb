"""The one-page brief of the sample articles says what a reader needs (tests/gold/seeds/brief.yaml).

Each checklist item holds where one of its phrases is in the PDF's text (as pypdf reads it:
line-end hyphens joined, spaces collapsed, case ignored). The analyst brief, densest, must
hold every item; the executive brief, shortest, most of them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from briefing.assemble import assemble
from briefing.config import load_config
from briefing.models import Extraction
from briefing.pipeline import run_extract, template_search_path
from briefing.render import render

ROOT = Path(__file__).parent.parent
CHECKLIST = ROOT / "tests" / "gold" / "seeds" / "brief.yaml"
MINIMUM = {"analyst": 13, "executive": 10}


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("-\n", "")
    return re.sub(r"\s+", " ", text).lower()


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return run_extract(load_config(ROOT / "config.yaml"), [str(ROOT / "seeds")], jobs=1)


def _pdf_text(extraction: Extraction, audience: str) -> tuple[str, int]:
    config = load_config(ROOT / "config.yaml")
    brief = assemble(extraction, config, audience)
    search = template_search_path(config, audience, None)
    data = render(brief, ["pdf"], search, config.render.min_font_pt)["pdf"]
    reader = PdfReader(io.BytesIO(data))
    return _normal(" ".join(page.extract_text() for page in reader.pages)), len(reader.pages)


@pytest.mark.parametrize("audience", sorted(MINIMUM))
def test_one_page_brief_mentions_what_it_must(extraction: Extraction, audience: str) -> None:
    checklist = yaml.safe_load(CHECKLIST.read_text(encoding="utf-8"))["must_mention"]
    assert len(checklist) == 13
    text, pages = _pdf_text(extraction, audience)
    assert pages == 1
    missing = [item["id"] for item in checklist if not any(_normal(p) in text for p in item["any"])]
    assert len(checklist) - len(missing) >= MINIMUM[audience], missing
