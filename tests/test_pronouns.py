"""Pronouns "he" and "she" resolved by gender (issue 14): a pronoun skips a named person
known to be of the other gender, and keeps its own words when no one fits. Every sentence
and name here is invented."""

from __future__ import annotations

import pytest
from test_attribution import found

from briefing.extract.gender import pronoun_gender, speaker_gender

SHIPS = "We will keep the harbour open to every ship"
PATROL = "The patrols will begin before the winter storms"


@pytest.mark.parametrize(
    ("name", "title", "gender"),
    [
        ("Maria Kellberg", None, "female"),  # a given name of the table
        ("Peter Kellberg", None, "male"),
        ("Kellberg", "Mrs.", "female"),  # a gendered title
        ("Kellberg", "Congresswoman", "female"),
        ("His wife", None, "female"),  # the head noun, not the possessive
        ("Her father", None, "male"),
        ("Kellberg", None, None),  # one word: a family name tells nothing
        ("Orsa Kellberg", None, None),  # a given name not in the table
        ("Orsa Kellberg", "spokesman", None),  # "spokesman" is written of women too
        ("Maria Kellberg", "congressman", None),  # title and name disagree: unknown
    ],
)
def test_speaker_gender(name: str, title: str | None, gender: str | None) -> None:
    assert speaker_gender(name, title) == gender


def test_pronoun_gender() -> None:
    assert [pronoun_gender(w) for w in ("she", "He", "it", "they")] == [
        "female",
        "male",
        None,
        None,
    ]


CASES = [
    pytest.param(
        (f'"{SHIPS}," said Maria Kellberg.', f'Peter Osk disagreed. "{PATROL}," she said.'),
        [(SHIPS, "Maria Kellberg", False), (PATROL, "Maria Kellberg", False)],
        id="she-skips-the-man-named-between",
    ),
    pytest.param(
        (f'"{SHIPS}," said Mrs. Kellberg.', f'Peter Osk disagreed. "{PATROL}," she said.'),
        [(SHIPS, "Kellberg", False), (PATROL, "Kellberg", False)],
        id="she-finds-a-woman-by-her-title",
    ),
    pytest.param(
        (f'"{SHIPS}," said Orsa Kellberg.', f'Peter Osk disagreed. "{PATROL}," she said.'),
        [(SHIPS, "Orsa Kellberg", False), (PATROL, "she", False)],
        id="she-stays-she-past-a-man-when-no-woman-is-known",
    ),
    pytest.param(
        (f'Orsa Kellberg spoke first. "{PATROL}," she said.',),
        [(PATROL, "Orsa Kellberg", False)],
        id="an-unknown-gender-fits-the-nearest-pronoun",
    ),
    pytest.param(
        (f'"{SHIPS}," said Peter Osk.', f'His wife arrived later. "{PATROL}," he said.'),
        [(SHIPS, "Peter Osk", False), (PATROL, "Peter Osk", False)],
        id="he-skips-his-wife",
    ),
    pytest.param(
        (
            f'"{SHIPS}," said Orsa Kellberg.',
            f'The harbour officials disagreed. "{PATROL}," she said.',
        ),
        [(SHIPS, "Orsa Kellberg", False), (PATROL, "Orsa Kellberg", False)],
        id="she-is-not-a-group",
    ),
    pytest.param(
        (
            f'"{SHIPS}," said Sen. Mara Quill.',
            f'Peter Osk disagreed. "{PATROL}," the senator said.',
        ),
        [(SHIPS, "Mara Quill", False), (PATROL, "Mara Quill", False)],
        id="the-senator-is-the-one-titled-sen",
    ),
    pytest.param(
        (f'Peter Osk met Maria Kellberg. She said the port would "{PATROL.lower()}".',),
        [(PATROL.lower(), "She", True)],
        id="a-subject-pronoun-that-fits-no-one-keeps-its-words",
    ),
]


@pytest.mark.parametrize(("paragraphs", "quotes"), CASES)
def test_pronouns_by_gender(
    paragraphs: tuple[str, ...], quotes: list[tuple[str, str | None, bool]]
) -> None:
    assert found(*paragraphs) == quotes
