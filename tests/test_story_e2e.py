"""A story of our own making, end to end: three short invented articles about another event
(tests/fixtures/harbour/articles/, with that story's config) become a brief whose sections
say what the articles say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli

HARBOUR = Path(__file__).parent / "fixtures" / "harbour"


def _build(tmp_path: Path, audience: str) -> tuple[dict, str]:
    out = tmp_path / audience
    args = ["build", str(HARBOUR / "articles"), "--config", str(HARBOUR / "config.yaml")]
    args += ["--audience", audience, "--format", "md,json", "--out", str(out), "--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))["brief"]
    return brief, (out / "brief.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    return _build(tmp_path_factory.mktemp("harbour"), "analyst")


def _section(brief: dict, name: str) -> list[dict]:
    return next(s["items"] for s in brief["sections"] if s["name"] == name)


def test_sections_in_the_audience_order(analyst: tuple[dict, str]) -> None:
    brief, _ = analyst
    names = [s["name"] for s in brief["sections"]]
    expected = ["bottom_line", "agreement", "context", "reactions", "quotes", "timeline"]
    assert names == [*expected, "questions", "sources"]
    assert brief["title"] == "Harbour Security Pact: Norland and Valmark sign a defence treaty"
    assert brief["document_count"] == 3


def test_the_agreement_is_up_front(analyst: tuple[dict, str]) -> None:
    brief, _ = analyst
    up_front = " ".join(i["text"] for i in _section(brief, "bottom_line"))
    up_front += " ".join(i["text"] for i in _section(brief, "agreement"))
    assert "mutual assistance" in up_front
    assert "1998 fishing agreement" in up_front


def test_reactions_by_third_country_with_stance(analyst: tuple[dict, str]) -> None:
    brief, _ = analyst
    reactions = _section(brief, "reactions")
    assert [(r["country"], r["stance"]) for r in reactions] == [
        ("Ostria", "condemns"),
        ("Kesh", "supports"),
        ("Brenmark Republic", "concerned"),  # "studying the text and called for calm"
    ]
    assert "Piet Aldan" in reactions[0]["speaker"]
    assert "Mira Sol" in reactions[1]["speaker"]


def test_key_quotes_name_their_speakers(analyst: tuple[dict, str]) -> None:
    brief, _ = analyst
    quotes = {q["speaker"]: q for q in _section(brief, "quotes")}
    assert quotes["Elin Varg"]["country"] == "Norland"
    assert "President of Norland" in quotes["Elin Varg"]["speaker_title"]
    assert quotes["Elin Varg"]["text"] == "This pact opens a new chapter for our two peoples"
    assert quotes["Jonas Berg"]["sources"] == [3]


def test_timeline_oldest_first(analyst: tuple[dict, str]) -> None:
    brief, _ = analyst
    dates = [e["date"] for e in _section(brief, "timeline")]
    assert dates == sorted(dates, key=lambda d: d.ljust(10, "0"))
    assert {"1998", "2030-10", "2031-03-03"} <= set(dates)


def test_open_questions_and_sources(analyst: tuple[dict, str]) -> None:
    brief, markdown = analyst
    questions = " ".join(q["text"] for q in _section(brief, "questions"))
    assert "joint patrols" in questions
    assert [s["publisher"] for s in brief["sources"]] == ["The Harbour Times", "Valmark Post", None]
    for section in brief["sections"]:
        for item in section["items"]:
            # a line of parts (the bottom line's reactions) cites through its parts
            cited = [p["sources"] for p in item["parts"]] or [item["sources"]]
            assert all(cited), (section["name"], item["text"])
    assert "## Sources" in markdown
    assert "[3] Pact raises questions over sanctions" in markdown


def test_executive_keeps_its_four_sections(tmp_path: Path) -> None:
    brief, markdown = _build(tmp_path, "executive")
    names = [s["name"] for s in brief["sections"]]
    assert names == ["bottom_line", "agreement", "reactions", "questions", "sources"]
    assert "## Key quotes" not in markdown


def test_no_dispute_is_made_of_uncertainty(analyst: tuple[dict, str]) -> None:
    """The articles say what is not yet known (ratification, who pays for the patrols); no
    source denies what another states."""
    brief, markdown = analyst
    for section in brief["sections"]:
        for item in section["items"]:
            assert item.get("counterpoint") is None, item["text"]
    assert "Sources differ" not in markdown


def test_quotes_and_reactions_are_not_repeated_in_the_agreement(analyst: tuple[dict, str]) -> None:
    brief, _ = analyst
    agreement = " ".join(i["text"] for i in _section(brief, "agreement"))
    assert "opens a new chapter" not in agreement  # a key quote
    assert "vague on what counts" not in agreement  # a key quote
    assert "deeply concerned" not in agreement  # Ostria's reaction
    # a fact that asks an open question is read once, among the open questions
    assert "raises questions about sanctions" not in agreement
    questions = " ".join(i["text"] for i in _section(brief, "questions"))
    assert "raises questions about sanctions" in questions


def test_items_start_with_their_sentence_not_a_dateline(analyst: tuple[dict, str]) -> None:
    brief, markdown = analyst
    lead = _section(brief, "bottom_line")
    # the report of the event leads, with the story's date (the sentence says "on Monday")
    assert lead[0]["text"].startswith("3 March 2031: Norland and Valmark signed")
    assert "PORT ELLAN —" not in markdown
    for event in _section(brief, "timeline"):
        assert not event["text"].startswith("…"), event["text"]
    signed = [e["text"] for e in _section(brief, "timeline") if "signed a harbour" in e["text"]]
    assert signed == [
        "Norland and Valmark signed a harbour security pact on Monday that commits each side "
        "to mutual assistance …"
    ]
