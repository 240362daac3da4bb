"""Plain text (.txt) and Markdown (.md) articles.

Markdown is parsed by markdown-it (imported only for .md files) into the same logical lines
as plain text, so that both share one set of headline, metadata and boilerplate rules.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from .article import Article, analyse
from .lines import Line, join_wrapped, physical_lines

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_SKIPPED_BLOCKS = {"fence", "code_block", "html_block", "hr"}
MARKUP_CHECK_CHARS = 20_000
MAX_MARKUP_SHARE = 0.1
# markdown-it spends tens of microseconds on each link bracket or emphasis mark (a megabyte of
# "[word " takes it four seconds, where plain prose takes a twentieth of one); a long article
# has a few thousand marks.
MAX_MARKUP_MARKS = 20_000
_MARKUP_CHARS = "*_[]()`<>!\\"


def read_text(text: str) -> Article:
    return analyse(join_wrapped(physical_lines(text)))


def read_markdown(text: str) -> Article:
    if _markup_heavy(text):
        return read_text(text)
    lines, captions = markdown_lines(text)
    return analyse(lines, captions=captions)


def _markup_heavy(text: str) -> bool:
    """Whether a large text is mostly Markdown punctuation, or holds more marks than any
    article: markdown-it's emphasis and link matching is slow on such input (linear, but
    with a large factor), and it is no article's prose anyway."""
    if len(text) < MARKUP_CHECK_CHARS:
        return False
    marks = sum(text.count(c) for c in _MARKUP_CHARS)
    return marks > MAX_MARKUP_SHARE * len(text) or marks > MAX_MARKUP_MARKS


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def markdown_lines(text: str) -> tuple[list[Line], list[str]]:
    """One line per heading, paragraph or list item; image descriptions as captions."""
    lines: list[Line] = []
    captions: list[str] = []
    heading = False
    for token in _parser().parse(text):
        if token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline":
            content = _inline_text(token.children or [], captions)
            if content:
                lines.append(Line(content, blank_before=True, heading=heading))
        elif token.type in _SKIPPED_BLOCKS:
            continue
    return lines, captions


def _inline_text(children: list[Token], captions: list[str]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            alt = " ".join(child.content.split())
            if alt:
                captions.append(alt)
    return " ".join("".join(parts).split())
