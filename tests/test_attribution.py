"""Attribution patterns of real news beyond the house style of the samples (issue 14).

Every sentence here is invented (the harbour story of tests/fixtures/harbour: Norland,
Valmark, Ostria). Each case names one pattern and asserts the quoted words, the speaker and
whether the quote is partial.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.extract.actors import Gazetteer
from briefing.extract.parsed import parse_document
from briefing.extract.quotes import extract_quotes
from briefing.models import Document

CONFIG = Path(__file__).resolve().parent / "fixtures" / "harbour" / "config.yaml"
GAZETTEER = Gazetteer.from_config(load_config(CONFIG))


SHIPS = "We will keep the harbour open to every ship"
PATROL = "The patrols will begin before the winter storms"
DATELINE = "VALMARK CITY, Dec. 8 (Wire) \u2014"


def found(*paragraphs: str) -> list[tuple[str, str | None, bool]]:
    doc = Document(id="d1", path="d1.txt", paragraphs=list(paragraphs))
    parsed = parse_document(doc, GAZETTEER)
    return [(q.text, q.speaker, q.partial) for q in extract_quotes(parsed, GAZETTEER)]


CASES = [
    pytest.param(
        (f'"{SHIPS}," said Sen. Mara Quill.',),
        [(SHIPS, "Mara Quill", False)],
        id="abbreviated-title-after-verb",
    ),
    pytest.param(
        (f'"{SHIPS}," Rep. Mara Quill (D-Norl.) said Tuesday.',),
        [(SHIPS, "Mara Quill", False)],
        id="abbreviated-title-and-party-parenthesis",
    ),
    pytest.param(
        (f'Gov. Osric T. Pellam said, "{SHIPS}."',),
        [(f"{SHIPS}.", "Osric T. Pellam", False)],
        id="middle-initial-before-quote",
    ),
    pytest.param(
        (f'Of course, Mara Quill said, "{SHIPS}."',),
        [(f"{SHIPS}.", "Mara Quill", False)],
        id="opening-adverb-of-course",
    ),
    pytest.param(
        (f'Soon after the vote in the port Mara Quill told reporters, "{SHIPS}."',),
        [(f"{SHIPS}.", "Mara Quill", False)],
        id="speaker-right-before-the-verb-after-a-long-opener",
    ),
    pytest.param(
        (f'"{SHIPS}," said one senior harbour official.',),
        [(SHIPS, "one senior harbour official", False)],
        id="one-determiner",
    ),
    pytest.param(
        ("Osric Pellam, the harbour master, spoke at noon.", f'"{SHIPS}," Pellam said.'),
        [(SHIPS, "Osric Pellam", False)],
        id="short-name-to-full-name",
    ),
    pytest.param(
        (
            "The Latest: Osric Pellam Says He Would Close The Harbour.",
            f'"{SHIPS}," Pellam said.',
        ),
        [(SHIPS, "Osric Pellam", False)],
        id="title-case-heading-is-not-a-full-name",
    ),
    pytest.param(
        ("That is why the pact matters.", f'"{SHIPS}."'),
        [],
        id="sentence-opening-that-is-no-speaker",
    ),
    pytest.param(
        (f'"{SHIPS}," said a longtime harbour data expert who advised the port.',),
        [(SHIPS, "a longtime harbour data expert", False)],
        id="lower-case-modifiers-of-a-role-noun",
    ),
    pytest.param(
        (f'"{SHIPS}," said election lawyer Osric Pellam.',),
        [(SHIPS, "Osric Pellam", False)],
        id="lower-case-title-before-a-name",
    ),
    pytest.param(
        (f'"{PATROL}," the report said.',),
        [(PATROL, "report", False)],
        id="document-as-source",
    ),
    pytest.param(
        (f'The Pellam campaign said in a statement, "{PATROL}."',),
        [(f"{PATROL}.", "Pellam campaign", False)],
        id="campaign-said-in-a-statement",
    ),
    pytest.param(
        (f'The Norland port board released a statement. "{PATROL}," it said.',),
        [(PATROL, "Norland port board", False)],
        id="no-predicate-read-as-modifiers",
    ),
    pytest.param(
        ('"Who will pay for the new patrols now?" Mara Quill asked. The port stayed shut.',),
        [("Who will pay for the new patrols now?", "Mara Quill", False)],
        id="question-then-attribution-split-off",
    ),
    pytest.param(
        (
            'Mara Quill said the talks were a "fair deal" and that the port would be '
            '"open to every ship that flies a flag."',
        ),
        [("open to every ship that flies a flag.", "Mara Quill", True)],
        id="later-quote-of-the-sentence-inherits",
    ),
    pytest.param(
        ('Mara Quill credited the vote to "a port that never closes its gates."',),
        [("a port that never closes its gates.", "Mara Quill", True)],
        id="subject-without-speech-verb",
    ),
    pytest.param(
        ('Mara Quill appeared on "The Evening Harbour Show With Osric Pellam" on Monday.',),
        [],
        id="title-of-a-show-is-no-quote",
    ),
    pytest.param(
        ('Signs pointed to "a long night for the harbour board."',),
        [],
        id="one-word-subject-named-once-does-not-speak",
    ),
    pytest.param(
        (f'"{PATROL}," Mara Quill on Friday said.',),
        [(PATROL, "Mara Quill", False)],
        id="time-between-speaker-and-verb",
    ),
    pytest.param(
        (f'"{PATROL}," Mara Quill shot back.',),
        [(PATROL, "Mara Quill", False)],
        id="multi-word-verb-shot-back",
    ),
    pytest.param(
        (f'"{PATROL}" and the port reopened on Monday, Mara Quill said.',),
        [(PATROL, "Mara Quill", False)],
        id="attribution-after-a-comma-further-on",
    ),
    pytest.param(
        (f'The vote did not surprise harbour pilot Osric Pellam: "{PATROL}."',),
        [(f"{PATROL}.", "Osric Pellam", False)],
        id="name-before-a-colon",
    ),
    pytest.param(
        (f'"{PATROL}," said a prominent Norland Harbour Board member who backs the pact.',),
        [(PATROL, "a prominent Norland Harbour Board member", False)],
        id="capitalized-modifiers-of-a-role-noun",
    ),
    pytest.param(
        (f'"{PATROL}," said Will Pellam, a harbour pilot.',),
        [(PATROL, "Will Pellam", False)],
        id="first-name-that-is-also-a-verb",
    ),
    pytest.param(
        ("\"They ask about the old quay and say, 'That is all that counts,' \" Mara Quill said.",),
        [("They ask about the old quay and say, 'That is all that counts,'", "Mara Quill", False)],
        id="quote-within-a-quote-closing-together",
    ),
    pytest.param(
        (f'{DATELINE} A harbour official rallied the crews, saying: "{PATROL}."',),
        [(f"{PATROL}.", "a harbour official", False)],
        id="dateline-is-no-speaker",
    ),
    pytest.param(
        (f'A top strategist, Osric Pellam, tells reporters, "{PATROL}."',),
        [(f"{PATROL}.", "Osric Pellam", False)],
        id="name-in-apposition-to-a-nominal",
    ),
    pytest.param(
        (f'"{PATROL}," he said.',),
        [(PATROL, "he", False)],
        id="unresolved-pronoun-keeps-its-words",
    ),
    pytest.param(
        (f'"{PATROL}," the retired quay master said.',),
        [(PATROL, "retired quay master", False)],
        id="description-with-an-unknown-noun-before-the-verb",
    ),
    pytest.param(
        (f'"{PATROL}," said the retired quay master.',),
        [(PATROL, "retired quay master", False)],
        id="description-with-an-unknown-noun-after-the-verb",
    ),
    pytest.param(
        (f'"{PATROL}," said the port would reopen soon.',),
        [],
        id="said-then-a-clause-is-no-speaker",
    ),
    pytest.param(
        (f'Said Osric Pellam, a harbour official, "{PATROL}."',),
        [(f"{PATROL}.", "Osric Pellam", False)],
        id="inverted-said-X",
    ),
    pytest.param(
        (f'"{PATROL}," Ana de Varga said.',),
        [(PATROL, "Ana de Varga", False)],
        id="name-particle",
    ),
    pytest.param(
        (f'As harbour official Osric Pellam put it, "{PATROL}."',),
        [(f"{PATROL}.", "Osric Pellam", False)],
        id="as-X-put-it",
    ),
    pytest.param(
        (f'"{PATROL}," said the board\'s host, harbour pilot Osric Pellam.',),
        [(PATROL, "Osric Pellam", False)],
        id="title-and-name-in-apposition",
    ),
    pytest.param(
        ("Osric Pellam Opens The Northern Harbour Gates", f'"{PATROL}."'),
        [],
        id="title-in-capitals-has-no-subject",
    ),
    pytest.param(
        (f'"{PATROL}," said retired Navy Lt. Gen. Osric Pellam.',),
        [(PATROL, "Osric Pellam", False)],
        id="retired-and-abbreviated-ranks",
    ),
    pytest.param(
        (f"\u201c{PATROL}.\u201d\u2015 Mara Quill", f"\u201c{SHIPS}.\u201d \u2014 Osric Pellam."),
        [(f"{PATROL}.", "Mara Quill", False), (f"{SHIPS}.", "Osric Pellam", False)],
        id="quote-signed-with-a-dash",
    ),
    pytest.param(
        (f"\u201c{PATROL}.\u201d \u2014 and then the port closed.",),
        [],
        id="dash-then-a-clause-is-no-signature",
    ),
]


@pytest.mark.parametrize(("paragraphs", "quotes"), CASES)
def test_patterns(paragraphs: tuple[str, ...], quotes: list[tuple[str, str | None, bool]]) -> None:
    assert found(*paragraphs) == quotes
