"""File names are data and hidden characters do not survive ingest.

A name that is not UTF-8 crashed `build --format json` and made `extract` write invalid
UTF-8; a name with a newline forged a line of stderr; bidi overrides made the PDF show
reversed words (issue 16).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from briefing.config import parse_config
from briefing.ingest import read_file
from briefing.ingest.safetext import printable, strip_unsafe

from .corpus import GOOD_IDS, extracted_ids, run_cli, write_config, write_good

ARTICLE = (
    "Fishing talks resume in the north\n\n"
    "Tarvos and Quellin met on Monday and said the fishing pact would hold, officials said.\n"
)
FORGED = "x\nbriefing: error: forged line"


def _odd_names(folder: Path) -> None:
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    (folder / f"{FORGED}.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "red\x1b[31m.txt").write_bytes(b"")  # skipped: its name is in a warning


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="byte file names (Linux)")
def test_names_that_are_not_utf8_or_hold_newlines_are_escaped(tmp_path: Path) -> None:
    write_good(tmp_path)
    config = write_config(tmp_path)
    _odd_names(tmp_path)
    run = run_cli(["extract", str(tmp_path), "--jobs", "1"], config)
    assert run.exit_code == 0
    run.stdout.encode("utf-8")  # no lone surrogate: valid UTF-8 once written
    assert extracted_ids(run) == sorted([*GOOD_IDS, "caf\\xe9", "x\\nbriefing: error: forged line"])
    (warning,) = run.warnings
    assert warning.endswith("/red\\x1b[31m.txt: empty file")
    out = tmp_path / "out"
    built = run_cli(["build", str(tmp_path), "--format", "json,md", "--out", str(out)], config)
    assert built.exit_code == 0
    brief = json.loads((out / "brief.json").read_bytes().decode("utf-8"))
    assert "caf\\xe9" in {s["doc"] for s in brief["brief"]["sources"]}


def test_no_name_reaches_stderr_raw(tmp_path: Path) -> None:
    write_good(tmp_path)
    config = write_config(tmp_path)
    (tmp_path / f"{FORGED}.txt").write_bytes(b"")
    (tmp_path / "rtl\u202etxt.exe.txt").write_bytes(b"")
    run = run_cli(["extract", str(tmp_path), "--jobs", "1"], config)
    assert len(run.warnings) == 2
    assert not any("error: forged" in w and w.startswith("briefing: error") for w in run.warnings)
    assert any("/x\\nbriefing: error: forged line.txt: empty file" in w for w in run.warnings)
    assert any("rtl\\u202etxt.exe.txt" in w for w in run.warnings)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("plain.txt", "plain.txt"),
        ("caf\udce9.txt", "caf\\xe9.txt"),
        ("a\nb\r\tc", "a\\nb\\r\\tc"),
        ("\u2028\u2029\x85", "\\u2028\\u2029\\x85"),
        ("ok\u00e9\u4e2d", "ok\u00e9\u4e2d"),
    ],
)
def test_printable(name: str, shown: str) -> None:
    assert printable(name) == shown


BIDI = "The minister called it a \u202etaerht\u202c, and \u2066quiet\u2069 words\u200b followed."


def test_bidi_and_invisible_characters_are_removed_at_ingest(tmp_path: Path) -> None:
    text = f"Harbour talks stall\u202e\n\n{BIDI} Officials said so on Monday.\n"
    (tmp_path / "bidi.txt").write_text(text, encoding="utf-8")
    page = (
        "<html><head><title>Harbour talks stall</title></head><body><article>"
        "<h1>Harbour talks stall</h1><p>The minister called it a &#x202e;taerht&#x202c;, "
        "officials said on Monday, and the talks would go on next week.</p>"
        "</article></body></html>"
    )
    (tmp_path / "bidi.html").write_text(page, encoding="utf-8")
    for name in ("bidi.txt", "bidi.html"):
        (doc,) = read_file(tmp_path / name, 1_000_000)
        shown = json.dumps([doc.headline, *doc.paragraphs], ensure_ascii=False)
        assert "taerht" in shown
        assert not any(c in shown for c in "\u202e\u202c\u2066\u2069\u200b")


def test_strip_unsafe_keeps_text_and_spaces_out_controls() -> None:
    assert strip_unsafe("plain text") == "plain text"
    assert strip_unsafe("a\x1bb\tc\nd\u202ee\x85f") == "a b\tc\nd" + "ef"


# A config whose texts hide bidi overrides, isolates and zero-width characters (YAML's
# "\u202e" escapes), and whose inputs path holds one that the file name really has.
HIDDEN_CONFIG = """\
story:
  title: "Harbour \\u202etaerht\\u202c talks"
  principals: ["Tar\\u200bvos", Quellin]
  third_countries: [Ardenne]
  agreement_terms: ["fishing\\u2066 pact\\u2069"]
countries:
  "Tar\\u200bvos": {aliases: [Tarvosian], label: "\\u202eTarvos\\u202c Isles"}
  Quellin: {aliases: [Quellish]}
  Ardenne: {aliases: [Ardennian]}
inputs: ["in\\u200d"]
default_audience: desk
audiences:
  desk: {title: "Desk \\u2067brief\\u2069"}
digest: {subject: "{story}\\u202e: {articles}"}
"""


def _hidden(text: str) -> bool:
    return any(c in text for c in "\u202e\u202c\u2066\u2067\u2069\u200b\u200d")


def test_config_text_loses_hidden_characters_paths_keep_them(tmp_path: Path) -> None:
    config = parse_config(HIDDEN_CONFIG, str(tmp_path / "story.yaml"))
    assert config.story.title == "Harbour taerht talks"
    assert config.story.principals == ["Tarvos", "Quellin"]
    assert "Tarvos" in config.countries  # the key and the principal still agree
    assert config.country_label("Tarvos") == "Tarvos Isles"
    assert config.story.agreement_terms == ["fishing pact"]
    assert config.audiences["desk"].title == "Desk brief"
    assert config.digest.subject == "{story}: {articles}"
    assert config.inputs == ["in\u200d"]  # a path is the file's name as it is


def test_a_brief_from_a_config_with_hidden_characters_shows_none(tmp_path: Path) -> None:
    folder = tmp_path / "in\u200d"
    folder.mkdir()
    (folder / "talks.txt").write_text(
        "Fishing talks resume\n\nPublished: May 14, 2033\n\nTarvos and Quellin signed the "
        "fishing pact on Monday. Ardenne condemned the pact, officials said.\n",
        encoding="utf-8",
    )
    config = tmp_path / "story.yaml"
    config.write_text(HIDDEN_CONFIG, encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli(["build", "--format", "md,html", "--out", str(out)], config)
    assert run.exit_code == 0, run.stdout
    md = (out / "brief.md").read_text(encoding="utf-8")
    html = (out / "brief.html").read_text(encoding="utf-8")
    assert "Harbour taerht talks" in md and "Harbour taerht talks" in html
    assert "Desk brief" in md
    assert not _hidden(md) and not _hidden(html)
