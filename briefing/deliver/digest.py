"""`briefing digest`: e-mail an audience the brief of the whole corpus, new articles marked.

A document is new for an audience until a digest that included it was accepted by the SMTP
server (state.py). The brief's sections are assembled from the whole corpus, so the reader
gets the current picture; items that cite a new article carry a **NEW** mark.

The run holds the state's lock from reading the state to recording the delivery, so two
overlapping cron runs cannot both send the same documents.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import jinja2
from markupsafe import Markup

from ..assemble import assemble
from ..config import Config, Smtp
from ..errors import ConfigError, DeliveryError, RenderError, UsageError
from ..models import Brief, BriefItem, BriefSection, Document, Extraction
from ..render.environment import Templates
from ..render.filters import escape_md
from .files import write_atomic
from .mail import MAX_HTML_BYTES, Letter, build_message, markdown_to_html, send
from .state import SentDigest, State, StateBusy, exclusive_lock

log = logging.getLogger("briefing")

TEMPLATE_NAMES = ["digest.md.j2", "_base/digest.md.j2"]
MAX_CITED = 6  # citation numbers shown per item; more become "+N"
# (new articles listed, items per section) tried in turn until the HTML is small enough.
_SIZE_STEPS: tuple[tuple[int | None, int | None], ...] = (
    (None, None),
    (200, None),
    (50, 20),
    (15, 8),
    (5, 3),
)


@dataclass
class DigestRequest:
    """What the command line asked for."""

    audience: str
    recipients: list[str]
    mode: Literal["send", "eml"]
    state_path: Path
    smtp: Smtp
    eml_dir: Path | None = None
    since: str | None = None  # YYYY-MM-DD: only articles published on or after it are new
    force: bool = False  # send even when nothing is new


@dataclass
class Outcome:
    status: Literal["sent", "written", "nothing_new", "busy"]
    new_count: int = 0
    recipients: list[str] = field(default_factory=list)
    message_id: str | None = None
    path: Path | None = None


@dataclass
class Plan:
    """The documents a digest covers: `new` ones are marked, all `included` are recorded."""

    new: list[Document]
    included: list[Document]


def smtp_settings(config: Config, host: str | None, port: int | None) -> Smtp:
    """The configured SMTP settings with the command line's overrides."""
    settings = config.digest.smtp
    return replace(
        settings,
        host=host if host is not None else settings.host,
        port=port if port is not None else settings.port,
    )


def check_since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError as exc:
        raise UsageError(f"--since {value!r}: expected a date as YYYY-MM-DD") from exc


def plan_digest(documents: list[Document], sent: set[str], since: str | None, force: bool) -> Plan:
    """New = not yet sent to the audience (by content hash) and, with --since, published on or
    after that date (undated articles are then left out). --force includes every document."""
    eligible = [d for d in documents if since is None or (d.published or "")[:10] >= since]
    if since is not None:
        eligible = [d for d in eligible if d.published]
    new: list[Document] = []
    hashes: set[str] = set()
    for doc in eligible:
        if doc.content_hash not in sent and doc.content_hash not in hashes:
            hashes.add(doc.content_hash)
            new.append(doc)
    return Plan(new=new, included=eligible if force else new)


# --- the text ---------------------------------------------------------------------------------


def short_cite(item: BriefItem) -> Markup:
    """[1, 3] or [1, 2, 3, 4, 5, 6, +9], plus "(n of m sources)": one line however many."""
    numbers = item.sources
    if not numbers:
        return Markup("")
    shown = [str(n) for n in numbers[:MAX_CITED]]
    if len(numbers) > MAX_CITED:
        shown.append(f"+{len(numbers) - MAX_CITED}")
    text = f"[{', '.join(shown)}]"
    if item.coverage:
        text += f" ({escape_md(item.coverage)})"
    return Markup(text)


def _items_cited(sections: list[BriefSection]) -> set[int]:
    numbers: set[int] = set()
    for section in sections:
        for item in section.items:
            current: BriefItem | None = item
            while current is not None:
                numbers.update(current.sources[:MAX_CITED])
                current = current.counterpoint
    return numbers


def _cut(sections: list[BriefSection], per_section: int | None) -> list[BriefSection]:
    """At most `per_section` items per section, the highest-ranked, in reading order."""
    if per_section is None:
        return sections
    cut = []
    for section in sections:
        keep = {id(i) for i in sorted(section.items, key=lambda i: -i.rank)[:per_section]}
        cut.append(BriefSection(section.name, [i for i in section.items if id(i) in keep]))
    return cut


@dataclass
class DigestText:
    brief: Brief
    new_numbers: set[int]
    today: str

    def is_new(self, item: BriefItem) -> bool:
        current: BriefItem | None = item
        while current is not None:
            if self.new_numbers.intersection(current.sources):
                return True
            current = current.counterpoint
        return False

    def render(
        self, template: jinja2.Template, max_new: int | None, per_section: int | None
    ) -> str:
        sections = _cut(self.brief.sections, per_section)
        new_sources = [s for s in self.brief.sources if s.number in self.new_numbers]
        listed = new_sources if max_new is None else new_sources[:max_new]
        cited = _items_cited(sections)
        sources = [s for s in self.brief.sources if s.number in cited]
        try:
            return template.render(
                brief=self.brief,
                sections=sections,
                new_sources=listed,
                more_new=len(new_sources) - len(listed),
                new_count=len(new_sources),
                today=self.today,
                sources=sources,
                is_new=self.is_new,
                is_new_source=lambda source: source.number in self.new_numbers,
                cite=short_cite,
            )
        except jinja2.TemplateError as exc:
            raise RenderError(f"template {template.name!r}: {exc}") from exc


