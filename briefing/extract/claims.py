"""What a fact claims about the story's provisions: which it states and which it negates.

"The pact commits each side to military assistance" states the concept (defence_commitment);
"it does not include an automatic military intervention clause" negates it. The assemble
stage shows two facts of different sources that disagree so side by side; it reads these
fields and does not parse the sentences again. A clause voicing uncertainty ("it is unclear
whether ...") states and negates nothing, and the agreement's own names ("pact", "treaty")
are no provisions: sources do not disagree over them.

The negations are those of briefing/rules/negations.yaml (every stage's); the uncertainty
phrases, concepts and agreement names are in briefing/rules/assemble.yaml.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from ..config import Story
from ..language import negations
from ..models import Fact
from ..resources import load_rules

_WORD = re.compile(r"\w+(?:['’]\w+)?")
# Clause boundaries end the reach of a negation ("no troops, but military aid").
_CLAUSE = re.compile(r"[,;:()\[\]—–]|\s-\s|\.\s")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


@dataclass(frozen=True)
class _Tables:
    negations: frozenset[str]
    negation_exceptions: frozenset[tuple[str, str]]
    negation_window: int
    uncertainty: frozenset[tuple[str, ...]]
    longest_uncertainty: int
    agreement_names: frozenset[str]
    concepts: dict[str, list[str]]


@cache
def tables() -> _Tables:
    data = load_rules("assemble.yaml")
    negation = negations()
    uncertainty = frozenset(tuple(_words(str(p))) for p in data["uncertainty"]) - {()}
    return _Tables(
        negations=negation.words | negation.denials,
        negation_exceptions=negation.exceptions,
        negation_window=negation.window,
        uncertainty=uncertainty,
        longest_uncertainty=max((len(p) for p in uncertainty), default=0),
        agreement_names=frozenset(str(word).lower() for word in data["agreement_names"]),
        concepts={str(k): [str(p) for p in v] for k, v in data["concepts"].items()},
    )


@dataclass(frozen=True)
class Provisions:
    """The story's provisions and key terms (and the concept phrases) as word sequences,
    each with the name it counts as: "mutual assistance" and "automatic military
    intervention" both count as "(defence_commitment)". Not the agreement's own names."""

    sequences: tuple[tuple[tuple[str, ...], str], ...]

    @classmethod
    def of_story(cls, story: Story) -> Provisions:
        t = tables()
        named: dict[tuple[str, ...], str] = {}
        disputable: set[str] = set()
        for term in story.agreement_terms:
            words = tuple(_words(term))
            if words:
                named.setdefault(words, " ".join(words))
                if words[-1] not in t.agreement_names:
                    disputable.add(" ".join(words))  # "mutual assistance": a provision
        for term in story.key_terms:
            words = tuple(_words(term))
            if words:
                named.setdefault(words, " ".join(words))
                disputable.add(" ".join(words))
        for concept, phrases in t.concepts.items():
            for phrase in phrases:
                words = tuple(_words(phrase))
                if words:
                    named[words] = f"({concept})"
                    disputable.add(f"({concept})")
        kept = [(words, name) for words, name in named.items() if name in disputable]
        return cls(tuple(sorted(kept, key=lambda pair: (-len(pair[0]), pair[0]))))

    def claims(self, text: str) -> tuple[set[str], set[str]]:
        """(provisions stated, provisions negated) in `text`; a provision both stated and
        negated in it counts as negated."""
        stated: set[str] = set()
        negated: set[str] = set()
        for clause in _CLAUSE.split(text):
            tokens = _words(clause)
            if _is_uncertain(tokens):
                continue
            # Where each word stands: a term is looked for only where its first word is.
            places: dict[str, list[int]] = defaultdict(list)
            for index, token in enumerate(tokens):
                places[token].append(index)
            reach: list[bool] | None = None
            for words, name in self.sequences:
                for start in places.get(words[0], ()):
                    if tuple(tokens[start : start + len(words)]) != words:
                        continue
                    reach = reach or _negation_reach(tokens)
                    (negated if reach[start] else stated).add(name)
        return stated - negated, negated


def _is_uncertain(tokens: list[str]) -> bool:
    """Whether the words hold one of the uncertainty phrases ("not yet known")."""
    t = tables()
    for start in range(len(tokens)):
        for size in range(1, min(t.longest_uncertainty, len(tokens) - start) + 1):
            if tuple(tokens[start : start + size]) in t.uncertainty:
                return True
    return False


def _negation_reach(tokens: list[str]) -> list[bool]:
    """For each token, whether a negation a few words before it applies to it."""
    t = tables()
    reach = [False] * len(tokens)
    for i, token in enumerate(tokens):
        is_negation = token in t.negations or token.endswith(("n't", "n’t"))
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if not is_negation or (token, following) in t.negation_exceptions:
            continue
        for j in range(i + 1, min(len(tokens), i + 1 + t.negation_window)):
            reach[j] = True
    return reach


def mark_claims(facts: list[Fact], story: Story) -> None:
    """Set each fact's `states` and `negates`: the provisions it claims and denies."""
    provisions = Provisions.of_story(story)
    for fact in facts:
        stated, negated = provisions.claims(fact.text)
        fact.states, fact.negates = sorted(stated), sorted(negated)
