"""Cutting a text to its section's length: at a clause near the limit, with an ellipsis;
and without the dateline that opens an article."""

from __future__ import annotations

import math

from .rules import load_rules

# Characters a clipped text may have per word allowed: room for long names, while a "word"
# of a million letters (broken input) is cut too.
CHARS_PER_WORD = 12
# Longest name, title or publisher shown.
MAX_NAME_CHARS = 120


def clip(text: str, max_words: int | None, max_chars: int | None = None) -> str:
    """The text cut to at most `max_words` words and `max_chars` characters (default: 12 a
    word), with an ellipsis: at a clause boundary near the limit where there is one, else at
    a word (rules: clip)."""
    if max_chars is None and max_words:
        max_chars = max_words * CHARS_PER_WORD
    if max_chars:
        text = text[: 4 * max_chars + 64]  # whitespace runs collapse below; no need for more
    text = " ".join(text.split())
    cut = False
    if max_words:
        words = text.split(" ", max_words)
        if len(words) > max_words:
            text, cut = " ".join(words[: clip_end(words, max_words, 1)]), True
    if max_chars and len(text) > max_chars:
        space = text.rfind(" ", 0, max_chars + 1)
        text, cut = text[: space if space > max_chars // 2 else max_chars], True
    return with_ellipsis(text) if cut else text


# Marks that close a quotation or a bracket: a clause may end just before them.
_CLOSERS = "\"'”’)]»"
_CLAUSE_MARKS = (",", ";", ":")
DASHES = frozenset({"—", "–", "--", "-"})


def ends_clause(word: str) -> bool:
    """Whether a clause (or a sentence) ends with this word: "attacked," "level,”" "tonight."
    (not "U.S." nor "Mr.": a short word or one with an inner dot is an abbreviation)."""
    bare = word.rstrip(_CLOSERS)
    if bare.endswith(_CLAUSE_MARKS) or bare.endswith(("—", "–")):
        return True
    if bare.endswith((".", "?", "!")):
        stem = bare.rstrip(".?!")
        return len(stem) > 3 and "." not in stem
    return False


def bare_word(word: str) -> str:
    return word.strip(".,;:!?\"'“”‘’()[]«»").lower()


def clip_end(words: list[str], limit: int, floor: int) -> int:
    """Where to cut `words` (the first `limit` of them are allowed; the one after, if any,
    tells whether a dash follows): after the last clause among them that ends at or after
    both `floor` words and the rules' clause_share of `limit`; else after the last word
    allowed, less the dangling words ("if", "the") that would end the text."""
    rules = load_rules()
    lowest = max(floor, math.ceil(rules.clip["clause_share"] * limit))
    for end in range(limit, lowest - 1, -1):
        following = words[end].split(" ", 1)[0] if end < len(words) else ""
        if ends_clause(words[end - 1]) or following in DASHES:
            return end
        if words[end - 1] in DASHES and end - 1 >= lowest:
            return end - 1
    end = limit
    dropped = 0
    while (
        end > max(floor, 1)
        and dropped < rules.clip["max_dangling"]
        and bare_word(words[end - 1]) in rules.dangling_words
    ):
        end -= 1
        dropped += 1
    return end


def with_ellipsis(text: str) -> str:
    """A cut text, ending with " …" (without the comma or dash it was cut after)."""
    text = text.rstrip(",;:–—- ")
    if len(text) >= 2 and text[-1] in _CLOSERS and text[-2] in ",;:":
        text = text[:-2] + text[-1]  # 'a “new level,”' -> 'a “new level”'
    return text + " …"


def undateline(text: str, dateline: str) -> str:
    """The text without `dateline` ("PORT ELLAN — ", as ingest recorded it for the text's
    article) where it opens the text: the outlet's furniture, not the point."""
    words = dateline.split()
    if not words:
        return text
    parts = text.split(None, len(words))
    if parts[: len(words)] != words:
        return text
    return parts[len(words)] if len(parts) > len(words) else ""


def short_name(text: str | None) -> str | None:
    """A speaker, title or publisher, kept to one line's worth."""
    return clip(text, None, MAX_NAME_CHARS) if text else text
