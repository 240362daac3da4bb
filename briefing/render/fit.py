"""Shrinking a brief to a budget: which items go first.

Both the Markdown word budget and the one-page PDF drop the lowest-ranked items first, never
the last item of a section (a section that has items keeps at least one). Sources that no
remaining item cites go before anything else.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Brief, BriefItem


@dataclass(frozen=True)
class Slot:
    """Where an item sits: section name and index (also its element id in the templates)."""

    section: str
    index: int  # for "sources": the source's number - 1

    @property
    def element_id(self) -> str:
        if self.section == "sources":
            return f"src-{self.index + 1}"
        return f"{self.section}-{self.index + 1}"


def best_split(heights: list[float]) -> tuple[int, float]:
    """Split a run of sections, in order, into two columns: (sections on the left, height).

    The height is that of the taller column; among equal splits the fuller left column wins,
    since readers start there.
    """
    total = sum(heights)
    best_k, best_h = len(heights), total
    left = 0.0
    for k in range(len(heights) + 1):
        if k:
            left += heights[k - 1]
        tallest = max(left, total - left)
        if tallest < best_h - 1e-9 or (abs(tallest - best_h) <= 1e-9 and left >= total - left):
            best_k, best_h = k, tallest
    return best_k, best_h


def item_words(item: BriefItem) -> int:
    """Words an item shows (its text, quote, speaker and the other side of a dispute)."""
    words = 0
    while item is not None:
        for part in (item.text, item.quote, item.speaker, item.speaker_title, item.stance_label):
            words += len(part.split()) if part else 0
        words += 2 + (3 if item.coverage else 0)  # citation and "n of m sources"
        item = item.counterpoint
    return words


# How many extra items a section keeps before others lose theirs: the point of the brief
# (bottom line, agreement, one line per third country) is trimmed last.
KEEP_WEIGHT = {"bottom_line": 2.0, "agreement": 1.0, "reactions": 2.0}


def droppable(brief: Brief) -> list[Slot]:
    """Slots that may go, first to last.

    First the sources no item cites. Then items, the lowest-ranked of their section first,
    taking turns across sections: each section is ranked on its own scale (a fact's score is
    not a quote's), so the next item to go is the one with most better-ranked items in its
    section (less KEEP_WEIGHT), the lowest-ranked among equals. The best item of each
    section never goes, so a section never vanishes while it has items.
    """
    uncited = [Slot("sources", s.number - 1) for s in brief.sources if not s.cited]
    entries: list[tuple[float, float, int, Slot]] = []
    for order, section in enumerate(brief.sections):
        items = section.items
        # Best first; among equals the earlier item, as sections list their best first.
        ranked = sorted(range(len(items)), key=lambda i: (-items[i].rank, i))
        weight = KEEP_WEIGHT.get(section.name, 0.0)
        for position, index in enumerate(ranked[1:], start=1):
            entries.append(
                (position - weight, -items[index].rank, order, Slot(section.name, index))
            )
    entries.sort(key=lambda e: (-e[0], -e[1], -e[2]))
    return uncited + [entry[3] for entry in entries]


def slot_words(brief: Brief, slot: Slot) -> int:
    if slot.section == "sources":
        source = next(s for s in brief.sources if s.number == slot.index + 1)
        return 2 + sum(len(p.split()) for p in (source.headline, source.publisher or "") if p)
    section = brief.section(slot.section)
    assert section is not None
    return item_words(section.items[slot.index])


def recount_citations(brief: Brief) -> None:
    counts: Counter[int] = Counter()
    for section in brief.sections:
        for item in section.items:
            node: BriefItem | None = item
            while node is not None:
                counts.update(node.sources)
                node = node.counterpoint
    for source in brief.sources:
        source.cited = counts[source.number]


def without(brief: Brief, slots: Iterable[Slot]) -> Brief:
    """A copy of the brief without the items (and sources) at `slots`."""
    gone = set(slots)
    result = copy.deepcopy(brief)
    result.sources = [s for s in result.sources if Slot("sources", s.number - 1) not in gone]
    for section in result.sections:
        section.items = [
            item
            for index, item in enumerate(section.items)
            if Slot(section.name, index) not in gone
        ]
    recount_citations(result)
    return result
