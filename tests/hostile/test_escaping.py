"""Markup and template syntax in an article's text stays inert text in every output format.

The article below carries <script>, <iframe>, an event-handler attribute, javascript: links
(as HTML and as Markdown) and Jinja syntax in sentences the extractors keep: facts with the
story's terms, quotes with a speech verb and a speaker, a third country's reaction, a
question. The brief is built in all four formats; each must show that text as written and
never as live markup, and the Jinja must never be evaluated ({{ 7*7 }} never becomes 49).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from pypdf import PdfReader

from briefing.cli import cli

from .story import STORY_YAML

ARTICLE = """\
Fishing pact signed on the northern banks

Published: May 14, 2033

Tarvos and Quellin signed the fishing pact on Tuesday, setting quotas for the trawlers \
<script>alert("fact")</script> of both fleets.

"The pact <script>alert('quote')</script> opens the banks {{ 7*7 }} to our trawlers," said \
Tarvosian Foreign Minister Ilse Varga.

Under the fishing pact, the quotas {% include "secret.txt" %} take effect on June 1, 2033, the \
coast guard said.

Critics called the fishing pact [rushed](javascript:alert(1)) and said the quotas ignore the \
coast guard <iframe src=frame.html></iframe> entirely.

The coast guard will patrol the banks under the fishing pact, a \
<a href=javascript:alert(2)>draft</a> of the quotas shows.

"We condemn this fishing pact <img src=x onerror=alert(3)> and its quotas {{ 7*7 }}," said \
Ardennian Foreign Minister Piet Lorn.

It is unclear whether the quotas {{ config }} will survive the next election in Quellin.
"""

# A second article whose front matter sets hostile metadata: the headline and publisher show
# in the source list, the javascript: address must never become a link.
FRONT_MATTER = """\
---
headline: "Quota talks <script>alert('headline')</script> {{ 7*7 }} end"
publisher: "<b onmouseover=alert(4)>Harbour Ledger</b>"
url: "javascript:alert(5)"
published: 2033-05-13
---
The coast guard will enforce the quotas of the fishing pact from June, the ministry said.
"""

# Text that must come out as written, each in at least one item of the brief.
ITEM_LITERALS = [
    "<script>alert('quote')</script>",
    '<script>alert("fact")</script>',
    "{{ 7*7 }}",
    '{% include "secret.txt" %}',
    "[rushed](javascript:alert(1))",
    "<iframe src=frame.html></iframe>",
    "<a href=javascript:alert(2)>draft</a>",
    "<img src=x onerror=alert(3)>",
    "{{ config }}",
]
# ... and in the source list.
SOURCE_LITERALS = [
    "Quota talks <script>alert('headline')</script> {{ 7*7 }} end",
    "<b onmouseover=alert(4)>Harbour Ledger</b>",
]
LITERALS = ITEM_LITERALS + SOURCE_LITERALS


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("escaping")
    (root / "config.yaml").write_text(STORY_YAML, encoding="utf-8")
    (root / "articles").mkdir()
    (root / "articles" / "banks.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "articles" / "ledger.txt").write_text(FRONT_MATTER, encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(root / "articles"),
            "--config",
            str(root / "config.yaml"),
            "--out",
            str(out),
            "--format",
            "md,html,json,pdf",
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def _brief_texts(brief: dict) -> list[str]:
    texts = []
    for section in brief["sections"]:
        for item in section["items"]:
            texts += [item["text"], item.get("quote") or ""]
    return texts


def test_hostile_text_reaches_the_brief(outputs: Path) -> None:
    """The test means something only if the hostile text is in the brief's items."""
    data = json.loads((outputs / "brief.json").read_text(encoding="utf-8"))
    texts = " ".join(_brief_texts(data["brief"]))
    for literal in ITEM_LITERALS:
        assert literal in texts, literal
    assert "49" not in texts
    sources = data["brief"]["sources"]
    source_texts = " ".join(f"{s['headline']} {s['publisher']}" for s in sources)
    for literal in SOURCE_LITERALS:
        assert literal in source_texts, literal
    names = [s["name"] for s in data["brief"]["sections"] if s["items"]]
    assert {"agreement", "reactions", "quotes", "questions"} <= set(names)
    assert [source["url"] for source in sources] == [None, None]  # javascript: is no address
    quote = next(q for q in data["quotes"] if q["speaker"] == "Ilse Varga")
    assert (
        quote["text"]
        == "The pact <script>alert('quote')</script> opens the banks {{ 7*7 }} to our trawlers"
    )


