"""A day of news drafts tens of thousands of quote items to show a handful: the build keeps
only those a quotes section can show (quotes.showable_quote_items). Every audience's quotes
section must be the one the whole list gives."""

from __future__ import annotations

import dataclasses
import random

import pytest
from brief_fixture import harbour_config

from briefing.assemble import load_rules
from briefing.assemble.brief import _sections
from briefing.assemble.cite import Draft
from briefing.assemble.quotes import per_speaker, showable_quote_items
from briefing.assemble.rank import Variety
from briefing.assemble.rules import Rules
from briefing.assemble.terms import Terms
from briefing.models import BriefItem

WORDS = [
    "port",
    "harbour",
    "toll",
    "ferry",
    "crane",
    "berth",
    "levy",
    "dredging",
    "pilots",
    "union",
    "strike",
    "cargo",
]


def _every_item(drafts: list[Draft], citer: _RankingCiter) -> list[BriefItem]:
    """Every draft's item, best first: what the build made before it kept the showable."""
    return sorted((citer.draft_item(draft) for draft in drafts), key=lambda i: -i.rank)


class _RankingCiter:
    """A citer whose item is the draft as it stands: its score is its rank."""

    def draft_item(self, draft: Draft, last: bool = False) -> BriefItem:
        return BriefItem(text=draft.text, rank=draft.score, speaker=draft.fields["speaker"])


def _drafts(rng: random.Random, count: int) -> list[Draft]:
    # A few speakers quoted often, many once or twice; ranks tie often (a tenth apart).
    speakers = [f"Speaker {n}" for n in range(60)]
    weights = [30 if n < 6 else 1 for n in range(60)]
    drafts = []
    for n in range(count):
        text = " ".join(rng.choices(WORDS, k=8)) + f" {n}"
        speaker = rng.choices(speakers, weights)[0] if rng.random() > 0.05 else None
        drafts.append(Draft(text, [], round(rng.random(), 1), fields={"speaker": speaker}))
    return drafts


def _shown(
    quotes: list[BriefItem], rules: Rules | None = None, limit: int | str | None = "config"
) -> list[list[tuple[str, float]]]:
    """Each audience's quotes section (text and rank) from these quote items (with the
    quotes' limit `limit`, unless it is the config's)."""
    config = harbour_config()
    rules = rules or load_rules()
    shown = []
    for settings in config.audiences.values():
        if limit != "config":
            settings = dataclasses.replace(settings, limits={**settings.limits, "quotes": limit})
        variety = Variety(config, rules, Terms.from_config(config, rules))
        items: dict[str, list[BriefItem]] = {name: [] for name in settings.sections}
        items["quotes"] = quotes
        sections = _sections(items, settings, variety, rules)
        section = next((s for s in sections if s.name == "quotes"), None)
        shown.append([(i.text, i.rank) for i in section.items] if section else [])
    return shown


def test_the_quotes_sections_are_those_of_every_item() -> None:
    rules = load_rules()
    weighed = int(rules.variety["max_items"])
    most = int(rules.quotes["per_speaker"])
    citer = _RankingCiter()
    for seed in range(3):
        drafts = _drafts(random.Random(seed), 4 * weighed)
        every = _every_item(drafts, citer)
        taken = list(drafts)
        kept = showable_quote_items(taken, citer, weighed, most)  # type: ignore[arg-type]
        assert taken == []  # the drafts are let go as their items are made
        assert len(kept) < len(every)  # the test's lists leave some out
        # The same order as the whole list's (by rank, then the drafts' order) ...
        position = {i.text: n for n, i in enumerate(every)}
        assert [position[i.text] for i in kept] == sorted(position[i.text] for i in kept)
        # ... holding its best `weighed` and what per_speaker keeps of it ...
        texts = {i.text for i in kept}
        assert {i.text for i in every[:weighed]} <= texts
        assert {i.text for i in per_speaker(every, most)} <= texts
        # ... so that every audience's quotes section is the same.
        assert _shown(kept) == _shown(every)


def test_nothing_is_left_out_of_a_short_list() -> None:
    drafts = _drafts(random.Random(9), 40)
    citer = _RankingCiter()
    kept = showable_quote_items(list(drafts), citer, 150, 2)  # type: ignore[arg-type]
    every = _every_item(drafts, citer)
    assert [i.text for i in kept] == [i.text for i in every]


def test_a_speakers_best_beyond_the_weighed_stay() -> None:
    # Three weighed; a fourth speaker's two quotes rank below them, its third goes.
    ranks = [("A", 0.9), ("A", 0.8), ("A", 0.7), ("B", 0.6), ("B", 0.5), ("B", 0.4)]
    drafts = [Draft(f"q{n}", [], r, fields={"speaker": s}) for n, (s, r) in enumerate(ranks)]
    kept = showable_quote_items(drafts, _RankingCiter(), 3, 2)  # type: ignore[arg-type]
    assert [i.text for i in kept] == ["q0", "q1", "q2", "q3", "q4"]


@pytest.mark.parametrize("weighed", [0, 1, 3])
@pytest.mark.parametrize("most", [1, 2])
def test_the_sections_are_the_same_whatever_the_bounds(weighed: int, most: int) -> None:
    # Few weighed items and small limits: where the ranks of the items past the weighed
    # ones, and the speakers' counts, decide what is shown.
    base = load_rules()
    variety = {**base.variety, "max_items": weighed}
    rules = dataclasses.replace(base, variety=variety, quotes={**base.quotes, "per_speaker": most})
    citer = _RankingCiter()
    for seed in range(4):
        drafts = _drafts(random.Random(seed), 120)
        every = _every_item(drafts, citer)
        kept = showable_quote_items(list(drafts), citer, weighed, most)  # type: ignore[arg-type]
        for limit in (None, 0, -1, 1, 3, 100):
            assert _shown(kept, rules, limit) == _shown(every, rules, limit)
