"""The reactions section: one item per third country, its best reaction with its stance
and its best direct words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..config import Config
from ..models import BriefItem, Quote, Reaction, Stance
from .cite import Citer
from .clipping import clip, short_name
from .rules import Rules


def _reaction_weight(reaction: Reaction) -> float:
    return (
        2.0 * reaction.quoted
        + 1.0 * (reaction.actor is not None)
        + 1.0 * (reaction.stance is not None)
        + 0.1 * len(reaction.stance_cues)
    )


def country_reaction(
    key: str,
    reactions: list[Reaction],
    quotes: Sequence[Quote],
    config: Config,
    citer: Citer,
    rules: Rules,
) -> BriefItem:
    label = config.country_label(key)
    if not reactions:
        return BriefItem(text=rules.no_reaction, country=label, rank=0.0, support=0)
    best = max(reactions, key=_reaction_weight)
    votes: Counter[Stance] = Counter()
    for reaction in reactions:
        if reaction.stance:
            votes[reaction.stance] += 1 + reaction.quoted
    stance = best.stance
    if votes:
        top = max(votes.values())
        if best.stance is None or votes[best.stance] < top:
            stance = next(s for s, n in votes.most_common() if n == top)
    cues: list[str] = []
    for reaction in sorted(reactions, key=_reaction_weight, reverse=True):
        if reaction.stance == stance:
            cues += [c for c in reaction.stance_cues if c not in cues]
    quote, speaker = _country_quote(key, best, quotes, rules)
    return citer.item(
        best.text,
        [r.doc for r in reactions],
        1.0 + 0.1 * _reaction_weight(best),
        kind="reaction",
        country=label,
        stance=stance,
        stance_label=rules.stance_labels.get(stance or "", None),
        stance_cues=[clip(c, 6) for c in cues[:4]],
        speaker=short_name(best.actor or speaker),
        quote=clip(quote, rules.max_words.get("quote")) if quote else None,
    )


def _country_quote(
    key: str, best: Reaction, quotes: Sequence[Quote], rules: Rules
) -> tuple[str | None, str | None]:
    """The country's best direct words, unless the reaction's own text already holds them."""
    if best.quoted:
        return None, None
    limits = rules.quotes
    own = [
        q
        for q in quotes
        if q.country == key
        and not q.partial
        and limits["min_words"] <= len(q.text.split()) <= limits["max_words"]
    ]
    if not own:
        return None, None
    chosen = max(own, key=lambda q: (q.doc == best.doc, q.speaker is not None, len(q.text)))
    return chosen.text, chosen.speaker
