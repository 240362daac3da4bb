"""A corpus of broken and hostile files beside two good articles still builds a brief.

Each bad file is skipped with one warning naming it, nothing is fetched, no article markup
is live in the HTML, and the PDF is one page.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html
from pypdf import PdfReader

from briefing.cli import cli

ROOT = Path(__file__).resolve().parents[2]
GOOD = ["002_e1ad543d86c461ac.txt", "004_c6501deb5c616518.txt"]

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>
"""


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared across handler instances on purpose

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _hostile_corpus(folder: Path, base_url: str) -> list[str]:
    """Write the bad files; return the names that must be skipped."""
    for name in GOOD:
        shutil.copy(ROOT / "seeds" / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "laughs.rss").write_text(BILLION_LAUGHS, encoding="utf-8")
    # Nothing but quote marks: no article text, so no source.
    (folder / "quotes.txt").write_text("Quote storm\n\n" + '"' * 300_000 + "\n", encoding="utf-8")
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder)
    # Usable but hostile: these must build, not be skipped.
    legacy = (
        "Harbour talks resume\n\nThe délégués met in Genève on Monday. “Talks resume,” she said.\n"
    )
    (folder / "legacy.txt").write_bytes(legacy.encode("cp1252"))
    (folder / "longline.txt").write_text("Long line\n\n" + "x" * 2_000_000 + "\n", encoding="utf-8")
    nested = "<div>" * 20_000 + "deep" + "</div>" * 20_000
    (folder / "nested.html").write_text(f"<html><body>{nested}</body></html>", encoding="utf-8")
    script_page = f"""<html><head><title>Ministers sign port accord</title>
<link rel="stylesheet" href="{base_url}/remote.css">
<style>body {{ background: url({base_url}/bg.png); }}</style></head><body><article>
<h1>Ministers sign port accord</h1>
<p>The two ministers signed the port accord on Tuesday, officials said in a statement.</p>
<script>alert("pwned")</script><iframe src="{base_url}/frame"></iframe>
<p>Critics called the deal <a href="javascript:alert(1)">rushed</a> and said {{{{ 7*7 }}}}
and {{% include "x" %}} and &lt;script&gt;alert(2)&lt;/script&gt; were in the draft.</p>
<p><img src="{base_url}/photo.png"> The accord takes effect next year, the ministry said.</p>
</article></body></html>"""
    (folder / "script.html").write_text(script_page, encoding="utf-8")
    # Issue 16: impossible dates and deep brackets in front matter are skipped; a name that
    # is not UTF-8 and an article with bidi overrides build.
    filler = "\nPort talks resume\n\nThe ministers met on Monday, officials said.\n"
    (folder / "impossible-day.txt").write_text("---\npublished: 2024-02-30\n---" + filler)
    (folder / "brackets.md").write_text("---\nx: " + "[" * 500 + "]" * 500 + "\n---" + filler)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Port talks in the cafe\n\nThe ministers met in a cafe, officials said.\n")
    bidi = "Port talks stall\n\nThe minister called the plan a \u202etaerht\u202c, aides said.\n"
    (folder / "bidi.txt").write_text(bidi, encoding="utf-8")
    return [
        "empty.txt",
        "binary.txt",
        "laughs.rss",
        "quotes.txt",
        "impossible-day.txt",
        "brackets.md",
    ]


def test_hostile_corpus_builds(tmp_path: Path, local_server: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    skipped = _hostile_corpus(corpus, local_server)
    out = tmp_path / "out"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out), "--jobs", "1"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert elapsed < 45
    warnings = [line for line in result.output.splitlines() if "skipped" in line]
    for name in skipped:
        assert sum(name in line for line in warnings) == 1, (name, warnings)
    assert _Recorder.requests == []
    assert len(PdfReader(out / "brief.pdf").pages) == 1
    page = lxml_html.fromstring((out / "brief.html").read_bytes())
    assert page.xpath("//script") == []
    assert page.xpath("//iframe") == []
    assert not [a for a in page.xpath("//a/@href") if a.lower().startswith("javascript:")]
    markdown = (out / "brief.md").read_text(encoding="utf-8")
    assert "<script" not in markdown
    for fmt in ("md", "html", "json"):
        text = (out / f"brief.{fmt}").read_bytes().decode("utf-8")  # valid UTF-8
        assert "\u202e" not in text


def test_no_usable_document_exits_3(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "no usable document" in result.output
