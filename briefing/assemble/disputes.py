"""Where sources disagree: a fact that negates a term another source's fact states rides
beside it, and the disputed point ranks higher."""

from __future__ import annotations

from collections.abc import Sequence

from .facts import FactItem
from .rules import Rules


def pair_conflicts(facts: list[FactItem], rules: Rules) -> tuple[list[FactItem], int]:
    """Attach to a fact the fact of other sources that negates one of its provisions (as
    the extract stage read them: Fact.states, Fact.negates).

    Returns the facts left standing (the negating ones ride on their partner) and the number
    of pairs. Facts are ranked best first, so each term pairs its two strongest claims.
    """
    found = [(f, f.states, f.negates) for f in facts[:200]]
    taken: set[int] = set()
    pairs = 0
    for stated_fact, stated, _ in found:
        if pairs >= rules.max_conflicts:
            break
        if id(stated_fact) in taken:
            continue
        for other, _, negated in found:
            if (
                other is stated_fact
                or id(other) in taken
                or other.topic != stated_fact.topic
                or not (stated & negated)
                or _same_documents(other.docs, stated_fact.docs)
            ):
                continue
            stated_fact.item.counterpoint = other.item
            # A point the sources dispute is worth the reader's attention.
            stated_fact.item.rank = round(stated_fact.item.rank + rules.conflict_bonus, 4)
            taken.update((id(stated_fact), id(other)))
            pairs += 1
            break
    riders = {id(f.item.counterpoint) for f in facts if f.item.counterpoint is not None}
    standing = [f for f in facts if id(f.item) not in riders]
    standing.sort(key=lambda f: (-f.item.rank, f.position))  # disputed points rose
    return standing, pairs


def _same_documents(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two facts have the same sources (in any order): the same report twice."""
    return a is b or set(a) == set(b)
