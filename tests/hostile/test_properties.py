"""Property tests: every extractor survives any text, keeps its offsets inside the text and
gives the same answer twice.

Two kinds of text are drawn: characters from a broad alphabet (quotation marks of every
kind, newlines, capitals, digits, punctuation, any Unicode), and a soup of the words the
rules look for (speech verbs, titles, the story's countries and people, date and question
cues, abbreviations), which reaches the deeper paths of the speaker and date readers.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.extract import (
    ExtractContext,
    events,
    extract_document,
    facts,
    parse_document,
    questions,
    quotes,
    reactions,
)
from briefing.extract.parsed import ParsedDocument
from briefing.models import Document, DocumentExtraction

from .story import ANCHOR, document, story_context

CTX: ExtractContext = story_context()
THIRD = {"Ardenne", "Morrow"}
STANCES = {None, "condemns", "concerned", "neutral", "welcomes", "supports"}
DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")

SPECIAL = list("\"'\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb.,;:!?-\u2014\u2013()[]\u2026/\n \t")
LETTERS = list("aeiouAEIOUTQMSnrst0123456789")
ALPHABET = st.one_of(st.sampled_from(SPECIAL), st.sampled_from(LETTERS), st.characters())
WORDS = [
    *("Tarvos", "Tarvosian", "Quellin", "Ardenne", "Ardennian", "Morrow", "Morrowan"),
    *("Ilse Varga", "Varga", "Oren Bask", "Piet Lorn", "Lorn", "Anke Moll"),
    *("Minister", "Foreign Minister", "President", "spokesman", "analyst", "the ministry"),
    *("said", "told", "added", "warned", "according to", "said on Monday", "adding"),
    *("he", "she", "they", "it", "the", "a", "and", "described it as a"),
    *("condemned", "welcomed", "criticised", "concern", "raised concerns in"),
    *("fishing pact", "pact", "quotas", "trawlers", "coast guard", "sanctions"),
    *("whether", "why", "it is unclear whether", "it remains to be seen", "how"),
    *("on", "Monday", "May 3, 2031", "2030", "last week", "next year", "in March"),
    *("Mr.", "Dr.", "U.S.", "e.g.", "No.", "3.5", "1,200"),
    *('"', "\u201c", "\u201d", "'", "\u2018", "\u2019", ",", ".", "?", "!", ":", ";"),
    *("\u2014", "(", ")", "\n", "  ", '," ', '. "', '?" '),
]
raw_paragraph = st.text(alphabet=ALPHABET, max_size=300)
word_paragraph = st.lists(st.sampled_from(WORDS), max_size=70).map(" ".join)

# Quote-shaped sentences with random parts: '"...," X said.' / 'X said, "..."'.
MARKS = [('"', '"'), ("\u201c", "\u201d"), ("'", "'"), ("\u2018", "\u2019"), ('"', "")]
SPEAKERS = ["Piet Lorn", "Ilse Varga", "Ardennian Foreign Minister Piet Lorn", "he", "she"]
SPEAKERS += ["an Ardennian spokesman", "the ministry", "Anke Moll, an analyst at Harlow"]
VERBS = ["said", "told reporters", "added", "warned", "said on Monday", "wrote"]
phrase = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
quote_after = st.tuples(
    st.sampled_from(MARKS), phrase, st.sampled_from(SPEAKERS), st.sampled_from(VERBS)
).map(lambda t: f"{t[0][0]}{t[1]},{t[0][1]} {t[2]} {t[3]}.")
quote_before = st.tuples(
    st.sampled_from(SPEAKERS), st.sampled_from(VERBS), st.sampled_from(MARKS), phrase
).map(lambda t: f"{t[0]} {t[1]}, {t[2][0]}{t[3]}.{t[2][1]}")
quote_paragraph = st.lists(
    st.one_of(quote_after, quote_before, phrase), min_size=1, max_size=6
).map(" ".join)
paragraph = st.one_of(raw_paragraph, word_paragraph, quote_paragraph).map(
    lambda p: p.replace("\n\n", "\n")  # ingest never leaves a blank line in a paragraph
)
paragraphs = st.lists(paragraph, min_size=1, max_size=4)

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,  # no .hypothesis folder in the working tree
    suppress_health_check=[HealthCheck.too_slow],
)


def _doc(parts: list[str], published: str | None = "2033-05-14") -> Document:
    """A fresh document."""
    return document(*parts, published=published)


def _parsed(parts: list[str]) -> ParsedDocument:
    """A fresh document, parsed for the extractors."""
    return parse_document(_doc(parts), CTX.gazetteer)


def _normal(text: str) -> str:
    return " ".join(text.split())


def _paragraph_bounds(doc: Document) -> list[tuple[int, int]]:
    return [(o, o + len(p)) for o, p in zip(doc.paragraph_offsets(), doc.paragraphs, strict=True)]


def _check_quotes(doc: Document, found: list) -> None:
    text = doc.text
    bounds = _paragraph_bounds(doc)
    for quote in found:
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        assert quote.text == quote.text.strip()
        assert any(lo <= quote.start and quote.end <= hi for lo, hi in bounds)
        assert quote.doc == doc.id
        assert quote.speaker


def _check_reactions(doc: Document, found: list) -> None:
    text = doc.text
    for reaction in found:
        assert reaction.country in THIRD
        assert reaction.stance in STANCES
        body = reaction.text.removesuffix(" ...")
        assert body and body in text
        assert reaction.doc == doc.id
    countries = [r.country for r in found]
    # Grouped by country, in order of first mention.
    assert countries == sorted(countries, key=countries.index)


def _check_events(doc: Document, found: list) -> None:
    for event in found:
        assert DATE.fullmatch(event.date)
        year, month, day = ([*map(int, event.date.split("-")), 1, 1])[:3]
        dt.date(year, max(month, 1), max(day, 1))  # a real day
        assert event.text.strip()
        assert len(event.text) <= events.MAX_EVENT_CHARS
        assert event.docs == [doc.id]
    assert len(found) <= events.MAX_EVENTS_PER_DOC


def _check_questions(doc: Document, found: list) -> None:
    for question in found:
        assert question.text.strip()
        assert question.docs == [doc.id]


def _check_facts(doc: Document, found: list) -> None:
    body = _normal(doc.text)
    for fact in found:
        assert fact.text == _normal(fact.text) and fact.text
        assert fact.text in body
        assert 0.0 <= fact.position <= 1.0
        assert fact.topic in ("agreement", "context")
        assert fact.docs == [doc.id]


@PROPERTY
@given(paragraphs)
def test_quotes_property(parts: list[str]) -> None:
    found = quotes.extract_quotes(_parsed(parts), CTX.gazetteer)
    _check_quotes(_doc(parts), found)
    assert quotes.extract_quotes(_parsed(parts), CTX.gazetteer) == found


@PROPERTY
@given(paragraphs)
def test_reactions_property(parts: list[str]) -> None:
    found_quotes = quotes.extract_quotes(_parsed(parts), CTX.gazetteer)
    found = reactions.extract_reactions(_parsed(parts), found_quotes, CTX.gazetteer)
    _check_reactions(_doc(parts), found)
    assert reactions.extract_reactions(_parsed(parts), found_quotes, CTX.gazetteer) == found


@PROPERTY
@given(paragraphs, st.sampled_from([ANCHOR, dt.date(1999, 12, 31), dt.date(2040, 2, 29)]))
def test_events_property(parts: list[str], anchor: dt.date) -> None:
    found = events.extract_events(_parsed(parts), anchor, False)
    _check_events(_doc(parts), found)
    assert events.extract_events(_parsed(parts), anchor, False) == found


@PROPERTY
@given(paragraphs)
def test_questions_property(parts: list[str]) -> None:
    found = questions.extract_questions(_parsed(parts))
    _check_questions(_doc(parts), found)
    assert questions.extract_questions(_parsed(parts)) == found


@PROPERTY
@given(paragraphs)
def test_facts_property(parts: list[str]) -> None:
    found = facts.extract_facts(_parsed(parts), CTX.story)
    _check_facts(_doc(parts), found)
    assert facts.extract_facts(_parsed(parts), CTX.story) == found


def _extract(parts: list[str], published: str | None) -> DocumentExtraction:
    return extract_document(_doc(parts, published), CTX)


@PROPERTY
@given(paragraphs, paragraphs, st.sampled_from(["2033-05-14", None, "not a date"]))
def test_extract_document_property(parts: list[str], other: list[str], published: str) -> None:
    first = _extract(parts, published)
    doc = _doc(parts, published)
    _check_quotes(doc, first.quotes)
    _check_reactions(doc, first.reactions)
    _check_events(doc, first.events)
    _check_questions(doc, first.questions)
    _check_facts(doc, first.facts)
    # The same answer again, also right after another document (no state leaks across).
    assert _extract(parts, published) == first
    extract_document(document(*other), CTX)
    assert extract_document(document(*parts, published=published), CTX) == first
