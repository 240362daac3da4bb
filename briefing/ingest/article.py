"""Logical lines -> an article: headline, subheadlines, body paragraphs, captions, metadata.

Lines are first classified one by one (furniture, metadata, photo credit, caption, end of
article, text). The header is the run of text lines before the first body paragraph: the
headline when the first line looks like one (not the lede), then subheadlines. Every field
stays None unless a line states it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Final

from . import boilerplate as bp
from .dates import date_line
from .lines import (
    Line,
    ends_sentence,
    is_latin_document,
    single_spaced,
    word_count,
    words_up_to,
)
from .metadata import (
    byline_name,
    byline_outlet,
    copyright_holder,
    dateline,
    dateline_text,
    domain_of,
    outlet_name,
    source_name,
    split_title_suffix,
    strip_wire_marker,
    url_in_line,
    wire_credit,
)

MAX_SUBHEADLINES = 5
MAX_HEADER_LINES = 12  # text lines looked at for a headline and subheadlines
HEADLINE_WORDS = (3, 30)
QUESTION_HEADLINE_WORDS = 25  # a longer line ending in "?" or "!" is a lede
SUBHEADLINE_WORDS = (3, 40)
BODY_MIN_WORDS = 6  # a sentence-ending line this long starts the body
BODY_ANY_WORDS = 40  # a line this long is body text whatever its end
HEADLINE_MAX_CHARS = 300
LABEL_MAX_CHARS = 40  # a one- or two-word line above the headline: a section label
TAG_MAX_CHARS = 30  # "[Interview]", "(2nd LD)": a tag opening a headline

# Publisher cues, most trusted first.
SOURCE, COPYRIGHT, MASTHEAD, WIRE, DOMAIN = range(5)
# Date cues: a labelled or bare date line, the dateline, an "Updated" line.
DATE_PUBLISHED, DATE_PLAIN, DATE_DATELINE, DATE_UPDATED = range(4)


class Kind(enum.Enum):
    TEXT = "text"
    JUNK = "junk"
    META = "meta"
    CREDIT = "credit"
    CAPTION = "caption"
    TAIL = "tail"


@dataclass
class Article:
    headline: str | None = None
    subheadlines: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: str | None = None
    byline: str | None = None
    url: str | None = None
    dateline: str = ""  # the dateline opening the first paragraph, "" when none


@dataclass
class _Cues:
    """Metadata candidates found in the lines, kept with their rank and position."""

    publishers: list[tuple[int, int, str]] = field(default_factory=list)
    dates: list[tuple[int, int, str]] = field(default_factory=list)
    bylines: list[tuple[int, str]] = field(default_factory=list)
    urls: list[tuple[int, str]] = field(default_factory=list)

    def drop_after(self, end: int) -> None:
        """Forget dates, bylines and addresses of the story list after the article's end."""
        self.dates = [d for d in self.dates if d[1] < end]
        self.bylines = [b for b in self.bylines if b[0] < end]
        self.urls = [u for u in self.urls if u[0] < end]

    def best_publisher(self) -> str | None:
        return min(self.publishers)[2] if self.publishers else None

    def best_date(self) -> str | None:
        return min(self.dates)[2] if self.dates else None


@dataclass
class _Classified:
    kind: Kind
    text: str
    line: Line

    # Written out: compiled by mypyc, where the __init__ that @dataclass writes runs
    # interpreted (see docs/speed.md, "Constructors compiled").
    def __init__(self, kind: Kind, text: str, line: Line) -> None:
        self.kind = kind
        self.text = text
        self.line = line


_CLOSERS = "\"'\u201d\u2019\u00bb)] "


def _final_mark(text: str) -> str:
    """The last character before closing quotes and brackets."""
    return text.rstrip(_CLOSERS)[-1:]


def _ends_with_period(text: str) -> bool:
    """A final '.' that is not an ellipsis or a dotted abbreviation ("U.S.")."""
    stripped = text.rstrip(_CLOSERS)
    if not stripped.endswith(".") or stripped.endswith(".."):
        return False
    last = stripped.rsplit(None, 1)[-1]
    return not (len(last) >= 4 and last.count(".") >= 2 and last.replace(".", "").isupper())