def _template(template_dirs: list[Path]) -> jinja2.Template:
    templates = Templates(template_dirs)
    try:
        return templates.markdown.select_template(TEMPLATE_NAMES)
    except jinja2.TemplatesNotFound as exc:
        raise RenderError(
            f"template {TEMPLATE_NAMES[0]!r} not found; search path: {templates.describe()}"
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc


def _new_numbers(brief: Brief, extraction: Extraction, new: list[Document]) -> set[int]:
    """Citation numbers of the new documents (sources are numbered in document order)."""
    new_ids = {id(d) for d in new}
    new_hashes = {d.content_hash for d in new}
    numbers = set()
    for number, doc in enumerate(extraction.documents, start=1):
        if id(doc) in new_ids or doc.content_hash in new_hashes:
            numbers.add(number)
    return {n for n in numbers if n <= len(brief.sources)}


def compose_text(
    brief: Brief, extraction: Extraction, new: list[Document], template_dirs: list[Path], today: str
) -> tuple[str, str]:
    """(Markdown, HTML) of the digest, shortened until the HTML is under MAX_HTML_BYTES."""
    template = _template(template_dirs)
    text = DigestText(brief, _new_numbers(brief, extraction, new), today)
    markdown = html = ""
    for max_new, per_section in _SIZE_STEPS:
        markdown = text.render(template, max_new, per_section)
        html = markdown_to_html(markdown, brief.title)
        if len(html.encode("utf-8")) < MAX_HTML_BYTES:
            break
    return markdown, html


class _SubjectFields(dict[str, object]):
    def __missing__(self, key: str) -> object:
        valid = ", ".join("{" + k + "}" for k in self)
        raise ConfigError(f"digest.subject: unknown placeholder {{{key}}}; valid: {valid}")


def _counted(count: int, noun: str) -> str:
    """'1 new article', '3 new articles': a subject reads better than 'article(s)'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def subject_line(template: str, fields: dict[str, object]) -> str:
    try:
        subject = string.Formatter().vformat(template, (), _SubjectFields(fields))
    except (ValueError, IndexError, AttributeError) as exc:
        raise ConfigError(f"digest.subject {template!r}: {exc}") from exc
    return " ".join(subject.split())


# --- the run ----------------------------------------------------------------------------------


def run_digest(
    extraction: Extraction,
    config: Config,
    request: DigestRequest,
    template_dirs: list[Path],
    now: Callable[[], datetime] = lambda: datetime.now(UTC).astimezone(),
) -> Outcome:
    """Send (or write as .eml) the digest of what `request.audience` has not had yet."""
    if not request.recipients:
        raise UsageError(
            f"no recipients for audience {request.audience!r}: give --to ADDRESS or set "
            f"audiences.{request.audience}.recipients in the config"
        )
    if request.mode == "eml":
        with State.peek(request.state_path) as state:
            return _write_eml(extraction, config, request, template_dirs, state, now())
    try:
        with exclusive_lock(request.state_path), State.open(request.state_path) as state:
            return _send(extraction, config, request, template_dirs, state, now)
    except StateBusy:
        log.info("another digest run holds %s; leaving it to that run", request.state_path)
        return Outcome("busy")


def _letter(
    extraction: Extraction,
    config: Config,
    request: DigestRequest,
    template_dirs: list[Path],
    plan: Plan,
    when: datetime,
) -> Letter:
    brief = assemble(extraction, config, request.audience)
    today = when.date().isoformat()
    markdown, html = compose_text(brief, extraction, plan.new, template_dirs, today)
    subject = subject_line(
        config.digest.subject,
        {
            "story": config.story.title,
            "date": today,
            "count": len(plan.new),
            "articles": _counted(len(plan.new), "new article"),
            "audience": brief.audience_title,
        },
    )
    return Letter(subject, request.smtp.sender, request.recipients, markdown, html)


def _send(
    extraction: Extraction,
    config: Config,
    request: DigestRequest,
    template_dirs: list[Path],
    state: State,
    now: Callable[[], datetime],
) -> Outcome:
    sent = state.sent_hashes(request.audience)
    plan = plan_digest(extraction.documents, sent, request.since, request.force)
    if not plan.included:
        return Outcome("nothing_new")
    when = now()
    letter = _letter(extraction, config, request, template_dirs, plan, when)
    message = build_message(letter, when)
    accepted = send(message, request.smtp)
    message_id = str(message["Message-ID"])
    sent_at = datetime.now(UTC).isoformat(timespec="seconds")
    state.record(SentDigest(sent_at, request.audience, accepted, message_id, plan.included))
    return Outcome("sent", len(plan.new), accepted, message_id)


def _write_eml(
    extraction: Extraction,
    config: Config,
    request: DigestRequest,
    template_dirs: list[Path],
    state: State,
    when: datetime,
) -> Outcome:
    """The dry run: the message as a file; the state is read, never written."""
    assert request.eml_dir is not None
    plan = plan_digest(
        extraction.documents, state.sent_hashes(request.audience), request.since, request.force
    )
    if not plan.included:
        return Outcome("nothing_new")
    letter = _letter(extraction, config, request, template_dirs, plan, when)
    message = build_message(letter, when)
    path = request.eml_dir / f"digest-{request.audience}-{when:%Y%m%dT%H%M%S}.eml"
    try:
        request.eml_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, message.as_bytes())
    except OSError as exc:
        raise DeliveryError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return Outcome("written", len(plan.new), letter.recipients, str(message["Message-ID"]), path)