def _assert_inert(page: lxml_html.HtmlElement) -> None:
    assert page.xpath("//script") == []
    assert page.xpath("//iframe | //frame | //object | //embed") == []
    assert page.xpath("//img[@onerror] | //img[@src='x']") == []
    handlers = [
        name
        for element in page.iter()
        for name in getattr(element, "attrib", {})
        if name.lower().startswith("on")
    ]
    assert handlers == []
    links = page.xpath("//@href | //@src")
    assert not [link for link in links if link.strip().lower().startswith(("javascript:", "data:"))]


def _text(page: lxml_html.HtmlElement) -> str:
    return " ".join(page.text_content().split())


def test_html_shows_the_markup_as_text(outputs: Path) -> None:
    page = lxml_html.fromstring((outputs / "brief.html").read_bytes())
    _assert_inert(page)
    text = _text(page)
    for literal in LITERALS:
        assert literal in text, literal
    assert "49" not in text


def _permissive_markdown() -> MarkdownIt:
    """Raw HTML passed through and every link target accepted, as a careless renderer
    would: only the brief's own escaping keeps the output inert."""
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def test_markdown_renders_inert(outputs: Path) -> None:
    source = (outputs / "brief.md").read_text(encoding="utf-8")
    assert "<script" not in source and "<iframe" not in source and "<img" not in source
    md = _permissive_markdown()
    tokens = md.parse(source)
    inline = [child for token in tokens for child in token.children or []]
    hrefs = [str(child.attrGet("href")) for child in inline if child.type == "link_open"]
    assert not [href for href in hrefs if "javascript:" in href.lower()]
    assert not [child for child in inline if child.type == "html_inline"]
    assert not [token for token in tokens if token.type == "html_block"]
    page = lxml_html.fromstring(f"<div>{md.render(source)}</div>")
    _assert_inert(page)
    text = _text(page)
    for literal in LITERALS:
        assert literal in text, literal
    assert "49" not in text


def test_json_keeps_the_text_verbatim(outputs: Path) -> None:
    raw = (outputs / "brief.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    texts = [f["text"] for f in data["facts"]] + [q["text"] for q in data["quotes"]]
    assert any("{{ 7*7 }}" in t for t in texts)
    assert any('<script>alert("fact")</script>' in t for t in texts)
    # No template ran on the text ("{{ 7*7 }}" would become 49); the documents' paths (a temp
    # folder such as pytest-149) are left out of the check.
    assert "49" not in raw.replace(str(outputs.parent), "")


def test_pdf_shows_the_text_as_written(outputs: Path) -> None:
    reader = PdfReader(outputs / "brief.pdf")
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert '<script>alert("fact")</script>' in text
    assert "{{" in text and "49" not in text


def test_digest_mail_is_inert(tmp_path: Path) -> None:
    """The e-mail digest carries the brief too: its HTML part is inert, its text part (the
    Markdown) holds no raw markup."""
    import email
    from email import policy

    (tmp_path / "config.yaml").write_text(STORY_YAML, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "banks.txt").write_text(ARTICLE, encoding="utf-8")
    args = ["digest", str(tmp_path / "articles"), "--config", str(tmp_path / "config.yaml")]
    args += ["--to", "desk@example.org", "--eml", str(tmp_path / "mail")]
    args += ["--state", str(tmp_path / "state.sqlite"), "--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (eml,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    plain, rich = [part.get_content() for part in message.iter_parts()]
    assert "<script" not in plain and "<iframe" not in plain and "<img" not in plain
    page = lxml_html.fromstring(rich)
    _assert_inert(page)
    text = _text(page)
    assert '<script>alert("fact")</script>' in text
    assert "49" not in text
