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


def render_markdown(brief: Brief, templates: Templates) -> str:
    """Render, then drop the lowest-ranked items until the text is within the word budget.

    Each pass estimates how many items to drop from their word counts, so a large brief
    converges in a few renders rather than one per item.
    """
    current = brief
    text = templates.render(templates.markdown, TEMPLATE, brief=current)
    while brief.word_budget > 0:  # every pass drops at least one item or source, so this ends
        excess = count_words(text) - brief.word_budget
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
        text = templates.render(templates.markdown, TEMPLATE, brief=current)
    return text
