"""Now, not then: which facts report the event as done and which speak of it before it
happened ("were planning to sign", "is expected to hold"), and which open questions a source
has answered since.

Once any source reports the event itself (an agreement term with a completion verb, in a
clause that voices no uncertainty and no plan), what was written before it about it is
background: never the bottom line nor "what was agreed". A question asking whether the
agreement will come about, or whether it will hold a provision that a report of the event
names (stated or denied), is answered. Cue words are in briefing/rules/assemble.yaml (now).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import Rules
from .terms import Terms


def _phrases(entries: list[str]) -> re.Pattern[str]:
    body = "|".join(
        sorted((r"\s+".join(map(re.escape, str(e).lower().split())) for e in entries), key=len)[
            ::-1
        ]
    )
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class _Cues:
    prospective: re.Pattern[str]
    done: re.Pattern[str]
    agreement: re.Pattern[str]
    uncertain: re.Pattern[str]
    timed_to: re.Pattern[str]
    occasions: re.Pattern[str]


_COMPILED: dict[int, tuple[Rules, _Cues]] = {}


def _cues(rules: Rules) -> _Cues:
    """The rules' cue phrases, compiled once per rule table (Rules holds dicts: no hash)."""
    known = _COMPILED.get(id(rules))
    if known is None or known[0] is not rules:
        now = rules.now
        cues = _Cues(
            _phrases(now["prospective"]),
            _phrases(now["done"]),
            _phrases(now["agreement_names"]),
            _phrases(now["uncertainty"]),
            _phrases(now["timed_to"]),
            _phrases(now["occasions"]),
        )
        known = _COMPILED[id(rules)] = (rules, cues)
    return known[1]


_ASKED = re.compile(r"(?<!\w)(?:whether|if)(?!\w)[^,;.]*$", re.IGNORECASE)


def is_prospective(text: str, rules: Rules) -> bool:
    """Whether the text speaks of something still to happen ("are expected to sign"); not a
    question it asks ("raises questions, including whether they will hold drills")."""
    for match in _cues(rules).prospective.finditer(text):
        if not _ASKED.search(text, max(0, match.start() - 200), match.start()):
            return True
    return False


def reports_event(text: str, terms: Terms, rules: Rules) -> bool:
    """Whether the text reports the agreement as done: a completion verb ("signed",
    "elevated") and a name of the agreement (or a story term), no plan and no doubt."""
    cues = _cues(rules)
    if cues.prospective.search(text) or not cues.done.search(text):
        return False
    if cues.uncertain.search(text):
        return False
    return bool(cues.agreement.search(text) or terms.names(text))


def provisions(states: frozenset[str] | set[str]) -> set[str]:
    """The provisions (concepts of the rules, "(defence_commitment)") among the names a
    fact states or denies (read by the extract stage, extract/claims.py)."""
    return {name for name in states if name.startswith("(")}


def answered(question: str, done: list[tuple[str, set[str]]], terms: Terms, rules: Rules) -> bool:
    """Whether reports of the event (`done`: each one's text and the provisions it states or
    denies) answer the question: it asks whether the agreement will come about ("whether a
    new treaty may be signed"), or whether it will hold a provision one of them names."""
    if not done:
        return False
    cues = _cues(rules)
    if cues.agreement.search(question) and cues.prospective.search(question):
        return True
    if cues.timed_to.search(question) and cues.occasions.search(question):
        return True  # asked of the occasion itself, which has now taken place
    asked = provisions(terms.names(question))
    return any(asked & named for _, named in done)