def _opens_like_title(text: str) -> bool:
    """Capital, digit or quote first, after a short tag such as "[Interview]" or "(LEAD)"."""
    if text[:1] in "[(":
        close = text.find("]" if text[0] == "[" else ")", 1, TAG_MAX_CHARS)
        text = text[close + 1 :].lstrip() if close > 0 else text
    first = text[:1]
    # Scripts without case (Hangul, Chinese...) count as capitalised.
    return (first.isalnum() and not first.islower()) or first in "\"'\u201c\u2018"


def headline_like(text: str) -> bool:
    """A title, not the lede: short, no closing period, capitalised start."""
    words = word_count(text)
    if not HEADLINE_WORDS[0] <= words <= HEADLINE_WORDS[1] or len(text) > HEADLINE_MAX_CHARS:
        return False
    if _ends_with_period(text) or _final_mark(text) in ":;,":
        return False
    if _final_mark(text) in "?!" and words > QUESTION_HEADLINE_WORDS:
        return False
    return _opens_like_title(text)


def body_like(text: str) -> bool:
    """A paragraph of the article (ends the header)."""
    words = word_count(text)
    if words > BODY_ANY_WORDS:
        return True
    mark = _final_mark(text)
    if mark in "?!":
        return words > QUESTION_HEADLINE_WORDS
    return (_ends_with_period(text) or mark in ":;\u2026") and words >= BODY_MIN_WORDS


def subheadline_like(text: str) -> bool:
    words = word_count(text)
    return (
        SUBHEADLINE_WORDS[0] <= words <= SUBHEADLINE_WORDS[1]
        and len(text) <= HEADLINE_MAX_CHARS
        and not body_like(text)
        and not _ends_with_period(text)
        and _opens_like_title(text)
    )


def _classify_long(text: str, latin: bool) -> tuple[Kind, str]:
    """A line too long for a menu, date, byline or credit: body text, a caption or foreign."""
    if bp.is_furniture(text, latin):
        return Kind.JUNK, text
    caption, credited = bp.split_inline_credit(text)
    return (Kind.CAPTION, caption) if credited else (Kind.TEXT, text)


def _classify_one(text: str, index: int, latin: bool, cues: _Cues) -> tuple[Kind, str]:
    if len(text) > bp.MAX_FURNITURE_CHARS:
        return _classify_long(text, latin)
    meta = _metadata_line(text, index, cues)
    if meta is not None:
        return meta, text
    key = bp.normalise(text)
    if bp.is_furniture(text, latin, key):
        return Kind.JUNK, text
    if bp.is_tail_marker(text, key):
        return Kind.TAIL, text
    caption, credited = bp.split_inline_credit(text)
    if credited:
        return Kind.CAPTION, caption
    return Kind.TEXT, text


def _metadata_line(text: str, index: int, cues: _Cues) -> Kind | None:
    """META (noting what the line states in `cues`) or CREDIT for a metadata line."""
    lowered = text.lower()
    if "\u00a9" in text or "(c)" in lowered or "copyright" in lowered or "reserved" in lowered:
        holder = copyright_holder(text)
        if holder is not None:
            cues.publishers.append((COPYRIGHT, index, holder))
            return Kind.META
    source = source_name(text)
    if source is not None:
        cues.publishers.append((SOURCE, index, source))
        return Kind.META
    found = date_line(text)
    if found is not None:
        rank = (DATE_PUBLISHED, DATE_PLAIN, DATE_UPDATED)[found.rank]
        cues.dates.append((rank, index, found.iso))
        return Kind.META
    outlet = byline_outlet(text)
    if outlet is not None:
        cues.publishers.append((SOURCE, index, outlet))
        return Kind.META
    person = byline_name(text)
    if person is not None:
        cues.bylines.append((index, person))
        return Kind.META
    if "http" in lowered:
        url = url_in_line(text)
        if url is not None:
            cues.urls.append((index, url))
            return Kind.META
    return Kind.CREDIT if bp.is_credit_line(text) else None


