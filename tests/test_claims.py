"""What a fact states and negates of the story's provisions (extract/claims.py), which the
brief reads to show sources that disagree side by side. Invented story: a harbour pact
between two made-up coastal states."""

from __future__ import annotations

import pytest

from briefing.config import Story
from briefing.extract import ExtractContext, merge
from briefing.extract.actors import Gazetteer
from briefing.extract.claims import Provisions, mark_claims
from briefing.models import Document, DocumentExtraction, Fact

STORY = Story(
    title="Harbour pact",
    agreement_terms=["harbour pact", "joint patrols"],
    key_terms=["sanctions"],
)
DEFENCE = "(defence_commitment)"


def claims(text: str) -> tuple[list[str], list[str]]:
    stated, negated = Provisions.of_story(STORY).claims(text)
    return sorted(stated), sorted(negated)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pact commits each side to mutual assistance.", ([DEFENCE], [])),
        ("It does not include an automatic military intervention clause.", ([], [DEFENCE])),
        # a negation reaches to the end of its clause only
        (
            "There will be no sanctions, but joint patrols begin in May.",
            (["joint patrols"], ["sanctions"]),
        ),
        # a negation that negates nothing
        ("The officials did not rule out sanctions.", (["sanctions"], [])),
        # uncertainty is no claim
        ("It is unclear whether the joint patrols will begin.", ([], [])),
        # the agreement's own name is no provision: sources cannot disagree over it
        ("The harbour pact was not signed.", ([], [])),
        # stated and negated in one fact: negated
        ("Sanctions stay, officials said, though not the sanctions on fish.", ([], ["sanctions"])),
    ],
)
def test_what_a_fact_states_and_negates(text: str, expected: tuple[list[str], list[str]]) -> None:
    assert claims(text) == expected


def test_merged_facts_carry_their_claims_and_the_json_does_not() -> None:
    doc = Document(id="d1", path="d1.txt", paragraphs=["x"])
    fact = Fact("It does not include a mutual defence clause.", ["d1"], 0.8, "agreement", 0.1)
    ctx = ExtractContext(gazetteer=Gazetteer(), story=STORY, story_date=None)
    extraction = merge([DocumentExtraction(document=doc, facts=[fact])], ctx)
    (merged,) = extraction.facts
    assert (merged.states, merged.negates) == ([], [DEFENCE])
    assert extraction.to_json()["facts"] == [
        {
            "text": "It does not include a mutual defence clause.",
            "docs": ["d1"],
            "score": 0.8,
            "topic": "agreement",
            "position": 0.1,
        }
    ]


def test_mark_claims_sets_sorted_lists() -> None:
    facts = [Fact("Mutual assistance and sanctions were agreed.", ["d1"])]
    mark_claims(facts, STORY)
    assert (facts[0].states, facts[0].negates) == ([DEFENCE, "sanctions"], [])
