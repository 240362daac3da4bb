"""The bottom line: the top-ranked facts, undisputed and not repeating each other."""

from __future__ import annotations

from .clipping import clip
from .facts import FactItem
from .rules import Rules
from .text import similar


def choose_bottom_line(facts: list[FactItem], rules: Rules) -> list[FactItem]:
    """The top-ranked facts, undisputed and not repeating each other, within the rules'
    sentences and words (each sentence clipped as a lead: the point must come through). A
    sentence too long to show whole ranks a little lower, and once the bottom line has its
    fewest sentences it takes no more cut ones: a whole sentence reads better."""
    limits = rules.bottom_line
    most = rules.max_words.get("lead")
    penalty = limits.get("clipped_penalty", 0.0)

    def too_long(fact: FactItem) -> bool:
        return most is not None and len(fact.text.split(None, most)) > most

    def weight(fact: FactItem) -> float:
        return fact.item.rank - (penalty if too_long(fact) else 0.0)

    # Only the strongest facts can lead; weighing more of them would cost for nothing.
    ordered = sorted(facts[:50], key=lambda fact: (-weight(fact), fact.position))
    chosen: list[FactItem] = []
    leads: list[str] = []
    words = 0
    for fact in ordered + facts[50:]:
        if len(chosen) >= limits["sentences"]:
            break
        if fact.item.counterpoint is not None:
            continue  # a disputed point stays in its section, beside the other claim
        if len(chosen) >= limits["min_sentences"] and too_long(fact):
            continue
        lead = clip(fact.text, rules.max_words.get("lead"))
        if any(similar(lead, other) for other in leads):
            continue
        size = len(lead.split())
        if len(chosen) >= limits["min_sentences"] and words + size > limits["max_words"]:
            break
        chosen.append(fact)
        leads.append(lead)
        words += size
    return chosen
