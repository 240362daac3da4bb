"""Audiences: options in the config, a template folder overriding only the blocks it changes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from brief_fixture import FIXTURES, harbour_config, harbour_extraction
from click.testing import CliRunner
from pypdf import PdfReader

from briefing.assemble import assemble
from briefing.cli import cli
from briefing.config import load_config
from briefing.pipeline import template_search_path
from briefing.render import render
from briefing.render.environment import builtin_templates
from briefing.render.markdown import count_words

ROOT = Path(__file__).resolve().parent.parent

CUSTOM_AUDIENCE = """
  board:
    title: Board note
    sections: [bottom_line, reactions, sources]
    limits: {reactions: 2}
    word_budget: 200
    font_pt: 11
    page_size: Letter
"""

# Overrides one block of the HTML brief and one of the Markdown brief; the rest is built in.
BOARD_HTML = """{% extends "_base/brief.html.j2" %}
{% block bottom_line %}<p class="board-summary">For the board: {{ section.items[0].text }}</p>
{% endblock %}"""
BOARD_MD = """{% extends "_base/brief.md.j2" %}
{% block bottom_line %}> For the board: {{ section.items[0].text }}
{% endblock %}"""


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    """A story folder: the harbour config plus a `board` audience with its own templates."""
    config = (FIXTURES / "config.yaml").read_text(encoding="utf-8") + CUSTOM_AUDIENCE
    (tmp_path / "config.yaml").write_text(config, encoding="utf-8")
    board = tmp_path / "templates" / "board"
    board.mkdir(parents=True)
    (board / "brief.html.j2").write_text(BOARD_HTML, encoding="utf-8")
    (board / "brief.md.j2").write_text(BOARD_MD, encoding="utf-8")
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)


def test_custom_audience_overrides_one_block(workspace: Path) -> None:
    config = load_config(workspace / "config.yaml")
    search = template_search_path(config, "board", None)
    assert search[0] == (workspace / "templates" / "board").resolve()
    assert search[-1] == builtin_templates().resolve()
    brief = assemble(harbour_extraction(), config, "board")
    assert [s.name for s in brief.sections] == ["bottom_line", "reactions", "sources"]
    outputs = render(brief, ["md", "html", "pdf"], search, 8.0)
    html = outputs["html"].decode("utf-8")
    assert '<p class="board-summary">For the board: Norland and Valmark signed' in html
    assert 'class="stance-strip"' in html  # the blocks it does not override are the base's
    assert "<h2>Reactions</h2>" in html
    markdown = outputs["md"].decode("utf-8")
    assert "> For the board: Norland and Valmark signed the Harbour Security Pact" in markdown
    assert "## Reactions" in markdown
    reader = PdfReader(__import__("io").BytesIO(outputs["pdf"]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_templates_option_comes_first(workspace: Path) -> None:
    override = workspace / "mine"
    override.mkdir()
    (override / "brief.md.j2").write_text(
        '{% extends "_base/brief.md.j2" %}{% block header %}# From --templates\n{% endblock %}',
        encoding="utf-8",
    )
    config = load_config(workspace / "config.yaml")
    search = template_search_path(config, "board", str(override))
    assert search[:2] == [override.resolve(), (workspace / "templates" / "board").resolve()]
    brief = assemble(harbour_extraction(), config, "board")
    text = render(brief, ["md"], search, 8.0)["md"].decode("utf-8")
    assert text.startswith("# From --templates\n")


def test_unknown_audience_lists_the_valid_ones(workspace: Path) -> None:
    (workspace / "corpus").mkdir()
    (workspace / "corpus" / "a.txt").write_text("Pact signed\n\nThe pact was signed.\n")
    result = CliRunner().invoke(cli, ["build", "corpus", "--audience", "nobody"])
    assert result.exit_code == 2
    assert "unknown audience 'nobody'; valid audiences: analyst, board, executive, press" in (
        result.output
    )


def test_executive_is_shortest_and_analyst_densest() -> None:
    config = harbour_config()
    extraction = harbour_extraction()
    words = {}
    for name in ("executive", "analyst", "press"):
        brief = assemble(extraction, config, name)
        dirs = [builtin_templates() / name, builtin_templates()]
        words[name] = count_words(render(brief, ["md"], dirs, 8.0)["md"].decode("utf-8"))
    assert words["executive"] < words["press"] < words["analyst"]
    assert words["executive"] <= 350


def test_repo_audiences_have_their_own_templates() -> None:
    config = load_config(ROOT / "config.yaml")
    builtin = builtin_templates()
    for name, audience in config.audiences.items():
        for template in ("brief.html.j2", "brief.md.j2"):
            text = (builtin / name / template).read_text(encoding="utf-8")
            assert '{% extends "_base/' in text, (name, template)
        assert audience.page_size == "A4"
    assert config.audiences["executive"].sections == [
        "bottom_line",
        "agreement",
        "reactions",
        "questions",
        "sources",
    ]
    assert len(config.audiences["analyst"].sections) == 8
    assert config.audiences["press"].sections[:2] == ["bottom_line", "quotes"]


def test_press_leads_with_quotes_across_the_page() -> None:
    brief = assemble(harbour_extraction(), harbour_config(), "press")
    dirs = [builtin_templates() / "press", builtin_templates()]
    html = render(brief, ["html"], dirs, 8.0)["html"].decode("utf-8")
    assert html.index('id="section-quotes"') < html.index('id="section-reactions"')
    assert '<ul class="pq-left">' in html
    assert "<h2>On the record</h2>" in html
