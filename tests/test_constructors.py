"""The objects the extractors make by the thousand per article are made by code that mypyc
compiles: a dataclass's generated __init__ and a NamedTuple's __new__ run interpreted even
in the compiled build (2.2% of the extraction's instructions on 500 bench articles)."""

from __future__ import annotations

import pytest

from briefing.extract.dates import _Found
from briefing.extract.quotes import _Candidate
from briefing.extract.quotespans import Span
from briefing.extract.resolve import Speaker
from briefing.extract.speakers import Clause, Phrase
from briefing.ingest.article import _Classified
from briefing.ingest.lines import Line

HOT = [Line, _Classified, Phrase, Clause, Span, _Candidate, Speaker, _Found]


@pytest.mark.parametrize("cls", HOT, ids=lambda cls: cls.__name__)
def test_a_hot_class_has_an_init_of_its_own(cls: type) -> None:
    init = cls.__init__
    code = getattr(init, "__code__", None)  # None: compiled (a C slot wrapper)
    # A dataclass's generated __init__ is compiled from a string: its file is "<string>".
    assert code is None or code.co_filename.endswith(f"{cls.__module__.rsplit('.', 1)[1]}.py")


def test_written_out_inits_keep_the_dataclass_defaults() -> None:
    assert Line("x") == Line("x", blank_before=False, heading=False)
    phrase, other = Phrase([]), Phrase([])
    assert phrase.appositive == [] and phrase.appositive is not other.appositive
    clause, other_clause = Clause(), Clause()
    assert (clause.subject, clause.has_verb, clause.introduced, clause.source) == (
        None,
        False,
        False,
        None,
    )
    assert clause.source_tokens == [] and clause.source_tokens is not other_clause.source_tokens
    assert Span(3, 9) == Span(open=3, close=9, single=False)
    speaker = Speaker("Ana Ruiz")
    assert (speaker.title, speaker.affiliation, speaker.country, speaker.person) == (
        None,
        None,
        None,
        False,
    )
    found = _Found(1, 4)
    assert (found.day, found.relative, found.gap) == (None, True, False)
