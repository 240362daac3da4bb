"""A fast rule-based sentence splitter.

pysbd runs at about 0.3 MB/s here; this splitter is a single regex scan plus a table look-up
per candidate boundary, so it stays well above the 2 MB/s the whole extraction must reach.
It keeps abbreviations (U.S., Gov., Jan., a.m.), initials ("J. Smith"), ellipses inside a
sentence and closing quotation marks attached to the sentence they end.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..resources import load_rules


class Sentence(NamedTuple):
    """A sentence (a tuple: thousands are made per megabyte, and a frozen dataclass costs
    several times as much to create)."""

    text: str
    start: int  # offset in the text that was split
    end: int


# A candidate end: terminal punctuation (a run of [.!?], or one ellipsis character), optional
# closing quotes/brackets, then whitespace. It may start only where a run of marks starts,
# and its quantifiers are possessive: a long run of "!!!!" or "...." with no space after it
# is then scanned once, not once per mark. The pattern opens with the character class (the
# "not after a mark" test comes second, as a look-behind over two characters) so that the
# regex engine skips ahead to the next mark with its fast class scan instead of trying a
# match at every character; the atomic group keeps "…" from taking the marks after it.
_BOUNDARY = re.compile(
    r"[.!?\u2026](?<![.!?][.!?\u2026])(?>(?<=\u2026)|[.!?]*+)[\"'\u201d\u2019)\]]*+(?=\s)"
)
_NEXT_START = re.compile(r"\s+(\S)")
_DOTTED_ACRONYM = re.compile(r"(?:[a-z]\.){2,}")
# What may start the sentence after a boundary, besides a capital or a digit.
_OPENING_MARKS = "\"\u201c'\u2018(["
_ELLIPSIS_OPENING_MARKS = "\"\u201c'\u2018"


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str]]:
    data = load_rules("abbreviations.yaml")
    return (
        frozenset(a.lower() for a in data["abbreviations"]),
        frozenset(a.lower() for a in data["sentence_final_acronyms"]),
    )


def _token_before(text: str, at: int) -> str:
    """The run of non-space characters that ends at text[at] (at most 40 characters back),
    lower-cased and without opening quotes or brackets: "(U.S." -> "u.s."."""
    window = text[max(0, at - 40) : at + 1]
    return window.rsplit(None, 1)[-1].lower().lstrip("\"'(\u201c\u2018[")


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    following = _NEXT_START.match(text, match.end())
    if following is None:
        return True
    nxt = following.group(1)
    punct = match.group(0)
    if punct.startswith("\u2026") or punct.startswith("..."):
        # An ellipsis ends a sentence only when a capital (or a quote) follows it.
        return nxt.isupper() or nxt in _ELLIPSIS_OPENING_MARKS
    # Whatever the mark, a sentence starts with a capital, a digit, a quote or a bracket;
    # most candidates after an abbreviation fail here, before the token is read.
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENING_MARKS):
        return False
    if not punct.startswith("."):
        return True
    abbreviations, final_acronyms = _tables()
    token = _token_before(text, match.start())
    if token in abbreviations and token not in final_acronyms:
        return False
    if len(token) == 2 and token[0].isalpha():  # a single initial: "J. Smith"
        return False
    # a dotted acronym mid-sentence: "the U.S. said"
    return not (_DOTTED_ACRONYM.fullmatch(token) and token not in final_acronyms)


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split `text` into sentences; offsets are shifted by `offset`."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if not _is_boundary(text, match):
            continue
        end = match.end()
        _add(sentences, text[start:end], offset + start)
        start = end
    _add(sentences, text[start:], offset + start)
    return sentences


def _add(sentences: list[Sentence], chunk: str, at: int) -> None:
    """Append `chunk` (found at offset `at`) without its surrounding whitespace, if any."""
    trimmed = chunk.lstrip()
    if trimmed:
        begin = at + len(chunk) - len(trimmed)
        trimmed = trimmed.rstrip()
        sentences.append(_new_sentence(Sentence, (trimmed, begin, begin + len(trimmed))))


_new_sentence = tuple.__new__
