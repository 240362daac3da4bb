"""Open questions that the event itself settles: the agreement's coming about, a provision
a report names, and a question asked of the occasion (its arrival, visit or signing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.assemble.news import answered
from briefing.assemble.rules import load_rules
from briefing.assemble.terms import Terms
from briefing.config import load_config

ROOT = Path(__file__).resolve().parent.parent
DONE = [("Norland and Valmark signed the harbour pact on Monday.", set())]


@pytest.fixture(scope="module")
def terms() -> Terms:
    config = load_config(ROOT / "tests" / "fixtures" / "harbour" / "config.yaml")
    return Terms.from_config(config, load_rules())


@pytest.mark.parametrize(
    "question",
    [
        "Whether a new pact may be signed?",
        "Whether related announcements may be made to coincide with the envoy's arrival?",
        "Whether the navies will parade during the state visit?",
        "Whether gifts will be exchanged at the time of the signing?",
    ],
)
def test_questions_the_done_event_settles(question: str, terms: Terms) -> None:
    assert answered(question, DONE, terms, load_rules())
    assert not answered(question, [], terms, load_rules())  # not before the event


@pytest.mark.parametrize(
    "question",
    [
        "Whether the two navies will hold joint drills?",
        "Whether the pact will survive a change of government?",
        "Whether fishing quotas will be discussed at next year's review?",
    ],
)
def test_questions_still_open_after_the_event(question: str, terms: Terms) -> None:
    assert not answered(question, DONE, terms, load_rules())