# Short lines classified in earlier files of this run, by (line, latin): a site's menus,
# share buttons and footers repeat on each of its pages. A line's kind is a function of its
# text and the document's script alone, except for a META line, whose cues belong to its own
# document: those are never kept. Emptied when full, so a long run holds at most
# _SEEN_MAX lines of at most bp.MAX_FURNITURE_CHARS characters (1.6 MB if all were 200 ASCII
# characters long, up to about 4 MB in other scripts).
_SEEN_LINES: Final[dict[tuple[str, bool], tuple[Kind, str]]] = {}
_SEEN_MAX: Final = 4096


def _classify(lines: list[Line], latin: bool, cues: _Cues) -> list[_Classified]:
    items: list[_Classified] = []
    repeated: dict[str, tuple[Kind, str]] = {}  # this file's long lines
    seen = _SEEN_LINES
    for index, line in enumerate(lines):
        text = line.text
        if "  " in text or "\t" in text:
            text = " ".join(text.split())
        text = strip_wire_marker(bp.strip_foreign_parentheses(text, latin))
        short = len(text) <= bp.MAX_FURNITURE_CHARS
        known = seen.get((text, latin)) if short else repeated.get(text)
        if known is not None:  # a line seen before (menus, separators)
            kind, text = known
        elif not text:
            kind = Kind.JUNK
        else:
            original = text
            kind, text = _classify_one(text, index, latin, cues)
            if kind is Kind.META:
                pass  # what the line states belongs to this document: never remembered
            elif short:
                if len(seen) >= _SEEN_MAX:
                    seen.clear()
                seen[(original, latin)] = (kind, text)
            else:
                repeated[original] = (kind, text)
        items.append(_Classified(kind, text, line))
    # A credit line makes the text line just before it a photo caption, unless a labelled
    # caption follows the credit ("Image source, X" then "Image caption, ...").
    for index, item in enumerate(items):
        before = items[index - 1] if index > 0 else None
        after = items[index + 1] if index + 1 < len(items) else None
        if item.kind is not Kind.CREDIT or before is None or before.kind is not Kind.TEXT:
            continue
        if before.line.heading or (after is not None and after.kind is Kind.CAPTION):
            continue
        before.kind = Kind.CAPTION
    return items


def _tail_start(items: list[_Classified]) -> int:
    """Index of the 'Related stories' marker ending the article (after some body text)."""
    seen_body = False
    for index, item in enumerate(items):
        if item.kind is Kind.TAIL and seen_body:
            return index
        if seen_body or item.kind is not Kind.TEXT:
            continue
        if ends_sentence(item.text) and words_up_to(item.text, 8) >= 8:
            seen_body = True
    return len(items)


@dataclass
class _Header:
    headline: str | None = None
    subheadlines: list[str] = field(default_factory=list)
    body_start: int = 0  # index of the first item that belongs to the body


def _next_text(items: list[_Classified], start: int, end: int) -> _Classified | None:
    return next((items[i] for i in range(start, end) if items[i].kind is Kind.TEXT), None)


def _read_header(items: list[_Classified], end: int, cues: _Cues) -> _Header:
    header = _Header()
    seen = 0
    for index in range(end):
        item = items[index]
        if item.kind is not Kind.TEXT:
            continue
        seen += 1
        text = item.text
        if header.headline is None:
            if seen > MAX_HEADER_LINES:
                return _Header(body_start=0)
            nxt = _next_text(items, index + 1, end)
            masthead = outlet_name(text)
            if masthead and nxt is not None and headline_like(nxt.text) and not item.line.heading:
                cues.publishers.append((MASTHEAD, index, masthead))
                continue
            if item.line.heading or headline_like(text):
                header.headline = _take_title(text, index, cues)
                continue
            if len(text) <= LABEL_MAX_CHARS and word_count(text) < HEADLINE_WORDS[0]:
                continue  # a section label or menu entry above the headline
            header.body_start = index
            return header  # the text opens with its lede: no headline
        if len(text) <= LABEL_MAX_CHARS and word_count(text) < SUBHEADLINE_WORDS[0]:
            continue  # a label between headline and text ("Analysis", "World")
        if not subheadline_like(text) or len(header.subheadlines) >= MAX_SUBHEADLINES:
            header.body_start = index
            return header
        header.subheadlines.append(text)
    header.body_start = end
    return header


