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


def test_a_merged_items_documents_are_numbered_by_their_column_as_by_their_ids() -> None:
    """A merged item's documents (DocIds) are numbered by the numbers its column keeps
    (IdColumn.number_by), each an index, as by a look-up of each id: the same documents,
    each once, in their order, a repeated id as its last document."""
    import pickle

    from briefing.extract.textkeys import Mentions, Numbering

    ids = ["b", "a", "c", "a", "e", "f"]  # "a" twice: its last document, 4
    docs = [Document(doc, f"{n}.txt", "H", ["Text."]) for n, doc in enumerate(ids)]
    citer = Citer(docs, load_rules())
    numbering = Numbering(True)
    mentions = Mentions(True)
    order = ["c", "a", "b", "a", "a", "f", "c", "e"]
    for doc in order:
        mentions.add_all([doc], numbering)
    item = mentions.named(numbering)
    column = numbering.ids
    assert list(item) == ["c", "a", "b", "a", "f", "c", "e"]  # (a repeat in a row: once)
    assert item.numbers_by(citer.numbers) is None  # not numbered yet: by its ids
    by_ids = citer._numbered(list(item))
    assert by_ids == (["c", "a", "b", "f", "e"], [3, 4, 1, 6, 5])
    column.number_by(citer.numbers)
    assert item.numbers_by(citer.numbers) == [3, 4, 1, 4, 6, 3, 5]
    looked_up = citer.numbers.numbers_of

    def no_look_up(docs: object) -> list[int]:
        raise AssertionError("an id looked up")

    citer.numbers.numbers_of = no_look_up  # type: ignore[method-assign]
    assert citer._numbered(item) == by_ids  # by the column's numbers only
    citer.numbers.numbers_of = looked_up  # type: ignore[method-assign]
    # Numbered by another citer's numbers, or grown since: read by its ids.
    other = Citer(docs[::-1], load_rules())
    assert item.numbers_by(other.numbers) is None
    assert other._numbered(item) == (["c", "a", "b", "f", "e"], [4, 5, 6, 1, 2])
    # A pickled column keeps no numbers (what numbered it stays in this process).
    assert pickle.loads(pickle.dumps(item.named_by)).numbers_by(citer.numbers, [0]) is None
    mentions.add_all(["g"], numbering)  # an id not in the corpus, in a grown column
    grown = mentions.named(numbering)
    assert grown.numbers_by(citer.numbers) is None
    assert citer._numbered(grown) == by_ids
    column.number_by(citer.numbers)  # numbered again: "g" has none (0), so by its ids
    assert grown.numbers_by(citer.numbers) == [3, 4, 1, 4, 6, 3, 5, 0]
    assert citer._numbered(grown) == by_ids
    column.forget_numbers()
    assert grown.numbers_by(citer.numbers) is None
    # The column does not keep its numbering alive (a build lets its citer go).
    import gc
    import weakref

    column.number_by(other.numbers)
    gone = weakref.ref(other.numbers)
    del other
    gc.collect()
    assert gone() is None
