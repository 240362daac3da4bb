"""The rule tables of the ingest stage (briefing/rules/*.yaml), loaded once per process
(resources.load_rules caches them)."""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import resources


def load_rules(name: str) -> dict[str, Any]:
    """The YAML table `name` under briefing/rules/, as a mapping (parsed once: see
    resources.load_rules)."""
    data = resources.load_rules(name)
    if not isinstance(data, dict):
        raise ValueError(f"rule table {name} is not a mapping")
    return data


@cache
def words_of(name: str, key: str) -> frozenset[str]:
    """A list of words of a rule table, lower-cased, as a set."""
    return frozenset(str(word).lower() for word in load_rules(name)[key])
