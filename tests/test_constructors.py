"""The objects the extractors make by the thousand per article are made by code that mypyc
compiles: a dataclass's generated __init__ and a NamedTuple's __new__ run interpreted even
in the compiled build (2.2% of the extraction's instructions on 500 bench articles).
`Mention` and `parsed.Sentence` stay NamedTuples, made with tuple.__new__ where they are
made; the classes below have an __init__ of their own."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.extract.dates import _Found
from briefing.extract.quotes import _Candidate
from briefing.extract.quotespans import Span
from briefing.extract.resolve import Speaker
from briefing.extract.speakers import Clause, Phrase
from briefing.ingest.article import Kind, _Classified
from briefing.ingest.lines import Line
from briefing.models import Role

HOT = [Line, _Classified, Phrase, Clause, Span, _Candidate, Speaker, _Found]


@pytest.mark.parametrize("cls", HOT, ids=lambda cls: cls.__name__)
def test_a_hot_class_has_an_init_of_its_own(cls: type) -> None:
    # Not inherited (a NamedTuple's is object's), and not the one @dataclass generates,
    # which is compiled from a string: its file is "<string>". Compiled by mypyc, the
    # class's own __init__ is a C slot wrapper, with no __code__.
    assert "__init__" in cls.__dict__
    code = getattr(cls.__dict__["__init__"], "__code__", None)
    assert code is None or code.co_filename.endswith(f"{cls.__module__.rsplit('.', 1)[1]}.py")


def test_written_out_inits_take_the_fields_in_order() -> None:
    line = Line("x", True, True)
    assert (line.text, line.blank_before, line.heading) == ("x", True, True)
    classified = _Classified(Kind.META, "y", line)
    assert (classified.kind, classified.text, classified.line) == (Kind.META, "y", line)
    span = Span(3, 9, True)
    assert (span.open, span.close, span.single) == (3, 9, True)
    candidate = _Candidate(span, 4, 8, 2)
    assert (candidate.span, candidate.start, candidate.end, candidate.words) == (span, 4, 8, 2)
    phrase = Phrase([], [])
    clause = Clause(phrase, True, True, phrase, [])
    assert (clause.subject, clause.has_verb, clause.introduced, clause.source) == (
        phrase,
        True,
        True,
        phrase,
    )
    speaker = Speaker("Ana Ruiz", "mayor", "the port", "Vestria", Role.THIRD, True)
    assert (
        speaker.name,
        speaker.title,
        speaker.affiliation,
        speaker.country,
        speaker.role,
        speaker.person,
    ) == ("Ana Ruiz", "mayor", "the port", "Vestria", Role.THIRD, True)
    day = dt.date(2024, 6, 19)
    found = _Found(1, 4, day, "month", False, True)
    assert (found.start, found.end, found.day, found.precision, found.relative, found.gap) == (
        1,
        4,
        day,
        "month",
        False,
        True,
    )


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
    assert (
        speaker.title,
        speaker.affiliation,
        speaker.country,
        speaker.role,
        speaker.person,
    ) == (None, None, None, Role.OTHER, False)
    found = _Found(1, 4)
    assert (found.day, found.precision, found.relative, found.gap) == (None, "day", True, False)
