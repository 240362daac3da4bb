"""`briefing build` end to end on the sample articles: four files, each usable as it is."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from pypdf import PdfReader

from briefing.cli import cli
from briefing.config import load_config

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CONFIG = ROOT / "config.yaml"
CONTRACT = ["documents", "quotes", "reactions", "events", "open_questions", "facts"]


class _Checker(HTMLParser):
    """Counts tags and notes anything that should not be in a standalone brief."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("src", "href"):
            value = values.get(name) or ""
            if value and not value.startswith(("#", "https://", "http://")):
                self.external.append(value)


def _build(out: Path, *args: str) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(SEEDS), "--config", str(CONFIG), "--out", str(out), *args]
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("analyst")
    _build(out, "--audience", "analyst", "--jobs", "1")
    return out


def _visible(folder: Path) -> list[str]:
    """The names a user sees (the set folder and the switch link are hidden)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_build_writes_the_four_formats(analyst: Path) -> None:
    from briefing.deliver.files import stale_entries

    assert _visible(analyst) == ["brief.html", "brief.json", "brief.md", "brief.pdf"]
    assert stale_entries(analyst) == []


def test_pdf_is_one_a4_page(analyst: Path) -> None:
    reader = PdfReader(analyst / "brief.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = reader.pages[0].extract_text()
    assert "ANALYST BRIEF" in text
    assert "SOURCES" in text


def test_html_parses_and_is_standalone(analyst: Path) -> None:
    checker = _Checker()
    checker.feed((analyst / "brief.html").read_text(encoding="utf-8"))
    checker.close()
    assert checker.tags.count("html") == 1
    assert checker.tags.count("h1") == 1
    assert "script" not in checker.tags
    assert checker.external == []
    assert {"brief-start", "brief-end", "section-sources"} <= checker.ids


def test_markdown_renders(analyst: Path) -> None:
    text = (analyst / "brief.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == load_config(ROOT / "config.yaml").story.title
    assert "Sources" in headings
    assert "<script" not in MarkdownIt("commonmark").render(text)


def test_json_has_the_contract_and_five_documents(analyst: Path) -> None:
    data = json.loads((analyst / "brief.json").read_text(encoding="utf-8"))
    assert set(CONTRACT) <= set(data)
    assert len(data["documents"]) == 5
    assert data["brief"]["audience"] == "analyst"
    assert [s["number"] for s in data["brief"]["sources"]] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("audience", ["executive", "press"])
def test_every_audience_is_one_page(tmp_path: Path, audience: str) -> None:
    _build(tmp_path, "--audience", audience, "--format", "pdf,md")
    reader = PdfReader(tmp_path / "brief.pdf")
    assert len(reader.pages) == 1
    assert f"{audience.upper()} BRIEF" in reader.pages[0].extract_text()
    assert (tmp_path / "brief.md").exists()
    assert not (tmp_path / "brief.html").exists()


def test_failed_render_leaves_the_previous_brief(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(out, "--format", "md")
    before = (out / "brief.md").read_bytes()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "brief.md.j2").write_text("{% block header %}unclosed", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(SEEDS),
            "--config",
            str(CONFIG),
            "--out",
            str(out),
            "--format",
            "md",
            "--templates",
            str(broken),
        ],
    )
    assert result.exit_code == 1
    assert "brief.md.j2" in result.output
    assert (out / "brief.md").read_bytes() == before
    from briefing.deliver.files import stale_entries

    assert _visible(out) == ["brief.md"]
    assert stale_entries(out) == []  # no temporary left behind


def test_interrupted_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.deliver import files

    (tmp_path / "brief.md").write_bytes(b"old brief\n")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_outputs({"md": b"new brief\n", "pdf": b"%PDF"}, tmp_path)
    assert (tmp_path / "brief.md").read_bytes() == b"old brief\n"
    assert _visible(tmp_path) == ["brief.md"]
    assert files.stale_entries(tmp_path) == []


def test_write_outputs_replaces_and_lists_files(tmp_path: Path) -> None:
    from briefing.deliver.files import write_outputs

    target = tmp_path / "new" / "folder"
    assert write_outputs({"md": b"one", "json": b"{}"}, target) == [
        target / "brief.md",
        target / "brief.json",
    ]
    write_outputs({"md": b"two"}, target)
    assert (target / "brief.md").read_bytes() == b"two"
    assert (target / "brief.md").stat().st_mode & 0o777 == 0o644


def test_init_scaffolds_a_workspace(tmp_path: Path) -> None:
    target = tmp_path / "story"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "articles").is_dir()
    assert list((target / "articles").iterdir()) == []
    config = (target / "config.yaml").read_text(encoding="utf-8")
    assert config.startswith("# briefing workspace for one story.")
    assert (target / "templates" / "desk" / "brief.html.j2").exists()
    # The scaffold is a valid config whose audiences all have templates.
    from briefing.config import load_config

    loaded = load_config(target / "config.yaml")
    assert sorted(loaded.audiences) == ["analyst", "desk", "executive", "press"]
    assert loaded.audiences["desk"].page_size == "Letter"
    # A second run changes nothing and says so.
    (target / "config.yaml").write_text(config + "# mine\n", encoding="utf-8")
    again = CliRunner().invoke(cli, ["init", str(target)])
    assert again.exit_code == 0
    assert "nothing changed" in again.output
    assert (target / "config.yaml").read_text(encoding="utf-8").endswith("# mine\n")
