"""The citer's numbers of documents by id (cite.DocumentNumbers): what a dict from id to
number gave, in two arrays."""

from __future__ import annotations

import random

from briefing.assemble.cite import Citer, DocumentNumbers
from briefing.assemble.rules import load_rules
from briefing.models import Document


class _Colliding(str):
    """An id whose hash is another's: the table must still tell them apart."""

    def __hash__(self) -> int:
        return 7


def _as_dict(ids: list[str]) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for number, doc in enumerate(ids, start=1):
        numbers[doc] = number
    return numbers


def test_numbers_are_a_dicts_of_the_same_ids() -> None:
    ids = ["b", "a", "c", "a", "d~2", "b", ""]
    numbers = DocumentNumbers(ids)
    expected = _as_dict(ids)
    assert dict(numbers) == expected  # the last document of a repeated id, as a dict
    assert list(numbers) == list(expected) == ["b", "a", "c", "d~2", ""]
    assert len(numbers) == 5
    assert numbers["a"] == 4 and numbers.get("b") == 6 and numbers.get("") == 7
    assert numbers.get("zz") is None and numbers.get("zz", 0) == 0
    assert "c" in numbers and "zz" not in numbers and 3 not in numbers
    asked = ["a", "zz", "b", "c", "", "a"]
    assert numbers.numbers_of(asked) == [expected.get(doc, 0) for doc in asked]


def test_ids_of_one_hash_keep_their_own_numbers() -> None:
    ids = ["a", _Colliding("x1"), "b", _Colliding("x2"), _Colliding("x1"), "c"]
    numbers = DocumentNumbers(ids)
    asked = [_Colliding("x1"), _Colliding("x2"), _Colliding("x3"), "a", "c"]
    assert numbers.numbers_of(asked) == [5, 4, 0, 1, 6]
    assert [_as_dict(ids).get(doc, 0) for doc in asked] == [5, 4, 0, 1, 6]
    assert [numbers.get(doc) for doc in asked[:3]] == [5, 4, None]
    assert len(numbers) == 5


def test_many_ids_in_any_order_get_the_dicts_numbers() -> None:
    rng = random.Random(17)
    ids = [f"article_{rng.randrange(3_000):05d}" for _ in range(5_000)]
    numbers = DocumentNumbers(ids)
    expected = _as_dict(ids)
    asked = [f"article_{n:05d}" for n in range(3_100)]
    assert numbers.numbers_of(asked) == [expected.get(doc, 0) for doc in asked]
    assert [numbers.get(doc, 0) for doc in asked] == [expected.get(doc, 0) for doc in asked]
    assert list(numbers) == list(expected) and len(numbers) == len(expected)


def test_a_citer_orders_an_items_documents_by_the_corpus() -> None:
    docs = [Document(id=f"d{i}", path=f"d{i}.txt", paragraphs=["Pier news."]) for i in range(4)]
    citer = Citer(docs, load_rules())
    # each once, in the item's order, without the ids the corpus does not hold
    assert citer._numbered(["d2", "x", "d0", "d2", "d3"]) == (["d2", "d0", "d3"], [3, 1, 4])
    assert citer._numbered(["x"]) == ([], [])
    assert citer.first_carrying("Pier news.", ["d3", "x", "d1"], 1) == [2]
    assert dict(citer.published()) == {}  # no document has a day


def test_a_citer_keeps_each_documents_day_and_dateline() -> None:
    days = ["2024-06-19T08:00:00Z", None, "2024-06-20", "2024-06-19"]
    lines = ["PYONGYANG (Wire) -", "", "  ", "SEOUL, June 20 -"]
    docs = [
        Document(id=f"d{i}", path=f"d{i}.txt", paragraphs=["Pier news."], published=day)
        for i, day in enumerate(days)
    ]
    for doc, line in zip(docs, lines, strict=True):
        doc.dateline = line
    citer = Citer(docs, load_rules())
    expected = ["2024-06-19", None, "2024-06-20", "2024-06-19"]
    assert [citer.day(f"d{i}") for i in range(4)] == expected
    assert [citer.dateline(f"d{i}") for i in range(4)] == [lines[0], "", "", lines[3]]
    assert citer.day("x") is None and citer.dateline("x") == ""
    assert dict(citer.published()) == {"d0": "2024-06-19", "d2": "2024-06-20", "d3": "2024-06-19"}
    assert len(citer.published()) == 3
    assert citer.days.values == ["2024-06-19", None, "2024-06-20"]  # each day once
    assert "d3" in citer.published_on("2024-06-19") and "d2" not in citer.published_on("2024-06-19")
    assert citer.undateline("SEOUL, June 20 - The talks ended.", ["d0", "d3"]) == "The talks ended."
