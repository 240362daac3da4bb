"""Shrinking a brief to a budget: which items go first.

Both the Markdown word budget and the one-page PDF drop the lowest-ranked items first, never
the last item of a section (a section that has items keeps at least one). Sources that no
remaining item cites go before anything else.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..models import Brief, BriefItem, BriefSource, set_cited
from .geometry import RUN_IN_TEXT_SHARE

# Keep this many CSS px free at the bottom of the page: rounding in the layout must not spill.
SAFETY_PX = 2.0
# Dropped slots tried back after a plan (the best of them), bounding the planner's work.
MAX_PUT_BACK = 60


@dataclass(frozen=True, slots=True)
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
    node: BriefItem | None = item
    while node is not None:
        for part in (node.text, node.quote, node.speaker, node.speaker_title, node.stance_label):
            words += len(part.split()) if part else 0
        words += 2 + (3 if node.coverage else 0)  # citation and "n of m sources"
        node = node.counterpoint
    return words


# Each section's share of the room, relative to the others: the point of the brief (bottom
# line, agreement, reactions) is trimmed last. (Every third country keeps its line in the
# stance strip even when its reaction's details go.)
ROOM_SHARE = {"bottom_line": 6.0, "agreement": 1.5, "reactions": 6.0, "questions": 1.25}
# The section an audience's brief leads with, after the bottom line (the press brief's
# quotes), has at least this share.
LEAD_SHARE = 1.5


def droppable(brief: Brief) -> list[Slot]:
    """Slots that may go, first to last.

    First the sources no item cites. Then items, the lowest-ranked of their section first,
    taking turns across sections by the room they take: each section is ranked on its own
    scale (a fact's score is not a quote's), so the next item to go is the one with the most
    words at and above it in its section, for the section's share (ROOM_SHARE; at least LEAD_SHARE
    for the section that leads). So a section of short items (questions) keeps more of them
    than one of long items, for the same room.
    The best item of each section never goes, so a section never vanishes while it has items.
    """
    uncited = [Slot("sources", s.number - 1) for s in brief.sources if not s.cited]
    entries: list[tuple[float, float, int, Slot]] = []
    lead = next((s.name for s in brief.sections if s.name != "bottom_line"), None)
    for order, section in enumerate(brief.sections):
        items = section.items
        # Best first; among equals the earlier item, as sections list their best first.
        ranked = sorted(range(len(items)), key=lambda i: (-items[i].rank, i))
        share = max(ROOM_SHARE.get(section.name, 1.0), LEAD_SHARE if section.name == lead else 0.0)
        room = float(item_words(items[ranked[0]])) if ranked else 0.0
        for index in ranked[1:]:
            room += item_words(items[index])
            entries.append((room / share, -items[index].rank, order, Slot(section.name, index)))
    entries.sort(key=lambda e: (-e[0], -e[1], -e[2]))
    return uncited + [entry[3] for entry in entries]


def source_numbered(brief: Brief, number: int) -> BriefSource:
    """The source with citation `number`, found without scanning the list: callers ask
    for every source in turn, and a scan each made that quadratic (minutes at 20,000).

    Sources are numbered 1..n in list order; once some are dropped (`without`) the numbers
    keep their gaps but stay ascending, so a bisection finds them.
    """
    sources = brief.sources  # (each read once: a SourceList makes a source as it is read)
    if 0 < number <= len(sources) and (source := sources[number - 1]).number == number:
        return source
    at = bisect.bisect_left(sources, number, key=lambda s: s.number)
    if at < len(sources) and (source := sources[at]).number == number:
        return source
    # Not in order (a brief built by hand): the scan is still right.
    return next(s for s in sources if s.number == number)


def slot_words(brief: Brief, slot: Slot) -> int:
    if slot.section == "sources":
        source = source_numbered(brief, slot.index + 1)
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
    set_cited(brief.sources, counts)


def without(brief: Brief, slots: Iterable[Slot]) -> Brief:
    """A copy of the brief without the items (and sources) at `slots`."""
    # Only the sources that stay are copied: a day of news lists 100,000, and the first
    # fitting pass drops nearly all of them (the uncited). The sources that go are marked
    # in a byte per number: sets of their slots and numbers took about 10 MB at 100,000.
    gone: set[Slot] = set()
    size = len(brief.sources)
    dropped = bytearray(size)  # by number - 1, for numbers 1..size
    dropped_else: set[int] = set()  # other numbers (a brief numbered by hand, or cut before)
    for slot in slots:
        if slot.section != "sources":
            gone.add(slot)
        elif 0 <= slot.index < size:
            dropped[slot.index] = 1
        else:
            dropped_else.add(slot.index)

    def stays(source: BriefSource) -> bool:
        at = source.number - 1
        return not dropped[at] if 0 <= at < size else at not in dropped_else

    result = copy.deepcopy(dataclasses.replace(brief, sources=[]))
    result.sources = [copy.copy(s) for s in brief.sources if stays(s)]
    for section in result.sections:
        section.items = [
            item
            for index, item in enumerate(section.items)
            if Slot(section.name, index) not in gone
        ]
    recount_citations(result)
    return result


# --- the layout model the planner works on ----------------------------------------------

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in CSS px


@dataclass
class SectionModel:
    """A section's measured height and how dropping its items changes it."""

    name: str
    box: Box
    wide: bool
    right: bool  # in the right-hand column of a column group
    items: dict[Slot, Box] = field(default_factory=dict)
    extras: dict[Slot, float] = field(default_factory=dict)  # e.g. the item's stance row
    words: dict[Slot, int] = field(default_factory=dict)

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    def height_without(self, gone: set[Slot]) -> float:
        removed = sum(h for slot, h in self.extras.items() if slot in gone)
        if not any(slot in gone for slot in self.items):
            return self.height - removed
        if stacked(self.items.values()):
            columns = {round(box[0] / 4) for box in self.items.values()}
            heights = [(slot, box[3] - box[1]) for slot, box in self.items.items()]
            before = columns_height([h for _, h in heights], len(columns))
            after = columns_height([h for s, h in heights if s not in gone], len(columns))
            return self.height - removed - (before - after)
        # Run-in items (sentences of one paragraph): the paragraph's part of the height
        # shrinks in proportion to their words (the height model's RUN_IN_TEXT_SHARE).
        total = sum(self.words.values()) or 1
        share = sum(w for slot, w in self.words.items() if slot in gone) / total
        return self.height - removed - RUN_IN_TEXT_SHARE * self.height * share


