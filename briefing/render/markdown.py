"""The Markdown brief, kept within the audience's word budget."""

from __future__ import annotations

import re

from ..models import Brief
from .environment import Templates
from .fit import Slot, droppable, slot_words, without

TEMPLATE = "brief.md.j2"
# A word is a run with a letter or digit in it; Markdown markers ("-", "##", "**") are not.
_WORD = re.compile(r"\S*[^\W_]\S*")


def count_words(text: str) -> int:
    # One match at a time: a brief listing a day of news's sources has millions of words.
    return sum(1 for _ in _WORD.finditer(text))


# A pass's text is kept while it is at most this long; a longer one (a brief that lists a
# day of news's sources) is only counted as it is made, and made again should it fit.
KEPT_CHARS = 1_000_000
# Pieces are counted in blocks of about this many characters: Jinja's pieces are a few
# characters each, and splitting each one cost twice the time of counting the whole text.
COUNTED_CHARS = 65_536


def _rendered(brief: Brief, templates: Templates) -> tuple[int, str | None]:
    """(words, text) of the brief's Markdown; the text is None when longer than KEPT_CHARS.
    Words are counted a block of pieces at a time: a block's last word, when nothing
    follows it, is carried to the next block, where it may go on."""
    words, carried, size = 0, "", 0
    kept: list[str] | None = []
    block: list[str] = []
    block_size = 0
    for piece in templates.generate(templates.markdown, TEMPLATE, brief=brief):
        size += len(piece)
        if kept is not None:
            kept.append(piece)
            if size > KEPT_CHARS:
                kept = None
        block.append(piece)
        block_size += len(piece)
        if block_size >= COUNTED_CHARS:
            head, carried = _split_last_word(carried + "".join(block))
            words += count_words(head)
            block, block_size = [], 0
    words += count_words(carried + "".join(block))
    return words, None if kept is None else "".join(kept)


def _split_last_word(text: str) -> tuple[str, str]:
    """(text before its last word, the last word) when the text ends inside a word, else
    (text, ""). Whitespace is what str.split and the regex's \\s take it to be."""
    if not text or text[-1].isspace():
        return text, ""
    parts = text.rsplit(None, 1)
    last = parts[-1]
    return text[: len(text) - len(last)], last


def render_markdown(brief: Brief, templates: Templates) -> str:
    """Render, then drop the lowest-ranked items until the text is within the word budget.

    Each pass estimates how many items to drop from their word counts, so a large brief
    converges in a few renders rather than one per item.
    """
    current = brief
    if brief.word_budget <= 0:
        return templates.render(templates.markdown, TEMPLATE, brief=current)
    words, text = _rendered(current, templates)
    while True:  # every pass drops at least one item or source, so this ends
        excess = words - brief.word_budget
        slots = droppable(current)
        if excess <= 0 or not slots:
            break
        chosen: list[Slot] = []
        removed = 0
        for slot in slots:
            chosen.append(slot)
            removed += slot_words(current, slot)
            if removed >= excess:
                break
        current = without(current, chosen)
        words, text = _rendered(current, templates)
    return (
        text if text is not None else templates.render(templates.markdown, TEMPLATE, brief=current)
    )
