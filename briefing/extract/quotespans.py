"""Where the quotation marks of a paragraph open and close.

Two linear scans per paragraph: double marks (straight and curly) first, then single marks
outside the double-quoted spans. Apostrophes ("Ruiz's", "countries' ties") are told from
closing single quotes by the characters around them. An opening mark that finds no closing
mark within MAX_QUOTE characters is dropped, so unbalanced text costs one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_QUOTE = 4000  # characters: longer "quotes" are unbalanced marks, not quotes

_DOUBLES = '"\u201c\u201d\u201e'
_SINGLES = "'\u2018\u2019"
_OPEN_BEFORE = frozenset('([{/-\u2014\u2013"\u201c')


@dataclass
class Span:
    """One quotation: the offsets of its opening and closing marks, and their kind."""

    open: int  # offset of the opening mark
    close: int  # offset of the closing mark
    single: bool = False

    # Written out: compiled by mypyc, where the __init__ that @dataclass writes runs
    # interpreted (see docs/speed.md, "Constructors compiled"). Not frozen: a frozen
    # dataclass refuses `self.open = ...`, in an __init__ of its own too.
    def __init__(self, open: int, close: int, single: bool = False) -> None:
        self.open = open
        self.close = close
        self.single = single

    @property
    def inner_start(self) -> int:
        return self.open + 1


def _marks(text: str, lo: int, hi: int, marks: str) -> list[int]:
    """Offsets of the characters of `marks` in text[lo:hi], in order.

    One str.find loop per mark rather than a regex scan: a paragraph holds a mark or two, or
    none, and the finds read news paragraphs about 3x faster than a regex of the same
    characters did (str.find scans in C without the regex engine's per-character test)."""
    found: list[int] = []
    for mark in marks:
        at = text.find(mark, lo, hi)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + 1, hi)
    found.sort()
    return found


def _single_candidates(text: str, lo: int, hi: int) -> list[int]:
    """Single marks that may open or close a quotation: an apostrophe between two letters or
    digits ("Ruiz's", "don't") can do neither, and news text is full of them, so they are
    left out: "\u2018" always, else "'" or "\u2019" with no letter or digit after it or
    before it (within text[lo:hi])."""
    return [
        i
        for i in _marks(text, lo, hi, _SINGLES)
        if text[i] == "\u2018"
        or i + 1 >= hi
        or not text[i + 1].isalnum()
        or i == lo
        or not text[i - 1].isalnum()
    ]


def _prev(text: str, i: int, lo: int) -> str:
    return text[i - 1] if i > lo else " "


def _next(text: str, i: int, hi: int) -> str:
    return text[i + 1] if i + 1 < hi else " "


def _can_open(text: str, i: int, lo: int, hi: int) -> bool:
    before, after = _prev(text, i, lo), _next(text, i, hi)
    return (before.isspace() or before in _OPEN_BEFORE) and not after.isspace()


def _can_close(text: str, i: int, lo: int, hi: int) -> bool:
    """Not after a space, unless the space follows a closing single mark: '... 'x,' "' ends
    a quote within a quote and then the quote."""
    if not _prev(text, i, lo).isspace():
        return True
    return i - 2 >= lo and text[i - 2] in "'\u2019" and not _next(text, i, hi).isalnum()


def double_spans(text: str, lo: int, hi: int, continued: bool = False) -> list[Span]:
    """Pairs of double quotation marks within text[lo:hi]. `continued`: the next paragraph
    opens with a quotation mark, so a quote left open at the end of this one runs to its end
    (news style continues a quote over paragraphs without closing it)."""
    spans: list[Span] = []
    open_at = -1
    for i in _marks(text, lo, hi, _DOUBLES):
        if open_at >= 0 and i - open_at > MAX_QUOTE:
            open_at = -1
        mark = text[i]
        if mark in "\u201c\u201e":
            open_at = i  # a new opening mark: an earlier unclosed one was stray
        elif mark == "\u201d":
            if open_at >= 0:
                spans.append(Span(open_at, i))
                open_at = -1
        elif open_at < 0:
            if _can_open(text, i, lo, hi):
                open_at = i
        elif _can_close(text, i, lo, hi):
            spans.append(Span(open_at, i))
            open_at = -1
        elif _can_open(text, i, lo, hi):
            open_at = i
    if continued and open_at >= 0 and hi - open_at <= MAX_QUOTE:
        spans.append(Span(open_at, hi))
    return spans


def opens_with_quote(text: str, start: int) -> bool:
    """Whether the paragraph at `start` opens with a double quotation mark."""
    return text[start : start + 1] in ('"', "\u201c", "\u201e")


def _single_opens(text: str, i: int, lo: int, hi: int) -> bool:
    before, after = _prev(text, i, lo), _next(text, i, hi)
    if text[i] == "\u2018":
        return not after.isspace()
    # An apostrophe opening a word ('90s, 'em) is rare; a quote opens before a letter.
    return (before.isspace() or before in _OPEN_BEFORE) and after.isalpha()


def _single_closes(text: str, i: int, lo: int, hi: int) -> bool:
    before, after = _prev(text, i, lo), _next(text, i, hi)
    return not before.isspace() and not after.isalnum()


def single_spans(text: str, lo: int, hi: int, doubles: list[Span]) -> list[Span]:
    """Pairs of single quotation marks within text[lo:hi], outside the double-quoted spans."""
    spans: list[Span] = []
    open_at = -1
    d = 0
    for i in _single_candidates(text, lo, hi):
        while d < len(doubles) and doubles[d].close < i:
            d += 1
        if d < len(doubles) and doubles[d].open < i < doubles[d].close:
            continue  # inside a double-quoted span: a quote within a quote
        if open_at >= 0 and i - open_at > MAX_QUOTE:
            open_at = -1
        if open_at < 0:
            if _single_opens(text, i, lo, hi):
                open_at = i
        elif _single_closes(text, i, lo, hi):
            spans.append(Span(open_at, i, single=True))
            open_at = -1
        elif text[i] == "\u2018" or _single_opens(text, i, lo, hi):
            open_at = i
    return spans


def quote_spans(text: str, lo: int, hi: int, continued: bool = False) -> list[Span]:
    """All quotations of text[lo:hi], in order, none inside another (`continued`: see
    double_spans)."""
    doubles = double_spans(text, lo, hi, continued)
    singles = single_spans(text, lo, hi, doubles)
    if not singles:
        return doubles
    if not doubles:
        return singles
    # A single-quoted span that holds double-quoted ones (British style) keeps its inner
    # spans out: the outer one is the quotation.
    merged = sorted(doubles + singles, key=lambda s: (s.open, -s.close))
    kept: list[Span] = []
    for span in merged:
        if kept and span.open < kept[-1].close:
            continue
        kept.append(span)
    return kept
