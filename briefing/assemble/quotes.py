"""The key quotes section: usable quotes of the preferred roles, one item per wording."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from ..models import BriefItem, Quote
from .cite import Citer
from .clipping import short_name
from .rules import Rules
from .text import dedupe_key


def quote_items(quotes: Sequence[Quote], citer: Citer, rules: Rules) -> list[BriefItem]:
    limits = rules.quotes
    roles: list[str] = list(limits["roles"])
    usable = [
        q
        for q in quotes
        if q.speaker
        and not q.partial
        and limits["min_words"] <= len(q.text.split()) <= limits["max_words"]
    ]
    preferred = [q for q in usable if q.role in roles] or usable
    groups: dict[str, list[Quote]] = defaultdict(list)
    for quote in preferred:
        groups[dedupe_key(quote.text)].append(quote)
    items = []
    for group in groups.values():
        first = group[0]
        text = quote_text(first.text, rules)
        if text is None:
            continue  # too long to show whole, and no whole sentence of it fits
        role_rank = roles.index(first.role) if first.role in roles else len(roles)
        title = ", ".join(p for p in (first.speaker_title, first.affiliation) if p) or None
        items.append(
            citer.item(
                text,
                [q.doc for q in group],
                1.0 - 0.2 * role_rank,
                kind="quote",
                shaped=True,
                speaker=short_name(first.speaker),
                speaker_title=short_name(title),
                country=first.country,
            )
        )
    items.sort(key=lambda i: -i.rank)
    return items


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"'])")


def quote_text(text: str, rules: Rules) -> str | None:
    """The quote as shown, never cut mid-sentence: whole when short; else its first whole
    sentences that fit (then " …"); else whole up to the rules' quote_whole words; else None."""
    limit, whole = rules.max_words["quote"], rules.max_words["quote_whole"]
    text = " ".join(text.split())
    if len(text.split()) <= limit:
        return text
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if len(" ".join([*kept, sentence]).split()) > limit:
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept) + " …"
    return text if len(text.split()) <= whole else None


def per_speaker(items: list[BriefItem], most: int) -> list[BriefItem]:
    """The items, best first, keeping at most `most` of each speaker's."""
    count: Counter[str] = Counter()
    kept = []
    for item in items:
        count[item.speaker or ""] += 1
        if count[item.speaker or ""] <= most:
            kept.append(item)
    return kept
