"""The digest's text: its Markdown (a Jinja template) and that Markdown as an HTML page.

The digest shows the brief of the whole corpus with the new articles listed first and every
item that cites one of them marked **NEW**. The HTML part is the Markdown rendered by
markdown-it-py with its CSS inlined (mail clients drop <style> and <link>); raw HTML and
images in the Markdown are not rendered, so the message loads nothing from the network. The
whole text is shortened step by step until the HTML is under MAX_HTML_BYTES.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

import css_inline
import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..config import template_problem
from ..errors import ConfigError, RenderError
from ..escape import escaped
from ..models import Brief, BriefItem, BriefSection, Changes, Document, Extraction, Theme
from .environment import Templates
from .filters import css_value, escape_md
from .template_source import runtime_error

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

MAX_HTML_BYTES = 100 * 1024
# Items per section of the rest of the brief when the digest leads with what changed.
REST_PER_SECTION = 3

# The e-mail's look; colours and the serif font are the theme's (mail clients ignore CSS
# custom properties, so the values are written in, then inlined).
_CSS = """
body {{ font-family: {serif}; font-size: 15px; line-height: 1.45;
       color: {text}; max-width: 42em; margin: 0 auto; padding: 12px; }}
h1 {{ font-size: 22px; margin: 0 0 4px 0; color: {accent}; }}
h2 {{ font-size: 16px; margin: 18px 0 6px 0; border-bottom: 1px solid {rule};
     text-transform: uppercase; letter-spacing: 0.04em; color: {accent}; }}
p {{ margin: 6px 0; }}
ul {{ margin: 4px 0; padding-left: 20px; }}
li {{ margin: 3px 0; }}
strong {{ color: {text}; }}
a {{ color: {accent}; }}
em {{ color: {muted}; }}
"""


def email_css(theme: Theme) -> str:
    """The e-mail's stylesheet in the theme's colours and serif font."""
    values = {
        name: css_value(getattr(theme, name))
        for name in ("serif", "text", "accent", "rule", "muted")
    }
    return _CSS.format(**values)


_HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}</body>
</html>
"""


def _markdown_renderer() -> MarkdownIt:
    # html=False: raw HTML in the text is shown as text; no images, so nothing is fetched.
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def markdown_to_html(markdown: str, title: str, theme: Theme | None = None) -> str:
    """A standalone HTML page of `markdown` with every style inlined (the theme's)."""
    from html import escape

    body = _markdown_renderer().render(markdown)
    css = email_css(theme or Theme())
    page = _HTML_PAGE.format(title=escape(title), css=css, body=body)
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_link_tags=False)
    return inliner.inline(page)


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
    changes: Changes | None = None

    def changed(self) -> bool:
        found = self.changes
        return found is not None and bool(found.items or found.stances or found.answered)

    def is_new(self, item: BriefItem) -> bool:
        """New when every source that carries the point is new: a point an earlier article
        already made is not news, and a note that another source differs does not make its
        item new (the same rule as assemble.changes)."""
        return bool(item.sources) and set(item.sources) <= self.new_numbers

    def render(
        self, template: jinja2.Template, max_new: int | None, per_section: int | None
    ) -> str:
        if self.changed():  # the rest of the brief follows what changed, shorter
            per_section = min(per_section or REST_PER_SECTION, REST_PER_SECTION)
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
                changes=self.changes if self.changed() else None,
                is_new=self.is_new,
                is_new_source=lambda source: source.number in self.new_numbers,
                cite=short_cite,
            )
        except jinja2.TemplateError as exc:
            raise runtime_error(exc, template.name or "digest") from exc


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
    brief: Brief,
    extraction: Extraction,
    new: list[Document],
    template_dirs: list[Path],
    today: str,
    changes: Changes | None = None,
) -> tuple[str, str]:
    """(Markdown, HTML) of the digest, shortened until the HTML is under MAX_HTML_BYTES;
    `changes`: what changed since the last digest, which it leads with."""
    template = _template(template_dirs)
    text = DigestText(brief, _new_numbers(brief, extraction, new), today, changes)
    markdown = html = ""
    for max_new, per_section in _SIZE_STEPS:
        # File names and other outside text can hold bytes that were not UTF-8 (an e-mail
        # cannot encode them) and control characters (terminal escapes in a reader's mail
        # client): both are shown as backslash escapes.
        markdown = escaped(text.render(template, max_new, per_section), keep="\n\t")
        html = markdown_to_html(markdown, escaped(brief.title), brief.theme)
        if len(html.encode("utf-8")) < MAX_HTML_BYTES:
            break
    return markdown, html


def counted(count: int, noun: str) -> str:
    """'1 new article', '3 new articles': a subject reads better than 'article(s)'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def subject_line(template: str, fields: dict[str, object]) -> str:
    """The Subject: `template` with its plain {name} placeholders filled from `fields`, on
    one line. The config loader refused anything else already (with the line); this check
    is for templates that come from elsewhere."""
    problem = template_problem(template, tuple(fields))
    if problem:
        raise ConfigError(f"digest.subject: {problem}")
    pieces = []
    for literal, name, _, _ in string.Formatter().parse(template):
        pieces.append(literal)
        if name is not None:
            pieces.append(str(fields[name]))
    return escaped(" ".join("".join(pieces).split()))
