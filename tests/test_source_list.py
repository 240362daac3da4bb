"""The brief's source list as columns (models.SourceList): it reads as the list of sources
it was made from, and is what assemble gives a brief."""

from __future__ import annotations

import copy
import pickle
from collections import Counter

import pytest
from brief_fixture import harbour_config, harbour_extraction

from briefing.assemble import assemble
from briefing.models import BriefSource, SourceList, set_cited


def _sources() -> list[BriefSource]:
    return [
        BriefSource(1, "a.txt", "Port reopens", "Harbour Times", "2024-06-19", "https://x.test/1"),
        BriefSource(2, "b.txt", "Überfahrt — “ferry” 港口 \udcff", None, None, None, 3),
        BriefSource(3, "c.txt", "", "Wire", "2024-06-20"),
    ]


def test_it_reads_as_the_list_it_was_made_from() -> None:
    listed = _sources()
    columns = SourceList(listed)
    assert len(columns) == 3
    assert list(columns) == listed
    assert columns == listed and listed == columns
    assert columns[1] == listed[1] and columns[-1] == listed[-1]
    assert columns[1:] == listed[1:] and columns[::-1] == listed[::-1]
    assert columns[5:] == []
    with pytest.raises(IndexError):
        columns[3]
    with pytest.raises(IndexError):
        columns[-4]
    assert columns != listed[:2] and columns != SourceList(listed[:2])
    assert pickle.loads(pickle.dumps(columns)) == listed
    assert repr(columns) == "SourceList(<3 sources>)"
    assert columns != tuple(listed)  # as a list is not a tuple


def test_slices_and_copies_read_as_lists_do() -> None:
    listed = _sources()
    columns = SourceList(listed)
    half = columns[1:]  # a view, read as it is asked for
    assert len(half) == 2 and half[0] == listed[1] and half[-1] == listed[2]
    assert half[::-1] == listed[1:][::-1] and list(half[1:]) == listed[2:]
    with pytest.raises(IndexError):
        half[2]
    copied = copy.copy(columns)
    copied.append(BriefSource(4, "d.txt", "Fourth"))
    assert len(columns) == 3 and columns == listed and copied[3].headline == "Fourth"
    assert copy.deepcopy(columns) == listed


def test_citations_are_set_by_number_in_both_kinds() -> None:
    counts = Counter({1: 2, 3: 1})
    columns = SourceList(_sources())
    listed = _sources()
    set_cited(columns, counts)
    set_cited(listed, counts)
    assert [s.cited for s in columns] == [2, 0, 1] == [s.cited for s in listed]
    columns[0].cited = 9  # a source read is a copy
    assert columns[0].cited == 2


def test_assemble_gives_a_source_list_of_every_article() -> None:
    extraction = harbour_extraction()
    brief = assemble(extraction, harbour_config(), "analyst")
    assert isinstance(brief.sources, SourceList)
    assert [s.doc for s in brief.sources] == [d.id for d in extraction.documents]
    assert [s.number for s in brief.sources] == list(range(1, len(extraction.documents) + 1))
    assert sum(s.cited for s in brief.sources) > 0


def test_columns_hold_texts_across_their_chunks_and_any_count() -> None:
    # Texts that fill chunks of 64 KB, one longer than a chunk, and URLs missing between.
    listed = [
        BriefSource(n, f"d{n}", ("é" * 7_000 if n % 7 else "x" * 70_000) + str(n), url=None)
        for n in range(1, 41)
    ]
    listed[3].url = "https://x.test/" + "p" * 1_900
    for expected in (0, 2, 40, 60):
        columns = SourceList(expected=expected)
        for source in listed:
            columns.append(source)
        assert len(columns) == 40 and columns == listed
        assert [s.headline for s in columns[::13]] == [s.headline for s in listed[::13]]
    # An empty string when a chunk is exactly full.
    full = SourceList([BriefSource(1, "a", "z" * (1 << 16)), BriefSource(2, "b", "")])
    assert [s.headline for s in full] == ["z" * (1 << 16), ""]
    with pytest.raises(ValueError, match="too long"):
        SourceList().append(BriefSource(1, "d", "y" * (1 << 24)))


def test_numbers_not_in_input_order_are_kept_as_given() -> None:
    # A list's numbers are its positions + 1 until one is not (a digest's new sources, a
    # fitted page's): from then on each number is kept, the earlier ones included.
    listed = [
        BriefSource(1, "a", "One", "Wire", "2024-06-19"),
        BriefSource(2, "b", "Two", "Wire", "2024-06-19"),
        BriefSource(7, "g", "Seven", None, None),
        BriefSource(3, "c", "Three", "Post", "2024-06-20"),
    ]
    for expected in (0, 4, 9):
        columns = SourceList(expected=expected)
        for source in listed:
            columns.append(source)
        assert [s.number for s in columns] == [1, 2, 7, 3] and columns == listed
        set_cited(columns, Counter({7: 4, 3: 1, 5: 2}))
        assert [s.cited for s in columns] == [0, 0, 4, 1]
        assert [s.publisher for s in columns] == ["Wire", "Wire", None, "Post"]
        assert [s.date for s in columns[2:]] == [None, "2024-06-20"]
    assert [s.number for s in SourceList(listed[:2])] == [1, 2]


def test_a_coded_column_reads_back_each_value_where_it_was_put() -> None:
    from briefing.models import CodedColumn

    values = ["Wire", None, "Post", "Wire", "", None, "Wire"]
    for expected in (0, 3, 7, 20):
        column: CodedColumn[str | None] = CodedColumn(expected)
        for value in values:
            column.append(value)
        assert len(column) == 7 and list(column) == values
        assert [column[at] for at in range(7)] == values
        assert column.values == ["Wire", None, "Post", ""]  # each once, as first put
        with pytest.raises(IndexError):
            column[7]  # (an entry made in advance and not yet put is out of range)
        with pytest.raises(IndexError):
            column[-1]


def test_a_source_refused_leaves_the_columns_aligned() -> None:
    # A count that does not fit its column (4 bytes) is refused before any column takes
    # the source: the sources after it read back whole.
    columns = SourceList(expected=3)
    columns.append(BriefSource(1, "a", "One", "Wire"))
    with pytest.raises(OverflowError):
        columns.append(BriefSource(2, "b", "Two", "Post", cited=-1))
    columns.append(BriefSource(2, "c", "Three", "Post"))
    assert len(columns) == 2
    assert [(s.number, s.doc, s.headline, s.publisher) for s in columns] == [
        (1, "a", "One", "Wire"),
        (2, "c", "Three", "Post"),
    ]
