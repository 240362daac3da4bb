"""The assemble stage's rule table (briefing/rules/assemble.yaml), read and checked once."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..resources import load_rules as load_rule_table


@dataclass(frozen=True)
class Rules:
    support_bonus: float
    bottom_line: dict[str, float]
    quotes: dict[str, Any]
    stance_labels: dict[str, str]
    no_reaction: str
    max_conflicts: int
    conflict_bonus: float
    max_words: dict[str, int]
    clip: dict[str, float]
    dangling_words: frozenset[str]
    repeats: dict[str, float]
    max_citations: int
    questions: dict[str, float]
    concepts: dict[str, list[str]]
    variety: dict[str, float]
    stopwords: frozenset[str]
    support: dict[str, float]
    stance_shift: dict[str, Any]
    now: dict[str, list[str]]
    bottom_line_text: dict[str, Any]


@functools.cache
def load_rules() -> Rules:
    """The rule table, read and checked once per process."""
    data = load_rule_table("assemble.yaml")
    words = _lower_words
    return Rules(
        support_bonus=float(data["support_bonus"]),
        bottom_line={str(k): float(v) for k, v in data["bottom_line"].items()},
        quotes=dict(data["quotes"]),
        stance_labels=dict(data["stance_labels"]),
        no_reaction=str(data["no_reaction"]),
        max_conflicts=int(data["max_conflicts"]),
        conflict_bonus=float(data["conflict_bonus"]),
        max_words={str(k): int(v) for k, v in data["max_words"].items()},
        clip={str(k): float(v) for k, v in data["clip"].items()},
        dangling_words=frozenset(words(data["dangling_words"])),
        repeats={str(k): float(v) for k, v in data["repeats"].items()},
        max_citations=int(data["max_citations"]),
        questions={str(k): float(v) for k, v in data["questions"].items()},
        concepts={str(k): [str(p) for p in v] for k, v in data["concepts"].items()},
        variety={str(k): float(v) for k, v in data["variety"].items()},
        stopwords=frozenset(str(w).lower() for w in load_rule_table("stopwords.yaml")["stopwords"]),
        support={str(k): float(v) for k, v in data["support"].items()},
        stance_shift=dict(data["stance_shift"]),
        now={str(k): [str(p) for p in v] for k, v in data["now"].items()},
        bottom_line_text=dict(data["bottom_line_text"]),
    )


def _lower_words(values: Iterable[object]) -> list[str]:
    return [str(value).lower() for value in values]
