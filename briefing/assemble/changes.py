"""What changed since the last digest: the points only the new articles carry, the third
countries whose stance is not what it was, and the questions a new article answered.

The brief of the articles sent before is assembled again from the same extraction (only the
documents change), and its stances are compared with the whole corpus's brief. An item is new
when every source that carries it is a new article (a point an old article made too is not
news, however many outlets repeat it); a citation counts only the sources that carry the item
already (cite.py), so a new point is credited to the new articles alone.
"""

from __future__ import annotations

from ..config import Config
from ..models import Brief, BriefItem, Changes, Extraction, StanceChange
from .text import similar

PER_SECTION = 3  # new points listed per section, the highest-ranked


def earlier_extraction(extraction: Extraction, new_ids: set[str]) -> Extraction:
    """The extraction of the documents that are not new (what the last digest knew)."""
    kept = {d.id for d in extraction.documents if d.id not in new_ids}
    return Extraction(
        documents=[d for d in extraction.documents if d.id in kept],
        quotes=[q for q in extraction.quotes if q.doc in kept],
        reactions=[r for r in extraction.reactions if r.doc in kept],
        events=[e for e in extraction.events if set(e.docs) & kept],
        open_questions=[q for q in extraction.open_questions if set(q.docs) & kept],
        facts=[f for f in extraction.facts if set(f.docs) & kept],
    )


def changes_since(
    brief: Brief, extraction: Extraction, config: Config, audience: str, new_ids: set[str]
) -> Changes:
    """What `brief` (of the whole corpus) says that the brief of the older documents did not."""
    from .brief import assemble  # the package's entry point; imported here: it imports us

    earlier = earlier_extraction(extraction, new_ids)
    if not earlier.documents or not new_ids:
        return Changes()  # a first digest (or one without news) has no "since"
    numbers = {d.id: n for n, d in enumerate(extraction.documents, start=1)}
    new_numbers = {numbers[d] for d in new_ids if d in numbers}
    items: list[tuple[str, BriefItem]] = []
    reactions = {i.country: i for s in brief.sections if s.name == "reactions" for i in s.items}
    said = [i.text for i in reactions.values() if i.sources]  # told with the stances
    for section in brief.sections:
        if section.name in ("sources", "bottom_line", "reactions"):
            continue  # reactions: told as changed stances below
        fresh = [i for i in section.items if i.sources and set(i.sources) <= new_numbers]
        for item in sorted(fresh, key=lambda i: -i.rank)[:PER_SECTION]:
            if not any(similar(item.text, told) for told in said):
                items.append((section.name, item))
                said.append(item.text)
    answered = [q for q in brief.answered if set(q.sources) & new_numbers]
    before = {s.country: s for s in assemble(earlier, config, audience).stances}
    stances = []
    for now in brief.stances:
        then = before.get(now.country)
        was = then.stance if then else None
        if now.stance and now.stance != was:
            shown = reactions.get(now.country)
            stances.append(
                StanceChange(
                    country=now.country,
                    before=then.stance_label if then else None,
                    after=now.stance_label,
                    item=shown if shown is not None and shown.sources else None,
                )
            )
    return Changes(items, stances, answered)
