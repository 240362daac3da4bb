"""Assemble: the invented harbour story (tests/fixtures/harbour/) becomes a cited, ranked brief."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from brief_fixture import harbour_config, harbour_extraction, with_claims
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.assemble import assemble, clip, date_key, load_rules, undateline
from briefing.assemble.brief import _id_columns
from briefing.assemble.cite import Citer
from briefing.assemble.facts import reacted_keys
from briefing.assemble.text import dedupe_key, word_tokens
from briefing.extract.textkeys import Mentions, Numbering
from briefing.models import (
    Brief,
    BriefItem,
    Document,
    Event,
    Extraction,
    Fact,
    Question,
    Quote,
    Reaction,
    Role,
)


def _texts(brief: Brief, section: str) -> list[str]:
    found = brief.section(section)
    assert found is not None, section
    return [item.text for item in found.items]


def _item(brief: Brief, section: str, index: int) -> BriefItem:
    found = brief.section(section)
    assert found is not None
    return found.items[index]


def test_sections_follow_the_audience_order() -> None:
    config = harbour_config()
    extraction = harbour_extraction()
    for name, audience in config.audiences.items():
        brief = assemble(extraction, config, name)
        assert [s.name for s in brief.sections] == audience.sections
        assert brief.audience == name
        assert brief.audience_title == audience.title
        assert brief.font_pt == audience.font_pt
        assert brief.page_size == "A4"
    executive = assemble(extraction, config, "executive")
    assert executive.word_budget == 350
    assert executive.date == "2031-03-03"
    assert executive.title == "Harbour Security Pact: Norland and Valmark sign a defence treaty"
    assert executive.document_count == 3


def test_bottom_line_takes_the_top_ranked_facts_with_citations() -> None:
    brief = assemble(harbour_extraction(), harbour_config(), "analyst")
    lead, second, third, reacted = brief.section("bottom_line").items  # type: ignore[union-attr]
    # The report of the event leads; it names its day, so no date is put before it.
    assert lead.text == (
        "Norland and Valmark signed the Harbour Security Pact in Port Elna on 3 March 2031."
    )
    assert lead.sources == [1, 2, 3]
    assert lead.coverage == "3 of 3 sources"
    assert lead.rank == 1.4  # score 0.9 + 2 extra sources x 0.25
    assert second.sources == [1, 3]
    assert second.coverage == "2 of 3 sources"
    assert third.text == "The navies of both countries will hold joint patrols under the pact."
    assert third.coverage is None
    # The reactions in one line, each part cited by its own sources, the line by none.
    assert reacted.text == "Ostria is concerned; Kesh keeps its distance."
    assert reacted.sources == []
    assert [(p.text, p.sources) for p in reacted.parts] == [
        ("Ostria is concerned", [2]),
        ("Kesh keeps its distance", [3]),
    ]


def test_disagreeing_sources_are_shown_side_by_side() -> None:
    brief = assemble(harbour_extraction(), harbour_config(), "analyst")
    assert _texts(brief, "agreement") == [
        "The pact commits each side to military assistance if the other is attacked.",
        "The pact replaces a 1988 fisheries treaty.",
    ]
    disputed = _item(brief, "agreement", 0)
    assert disputed.sources == [1, 2]
    # 0.8 + 0.25 for a second source + 0.3 for the dispute, + 2 x 0.12 for two story terms
    # the bottom line does not name ("military", the defence-commitment concept), - 0.4 x 1/11
    # for the one content word of its 11 ("pact") that a bottom-line sentence holds.
    assert disputed.rank == 1.5536
    assert disputed.counterpoint is not None
    assert disputed.counterpoint.text == (
        "The pact does not include an automatic military intervention clause, officials said."
    )
    assert disputed.counterpoint.sources == [3]


def test_reactions_one_per_third_country_with_stance() -> None:
    brief = assemble(harbour_extraction(), harbour_config(), "analyst")
    ostria, kesh, brenmark = brief.section("reactions").items  # type: ignore[union-attr]
    # Ostria called the pact "a grave threat" on 3 March, then voiced concern on 4 March:
    # the latest statement sets the stance and is the one shown. Both are on the same side,
    # so no shift is told (a welcome that turned to concern would be).
    assert (ostria.country, ostria.stance, ostria.stance_label) == (
        "Ostria",
        "concerned",
        "Concerned",
    )
    assert ostria.text == "Ostria voiced concern over the pact."
    assert ostria.stance_cues == ["concern"]
    assert ostria.stance_shift is None
    assert ostria.sources == [2]  # only the article of the statement shown
    assert ostria.quote is None  # Ostria has no direct words of the right length
    assert (kesh.stance, kesh.stance_label) == ("neutral", "Non-committal")
    assert kesh.quote == "Every nation chooses its own friends, and we respect that choice"
    # A country with a label in the config shows it; without reaction it says so.
    assert brenmark.country == "Brenmark Republic"
    assert brenmark.text == "No reaction found in the sources"
    assert brenmark.sources == []
    assert brenmark.rank == 0.0


def test_key_quotes_prefer_principals_and_analysts() -> None:
    brief = assemble(harbour_extraction(), harbour_config(), "analyst")
    quotes = brief.section("quotes").items  # type: ignore[union-attr]
    assert [(q.speaker, q.sources) for q in quotes] == [
        ("Elin Varg", [1, 2]),
        ("Tomas Reyk", [2]),
        ("Dana Whitlow", [3]),
    ]
    assert quotes[2].speaker_title == "senior fellow, Institute for Maritime Studies"
    # Fragments ("new chapter") and the outlet's own words are not key quotes.
    assert all(len(q.text.split()) >= 5 for q in quotes)


def test_timeline_oldest_first_and_deduplicated() -> None:
    brief = assemble(harbour_extraction(), harbour_config(), "analyst")
    timeline = brief.section("timeline").items  # type: ignore[union-attr]
    assert [(e.date, e.text) for e in timeline] == [
        ("1988", "Norland and Valmark signed a fisheries treaty."),
        ("2009-05", "Norland’s leader last visited Valmark."),
        ("2031-03-03", "The pact was signed in Port Elna."),
        ("2031-04", "Joint naval patrols are due to begin."),
    ]
    assert timeline[2].sources == [1, 2, 3]
    assert timeline[2].coverage == "3 of 3 sources"
    assert timeline[3].inferred is True


def test_limits_keep_the_best_items() -> None:
    brief = assemble(harbour_extraction(), harbour_config(), "press")
    assert _texts(brief, "quotes")[0].startswith("This pact opens a new chapter")
    executive = assemble(harbour_extraction(), harbour_config(), "executive")
    assert len(executive.section("reactions").items) == 3  # type: ignore[union-attr]
    assert executive.section("context") is None


def test_sources_are_numbered_with_safe_urls_only() -> None:
    brief = assemble(harbour_extraction(), harbour_config(), "analyst")
    first, second, third = brief.sources
    assert (first.number, first.publisher, first.date) == (1, "The Harbour Times", "2031-03-03")
    assert first.url == "https://example.com/harbour/pact?id=7&lang=en"
    assert second.url is None  # was javascript:
    assert second.headline == "(untitled)"  # no headline and no text: never the file's name
    assert third.publisher is None
    # Ostria's reaction cites only the article of its latest statement (2); the bottom
    # line's reactions line cites 2 and 3 through its parts.
    assert [s.cited for s in brief.sources] == [9, 12, 9]


def test_a_source_without_headline_is_named_by_its_first_words() -> None:
    extraction = harbour_extraction()
    extraction.documents[1].paragraphs = [
        "Valmark's harbour board met on Monday night and agreed, after a long debate, to "
        "open the northern quay to every ship of the new joint patrol."
    ]
    brief = assemble(extraction, harbour_config(), "analyst")
    assert brief.sources[1].headline == "Valmark's harbour board met on Monday night and agreed …"


def test_empty_extraction_gives_empty_sections() -> None:
    config = harbour_config()
    brief = assemble(Extraction(), config, "analyst")
    assert [s.name for s in brief.sections] == config.audiences["analyst"].sections
    reactions = brief.section("reactions")
    assert reactions is not None
    assert [r.country for r in reactions.items] == ["Ostria", "Kesh", "Brenmark Republic"]
    assert all(not s.items for s in brief.sections if s.name != "reactions")
    assert brief.sources == []


def test_many_sources_cite_the_first_few_and_count_all() -> None:
    docs = [f"d{i}" for i in range(40)]
    extraction = harbour_extraction()
    extraction.documents = [
        type(extraction.documents[0])(id=d, path=f"{d}.txt", headline=f"Story {d}") for d in docs
    ]
    extraction.facts = with_claims(
        [Fact("The pact was ratified.", docs[:12], 0.5, "agreement", 0.0)]
    )
    extraction.events = [Event("2031-03-03", "The pact was signed.", docs[:3])]
    brief = assemble(extraction, harbour_config(), "analyst")
    lead = _item(brief, "bottom_line", 0)
    assert lead.sources == [1, 2, 3, 4, 5, 6]
    assert lead.support == 12
    assert lead.coverage == "12 of 40 sources"


def test_long_text_is_clipped_at_a_word() -> None:
    assert clip("one two three four", 3) == "one two three …"
    assert clip("one,  two,\nthree", 5) == "one, two, three"
    assert clip("alpha beta, gamma", 2) == "alpha beta …"
    extraction = harbour_extraction()
    extraction.events = [Event("2031-03-03", "word " * 100, ["a-harbour-times"])]
    brief = assemble(extraction, harbour_config(), "analyst")
    limit = load_rules().max_words["event"]
    clipped = _item(brief, "timeline", 0).text
    assert clipped == "word " * limit + "…"  # the words allowed, then the ellipsis


def test_date_key_orders_partial_dates() -> None:
    dates = ["2031-03-03", "1988", "2031-03", "2009-05-01"]
    assert sorted(dates, key=date_key) == ["1988", "2009-05-01", "2031-03", "2031-03-03"]
    assert date_key("soon") == (0, 0, 0)


def test_disagreement_is_found_across_wordings() -> None:
    """Two outlets name the same commitment differently; a double negative is no denial."""
    extraction = harbour_extraction()
    extraction.facts = with_claims(
        [
            Fact(
                "The accord pledges mutual defence if either side is attacked.",
                ["a-harbour-times"],
                0.7,
                "agreement",
                0.0,
            ),
            Fact(
                "The accord does not contain any clause on automatic military intervention.",
                ["c-wire"],
                0.6,
                "agreement",
                0.1,
            ),
            Fact(
                "Officials did not rule out military exercises next spring.",
                ["b-valmark-post"],
                0.5,
                "agreement",
                0.2,
            ),
        ]
    )
    brief = assemble(extraction, harbour_config(), "analyst")
    items = brief.section("agreement").items + brief.section("bottom_line").items  # type: ignore[union-attr]
    disputed = [i for i in items if i.counterpoint is not None]
    assert [(i.text[:22], i.counterpoint.text[:22]) for i in disputed] == [  # type: ignore[union-attr]
        ("The accord pledges mut", "The accord does not co")
    ]


# --- variety: each section adds to what the sections above it said --------------------------


def _context_facts(*facts: tuple[str, float]) -> Extraction:
    """The harbour story with these background facts, and three agreement facts that fill
    the bottom line."""
    extraction = harbour_extraction()
    lead = [
        "Norland and Valmark signed the pact on Monday.",
        "The pact takes effect in April.",
        "Both parliaments ratified the pact within a week.",
    ]
    extraction.facts = with_claims(
        [
            *(
                Fact(text, ["a-harbour-times"], 0.9 - 0.01 * n, "agreement", 0.01 * n)
                for n, text in enumerate(lead)
            ),
            *(
                Fact(text, ["b-valmark-post"], score, "context", 0.1 * (n + 1))
                for n, (text, score) in enumerate(facts)
            ),
        ]
    )
    return extraction


def test_a_fact_naming_a_new_story_term_rises_above_a_repeat() -> None:
    extraction = _context_facts(
        ("The signing took place in the old customs house of Port Elna.", 0.50),
        ("The old customs house of Port Elna hosted the signing ceremony.", 0.49),
        ("Both navies lifted sanctions on each other's fishing fleets.", 0.40),
    )
    brief = assemble(extraction, harbour_config(), "analyst")
    context = brief.section("context").items  # type: ignore[union-attr]
    assert [item.text[:24] for item in context] == [
        "Both navies lifted sanct",  # names "navies" and "sanctions": + 2 x 0.12
        "The signing took place i",
        "The old customs house of",  # says again what the one above says
    ]
    # 0.49 - 0.4 x 5/7 of its content words (0.7 or more of them: a repeat) - 0.5
    assert [item.rank for item in context] == [0.64, 0.5, -0.2957]


def test_questions_that_repeat_one_above_go_down() -> None:
    extraction = _context_facts()
    extraction.open_questions = [
        Question("Whether the lighthouse keepers will strike over new pilotage rules?", ["c-wire"]),
        Question("Whether lighthouse keepers will strike over the new pilotage rules?", ["c-wire"]),
        Question("Whether Kesh will join the exercise?", ["c-wire"]),
    ]
    brief = assemble(extraction, harbour_config(), "analyst")
    questions = brief.section("questions").items  # type: ignore[union-attr]
    assert [q.text[:20] for q in questions] == [
        "Whether the lighthou",
        "Whether Kesh will jo",
        "Whether lighthouse k",
    ]


def test_timeline_prefers_a_new_date_to_a_second_event_on_one_date() -> None:
    extraction = _context_facts()
    extraction.events = [
        Event(
            "2031-03-03", "Harbour pilots went on strike at dawn.", ["a-harbour-times", "c-wire"]
        ),
        Event("2031-03-03", "Crowds cheered along the quay.", ["a-harbour-times"]),
        Event("2030-11", "Negotiators met in secret on an island.", ["b-valmark-post"]),
        Event("2029", "Talks began in a lighthouse.", ["b-valmark-post"]),
    ]
    config = harbour_config()
    config.audiences["analyst"].limits["timeline"] = 2
    brief = assemble(extraction, config, "analyst")
    timeline = brief.section("timeline").items  # type: ignore[union-attr]
    # Crowds (1.0 + 0.15 for the latest date) - 0.15 for a date already shown = 1.0 is below
    # the negotiators (1.0 + 0.15 x 1/2 for a date halfway) = 1.075.
    assert [(e.date, e.text[:12]) for e in timeline] == [
        ("2030-11", "Negotiators "),
        ("2031-03-03", "Harbour pilo"),
    ]


def test_each_speaker_keeps_the_quotes_that_add_most() -> None:
    extraction = _context_facts()
    words = "We signed this pact for our children and for theirs"
    extraction.quotes = [
        Quote(
            "a-harbour-times",
            f"{words}, today.",
            "Ana Ruiz",
            "Prime Minister",
            "Norland",
            role="principal",
        ),
        Quote(
            "a-harbour-times",
            f"{words}, tomorrow and always.",
            "Ana Ruiz",
            "Prime Minister",
            "Norland",
            role="principal",
        ),
        Quote(
            "a-harbour-times",
            "Our navies will patrol the strait together from May.",
            "Ana Ruiz",
            "Prime Minister",
            "Norland",
            role="principal",
        ),
    ]
    config = harbour_config()
    brief = assemble(extraction, config, "analyst")
    quotes = brief.section("quotes").items  # type: ignore[union-attr]
    assert [q.text[:16] for q in quotes] == ["Our navies will ", "We signed this p"]


def test_bottom_line_sentences_are_clipped_less_than_their_section() -> None:
    long_fact = " ".join(["The pact sets out"] + [f"clause{n}" for n in range(45)]) + "."
    extraction = harbour_extraction()
    extraction.facts = with_claims([Fact(long_fact, ["a-harbour-times"], 0.9, "agreement", 0.0)])
    brief = assemble(extraction, harbour_config(), "analyst")
    rules = load_rules()
    lead = _item(brief, "bottom_line", 0).text
    assert len(lead.split()) == rules.max_words["lead"] + 1  # the words, then "…"
    assert _item(brief, "agreement", 0).text.split()[-2] == f"clause{rules.max_words['fact'] - 5}"


# --- disputes: claims only, over provisions and key terms ---------------------------------------


def _disputes(*facts: tuple[str, str]) -> list[tuple[str, str]]:
    """(Claim, other source's counterclaim) pairs the analyst brief shows for these
    agreement facts, each (text, source), ranked in the order given."""
    extraction = harbour_extraction()
    extraction.facts = with_claims(
        [
            Fact(text, [doc], 0.8 - 0.05 * n, "agreement", 0.1 * n)
            for n, (text, doc) in enumerate(facts)
        ]
    )
    brief = assemble(extraction, harbour_config(), "analyst")
    items = [i for s in brief.sections for i in s.items]
    return [(i.text, i.counterpoint.text) for i in items if i.counterpoint is not None]


def test_a_provision_one_source_states_and_another_denies_is_disputed() -> None:
    assert _disputes(
        ("The pact binds both fleets to collective defence should either be attacked.", "c-wire"),
        ("Kesh has no treaty with either side.", "b-valmark-post"),
        ("The pact contains no security guarantee, a Valmark diplomat said.", "b-valmark-post"),
    ) == [
        (
            "The pact binds both fleets to collective defence should either be attacked.",
            "The pact contains no security guarantee, a Valmark diplomat said.",
        )
    ]
    assert _disputes(
        ("The pact lifts sanctions on the shipyards of Valmark.", "a-harbour-times"),
        ("The pact does not lift sanctions on any shipyard, the minister said.", "c-wire"),
    ) == [
        (
            "The pact lifts sanctions on the shipyards of Valmark.",
            "The pact does not lift sanctions on any shipyard, the minister said.",
        )
    ]


def test_uncertainty_and_the_agreements_own_name_are_no_dispute() -> None:
    assert (
        _disputes(
            ("The pact allows joint patrols in the strait from May.", "a-harbour-times"),
            ("It is not yet known whether the pact will pass in parliament.", "b-valmark-post"),
            ("Officials did not say when the joint patrols would start.", "c-wire"),
            ("The pact eases sanctions on fishing boats.", "b-valmark-post"),
            ("Officials would not say whether sanctions on shipyards end too.", "c-wire"),
            ("The treaty was signed on a warship.", "b-valmark-post"),
            ("Kesh has no treaty with either side.", "c-wire"),
        )
        == []
    )


# --- datelines and clipping ----------------------------------------------------------------------


def test_a_dateline_is_not_shown() -> None:
    assert undateline("ELNA CITY — Norland signed.", "ELNA CITY — ") == "Norland signed."
    assert undateline("ELNA CITY —  Norland signed.", "ELNA CITY — ") == "Norland signed."
    assert undateline("ELNA CITY — Norland signed.", "") == "ELNA CITY — Norland signed."
    assert undateline("Norland signed in ELNA CITY.", "ELNA CITY — ") == (
        "Norland signed in ELNA CITY."
    )
    extraction = harbour_extraction()
    wire = next(d for d in extraction.documents if d.id == "c-wire")
    wire.dateline = "KESHTOWN (Strait Wire) — "  # as ingest records it
    extraction.facts = with_claims(
        [
            Fact(
                "KESHTOWN (Strait Wire) — The pact was signed at dawn.",
                ["c-wire"],
                0.9,
                "agreement",
            ),
            # another article's text is shown as it is: its article has no such dateline
            Fact("KESHTOWN (Strait Wire) — Crowds cheered.", ["a-harbour-times"], 0.8, "agreement"),
        ]
    )
    brief = assemble(extraction, harbour_config(), "analyst")
    # The report of the event leads, dated (the story's date), then the other facts, then
    # the reactions line.
    assert _texts(brief, "bottom_line") == [
        "3 March 2031: The pact was signed at dawn.",
        "KESHTOWN (Strait Wire) — Crowds cheered.",
        "Ostria is concerned; Kesh keeps its distance.",
    ]


def test_long_text_is_clipped_at_a_clause_near_the_limit() -> None:
    text = "The pact, signed at dawn in the old customs house, binds both navies to patrol"
    assert clip(text, 12) == "The pact, signed at dawn in the old customs house …"
    # No clause ends near the limit: cut at a word, without the words left dangling.
    assert clip("The navies will patrol the strait together if the weather allows", 9) == (
        "The navies will patrol the strait together …"
    )
    assert clip("Ships sail — and the navies follow them home", 3) == "Ships sail …"
    assert clip("It was “a new level,” he said at the quay", 5) == "It was “a new level” …"


def _event(date: str, sentence: str, date_words: str, doc: str) -> Event:
    """An event as the extractor gives it: its sentence, where its date is, and its text cut
    around the date (which the timeline no longer reads)."""
    start = sentence.index(date_words)
    cut = "… " + " ".join(sentence.split()[3:20]) + " …"
    return Event(date, cut, [doc], False, sentence, start, start + len(date_words))


def test_an_event_shows_its_sentence_from_a_clause_start_without_the_dateline() -> None:
    extraction = harbour_extraction()
    extraction.documents[0].dateline = "ELNA CITY — "  # a-harbour-times, as ingest records it
    extraction.events = [
        _event(
            "2031-03-03",
            "ELNA CITY — Norland and Valmark signed the accord on Monday that binds both navies "
            "to patrol the strait, the first deal of its kind in forty years.",
            "Monday",
            "a-harbour-times",
        ),
        _event(
            "2030-11",
            "Long after the last ferry had left the quay at night, the envoys agreed on the text "
            "in November 2030 at a lighthouse off the northern coast of Norland.",
            "November 2030",
            "c-wire",
        ),
    ]
    brief = assemble(extraction, harbour_config(), "analyst")
    assert _texts(brief, "timeline") == [
        # the sentence's start holds the date in 18 words ...
        "… the envoys agreed on the text in November 2030 at a lighthouse off the northern "
        "coast of Norland.",
        # ... else the clause start before it does; the end is cut at a clause
        "Norland and Valmark signed the accord on Monday that binds both navies to patrol the "
        "strait …",
    ]


def test_an_event_without_a_clause_start_near_its_date_is_shown_from_inside_a_clause() -> None:
    extraction = harbour_extraction()
    sentence = (
        "The harbour board said that the new cranes ordered from a yard in the far north of "
        "Valmark would be shipped across the strait and unloaded at the quay in May 2031 by "
        "the crews of both navies."
    )
    extraction.events = [_event("2031-05", sentence, "May 2031", "a-harbour-times")]
    brief = assemble(extraction, harbour_config(), "analyst")
    # No comma before the date: the last 18 words, mid-clause, hold it.
    assert _texts(brief, "timeline") == [
        "… shipped across the strait and unloaded at the quay in May 2031 by the crews of both "
        "navies."
    ]


# --- what the quotes and reactions show is not said again ----------------------------------------


def test_facts_that_repeat_a_key_quote_or_a_reaction_stay_out_of_the_agreement() -> None:
    extraction = harbour_extraction()
    quoted = (
        '"This pact opens a new chapter for our two peoples and our shared harbour," '
        "said Elin Varg at the quay."
    )
    extraction.facts = with_claims(
        [
            Fact("Norland and Valmark signed the pact on Monday.", ["a-harbour-times"], 0.9),
            Fact("The pact takes effect in April.", ["a-harbour-times"], 0.85),
            Fact("Both parliaments ratified the pact within a week.", ["c-wire"], 0.84),
            Fact(quoted, ["a-harbour-times"], 0.8, "agreement", 0.2),
            Fact("Ostria voiced concern over the pact.", ["b-valmark-post"], 0.7, "agreement", 0.3),
            Fact("The navies will patrol the strait together.", ["c-wire"], 0.5, "agreement", 0.4),
        ]
    )
    analyst = assemble(extraction, harbour_config(), "analyst")
    assert _texts(analyst, "agreement") == ["The navies will patrol the strait together."]
    # The executive brief shows no key quotes: the quoted words are said here or nowhere.
    executive = assemble(extraction, harbour_config(), "executive")
    assert _texts(executive, "agreement") == [
        quoted,
        "The navies will patrol the strait together.",
    ]


def test_bottom_line_prefers_a_whole_sentence_to_a_cut_one() -> None:
    long_fact = "The pact sets out " + " ".join(f"rule{n}" for n in range(45)) + "."
    extraction = harbour_extraction()
    extraction.facts = with_claims(
        [
            Fact("Norland and Valmark signed the pact on Monday.", ["a-harbour-times"], 0.9),
            Fact(long_fact, ["a-harbour-times"], 0.88, "agreement", 0.1),
            Fact("The navies will patrol the strait together.", ["c-wire"], 0.8, "agreement", 0.2),
            Fact("Both parliaments must ratify the pact.", ["c-wire"], 0.6, "agreement", 0.3),
        ]
    )
    brief = assemble(extraction, harbour_config(), "analyst")
    # 0.88 - 0.1 for a cut sentence is below 0.8; the third sentence is not cut either.
    assert _texts(brief, "bottom_line") == [
        "3 March 2031: Norland and Valmark signed the pact on Monday.",
        "The navies will patrol the strait together.",
        "Both parliaments must ratify the pact.",
        "Ostria is concerned; Kesh keeps its distance.",
    ]
    assert _texts(brief, "agreement")[0].startswith("The pact sets out rule0")


def test_an_event_shows_the_clause_of_its_day_when_the_sentence_is_long() -> None:
    extraction = harbour_extraction()
    sentence = (
        "Although the envoys were due in Port Elna on 2 March, their ship was held at sea by a "
        "storm, and they landed on 3 March."
    )
    extraction.events = [_event("2031-03-03", sentence, "3 March", "a-harbour-times")]
    brief = assemble(extraction, harbour_config(), "analyst")
    # The extractor says where the event's date is: the window holds "3 March", not "2 March".
    assert _texts(brief, "timeline") == [
        "… their ship was held at sea by a storm, and they landed on 3 March."
    ]


def test_reaction_sentences_are_keyed_only_among_the_facts_asked_about() -> None:
    # A fact that is a third country's reaction sentence is told by the reactions: its key
    # is looked for among the reactions', of which only those of the facts are kept.
    extraction = harbour_extraction()
    citer = Citer(extraction.documents, load_rules())
    doc = extraction.documents[0].id
    texts = ["Norland welcomed the pact on Monday.", "Ostria criticised the port deal."]
    reactions = [Reaction(doc, "Norland", None, text) for text in texts]
    assert reacted_keys(reactions, citer) == {dedupe_key(text) for text in texts}
    asked = {dedupe_key("Norland welcomed the pact on Monday!"), dedupe_key("Nobody reacted.")}
    assert reacted_keys(reactions, citer, asked) == {dedupe_key(texts[0])}


def test_the_merged_items_name_their_documents_by_the_citers_strings() -> None:
    # Packed in the merges' column, each id read is a string of its own: shared, the
    # items' lists of documents hold the citer's (a day of news's are read many times).
    extraction = harbour_extraction()
    ids = [doc.id for doc in extraction.documents]
    numbering = Numbering(True)
    first, second = Mentions(True), Mentions(True)
    first.add_all(ids[:2], numbering)
    second.add_all(ids[1:3], numbering)
    extraction.facts = [Fact("One.", first.named(numbering)), Fact("Two.", second.named(numbering))]
    extraction.events = [Event("2031-03-03", "Three.", [ids[0]])]  # a plain list: not a merge's
    citer = Citer(extraction.documents, load_rules())
    (column,) = _id_columns(extraction)
    assert column is numbering.ids and extraction.facts[0].docs[0] is not citer.ids[0]
    column.share(citer.own_id)
    assert [list(fact.docs) for fact in extraction.facts] == [ids[:2], ids[1:3]]
    assert all(doc is citer.own_id(doc) for fact in extraction.facts for doc in fact.docs)
    # assemble does so: an id read twice is then one string, where the packed column
    # makes a string at each reading.
    fresh = harbour_extraction()
    numbering = Numbering(True)
    mentions = Mentions(True)
    mentions.add_all(ids[:3], numbering)
    fresh.facts = [*fresh.facts, Fact("One more point.", mentions.named(numbering), 0.5)]
    docs = fresh.facts[-1].docs
    assert docs[0] == ids[0] and docs[0] is not docs[0]
    assemble(fresh, harbour_config(), "analyst")
    assert list(docs) == ids[:3] and docs[0] is docs[0]


def test_quote_drafts_are_the_same_whatever_their_key_cache_keeps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefing.assemble import quotes

    said = "We will not accept any deal that leaves the harbour workers without a say"
    rows = [
        Quote(f"d{n}", text, "Ana Ruiz", speaker_title="union leader")
        for n, text in enumerate([said, said + " today", said, "Short.", said + " today", said])
    ]
    rules = load_rules()

    def drafted() -> list[tuple[str, list[str]]]:
        return [(d.text, list(d.docs)) for d in quotes.quote_drafts(rows, rules)]

    kept = drafted()
    monkeypatch.setattr(quotes, "_KEYS_KEPT", 1)  # every text's key made again
    assert drafted() == kept
    assert kept == [(said, ["d0", "d1", "d2", "d4", "d5"])]  # one wording: its first 12 words


def _helper_cannot_draft(*args: object) -> None:
    raise OSError(5, "Input/output error")


def test_a_helper_process_drafts_the_quotes_as_this_one_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day of news's quotes are drafted on the build's helper process while the build
    drafts the rest (quotes.start_quote_drafts): the drafts are those made here, their
    documents named by the citer's own strings; a helper that fails, or a quote of a
    document the corpus lacks, costs time only."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from briefing.assemble import quotes
    from briefing.extract.spool import Spool, spooled_documents, spooled_quotes

    said = "We will not accept any deal that leaves the harbour workers without a say"
    spool = Spool(tmp_path / "s.sqlite")
    rows: list[Quote] = []
    for n in range(40):
        doc = Document(f"d{n % 37}", f"d{n}.txt", "Harbour talks", ["The talks went on."])
        of_doc = [
            Quote(doc.id, said, "Ana Ruiz", "union leader", role=Role.PRINCIPAL),
            Quote(doc.id, f"The berth levy {n % 3} will rise this year, the board said.", "Bo"),
            Quote(doc.id, "Too short.", "Cy", role=Role.ANALYST),  # under min_words
            Quote(doc.id, said + f" at pier {n % 4}", None),  # no speaker
            Quote(doc.id, "pier workers will strike on Monday", "Di", partial=True),
            Quote(doc.id, f"Cranes stay idle at berth {n % 5} until the pilots agree.", "Ed",
                  affiliation="Port Institute", role=Role.ANALYST),
        ]  # fmt: skip
        rows += of_doc
        spool.add(doc, of_doc, [])
    spooled, documents = spooled_quotes(spool), spooled_documents(spool)
    rules = load_rules()
    # The citer's strings, by number - 1: equal to the ids, other objects ("d0" to "d2"
    # name two documents each, the later of which is theirs).
    ids = ["".join(["d", str(n % 37)]) for n in range(40)]
    own = {doc: ids[len(ids) - 1 - ids[::-1].index(doc)] for doc in ids}
    here = quotes.quote_drafts(spooled, rules, own.__getitem__)
    assert here == quotes.quote_drafts(rows, rules, own.__getitem__)
    assert sorted(d.text for d in here) == [
        *(f"Cranes stay idle at berth {n} until the pilots agree." for n in range(5)),
        said,
    ]
    monkeypatch.setattr(quotes, "DRAFT_APART_FROM", len(rows))
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as helper:
        job = quotes.start_quote_drafts(spooled, documents, rules, helper)
        assert job is not None
        there = quotes.finish_quote_drafts(job, spooled, rules, ids, own.__getitem__)
        assert job.exception() is None and there == here
        assert all(doc is own[doc] for draft in there for doc in draft.docs)
        # Not spooled, or fewer than DRAFT_APART_FROM, or no helper: drafted here.
        assert quotes.start_quote_drafts(rows, documents, rules, helper) is None
        assert quotes.start_quote_drafts(spooled, documents, rules, None) is None
        monkeypatch.setattr(quotes, "DRAFT_APART_FROM", len(rows) + 1)
        assert quotes.start_quote_drafts(spooled, documents, rules, helper) is None
        assert quotes.finish_quote_drafts(None, spooled, rules, ids, own.__getitem__) == here
        # A helper that fails: drafted here, the same.
        monkeypatch.setattr(quotes, "DRAFT_APART_FROM", 1)
        monkeypatch.setattr(quotes, "_drafts_there", _helper_cannot_draft)
        failed = quotes.start_quote_drafts(spooled, documents, rules, helper)
        assert failed is not None
        assert quotes.finish_quote_drafts(failed, spooled, rules, ids, own.__getitem__) == here
        assert isinstance(failed.exception(), OSError)
    # A quote of a document the corpus lacks: no number there, so drafted here.
    monkeypatch.undo()
    monkeypatch.setattr(quotes, "DRAFT_APART_FROM", 1)
    stray = Quote("gone", "Cranes stay idle at berth 1 until the pilots agree.", "Ed",
                  affiliation="Port Institute", role=Role.ANALYST)  # fmt: skip
    spool.add(Document("d9", "late.txt", "Late", ["More talks."]), [stray], [])
    ids.append("d9")
    own.update({"d9": ids[-1], "gone": "gone"})
    with_stray = quotes.quote_drafts(spooled_quotes(spool), rules, own.__getitem__)
    assert "gone" in [doc for draft in with_stray for doc in draft.docs]
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as helper:
        job = quotes.start_quote_drafts(
            spooled_quotes(spool), spooled_documents(spool), rules, helper
        )
        assert job is not None and any(0 in numbers for numbers in job.result()[1])
        made = quotes.finish_quote_drafts(job, spooled_quotes(spool), rules, ids, own.__getitem__)
        assert made == with_stray
    spool.close()


def test_each_report_is_weighed_once_for_the_bottom_line_and_the_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A report of the event is weighed for the bottom line and for each question it
    answers: once (a widely reported one's documents are many), with the same brief."""
    from briefing.assemble import brief as brief_module
    from briefing.config import load_config
    from briefing.pipeline import run_extract

    root = Path(__file__).parent.parent
    config = load_config(root / "config.yaml")
    extraction = run_extract(config, [str(root / "seeds")], jobs=1)
    weigh = brief_module._lead_weight
    weighed: list[int] = []

    def counted(fact: Any, *args: Any) -> Any:
        weighed.append(id(fact))
        return weigh(fact, *args)

    monkeypatch.setattr(brief_module, "_lead_weight", counted)
    once = assemble(extraction, config, "analyst")
    assert len(once.answered) == 5  # (the sample's questions the event answers)
    assert weighed and len(weighed) == len(set(weighed))

    class Unkept(brief_module._LeadWeights):  # each time anew, as before
        def __call__(self, fact: Any) -> Any:
            return counted(fact, *self.args)

    monkeypatch.setattr(brief_module, "_LeadWeights", Unkept)
    weighed.clear()
    assert assemble(extraction, config, "analyst") == once
    assert len(weighed) > len(set(weighed))


def test_reaction_sentences_keyed_among_some_keys_are_those_of_all() -> None:
    """reacted_keys among some keys: all the sentences' keys among them (datelines,
    sentences of no word, and their key "", included)."""
    import random

    rng = random.Random(5)
    extraction = harbour_extraction()
    citer = Citer(extraction.documents, load_rules())
    docs = [doc.id for doc in extraction.documents]
    words = ["Norland", "welcomed", "the", "pact", "Ostria's", "criticised", "port", "deal"]
    texts = ["", "—", "... !", *(f"PORTLAND, March 3 - {w} spoke." for w in words)]
    for _ in range(300):
        texts.append(" ".join(rng.choices(words, k=rng.randint(1, 16))) + rng.choice(".!?"))
    reactions = [Reaction(rng.choice(docs), "Norland", None, text) for text in texts]
    every = reacted_keys(reactions, citer)
    assert "" in every and len(every) > 250
    for size in (0, 1, 5, 40, len(every)):
        among = set(rng.sample(sorted(every), size)) | {"no such key", "norland"}
        assert reacted_keys(reactions, citer, among) == every & among


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab Zé'’-_1. \u00a0\u0130\u2019x")), max_size=120),
    st.integers(min_value=0, max_value=20),
)
def test_a_dedupe_key_is_the_first_words_of_the_text(text: str, words: int) -> None:
    assert dedupe_key(text, words) == " ".join(word_tokens(text)[:words])
    assert dedupe_key(text) == " ".join(word_tokens(text)[:12])
