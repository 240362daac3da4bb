"""The sentence splitter: abbreviations, initials, quotes, ellipses, and linear time."""

from __future__ import annotations

import time

import pytest

from briefing.extract.sentences import split_sentences
from briefing.extract.textunits import _defuse


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. envoy landed at 9 a.m. on Monday. Talks began.",
            ["The U.S. envoy landed at 9 a.m. on Monday.", "Talks began."],
        ),
        (
            "Gov. Rhee met Sen. Oduya in Jan. and they agreed. It held.",
            ["Gov. Rhee met Sen. Oduya in Jan. and they agreed.", "It held."],
        ),
        (
            "Minister J. K. Arroyo signed. Nobody objected.",
            ["Minister J. K. Arroyo signed.", "Nobody objected."],
        ),
        (
            '"We are ready." The envoy smiled. "Are you?" she asked.',
            ['"We are ready."', "The envoy smiled.", '"Are you?" she asked.'],
        ),
        (
            "It was... complicated. Then it ended… Later, calm.",
            ["It was... complicated.", "Then it ended…", "Later, calm."],
        ),
        (
            "The vote ended at 5 p.m. Delegates then left.",
            ["The vote ended at 5 p.m.", "Delegates then left."],
        ),
    ],
)
def test_splits(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_offsets_point_into_the_text() -> None:
    text = "  First one.   Second one!  "
    for sentence in split_sentences(text, offset=100):
        assert text[sentence.start - 100 : sentence.end - 100] == sentence.text


@pytest.mark.parametrize(
    "text",
    [
        "." * 200_000,
        "!" * 200_000 + " x",
        "a." + '"' * 300_000,
        "\u2026" * 200_000,
        "x" * 2_000_000,
    ],
)
def test_linear_time_on_hostile_runs(text: str) -> None:
    started = time.perf_counter()
    split_sentences(text)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("paragraph", "cut"),
    [
        ("Wait........ what", "Wait...      what"),  # periods only
        ("No!?!?!?!? way", "No!?!      way"),
        ("So..........!", "So...        "),
        ("Fine... really.. ok?! Yes!!!!!!!", "Fine... really.. ok?! Yes!!!!!!!"),  # runs of 7
        ("Plain text, no marks to speak of", "Plain text, no marks to speak of"),
    ],
)
def test_runs_of_eight_marks_are_cut_to_three_in_place(paragraph: str, cut: str) -> None:
    assert _defuse(paragraph) == cut
    assert len(cut) == len(paragraph)  # offsets into the paragraph stay where they were
