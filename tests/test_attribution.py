"""Attribution patterns of real news beyond the house style of the samples (issue 14).

Every sentence here is invented (the harbour story of tests/fixtures/harbour: Norland,
Valmark, Ostria). Each case names one pattern and asserts the quoted words, the speaker and
whether the quote is partial.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.extract.actors import Gazetteer
from briefing.extract.quotes import extract_quotes
from briefing.models import Document

CONFIG = Path(__file__).resolve().parent / "fixtures" / "harbour" / "config.yaml"
GAZETTEER = Gazetteer.from_config(load_config(CONFIG))


SHIPS = "We will keep the harbour open to every ship"
PATROL = "The patrols will begin before the winter storms"


def found(*paragraphs: str) -> list[tuple[str, str | None, bool]]:
    doc = Document(id="d1", path="d1.txt", paragraphs=list(paragraphs))
    return [(q.text, q.speaker, q.partial) for q in extract_quotes(doc, GAZETTEER)]


CASES = [
    pytest.param(
        (f'"{SHIPS}," said Sen. Mara Quill.',),
        [(SHIPS, "Mara Quill", False)],
        id="abbreviated-title-after-verb",
    ),
    pytest.param(
        (f'"{SHIPS}," Rep. Mara Quill (D-Norl.) said Tuesday.',),
        [(SHIPS, "Mara Quill", False)],
        id="abbreviated-title-and-party-parenthesis",
    ),
    pytest.param(
        (f'Gov. Osric T. Pellam said, "{SHIPS}."',),
        [(f"{SHIPS}.", "Osric T. Pellam", False)],
        id="middle-initial-before-quote",
    ),
]


@pytest.mark.parametrize(("paragraphs", "quotes"), CASES)
def test_patterns(paragraphs: tuple[str, ...], quotes: list[tuple[str, str | None, bool]]) -> None:
    assert found(*paragraphs) == quotes
