"""The bottom line: the report of the event, dated, then the top-ranked facts, undisputed and
not repeating each other, then the reactions in one line."""

from __future__ import annotations

import dataclasses

from ..models import BriefItem
from .cite import Citer
from .clipping import clip
from .facts import FactItem
from .rules import Rules
from .text import similar


def choose_bottom_line(
    facts: list[FactItem], rules: Rules, lead: FactItem | None = None
) -> list[FactItem]:
    """The top-ranked facts, undisputed and not repeating each other, within the rules'
    sentences and words (each sentence clipped as a lead: the point must come through). A
    sentence too long to show whole ranks a little lower, and once the bottom line has its
    fewest sentences it takes no more cut ones: a whole sentence reads better. A `lead`
    (the report of the event) comes first."""
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
    if lead is not None:  # the report of the event comes first, whatever its rank
        chosen.append(lead)
        leads.append(clip(lead.text, rules.max_words.get("lead")))
        words += len(leads[0].split())
        ordered = [fact for fact in ordered if fact is not lead]
    for fact in ordered + [fact for fact in facts[50:] if fact is not lead]:
        if len(chosen) >= limits["sentences"]:
            break
        if fact.item.counterpoint is not None:
            continue  # a disputed point stays in its section, beside the other claim
        if len(chosen) >= limits["min_sentences"] and too_long(fact):
            continue
        shown = clip(fact.text, rules.max_words.get("lead"))
        if any(similar(shown, other) for other in leads):
            continue
        size = len(shown.split())
        if len(chosen) >= limits["min_sentences"] and words + size > limits["max_words"]:
            break
        chosen.append(fact)
        leads.append(shown)
        words += size
    return chosen


def lead_item(fact: FactItem, citer: Citer, rules: Rules, date: str | None) -> BriefItem:
    """A bottom-line sentence, clipped as a lead; the report of the event with its date (the
    rules' bottom_line_text.dated), cited by the sources that carry it as shown."""
    text = clip(fact.text, rules.max_words.get("lead"))
    if date and not names_date(text, date, rules):
        text = str(rules.bottom_line_text["dated"]).format(date=long_date(date, rules), text=text)
    sources = citer.first_carrying(text, fact.docs, rules.max_citations)
    return dataclasses.replace(fact.item, text=text, sources=sources)


def names_date(text: str, date: str, rules: Rules) -> bool:
    """Whether the text names the day already ("3 March", "March 3", "2031-03-03")."""
    parts = date.split("-")
    if len(parts) != 3:
        return False
    month = str(rules.bottom_line_text["months"][int(parts[1]) - 1]).lower()
    day = str(int(parts[2]))
    low = " ".join(text.lower().split())
    return date in low or f"{day} {month}" in low or f"{month} {day}" in low


def long_date(date: str, rules: Rules) -> str:
    """ "2024-06-19" -> "19 June 2024" (month names from the rules)."""
    parts = date.split("-")
    if len(parts) != 3:
        return date
    return f"{int(parts[2])} {rules.bottom_line_text['months'][int(parts[1]) - 1]} {parts[0]}"


def reactions_line(reactions: list[BriefItem], rules: Rules) -> BriefItem | None:
    """The reactions in one line ("U.S. condemns; China keeps its distance"), one part per
    country with a stance, each part cited by the sources of that country's reaction. The
    line itself cites nothing: its parts do."""
    words = rules.bottom_line_text
    parts = [
        BriefItem(
            text=str(words["part"][item.stance]).format(country=item.country),
            sources=list(item.sources),
            country=item.country,
            stance=item.stance,
            support=item.support,
            rank=item.rank,
        )
        for item in reactions
        if item.stance in words["part"] and item.sources
    ]
    if not parts:
        return None
    line = str(words["reactions"]).format(parts=str(words["join"]).join(p.text for p in parts))
    return BriefItem(text=line, sources=[], rank=min(p.rank for p in parts), parts=parts)
