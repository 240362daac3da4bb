"""`briefing digest` against a real SMTP server on loopback (aiosmtpd, started per test).

The command runs as a subprocess, as cron runs it, so exit codes and "prints nothing" are
what a crontab would see.
"""

from __future__ import annotations

import ctypes
import email
import email.policy
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from briefing.config import load_config
from briefing.deliver.state import SCHEMA_VERSION, SentDigest, State, exclusive_lock
from briefing.errors import ConfigError
from briefing.models import Brief, BriefItem, BriefSection, BriefSource, Document, Extraction
from briefing.pipeline import template_search_path
from briefing.plan import plan_digest
from briefing.render.digest import compose_text, subject_line

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

NEW_ARTICLE = """Lakeside water accord signed by Norvia and Estland
By Petra Lund
The two inland states agreed on Tuesday to share the lake's water, officials said.
"This is a fair deal for farmers on both shores," the Norvian minister Ola Brenn said.
"""


# --- the SMTP server -------------------------------------------------------------------------


@dataclass
class Recorder:
    """aiosmtpd handler: records accepted envelopes; `reply` set = refuse at that stage."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    reply: str | None = None  # e.g. "451 4.3.0 Try again later"
    stage: str = "DATA"  # DATA or RCPT
    delay_s: float = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply and self.stage == "RCPT":
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(self.delay_s)
        if self.reply and self.stage == "DATA":
            return self.reply
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def free_port() -> int:
    """A loopback port with nothing listening (once the probe socket is closed)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    recorder: Recorder
    port: int
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server(Recorder(), free_port())
    running.start()
    yield running
    running.stop()


# --- the workspace and the command -------------------------------------------------------------


@dataclass
class Workspace:
    root: Path
    articles: Path
    config: Path
    state: Path

    def digest(self, port: int, *extra: str, to: tuple[str, ...] = ("desk@example.org",)):
        return subprocess.run(self.command(port, *extra, to=to), capture_output=True, text=True)

    def command(self, port: int, *extra: str, to: tuple[str, ...] = ("desk@example.org",)):
        args = [sys.executable, "-m", "briefing", "digest", str(self.articles)]
        args += ["--audience", "executive", "--config", str(self.config)]
        args += ["--state", str(self.state), "--smtp-host", HOST, "--smtp-port", str(port)]
        for address in to:
            args += ["--to", address]
        return [*args, *extra]

    def add_article(self, name: str, text: str) -> None:
        (self.articles / name).write_text(text, encoding="utf-8")

    def digests_recorded(self) -> int:
        if not self.state.exists():
            return 0
        with sqlite3.connect(self.state) as db:
            return int(db.execute("SELECT COUNT(*) FROM digests").fetchone()[0])


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt"))[2:4]:
        shutil.copy(seed, articles / seed.name)
    # The repo's config, with a short timeout so the timeout test is quick.
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(re.sub(r"timeout_s: \d+", "timeout_s: 2", text), encoding="utf-8")
    return Workspace(tmp_path, articles, config, tmp_path / "out" / "state.sqlite")


