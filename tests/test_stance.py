"""The stance of a statement, read from the clause that carries it (briefing/extract/stance.py).

Invented sentences about a harbour pact between Norland and Valmark (the principals of
tests/fixtures/harbour/config.yaml), watched by the third countries Ostria, Kesh and Brenmark.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.extract.actors import Gazetteer
from briefing.extract.parsed import parse_document
from briefing.extract.quotes import extract_quotes
from briefing.extract.reactions import extract_reactions
from briefing.extract.stance import read_stance
from briefing.models import Document, Reaction

CONFIG = Path(__file__).resolve().parent / "fixtures" / "harbour" / "config.yaml"
GAZETTEER = Gazetteer.from_config(load_config(CONFIG))


def reactions_of(text: str, published: str | None = None) -> list[Reaction]:
    doc = Document(id="d1", path="d1.txt", paragraphs=[text], published=published)
    anchor = dt.date.fromisoformat(published) if published else None
    parsed = parse_document(doc, GAZETTEER)
    return extract_reactions(parsed, extract_quotes(parsed, GAZETTEER), GAZETTEER, anchor)


def stance(sentence: str) -> tuple[str | None, list[str]]:
    reading = read_stance(sentence, 0, len(sentence), [])
    return reading.stance, reading.cues


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # contrast: the part after "but" / "however" carries the statement
        ("Ostria welcomed the talks but warned against the pact.", ("concerned", ["warned"])),
        (
            "Kesh voiced concern about the patrols; however, it welcomed the pact itself.",
            ("welcomes", ["welcomed"]),
        ),
        # a concessive clause loses to the rest of the sentence, wherever it stands
        (
            "Although Brenmark welcomed the talks, it condemned the pact.",
            ("condemns", ["condemned"]),
        ),
        (
            "Brenmark condemned the pact, although it welcomed the talks.",
            ("condemns", ["condemned"]),
        ),
        # idioms and senses
        ("Ostria called the pact a stab in the back.", ("condemns", ["stab in the back"])),
        ("Kesh said it would not back down on its fishing claims.", (None, [])),
        ("Kesh said it had backed the pact from the start.", ("supports", ["backed"])),
        ("The pact drew a backlash in the harbour towns.", (None, [])),
        (
            "Kesh called the pact extremely irresponsible and said it threatened the region.",
            ("condemns", ["irresponsible"]),
        ),
        ("Brenmark said the report smeared its navy.", ("condemns", ["smeared"])),
        ("Ostria rejects the call for joint patrols.", ("condemns", ["rejects"])),
        (
            "As far as Brenmark is concerned, the pact is a step forward.",
            ("welcomes", ["step forward"]),
        ),
        # negation: within the clause only, and "not only" is no negation
        ("Kesh, which did not attend, welcomed the pact.", ("welcomes", ["welcomed"])),
        ("Kesh said it did not welcome the pact.", ("concerned", ["welcome"])),
        (
            "Ostria not only criticized the pact, it also recalled its envoy.",
            ("condemns", ["criticized"]),
        ),
        ("Brenmark said it was not worried by the patrols.", (None, [])),
        # an intensifier adds weight to the word after it
        (
            "Ostria strongly criticized the pact and voiced concern over patrols.",
            ("condemns", ["criticized"]),
        ),
    ],
)
def test_stance_of_the_clause_that_carries_it(
    sentence: str, expected: tuple[str | None, list[str]]
) -> None:
    assert stance(sentence) == expected


def test_a_later_statement_replaces_an_earlier_one_and_keeps_it() -> None:
    sentence = (
        "Kesh initially welcomed the pact, but later described it as a matter for "
        "two sovereign states."
    )
    reading = read_stance(sentence, 0, len(sentence), [])
    assert (reading.stance, reading.cues) == ("neutral", ["matter for", "two sovereign"])
    assert (reading.earlier_stance, list(reading.earlier_cues)) == ("welcomes", ["welcomed"])
    assert sentence[reading.start : reading.end] == (
        "later described it as a matter for two sovereign states."
    )
    assert sentence[reading.earlier_start : reading.earlier_end] == (
        "Kesh initially welcomed the pact, but "
    )


def test_a_mixed_statement_is_not_a_shift() -> None:
    sentence = "Ostria welcomed the talks but warned against the pact."
    assert read_stance(sentence, 0, len(sentence), []).earlier_stance is None


def test_the_verb_that_reports_the_reaction_weighs_most() -> None:
    # "welcomed" is the reaction's verb; the concern belongs to a subordinate phrase
    sentence = "Kesh welcomed the pact, calling the patrols a source of concern for fishermen."
    (found,) = reactions_of(sentence)
    assert (found.stance, found.stance_cues) == ("welcomes", ["welcomed"])
    # without the verb's weight, the tie would go to concern (the first in priority)
    assert stance(sentence) == ("concerned", ["concern"])


def test_words_in_quotes_weigh_less_than_the_reporting_words() -> None:
    sentence = 'Ostria warned against the pact, saying "we welcome talks, we welcome trade".'
    quote_at = sentence.index('"')
    reading = read_stance(sentence, 0, len(sentence), [(quote_at, len(sentence))])
    assert (reading.stance, reading.cues) == ("concerned", ["warned"])


def test_when_each_statement_was_made() -> None:
    sentence = (
        "Kesh initially welcomed the pact on Monday, but on Thursday it called it "
        "a bilateral matter."
    )
    (found,) = reactions_of(sentence, published="2031-03-08")  # a Saturday
    assert (found.stance, found.stance_cues) == ("neutral", ["bilateral matter"])
    assert (found.earlier_stance, found.earlier_cues) == ("welcomes", ["welcomed"])
    assert (found.earlier_on, found.said_on) == ("2031-03-03", "2031-03-06")


def test_a_statement_without_a_date_is_dated_by_its_article() -> None:
    (found,) = reactions_of("Brenmark condemned the pact.", published="2031-03-08")
    assert (found.stance, found.said_on, found.earlier_stance) == ("condemns", "2031-03-08", None)
