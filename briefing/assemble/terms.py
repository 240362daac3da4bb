"""The story's terms an item names (for what a section adds to those above it, and for
the open questions): found clause by clause. Which terms a fact states or negates is read
by the extract stage (extract/claims.py)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..config import Config
from .rules import Rules
from .text import word_tokens

# A term does not run across a clause boundary ("mutual, assistance" is no term).
_CLAUSE = re.compile(r"[,;:()\[\]—–]|\s-\s|\.\s")


@dataclass
class Terms:
    """The story's terms (and the rules' concept phrases) as word sequences, each with the
    name it counts as: "mutual assistance" and "automatic military intervention" both count
    as the concept "(defence_commitment)"."""

    sequences: list[tuple[tuple[str, ...], str]]

    @classmethod
    def from_config(cls, config: Config, rules: Rules) -> Terms:
        named: dict[tuple[str, ...], str] = {}
        for term in [*config.story.agreement_terms, *config.story.key_terms]:
            words = tuple(word_tokens(term))
            if words:
                named.setdefault(words, " ".join(words))
        for concept, phrases in rules.concepts.items():
            for phrase in phrases:
                words = tuple(word_tokens(phrase))
                if words:
                    named[words] = f"({concept})"
        ordered = sorted(named.items(), key=lambda pair: (-len(pair[0]), pair[0]))
        return cls(ordered)

    def names(self, text: str) -> set[str]:
        """The names of the terms `text` names, stated or negated."""
        found: set[str] = set()
        for clause in _CLAUSE.split(text):
            tokens = word_tokens(clause)
            # Where each word stands: a term is looked for only where its first word is.
            places: dict[str, list[int]] = defaultdict(list)
            for index, token in enumerate(tokens):
                places[token].append(index)
            for words, name in self.sequences:
                for start in places.get(words[0], ()):
                    if tuple(tokens[start : start + len(words)]) == words:
                        found.add(name)
        return found