def plain(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def new_section(text: str) -> list[str]:
    """The lines under "New since the last digest"."""
    section = text.split("## New since the last digest", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("- ")]


# --- delivery --------------------------------------------------------------------------------


def test_send_delivers_one_multipart_message_to_the_recipients(
    workspace: Workspace, server: Server
) -> None:
    result = workspace.digest(server.port, "--send", to=("desk@example.org", "night@example.org"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert len(server.recorder.messages) == 1
    recipients, message = server.recorder.messages[0]
    assert recipients == ["desk@example.org", "night@example.org"]
    assert message["To"] == "desk@example.org, night@example.org"
    assert message["From"] == "briefing@localhost"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in message.iter_parts())
    assert message["Message-ID"].endswith("@localhost>")
    assert message["Date"]
    assert "2 new articles" in message["Subject"]
    assert len(new_section(plain(message))) == 2
    assert "<h2" in html(message)
    assert workspace.digests_recorded() == 1


def test_rerun_sends_nothing_prints_nothing(workspace: Workspace, server: Server) -> None:
    assert workspace.digest(server.port, "--send").returncode == 0
    again = workspace.digest(server.port, "--send")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert len(server.recorder.messages) == 1
    assert workspace.digests_recorded() == 1


def test_resaved_file_is_not_new(workspace: Workspace, server: Server) -> None:
    assert workspace.digest(server.port, "--send").returncode == 0
    first = sorted(workspace.articles.iterdir())[0]
    shutil.copy(first, workspace.articles / ("copy-" + first.name))
    first.touch()
    assert workspace.digest(server.port, "--send").returncode == 0
    assert len(server.recorder.messages) == 1


def test_new_article_goes_out_alone_and_marked(workspace: Workspace, server: Server) -> None:
    assert workspace.digest(server.port, "--send").returncode == 0
    workspace.add_article("zz-lake.txt", NEW_ARTICLE)
    result = workspace.digest(server.port, "--send")
    assert (result.returncode, result.stderr) == (0, "")
    assert len(server.recorder.messages) == 2
    _, message = server.recorder.messages[1]
    assert "1 new article," in message["Subject"]
    assert new_section(plain(message)) == [
        "- **NEW** [3] Lakeside water accord signed by Norvia and Estland"
    ]
    assert "3 in all" in plain(message)
    assert "Lakeside water accord signed by Norvia and Estland" in html(message)


def test_force_sends_the_whole_corpus_when_nothing_is_new(
    workspace: Workspace, server: Server
) -> None:
    assert workspace.digest(server.port, "--send").returncode == 0
    assert workspace.digest(server.port, "--send", "--force").returncode == 0
    assert len(server.recorder.messages) == 2
    _, message = server.recorder.messages[1]
    assert "0 new articles" in message["Subject"]
    assert "## New since the last digest" not in plain(message)


# --- failures leave the state as it was --------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "reply", "reason"),
    [
        ("DATA", "451 4.3.0 Try again later", "451 4.3.0 Try again later"),
        ("DATA", "550 5.7.1 Message rejected", "550 5.7.1 Message rejected"),
        ("RCPT", "550 5.1.1 No such user", "550 5.1.1 No such user"),
    ],
)
def test_refusal_marks_nothing_and_next_run_sends(
    workspace: Workspace, server: Server, stage: str, reply: str, reason: str
) -> None:
    server.recorder.stage, server.recorder.reply = stage, reply
    failed = workspace.digest(server.port, "--send")
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert failed.stderr.startswith("briefing: error: SMTP server 127.0.0.1:")
    assert reason in failed.stderr
    assert failed.stderr.count("\n") == 1
    assert workspace.digests_recorded() == 0
    server.recorder.reply = None
    assert workspace.digest(server.port, "--send").returncode == 0
    assert len(server.recorder.messages) == 1
    assert len(new_section(plain(server.recorder.messages[0][1]))) == 2


def test_server_down_then_back_sends_the_new_article(workspace: Workspace, server: Server) -> None:
    """The issue's scenario: sent; nothing new; article added while the server is down."""
    assert workspace.digest(server.port, "--send").returncode == 0
    assert workspace.digest(server.port, "--send").returncode == 0
    server.stop()
    workspace.add_article("zz-lake.txt", NEW_ARTICLE)
    down = workspace.digest(server.port, "--send")
    assert down.returncode == 1
    assert down.stderr == f"briefing: error: SMTP server {HOST}:{server.port}: Connection refused\n"
    assert workspace.digests_recorded() == 1
    server.start()
    assert workspace.digest(server.port, "--send").returncode == 0
    assert len(server.recorder.messages) == 2
    lines = new_section(plain(server.recorder.messages[1][1]))
    assert lines == ["- **NEW** [3] Lakeside water accord signed by Norvia and Estland"]


def test_silent_server_times_out(workspace: Workspace) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never greets
        silent.bind((HOST, 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        started = time.monotonic()
        result = workspace.digest(port, "--send")
    assert time.monotonic() - started < 15
    assert result.returncode == 1
    assert result.stderr == f"briefing: error: SMTP server {HOST}:{port} timed out after 2 s\n"
    assert workspace.digests_recorded() == 0


def test_two_overlapping_runs_send_exactly_one_message(
    workspace: Workspace, server: Server
) -> None:
    server.recorder.delay_s = 1.0  # the first run holds the lock while the second starts
    runs = [
        subprocess.Popen(
            workspace.command(server.port, "--send"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs == [("", ""), ("", "")]
    assert len(server.recorder.messages) == 1
    assert workspace.digests_recorded() == 1


def test_run_while_another_holds_the_lock_steps_aside(workspace: Workspace, server: Server) -> None:
    with exclusive_lock(workspace.state):
        busy = workspace.digest(server.port, "--send")
        command = workspace.command(server.port, "--send")
        command.insert(command.index("digest"), "-v")
        verbose = subprocess.run(command, capture_output=True, text=True)
    assert (busy.returncode, busy.stdout, busy.stderr) == (0, "", "")
    assert verbose.returncode == 0
    assert verbose.stderr.startswith("briefing: another digest run holds ")
    assert server.recorder.messages == []
    assert workspace.digest(server.port, "--send").returncode == 0
    assert len(server.recorder.messages) == 1


# --- dry run and usage -------------------------------------------------------------------------


def test_eml_writes_a_parseable_message_and_marks_nothing(
    workspace: Workspace, server: Server
) -> None:
    target = workspace.root / "eml"
    result = workspace.digest(server.port, "--eml", str(target))
    assert result.returncode == 0
    (written,) = sorted(target.glob("*.eml"))
    assert result.stdout == f"{written}\n"
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["To"] == "desk@example.org"
    assert not workspace.state.exists()
    assert server.recorder.messages == []
    assert workspace.digest(server.port, "--send").returncode == 0
    assert len(new_section(plain(server.recorder.messages[0][1]))) == 2


def test_html_part_is_small_and_loads_nothing_remote(workspace: Workspace, server: Server) -> None:
    hostile = (
        'Tracker <img src="http://pixel.example/a.gif"> ![p](https://pixel.example/b.gif) '
        '<link rel="stylesheet" href="https://css.example/x.css">\n'
        "The council met on Friday to discuss the harbour tariff, members said.\n"
    )
    workspace.add_article("hostile.txt", hostile)
    assert workspace.digest(server.port, "--send").returncode == 0
    page = html(server.recorder.messages[0][1])
    assert len(page.encode("utf-8")) < 100 * 1024
    assert re.search(r"<(img|link|script|iframe)\b", page) is None
    assert re.search(r"<[^>]*\bsrc\s*=", page) is None  # no src attribute on any tag
    assert '&lt;img src="http://pixel.example/a.gif"&gt;' in page  # shown as text
    hrefs = re.findall(r"<(\w+)[^>]*\bhref=", page)
    assert set(hrefs) <= {"a"}


def test_no_recipients_exits_2(workspace: Workspace, server: Server) -> None:
    command = workspace.command(server.port, "--send", to=())
    command[command.index("executive")] = "press"  # the press audience has no recipients
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == (
        "briefing: error: no recipients for audience 'press': give --to ADDR or set "
        "audiences.press.recipients in the config\n"
    )
    assert server.recorder.messages == []


def test_send_and_eml_together_exit_2(workspace: Workspace, server: Server) -> None:
    result = workspace.digest(server.port, "--send", "--eml", str(workspace.root / "eml"))
    assert result.returncode == 2
    assert "choose one of --send" in result.stderr


def test_bad_since_exits_2(workspace: Workspace, server: Server) -> None:
    result = workspace.digest(server.port, "--send", "--since", "19/06/2024")
    assert result.returncode == 2
    assert "--since '19/06/2024': expected a date as YYYY-MM-DD" in result.stderr


# --- the parts, in process ---------------------------------------------------------------------


def doc(name: str, content_hash: str, published: str | None = None) -> Document:
    return Document(id=name, path=f"{name}.txt", content_hash=content_hash, published=published)


def test_plan_by_hash_and_since() -> None:
    docs = [
        doc("a", "h1", "2025-03-01"),
        doc("b", "h2", "2025-03-05"),
        doc("b-copy", "h2", "2025-03-05"),
        doc("c", "h3"),
    ]
    plan = plan_digest(docs, sent={"h1"}, since=None, force=False)
    assert [d.id for d in plan.new] == ["b", "c"]
    assert plan.included == plan.new
    since = plan_digest(docs, sent=set(), since="2025-03-02", force=False)
    assert [d.id for d in since.new] == ["b"]
    forced = plan_digest(docs, sent={"h1", "h2", "h3"}, since=None, force=True)
    assert forced.new == []
    assert [d.id for d in forced.included] == ["a", "b", "b-copy", "c"]


def test_subject_placeholders() -> None:
    fields = {"story": "Lake accord", "date": "2025-03-04", "count": 2, "audience": "Desk"}
    assert (
        subject_line("{story}: {count} new,\n {date}", fields) == "Lake accord: 2 new, 2025-03-04"
    )
    with pytest.raises(ConfigError, match=r"^digest.subject: \{title\} is not a placeholder"):
        subject_line("{title}", fields)
    with pytest.raises(ConfigError, match=r"^digest.subject: \{story.__class__\} is not a"):
        subject_line("{story.__class__}", fields)


def test_state_schema_and_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.sqlite"
    with State.open(path) as state:
        assert state.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        state.record(
            SentDigest(
                "2025-03-04T08:00:00+00:00", "desk", ["a@example.org"], "<m@x>", [doc("a", "h1")]
            )
        )
        assert state.sent_hashes("desk") == {"h1"}
        assert state.sent_hashes("field") == set()
    with State.peek(path) as state:
        assert state.digest_count() == 1
    assert not State.peek(tmp_path / "missing.sqlite").sent_hashes("desk")
    assert not (tmp_path / "missing.sqlite").exists()


def lake_brief(sources: int = 3) -> tuple[Brief, Extraction]:
    docs = [doc(f"d{i}", f"h{i}") for i in range(1, sources + 1)]
    brief = Brief(
        title="Lakeside water accord",
        date="2025-03-04",
        audience="executive",
        audience_title="Desk brief",
        sections=[
            BriefSection(
                "agreement",
                [
                    BriefItem("Both states share the lake's water equally.", sources=[1], rank=2),
                    BriefItem("Farmers get first call in dry summers.", sources=[2, 3], rank=1),
                ],
            ),
            BriefSection("sources"),
        ],
        sources=[BriefSource(i, f"d{i}", f"Report {i}") for i in range(1, sources + 1)],
        document_count=sources,
    )
    return brief, Extraction(documents=docs)


def test_items_only_new_articles_carry_are_marked() -> None:
    config = load_config(ROOT / "config.yaml")
    brief, extraction = lake_brief()
    new = [extraction.documents[1], extraction.documents[2]]
    markdown, page = compose_text(
        brief, extraction, new, template_search_path(config, "executive", None), "2025-03-05"
    )
    assert "- Both states share the lake's water equally. [1]\n" in markdown
    assert "- **NEW** Farmers get first call in dry summers. [2, 3]\n" in markdown
    assert new_section(markdown) == ["- **NEW** [2] Report 2", "- **NEW** [3] Report 3"]
    assert "<strong>NEW</strong>" not in page  # styles are inlined on every tag
    assert re.search(r"<strong[^>]*>NEW</strong> Farmers", page)


def test_a_point_an_earlier_article_made_is_not_new() -> None:
    """[2] was sent before; [3] repeats its point: the point is not news."""
    config = load_config(ROOT / "config.yaml")
    brief, extraction = lake_brief()
    new = [extraction.documents[2]]
    markdown, _ = compose_text(
        brief, extraction, new, template_search_path(config, "executive", None), "2025-03-05"
    )
    assert "- Farmers get first call in dry summers. [2, 3]\n" in markdown
    assert "**NEW** Farmers" not in markdown
    assert new_section(markdown) == ["- **NEW** [3] Report 3"]


def test_huge_corpus_html_stays_under_100_kb() -> None:
    config = load_config(ROOT / "config.yaml")
    brief, extraction = lake_brief(sources=5000)
    brief.sections[0].items[1].sources = list(range(1, 5001))
    markdown, page = compose_text(
        brief,
        extraction,
        extraction.documents,
        template_search_path(config, "executive", None),
        "2025-03-05",
    )
    assert len(page.encode("utf-8")) < 100 * 1024
    assert "[1, 2, 3, 4, 5, 6, +4994]" in markdown
    assert "more new articles." in markdown


# --- hostile names, states and templates (issue 16) ---------------------------------------------


UNTITLED_ARTICLE = (
    '---\ntitle: ""\n---\n'
    "The ferry operators agreed on Monday to share the northern pier, officials said.\n"
)


def test_file_name_not_utf8_is_sent_once_recorded_and_escaped(
    workspace: Workspace, server: Server
) -> None:
    """A name with a byte that is not UTF-8 and a terminal escape: the article has no title,
    so the mail names it by its first words, never by the file name. Sent once, recorded
    with the name escaped."""
    name = os.fsdecode(b"caf\xe9\x1b[2J.md")
    (workspace.articles / name).write_text(UNTITLED_ARTICLE, encoding="utf-8")
    result = workspace.digest(server.port, "--send")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert len(server.recorder.messages) == 1
    _, message = server.recorder.messages[0]
    assert "The ferry operators agreed on Monday" in html(message)
    text = plain(message)
    assert "The ferry operators agreed on Monday" in text
    assert "caf" not in text and "caf" not in html(message)
    assert "\x1b" not in text and "\ufffd" not in text
    again = workspace.digest(server.port, "--send")
    assert (again.returncode, again.stderr) == (0, "")
    assert len(server.recorder.messages) == 1
    assert workspace.digests_recorded() == 1
    with sqlite3.connect(workspace.state) as db:
        paths = [row[0] for row in db.execute("SELECT path FROM documents_seen")]
    assert sum(p.endswith("caf\\xe9\\x1b[2J.md") for p in paths) == 1


@pytest.mark.parametrize("mode", ["--send", "--eml"])
def test_empty_state_file_exits_1_and_sends_nothing(
    workspace: Workspace, server: Server, mode: str
) -> None:
    workspace.state.parent.mkdir(parents=True)
    workspace.state.write_bytes(b"")
    extra = [mode, str(workspace.root / "eml")] if mode == "--eml" else [mode]
    result = workspace.digest(server.port, *extra)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"briefing: error: state file {workspace.state} is empty (0 bytes), not a digest "
        "state; restore it, or delete it to start a new one (every article is then new)\n"
    )
    assert server.recorder.messages == []
    assert not (workspace.root / "eml").exists()
    assert workspace.state.read_bytes() == b""


def test_state_with_garbage_after_its_header_exits_1_in_one_line(
    workspace: Workspace, server: Server
) -> None:
    assert workspace.digest(server.port, "--send").returncode == 0
    data = workspace.state.read_bytes()
    page = int.from_bytes(data[16:18], "big")  # the header's page size; page 1 is the schema
    assert len(data) > page
    workspace.state.write_bytes(data[:page] + bytes(range(256)) * (len(data) // 256))
    workspace.add_article("zz-lake.txt", NEW_ARTICLE)
    result = workspace.digest(server.port, "--send")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"briefing: error: state file {workspace.state}: ")
    assert result.stderr.count("\n") == 1
    assert "malformed" in result.stderr
    assert len(server.recorder.messages) == 1


@pytest.mark.parametrize(
    ("schema", "reason"),
    [
        (
            "CREATE TABLE digests (id INTEGER PRIMARY KEY); PRAGMA user_version = 1",
            "not a digest state (missing tables digest_documents, documents_seen)",
        ),
        (
            "CREATE TABLE notes (body TEXT)",
            "not a digest state (no schema version; holds table notes)",
        ),
    ],
)
def test_state_of_another_shape_is_refused(
    workspace: Workspace, server: Server, schema: str, reason: str
) -> None:
    workspace.state.parent.mkdir(parents=True)
    with sqlite3.connect(workspace.state) as db:
        db.executescript(schema)
    before = workspace.state.read_bytes()
    result = workspace.digest(server.port, "--send")
    assert result.returncode == 1
    assert result.stderr == f"briefing: error: state file {workspace.state}: {reason}\n"
    assert server.recorder.messages == []
    assert workspace.state.read_bytes() == before


def _drop_file_mode_override() -> None:
    """In the child before exec: root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH obeys
    file modes like any user (prctl PR_CAPBSET_DROP = 24; the caps are numbers 1 and 2)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _run_without_write_access(workspace: Workspace, command: list[str]):
    """Run `command` with the state file read-only (mode 0444), as root too."""
    workspace.state.chmod(0o444)
    drop = _drop_file_mode_override if os.geteuid() == 0 else None
    return subprocess.run(command, capture_output=True, text=True, preexec_fn=drop)


def test_read_only_state_exits_1_before_sending(workspace: Workspace, server: Server) -> None:
    assert workspace.digest(server.port, "--send").returncode == 0
    workspace.add_article("zz-lake.txt", NEW_ARTICLE)
    for _ in range(2):  # as cron would, twice: still nothing sent
        result = _run_without_write_access(workspace, workspace.command(server.port, "--send"))
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == (
            f"briefing: error: state file {workspace.state} cannot be written "
            "(attempt to write a readonly database); nothing was sent\n"
        )
    assert len(server.recorder.messages) == 1
    workspace.state.chmod(0o644)
    assert workspace.digest(server.port, "--send").returncode == 0
    assert len(server.recorder.messages) == 2


def test_state_of_schema_1_is_read_and_upgraded(tmp_path: Path) -> None:
    """A state written before digests were recorded as pending: its digests count as sent;
    a dry run reads it without changing the file, a real run upgrades it."""
    from briefing.deliver.state import _MIGRATIONS

    path = tmp_path / "state.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(_MIGRATIONS[0] + "PRAGMA user_version = 1;")
        db.execute(
            "INSERT INTO digests VALUES (1, '2025-03-04T08:00:00+00:00', 'desk', 'a@x', '<m@x>')"
        )
        db.execute("INSERT INTO digest_documents VALUES (1, 'h1')")
    before = path.read_bytes()
    with State.peek(path) as state:
        assert (state.sent_hashes("desk"), state.digest_count("desk")) == ({"h1"}, 1)
    assert path.read_bytes() == before
    with State.open(path) as state:
        assert state.connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert state.sent_hashes("desk") == {"h1"}


@pytest.mark.parametrize(
    ("subject", "field"),
    [
        ("{story.__class__}", "{story.__class__}"),
        ("{story[x]}: {date}", "{story[x]}"),
        ("{count:>999999999}", "{count:>999999999}"),
        ("{story!r}", "{story!r}"),
        ("{0}", "{0}"),
        ("{}", "{}"),
        ("{title}", "{title}"),
    ],
)
def test_subject_allows_only_plain_placeholders(
    workspace: Workspace, server: Server, subject: str, field: str
) -> None:
    text = workspace.config.read_text(encoding="utf-8")
    line = text.splitlines().index('  subject: "{story}: {articles}, {date}"') + 1
    text = text.replace('"{story}: {articles}, {date}"', repr(subject).replace("'", '"'))
    workspace.config.write_text(text, encoding="utf-8")
    result = workspace.digest(server.port, "--eml", str(workspace.root / "eml"))
    assert result.returncode == 2
    assert result.stderr == (
        "briefing: error: invalid config:\n"
        f"  digest.subject: {field} is not a placeholder; use {{story}}, {{date}}, "
        f"{{count}}, {{articles}} or {{audience}} (and {{{{ }}}} for a brace) "
        f"({workspace.config}:{line})\n"
    )
    assert not (workspace.root / "eml").exists()


def test_subject_with_literal_braces() -> None:
    fields = {"story": "Lake accord", "count": 2}
    assert subject_line("{{{story}}} {count}", fields) == "{Lake accord} 2"


class KillAfterData(Recorder):
    """Accepts the message, then kills the client before it hears "250": the server has
    the mail, the run never learns it."""

    victim: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if self.victim is not None:
            os.kill(self.victim.pid, signal.SIGKILL)
            self.victim.wait()
            self.victim = None
        return reply


def test_a_resent_digest_keeps_its_message_id(workspace: Workspace) -> None:
    recorder = KillAfterData()
    running = Server(recorder, free_port())
    running.start()
    try:
        recorder.victim = subprocess.Popen(
            workspace.command(running.port, "--send"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        recorder.victim.communicate(timeout=60)
        assert len(recorder.messages) == 1
        resent = workspace.digest(running.port, "--send")
        assert resent.returncode == 0
        assert resent.stderr.startswith("briefing: an earlier digest <digest.")
        assert "may have reached the SMTP server but was not recorded as sent" in resent.stderr
        assert resent.stderr.count("\n") == 1
        assert workspace.digest(running.port, "--send").stderr == ""  # recorded now
        forced = workspace.digest(running.port, "--send", "--force")
        assert (forced.returncode, forced.stderr) == (0, "")
    finally:
        running.stop()
    ids = [message["Message-ID"] for _, message in recorder.messages]
    assert len(ids) == 3
    assert ids[0] == ids[1]  # the copy: mail clients can tell
    assert ids[2] != ids[0]  # a deliberate new digest of the same articles is a new message
    assert re.fullmatch(r"<digest\.[0-9a-f]{32}@localhost>", ids[0])
    assert workspace.digests_recorded() == 2


def test_state_that_is_not_a_regular_file_is_refused(workspace: Workspace, server: Server) -> None:
    workspace.state.parent.mkdir(parents=True)
    os.mkfifo(workspace.state)
    result = workspace.digest(server.port, "--send")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"briefing: error: state file {workspace.state} is not a regular file\n"
    assert server.recorder.messages == []