def columns_height(heights: Iterable[float], columns: int) -> float:
    """Height of items shown in reading order in `columns` columns, split by count as the
    templates split them (the first half, rounded up, on the left)."""
    listed = list(heights)
    if columns < 2 or len(listed) < 2:
        return sum(listed)
    half = (len(listed) + 1) // 2
    return max(sum(listed[:half]), sum(listed[half:]))


def stacked(boxes: Any) -> bool:
    """Whether item boxes are blocks one under the other (per column), not runs of text."""
    columns: dict[int, list[Box]] = {}
    for box in boxes:
        columns.setdefault(round(box[0] / 4), []).append(box)
    for column in columns.values():
        column.sort(key=lambda b: b[1])
        for upper, lower in itertools.pairwise(column):
            if lower[1] < upper[3] - 0.5:
                return False
    return True


@dataclass
class Layout:
    """A layout's heights: measured by WeasyPrint (pdf.measure), or estimated (estimate.py)."""

    pages: int
    used: float  # px from the start marker to the end marker
    capacity: float  # px the paper offers between its margins
    sections: list[SectionModel]

    @property
    def fits(self) -> bool:
        return self.pages == 1 and self.used <= self.capacity - SAFETY_PX

    def groups(self) -> list[list[SectionModel]]:
        """Runs of sections sharing a layout: one wide section, or a run of column sections."""
        runs: list[list[SectionModel]] = []
        for section in self.sections:
            if runs and not section.wide and not runs[-1][0].wide:
                runs[-1].append(section)
            else:
                runs.append([section])
        return runs

    def splits(self) -> dict[str, int]:
        """For each run of column sections (keyed by its first), the sections on the left."""
        return {
            run[0].name: sum(1 for s in run if not s.right)
            for run in self.groups()
            if not run[0].wide
        }

    def height_without(self, gone: set[Slot]) -> tuple[float, dict[str, int]]:
        """Estimated content height once `gone` is dropped, and the column splits to use."""
        used = self.used
        splits: dict[str, int] = {}
        for run in self.groups():
            if run[0].wide:
                used -= run[0].height - run[0].height_without(gone)
                continue
            left = sum(s.height for s in run if not s.right)
            right = sum(s.height for s in run if s.right)
            k, tallest = best_split([s.height_without(gone) for s in run])
            used -= max(left, right) - tallest
            splits[run[0].name] = k
        return used, splits


def with_estimates(measured: Layout, estimate: Layout, gone: set[Slot]) -> Layout:
    """The measured layout with the slots in `gone` put back at their estimated heights.

    Each section's estimate is first corrected by how far it was off for the items the
    section shows (measured / estimated), so that the plan that puts items back is as close
    as the measurement allows. Items come back under the section's last one (in its shorter
    column, for a section in columns).
    """
    estimated = {section.name: section for section in estimate.sections}
    sections: list[SectionModel] = []
    used = measured.used
    for run in measured.groups():
        before = _run_height(run)
        grown = [_grow(model, estimated.get(model.name), gone) for model in run]
        used += _run_height(grown) - before
        sections += grown
    return Layout(measured.pages, used, measured.capacity, sections)