def _take_title(text: str, index: int, cues: _Cues) -> str:
    """The headline, with a site name after ' | ' moved to the publisher cues."""
    split = split_title_suffix(text)
    if split is None:
        return text
    cues.publishers.append((MASTHEAD, index, split[1]))
    return split[0]


def _fold(text: str) -> str:
    folded = text.casefold()
    return folded if single_spaced(folded) else " ".join(folded.split())


@dataclass
class _Body:
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    last_paragraph: int = -1
    credits: list[tuple[int, str]] = field(default_factory=list)


def _add_caption(body: _Body, text: str, headline: str | None) -> None:
    if headline and _fold(text).startswith(_fold(headline)) and len(text) > len(headline):
        text = text[len(headline) :].strip()
    if text and text not in body.captions:
        body.captions.append(text)


def _read_body(items: list[_Classified], start: int, end: int, headline: str | None) -> _Body:
    body = _Body()
    seen: set[str] = set()
    folded_headline = _fold(headline) if headline else None
    for index in range(end):
        item = items[index]
        if item.kind is Kind.CAPTION:  # captions of the header's photo count too
            _add_caption(body, item.text, headline)
            continue
        if index < start or item.kind is not Kind.TEXT or item.line.heading:
            continue
        text = item.text
        key = _fold(text) if len(text) < 2000 else text
        if key == folded_headline or key in seen:
            continue  # the headline repeated, or a line scraped twice
        if folded_headline and key.startswith(folded_headline):
            _add_caption(body, text, headline)  # an image's alt text (the headline) + caption
            continue
        agency = wire_credit(text)
        if agency is not None:
            body.credits.append((index, agency))
            continue
        if bp.is_menu_line(text) or bp.too_short(text):
            continue
        seen.add(key)
        body.paragraphs.append(text)
        body.last_paragraph = index
    return body


def analyse(
    lines: list[Line],
    *,
    detect_headline: bool = True,
    title: str | None = None,
    captions: list[str] | None = None,
) -> Article:
    """Read an article from its logical lines. With `detect_headline` False (HTML, feeds),
    the headline comes from the page's markup as `title`."""
    latin = is_latin_document("\n".join(line.text for line in lines[:200]))
    cues = _Cues()
    items = _classify(lines, latin, cues)
    end = _tail_start(items)
    cues.drop_after(end)
    header = _read_header(items, end, cues) if detect_headline else _Header(headline=title)
    body = _read_body(items, header.body_start, end, header.headline)
    for index, agency in body.credits:
        if index > body.last_paragraph:
            cues.publishers.append((WIRE, index, agency))
    if body.paragraphs:
        when, dateline_agency = dateline(body.paragraphs[0])
        if when:
            cues.dates.append((DATE_DATELINE, len(items), when))
        if dateline_agency:
            cues.publishers.append((WIRE, len(items), dateline_agency))
    for _, url in cues.urls:
        domain = domain_of(url)
        if domain:
            cues.publishers.append((DOMAIN, len(items), domain))
    for caption in captions or []:
        _add_caption(body, caption, header.headline)
    return Article(
        headline=header.headline,
        subheadlines=header.subheadlines,
        paragraphs=body.paragraphs,
        captions=body.captions,
        publisher=cues.best_publisher(),
        published=cues.best_date(),
        byline=cues.bylines[0][1] if cues.bylines else None,
        url=cues.urls[0][1] if cues.urls else None,
        dateline=dateline_text(body.paragraphs),
    )
