"""The story's terms in a text: which are stated, which negated (for disputes between
sources, and for what a section adds to those above it)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..config import Config
from .rules import Rules
from .text import word_tokens

# Clause boundaries end the reach of a negation ("no troops, but military aid").
_CLAUSE = re.compile(r"[,;:()\[\]—–]|\s-\s|\.\s")


@dataclass
class Terms:
    """The story's terms (and the rules' concept phrases) as word sequences, each with the
    name it counts as, for negation checks: "mutual assistance" and "automatic military
    intervention" both count as the concept "(defence_commitment)". Sources can disagree
    over the `disputable` ones only: provisions and key terms, not the agreement's names."""

    sequences: list[tuple[tuple[str, ...], str]]
    disputable: frozenset[str]

    @classmethod
    def from_config(cls, config: Config, rules: Rules) -> Terms:
        named: dict[tuple[str, ...], str] = {}
        disputable: set[str] = set()
        for term in config.story.agreement_terms:
            words = tuple(word_tokens(term))
            if words:
                named.setdefault(words, " ".join(words))
                if words[-1] not in rules.agreement_names:
                    disputable.add(" ".join(words))  # "mutual assistance": a provision
        for term in config.story.key_terms:
            words = tuple(word_tokens(term))
            if words:
                named.setdefault(words, " ".join(words))
                disputable.add(" ".join(words))
        for concept, phrases in rules.concepts.items():
            for phrase in phrases:
                words = tuple(word_tokens(phrase))
                if words:
                    named[words] = f"({concept})"
                    disputable.add(f"({concept})")
        ordered = sorted(named.items(), key=lambda pair: (-len(pair[0]), pair[0]))
        return cls(ordered, frozenset(disputable))

    def find(self, text: str, rules: Rules, claims: bool = False) -> tuple[set[str], set[str]]:
        """(names stated, names negated) in `text`. With `claims`, a clause that voices
        uncertainty ("it is unclear whether ...") states and negates nothing."""
        stated: set[str] = set()
        negated: set[str] = set()
        for clause in _CLAUSE.split(text):
            tokens = word_tokens(clause)
            if claims and _is_uncertain(tokens, rules):
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
                    reach = reach or _negation_reach(tokens, rules)
                    (negated if reach[start] else stated).add(name)
        return stated - negated, negated


def _is_uncertain(tokens: list[str], rules: Rules) -> bool:
    """Whether the words hold one of the rules' uncertainty phrases ("not yet known")."""
    longest = max((len(phrase) for phrase in rules.uncertainty), default=0)
    for start in range(len(tokens)):
        for size in range(1, min(longest, len(tokens) - start) + 1):
            if tuple(tokens[start : start + size]) in rules.uncertainty:
                return True
    return False


def _negation_reach(tokens: list[str], rules: Rules) -> list[bool]:
    """For each token, whether a negation a few words before it applies to it."""
    reach = [False] * len(tokens)
    for i, token in enumerate(tokens):
        is_negation = token in rules.negations or token.endswith(("n't", "n’t"))
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if not is_negation or (token, following) in rules.negation_exceptions:
            continue
        for j in range(i + 1, min(len(tokens), i + 1 + rules.negation_window)):
            reach[j] = True
    return reach
