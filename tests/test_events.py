"""Dated events: explicit and relative dates resolved against an anchor, and their merging.

The sentences are invented (a fisheries accord between two made-up coastal states); the
anchor is Friday 14 November 2025 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from time_limit import assert_grows_linearly

from briefing.extract.actors import Gazetteer
from briefing.extract.dates import Reader
from briefing.extract.events import extract_events, merge_events
from briefing.extract.parsed import ParsedDocument, parse_document
from briefing.models import Document, Event

FRIDAY = dt.date(2025, 11, 14)
NO_COUNTRIES = Gazetteer()  # events read no country words


def dates_in(sentence: str, anchor: dt.date = FRIDAY) -> list[str]:
    return [m.date for m in Reader(anchor).read(sentence)]


def doc_of(*paragraphs: str, doc_id: str = "d1", headline: str | None = None) -> Document:
    return Document(id=doc_id, path=f"{doc_id}.txt", headline=headline, paragraphs=list(paragraphs))


def parsed_of_doc(doc: Document) -> ParsedDocument:
    return parse_document(doc, NO_COUNTRIES)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # explicit dates
        (
            "The ministers of Norland and Estavia signed the accord on March 3, 2025.",
            ["2025-03-03"],
        ),
        ("The trawler fleet was registered on 2 February 2019 in Vessa.", ["2019-02-02"]),
        ("The harbour board published its report on 2025-10-02 in Vessa.", ["2025-10-02"]),
        ("Catch limits were last revised in October 2019 by the board.", ["2019-10"]),
        ("The first charter of the port dates from 1987.", ["1987"]),
        ("The older fisheries pact was sealed in 1987 and renewed in 1994.", ["1987", "1994"]),
        # a day and a month without a year take the anchor's year
        ("Talks between the coast guards resumed on 4 October.", ["2025-10-04"]),
        ("The first patrol boats sailed on October 30 from Vessa.", ["2025-10-30"]),
        # relative dates
        ("The harbour master spoke to reporters on the 9th.", ["2025-11-09"]),
        ("The Estavian delegation arrived in Vessa on Wednesday.", ["2025-11-12"]),
        ("The delegation arrived in Vessa early on Friday morning.", ["2025-11-14"]),
        ("The port council had met the day before to approve it.", ["2025-11-13"]),
        ("The fishing fleets left the disputed bank last September.", ["2025-09"]),
        ("The two ministers last met nine months ago in Vessa.", ["2025-02"]),
        ("The two ministers met again after nine months.", ["2025-02"]),
        # a gap that ends now: the event is of the anchor's year, not 24 years back
        ("It was the first joint patrol in 24 years.", ["2025"]),
        ("Estavia hosted the talks for the first time in 24 years.", ["2025"]),
        ("The harbour reopened for the first time in nine years.", ["2025"]),
        # ... and the earlier date only where the text names it ("since")
        (
            "It is his first visit to Vessa in 24 years since July 2001, under the old mayor.",
            ["2025", "2001-07"],
        ),
        ("It has been 24 years since his last visit to the docks.", ["2001"]),
        # a more precise date of the same year says it all
        ("The mayor arrived on Wednesday for his first visit in 24 years.", ["2025-11-12"]),
        ("The mayor visited the docks exactly 24 years after his last visit.", ["2001"]),
        ("The quarrel over the bank began twenty-four years ago.", ["2001"]),
        ("The quota was cut a year ago after a poor season.", ["2024"]),
        ("Inspections of the trawlers began last month.", ["2025-10"]),
        ("Shipments resumed in mid-June after the strike.", ["2025-06"]),
        ("The accord was drafted in January and approved in March.", ["2025-01", "2025-03"]),
        (
            "The accord was sketched in March 2019 and signed in July of the same year.",
            ["2019-03", "2019-07"],
        ),
        # future tense: the next such day
        ("The mayor will visit the new quay on Tuesday.", ["2025-11-18"]),
        ("The inspectors will return to the docks on the 3rd.", ["2025-12-03"]),
        # reported future ("would"): the next such month
        ("She added that a joint council would meet for the first time in May.", ["2026-05"]),
        ("The mayor said the quay was to open in February.", ["2026-02"]),
        # ... but "would have" looks back
        ("Without the strike, the quay would have opened in February.", ["2025-02"]),
        # not dates
        ("Some 2000 troops guard the coast and 1990s trawlers still sail.", []),
        ("It is the largest port of the 19th century in the region.", []),
        ("May the new quotas bring calm, said the mayor at 10:30 a.m. today.", ["2025-11-14"]),
        ("The inspectors may return in 5 years if the accord fails.", []),
        ("Now, 24 years later, the patrols are back.", []),
        ("The fund holds $2000 and about 1995 boats are listed.", []),
    ],
)
def test_dates_are_resolved_against_the_anchor(sentence: str, expected: list[str]) -> None:
    assert dates_in(sentence) == expected


def test_last_month_name_before_the_anchor_month_crosses_the_year() -> None:
    assert dates_in("The fleets left last September.", dt.date(2026, 1, 20)) == ["2025-09"]
    assert dates_in("The fleets left in September.", dt.date(2026, 1, 20)) == ["2025-09"]


def test_that_day_resolves_against_the_last_date_named() -> None:
    reader = Reader(FRIDAY)
    assert [m.date for m in reader.read("The ferry docked on October 30, 2024.")] == ["2024-10-30"]
    assert [m.date for m in reader.read("The crew was rescued later that day.")] == ["2024-10-30"]


def test_explicit_dates_are_not_inferred_but_relative_ones_are() -> None:
    doc = doc_of("The accord was signed on March 3, 2025. The fleets met again on Wednesday.")
    events = extract_events(parsed_of_doc(doc), FRIDAY, inferred=True)
    assert [(e.date, e.inferred) for e in events] == [
        ("2025-03-03", False),
        ("2025-11-12", True),
    ]
    own_date = extract_events(parsed_of_doc(doc), FRIDAY, inferred=False)
    assert [e.inferred for e in own_date] == [False, False]


def test_one_sentence_naming_a_day_twice_is_one_event() -> None:
    sentence = (
        "VESSA, Nov. 12 (Nordpress) - The mayors of Vessa and Tallberg signed the harbour"
        " accord on Wednesday after a decade of quarrels over the fishing grounds of the"
        " northern bank, which both towns claim, and over the fees of the new quay."
    )
    events = extract_events(parsed_of_doc(doc_of(sentence)), FRIDAY, True)
    assert [e.date for e in events] == ["2025-11-12"]
    assert events[0].text.startswith("VESSA, Nov. 12 (Nordpress)")


def test_a_first_in_years_is_an_event_of_the_anchor_year_not_of_the_visit_before() -> None:
    doc = doc_of("This marked the mayor's first visit to Vessa in 31 years.")
    (event,) = extract_events(parsed_of_doc(doc), FRIDAY, True)
    assert (event.date, event.text, event.docs, event.inferred) == (
        "2025",
        "This marked the mayor's first visit to Vessa in 31 years.",
        ["d1"],
        True,
    )
    assert event.sentence[event.date_start : event.date_end] == "in 31 years"


def test_event_text_is_the_sentence_and_docs_name_the_article() -> None:
    doc = doc_of("Vessa opened its new quay in 1987. Nothing else happened.", doc_id="harbour-7")
    sentence = "Vessa opened its new quay in 1987."
    assert extract_events(parsed_of_doc(doc), FRIDAY, False) == [
        Event("1987", sentence, ["harbour-7"], False, sentence, 29, 33)
    ]


def test_an_event_carries_its_sentence_and_where_its_date_is() -> None:
    sentence = (
        "Although the envoys were due in Vessa on 2 October, their ship was held at sea by a "
        "storm for a week and a day, and they landed on 9 October to sign the accord."
    )
    events = extract_events(parsed_of_doc(doc_of(sentence)), FRIDAY, False)
    assert [(e.date, e.sentence[e.date_start : e.date_end]) for e in events] == [
        ("2025-10-02", "2 October"),
        ("2025-10-09", "9 October"),
    ]
    assert all(e.sentence == sentence for e in events)
    assert events[1].text.startswith("… ")  # the text is cut around the date; the sentence not


def test_a_very_long_sentence_is_kept_around_its_date() -> None:
    words = " ".join(f"word{i}" for i in range(250))
    doc = doc_of(f"{words} and in 1987 the quay opened {words}.")
    (event,) = extract_events(parsed_of_doc(doc), FRIDAY, False)
    assert event.sentence[event.date_start : event.date_end] == "1987"
    assert event.sentence.startswith("… word") and event.sentence.endswith(" …")
    # the words within 600 characters of the date, not the 4,000 of the sentence
    assert 1000 < len(event.sentence) < 1300
    assert " and in 1987 the quay opened word0 " in event.sentence


def test_long_sentences_are_cut_around_the_date() -> None:
    words = " ".join(f"word{i}" for i in range(60))
    doc = doc_of(f"{words} and in 1987 the quay opened {words}.")
    (event,) = extract_events(parsed_of_doc(doc), FRIDAY, False)
    assert event.date == "1987"
    assert event.text.startswith("… ") and event.text.endswith(" …")
    assert "in 1987 the quay opened" in event.text
    assert len(event.text.split()) == 25 + 2  # 25 words and the two ellipses


def test_headlines_are_read_and_datelines_are_not_events() -> None:
    doc = doc_of(
        "Posted on : 2025-11-14 08:10 GMT Updated on : 2025-11-14 09:00 GMT",
        "The accord was signed on Wednesday in Vessa.",
        headline="Norland and Estavia to sign fisheries accord on the 12th",
    )
    events = extract_events(parsed_of_doc(doc), FRIDAY, False)
    assert [(e.date, e.text) for e in events] == [
        ("2025-11-12", "Norland and Estavia to sign fisheries accord on the 12th"),
        ("2025-11-12", "The accord was signed on Wednesday in Vessa."),
    ]


def test_merge_unions_documents_of_the_same_event_and_sorts_oldest_first() -> None:
    events = [
        Event("2025-11-12", "The accord was signed on Wednesday in Vessa.", ["a"], True),
        Event("1987", "Vessa opened its new quay in 1987.", ["a"], False),
        Event("2025-11-12", "The accord was signed in Vessa on Wednesday.", ["b"], False),
        Event("2025-11", "Inspections began this month.", ["b"], True),
        Event("2025-11-12", "Fishermen protested on the quay.", ["c"], True),
    ]
    merged = merge_events(events)
    assert [(e.date, e.docs, e.inferred) for e in merged] == [
        ("1987", ["a"], False),
        ("2025-11", ["b"], True),
        ("2025-11-12", ["a", "b"], False),
        ("2025-11-12", ["c"], True),
    ]
    assert merged[2].text == "The accord was signed on Wednesday in Vessa."
    assert events[0].docs == ["a"]  # the input is left as it was


@pytest.mark.parametrize(
    "text",
    [
        "x" * 1_000_000,
        "7" * 300_000,
        '"' * 300_000,
        "on the 19th and " * 60_000,
        "June " * 200_000,
        "2025-11-14" * 100_000,
    ],
    ids=["1MB-no-spaces", "300k-digits", "300k-quotes", "ordinals", "months", "iso-run"],
)
def test_hostile_text_is_read_in_linear_time(text: str) -> None:
    assert_grows_linearly(
        lambda size: extract_events(parsed_of_doc(doc_of(text[:size])), FRIDAY, True),
        len(text),
        "events on hostile text",
    )


def test_many_dated_sentences_are_read_in_linear_time() -> None:
    day = "The accord was drafted in January and approved in March. "
    found = assert_grows_linearly(
        lambda n: extract_events(parsed_of_doc(doc_of(day * n)), FRIDAY, True),
        20_000,
        "20,000 dated sentences",
    )
    # The same sentence again is the same two events, not 40,000.
    assert [e.date for e in found] == ["2025-01", "2025-03"]


def test_merge_is_near_linear_and_keeps_the_best_supported_events() -> None:
    events = [
        Event(f"20{i % 25:02d}", f"Port {i % 700} opened quay {i % 700} for trawlers.", [f"d{i}"])
        for i in range(20_000)
    ]
    merged = assert_grows_linearly(
        lambda n: merge_events(events[:n]), len(events), "merging 20,000 events"
    )
    assert len(merged) == 500  # 700 distinct events, the best supported kept
    # 20,000 reports of 700 events: 400 events have 29 reports, 300 have 28
    assert Counter(len(e.docs) for e in merged) == {29: 400, 28: 100}
    assert [e.date for e in merged] == sorted(e.date for e in merged)
