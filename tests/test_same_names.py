"""Two inputs with the same file name are two sources, and a brief's own output folder
among the inputs is never read as articles."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli
from briefing.ingest import document_ids

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "fixtures" / "harbour" / "config.yaml"
SIGNING = """\
---
headline: Norland and Valmark sign harbour pact
publisher: Harbour Times
published: 2031-03-03
---
Norland and Valmark signed the harbour security pact on Monday.

Ostria condemned the pact, its foreign ministry said in a statement.
"""
PATROLS = """\
---
headline: Patrols to begin in April
publisher: Valmark Post
published: 2031-03-04
---
Joint naval patrols under the pact are due to begin in April, the Valmark navy said.

Kesh welcomed the pact on Tuesday.
"""


def test_repeated_names_get_their_own_ids() -> None:
    files = [Path("x/article.txt"), Path("y/article.txt"), Path("a.md"), Path("z/article.md")]
    assert document_ids(files) == {"y/article.txt": "article~2", "z/article.md": "article~3"}
    # an id another file already has as its name is not given again
    taken = [Path("x/a.txt"), Path("a~2.txt"), Path("y/a.txt")]
    assert document_ids(taken) == {"y/a.txt": "a~3"}


def _build(*args: str) -> None:
    result = CliRunner().invoke(cli, ["build", *args, "--config", str(CONFIG), "--jobs", "1"])
    assert result.exit_code == 0, result.output


def test_two_files_of_the_same_name_are_cited_apart(tmp_path: Path) -> None:
    for folder, text in (("x", SIGNING), ("y", PATROLS)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "article.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    _build(str(tmp_path / "x"), str(tmp_path / "y"), "--format", "json", "--out", str(out))
    brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in brief["documents"]] == ["article", "article~2"]
    reactions = {
        item["country"]: item["sources"]
        for section in brief["brief"]["sections"]
        if section["name"] == "reactions"
        for item in section["items"]
    }
    # Each reaction is cited to the one article that carries it.
    assert reactions["Ostria"] == [1]
    assert reactions["Kesh"] == [2]


def test_an_output_folder_among_the_inputs_is_not_read(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "signing.txt").write_text(SIGNING, encoding="utf-8")
    _build(str(tmp_path), "--format", "md,json", "--out", str(tmp_path / "a"))
    # A second build into another folder walks the first one's output: it must skip it.
    _build(str(tmp_path), "--format", "md,json", "--out", str(tmp_path / "b"))
    brief = json.loads((tmp_path / "b" / "brief.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in brief["documents"]] == ["signing"]
    assert "from 1 source" in (tmp_path / "b" / "brief.md").read_text(encoding="utf-8")
