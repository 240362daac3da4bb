"""Ranking across sections: each section adds to what the sections above it said (variety),
and keeps its best items within the audience's limit."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..config import Config
from ..models import BriefItem
from .rules import Rules
from .terms import Terms
from .text import word_tokens
from .timeline import date_key


@dataclass
class Said:
    """What the brief has said so far: story terms named, and each item's content words."""

    terms: set[str]
    texts: list[frozenset[str]]


class Variety:
    """Scores items for what they add to what has been said (rules: variety)."""

    def __init__(self, config: Config, rules: Rules, terms: Terms) -> None:
        self.rules = rules
        self.weights = rules.variety
        self.terms = terms
        # Names of the story's countries and people are in nearly every item: they tell
        # nothing about whether two items make the same point.
        names: set[str] = set()
        for key, country in config.countries.items():
            for name in [key, *country.aliases, *country.people]:
                names.update(_content_stem(w) for w in word_tokens(name))
        self.ignored = rules.stopwords | names
        self._words: dict[str, frozenset[str]] = {}
        self._named: dict[str, frozenset[str]] = {}

    def words(self, item: BriefItem) -> frozenset[str]:
        """The item's content words (with the other side of a dispute: it is shown too)."""
        text = _shown_text(item)
        if text not in self._words:
            stems = (_content_stem(w) for w in word_tokens(text))
            self._words[text] = frozenset(w for w in stems if len(w) > 3 and w not in self.ignored)
        return self._words[text]

    def named(self, item: BriefItem) -> frozenset[str]:
        """The story terms the item names, stated or negated."""
        text = _shown_text(item)
        if text not in self._named:
            self._named[text] = frozenset(self.terms.names(text))
        return self._named[text]

    def add(self, said: Said, items: list[BriefItem]) -> None:
        """Record that `items` are shown (the first said_top of a section count)."""
        for item in items[: int(self.weights["said_top"])]:
            said.terms.update(self.named(item))
            said.texts.append(self.words(item))

    def order(self, items: list[BriefItem], said: Said) -> list[tuple[BriefItem, float]]:
        """The items best first, each with a rank for what it adds: new story terms earn,
        saying again what an item above says costs, and so does a date the timeline already
        has. The ranks never rise down the list."""
        weights = self.weights
        pool = sorted(items, key=lambda i: -i.rank)
        weighed, rest = pool[: int(weights["max_items"])], pool[int(weights["max_items"]) :]
        words = [self.words(i) for i in weighed]
        named = [self.named(i) for i in weighed]
        least = int(weights["min_words"])
        overlap = [max((_share(w, t, least) for t in said.texts), default=0.0) for w in words]
        terms = set(said.terms)
        dates: set[str] = set()
        pending = list(range(len(weighed)))
        ordered: list[tuple[BriefItem, float]] = []
        while pending:
            scores = {
                i: self._score(weighed[i], named[i], overlap[i], terms, dates) for i in pending
            }
            best = max(pending, key=lambda i: (scores[i], -i))
            pending.remove(best)
            ordered.append((weighed[best], round(scores[best], 4)))
            terms.update(named[best])
            date = weighed[best].date
            if date:
                dates.add(date)
            for i in pending:
                overlap[i] = max(overlap[i], _share(words[i], words[best], least))
        floor = ordered[-1][1] if ordered else 0.0
        return ordered + [(item, min(item.rank, floor)) for item in rest]

    def ranked(self, items: list[BriefItem], said: Said) -> list[BriefItem]:
        """`order`, as copies of the items holding their new ranks (an item may stand in
        two sections, ranked differently in each)."""
        return [dataclasses.replace(item, rank=rank) for item, rank in self.order(items, said)]

    def _score(
        self,
        item: BriefItem,
        named: frozenset[str],
        overlap: float,
        terms: set[str],
        dates: set[str],
    ) -> float:
        weights = self.weights
        new_terms = min(len(named - terms), int(weights["max_new_terms"]))
        score = item.rank + weights["new_term_bonus"] * new_terms
        score -= weights["overlap_penalty"] * overlap
        if overlap >= weights["repeat_share"]:
            score -= weights["repeat_penalty"]
        if item.date and item.date in dates:
            score -= weights["repeat_date_penalty"]
        return score


def _shown_text(item: BriefItem) -> str:
    """What an item shows: its text, its quote and the other side of a dispute."""
    counter = item.counterpoint.text if item.counterpoint else ""
    return f"{item.text} {item.quote or ''} {counter}"


def _content_stem(word: str) -> str:
    """A word without its possessive ("varga's" -> "varga")."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _share(words: frozenset[str], other: frozenset[str], min_words: int) -> float:
    """How much of `words` the other text already holds (as a share of at least
    `min_words`)."""
    return len(words & other) / max(len(words), min_words, 1)


def limit_items(items: list[BriefItem], limit: int | None, section: str) -> list[BriefItem]:
    """The best `limit` items, shown in the section's reading order."""
    if limit is not None and limit >= 0 and len(items) > limit:
        keep = {id(i) for i in sorted(items, key=lambda i: -i.rank)[: max(limit, 1)]}
        items = [i for i in items if id(i) in keep]
    if section == "timeline":
        items = sorted(items, key=lambda i: date_key(i.date or ""))
    return items