def _run_height(run: list[SectionModel]) -> float:
    if len(run) == 1 and run[0].wide:
        return run[0].height
    left = sum(s.height for s in run if not s.right)
    right = sum(s.height for s in run if s.right)
    return max(left, right)


def _grow(model: SectionModel, estimate: SectionModel | None, gone: set[Slot]) -> SectionModel:
    """A copy of the measured `model` with its slots in `gone` back, at estimated heights."""
    grown = copy.deepcopy(model)
    if estimate is None or not model.items:
        return grown
    missing = [slot for slot in estimate.items if slot in gone and slot not in model.items]
    if not missing:
        return grown
    shown_estimate = estimate.height_without(set(missing))
    ratio = model.height / shown_estimate if shown_estimate > 0 else 1.0
    heights = {
        slot: (estimate.items[slot][3] - estimate.items[slot][1]) * ratio for slot in missing
    }
    for slot in missing:
        grown.words[slot] = estimate.words.get(slot, 0)
    x1, y1, x2, y2 = model.box
    if not stacked(model.items.values()):
        # Run-in text: the paragraph grows; the new slots overlap the last one, as runs do.
        last = list(model.items.values())[-1]
        for slot in missing:
            grown.items[slot] = last
        grown.box = (x1, y1, x2, y2 + sum(heights.values()))
        return grown
    # Blocks, in one column or split by count over several (as the templates draw them):
    # the section grows by what its columns grow, counted as height_without counts.
    columns = sorted({round(box[0] / 4) for box in model.items.values()})
    bottoms = {column: 0.0 for column in columns}
    for box in model.items.values():
        column = round(box[0] / 4)
        bottoms[column] = max(bottoms[column], box[3])
    width = next(iter(model.items.values()))
    for number, slot in enumerate(missing):
        column = columns[number % len(columns)]
        x = column * 4.0
        grown.items[slot] = (
            x,
            bottoms[column],
            x + width[2] - width[0],
            bottoms[column] + heights[slot],
        )
        bottoms[column] += heights[slot]
    grown.items = dict(sorted(grown.items.items(), key=lambda pair: pair[0].index))
    grown.words = {slot: grown.words[slot] for slot in grown.items if slot in grown.words}

    def tallest(boxes: dict[Slot, Box]) -> float:
        return columns_height([b[3] - b[1] for b in boxes.values()], len(columns))

    growth = tallest(grown.items) - tallest(
        dict(sorted(model.items.items(), key=lambda p: p[0].index))
    )
    grown.box = (x1, y1, x2, y2 + growth)
    return grown


# --- planning -------------------------------------------------------------------------------


def with_uncited(brief: Brief, slots: Iterable[Slot]) -> set[Slot]:
    """`slots`, plus the sources that items cite but no remaining item would (a source no
    item cited in the first place stays until it is dropped as a slot of its own)."""
    gone = set(slots)
    cited: set[int] = set()
    for section in brief.sections:
        for index, item in enumerate(section.items):
            if Slot(section.name, index) in gone:
                continue
            node: BriefItem | None = item
            while node is not None:
                cited.update(node.sources)
                node = node.counterpoint
    gone.update(
        Slot("sources", s.number - 1) for s in brief.sources if s.cited and s.number not in cited
    )
    return gone


@dataclass
class Plan:
    gone: set[Slot]  # what to drop (with the sources nothing cites any more)
    splits: dict[str, int]  # first section of a column run -> sections in its left column
    fits: bool  # whether the layout says it will fit
    height: float  # the estimated height in CSS px


def plan(
    brief: Brief,
    order: list[Slot],
    layout: Layout,
    already: set[Slot],
    target: float | None = None,
) -> Plan:
    """What to drop, on top of `already` (absent from `layout`), for the content to be at most
    `target` px tall (default: the page, less a safety margin).

    The droppable slots go in order, lowest-ranked first, until the estimate fits (a
    bisection: dropping more never makes the page taller). Then the dropped ones are tried
    back, best first: with two columns, dropping from the shorter column gains nothing, so
    whatever still fits comes back and the page stays full.
    """
    limit = layout.capacity - SAFETY_PX if target is None else target
    candidates = [slot for slot in order if slot not in already]

    def height(dropped: Iterable[Slot]) -> tuple[float, dict[str, int]]:
        return layout.height_without(with_uncited(brief, [*already, *dropped]))

    low, high = -1, len(candidates)  # dropping `low` does not fit; `high` is the most there is
    if height(candidates)[0] <= limit:
        while high - low > 1:
            middle = (low + high) // 2
            if height(candidates[:middle])[0] <= limit:
                high = middle
            else:
                low = middle
    dropped = list(candidates[:high])
    for slot in reversed(dropped[-MAX_PUT_BACK:]):
        trial = [s for s in dropped if s != slot]
        if height(trial)[0] <= limit:
            dropped = trial
    estimate, splits = height(dropped)
    return Plan(with_uncited(brief, [*already, *dropped]), splits, estimate <= limit, estimate)
