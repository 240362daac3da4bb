"""The fact sections, agreement and context (background): facts cited and ranked, without
those the bottom line, the key quotes or the reactions show already."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Sequence
from dataclasses import dataclass

from ..models import BriefItem, Fact, Reaction
from .cite import Citer, Draft, document_fields
from .rules import Rules
from .text import dedupe_key, word_tokens


@dataclass
class FactItem:
    item: BriefItem
    topic: str
    docs: Sequence[str]  # the fact's own list (a set per fact would copy a day's ids)
    position: float
    text: str  # the whole sentence: the bottom line clips it less than its section does
    states: frozenset[str]  # the provisions it states and negates (read by extract)
    negates: frozenset[str]


def fact_items(facts: list[Fact], drafts: Sequence[Draft], citer: Citer) -> list[FactItem]:
    """Each fact's item, made from its draft (`drafts`: in the same order, checked by
    Citer.prefetch)."""
    out = []
    for fact, draft in zip(facts, drafts, strict=True):
        item = citer.draft_item(draft)
        text = citer.undateline(fact.text, fact.docs)
        claims = frozenset(fact.states), frozenset(fact.negates)
        out.append(FactItem(item, fact.topic, fact.docs, fact.position, text, *claims))
    out.sort(key=lambda f: (-f.item.rank, f.position))
    return out


def of_topic(facts: list[FactItem], topic: str, used: set[int]) -> list[BriefItem]:
    """Facts of a topic, best first, without those already in the bottom line (unless that
    would leave the section empty)."""
    items = [f.item for f in facts if f.topic == topic]
    fresh = [item for item in items if id(item) not in used]
    return fresh or items


def is_background(fact: FactItem) -> bool:
    return fact.topic != "agreement"


def repeated_facts(
    facts: list[FactItem],
    quotes: list[BriefItem],
    reactions: Sequence[Reaction],
    citer: Citer,
    reacted: set[str] | None = None,
) -> set[int]:
    """The facts (ids of their items) that say again what a key quote or a reaction shows:
    a fact holding all of a shown quote's words, which are at least the rules' quote_share
    of its own ('"This pact opens a new chapter," said the President at the ceremony'), or
    a fact that is a third country's reaction sentence (`reacted`: the reactions' keys, when
    known already)."""
    rules = citer.rules
    if reacted is None:
        reacted = reacted_keys(reactions, citer, {dedupe_key(fact.text) for fact in facts})
    size = int(rules.quotes["min_words"])
    by_opening: dict[tuple[str, ...], list[list[str]]] = defaultdict(list)
    for quote in quotes:
        words = word_tokens(quote.text)
        if len(words) >= size:
            by_opening[tuple(words[:size])].append(words)
    repeated: set[int] = set()
    for fact in facts:
        if dedupe_key(fact.text) in reacted or _holds_quote(fact.text, by_opening, size, rules):
            repeated.add(id(fact.item))
    return repeated


def reacted_keys(
    reactions: Sequence[Reaction], citer: Citer, among: Container[str] | None = None
) -> set[str]:
    """The dedupe keys of the reactions' sentences (without their articles' datelines);
    only those `among` the keys asked about, when given (the facts': a day of news has
    tens of thousands of reaction sentences, and a brief a few hundred facts)."""
    rows = document_fields(reactions, "text", "doc")
    keys = (dedupe_key(citer.undateline(text, [doc])) for text, doc in rows)
    if among is None:
        return set(keys)
    return {key for key in keys if key in among}


def _holds_quote(
    text: str, by_opening: dict[tuple[str, ...], list[list[str]]], size: int, rules: Rules
) -> bool:
    """Whether the text holds one of the quotes (indexed by their first `size` words), and
    is mostly that quote."""
    if not by_opening:
        return False
    words = word_tokens(text)
    for start in range(len(words) - size + 1):
        for quote in by_opening.get(tuple(words[start : start + size]), ()):
            whole = words[start : start + len(quote)] == quote
            if whole and len(quote) >= rules.repeats["quote_share"] * len(words):
                return True
    return False


def without(items: list[BriefItem], dropped: set[int]) -> list[BriefItem]:
    """The items but the dropped ones, unless none would be left."""
    kept = [item for item in items if id(item) not in dropped]
    return kept or items
