"""Third-country reactions: quoted and reported, grouped by country, with a stance.

The sentences are invented: a harbour security pact between Norland and Valmark (the
principals of tests/fixtures/harbour/config.yaml), watched by the third countries Ostria,
Kesh and Brenmark. Stances and their cues come from briefing/rules/stance.yaml.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from time_limit import assert_grows_linearly

from briefing.config import load_config
from briefing.extract.actors import Gazetteer
from briefing.extract.parsed import parse_document
from briefing.extract.quotes import extract_quotes
from briefing.extract.reactions import extract_reactions
from briefing.models import Document, Reaction

CONFIG = Path(__file__).resolve().parent / "fixtures" / "harbour" / "config.yaml"
GAZETTEER = Gazetteer.from_config(load_config(CONFIG))


def doc_of(*paragraphs: str) -> Document:
    return Document(id="d1", path="d1.txt", paragraphs=list(paragraphs))


def reactions_of(*paragraphs: str) -> list[Reaction]:
    """What extract_document does: the quotes first, then the reactions that use them."""
    parsed = parse_document(doc_of(*paragraphs), GAZETTEER)
    return extract_reactions(parsed, extract_quotes(parsed, GAZETTEER), GAZETTEER)


def reaction(
    country: str,
    actor: str | None,
    text: str,
    quoted: bool,
    stance: str | None,
    cues: list[str],
) -> Reaction:
    return Reaction("d1", country, actor, text, quoted, stance, cues)


DORR_SAID = 'Ostrian Foreign Ministry spokesperson Lena Dorr said, "The pact threatens the strait."'
KESH_OFFICIAL = "an official in Kesh's presidential office"


# --- quoted reactions -----------------------------------------------------------------------

QUOTED = [
    pytest.param(
        DORR_SAID,
        reaction(
            "Ostria",
            "Ostrian Foreign Ministry spokesperson Lena Dorr",
            DORR_SAID,
            True,
            "concerned",
            ["threatens"],
        ),
        id="titled-spokesperson",
    ),
    pytest.param(
        "Lena Dorr, spokesperson of the Ostrian Foreign Ministry, said, "
        '"We condemn this reckless pact."',
        reaction(
            "Ostria",
            "Lena Dorr, spokesperson of the Ostrian Foreign Ministry",
            "Lena Dorr, spokesperson of the Ostrian Foreign Ministry, said, "
            '"We condemn this reckless pact."',
            True,
            "condemns",
            ["condemn", "reckless"],
        ),
        id="spokesperson-with-an-appositive-title",
    ),
    pytest.param(
        "The Ostrian Foreign Ministry said in a statement, "
        "'The pact threatens the stability of the strait.'",
        reaction(
            "Ostria",
            "Ostrian Foreign Ministry",
            "The Ostrian Foreign Ministry said in a statement, "
            "'The pact threatens the stability of the strait.'",
            True,
            "concerned",
            ["threatens"],
        ),
        id="institution",
    ),
    pytest.param(
        '"We are watching the strait closely," an official in Kesh\'s presidential office said.',
        reaction(
            "Kesh",
            KESH_OFFICIAL,
            '"We are watching the strait closely," '
            "an official in Kesh's presidential office said.",
            True,
            "neutral",
            ["watching"],
        ),
        id="official-in-an-office",
    ),
    pytest.param(
        'In Brenmark, a Foreign Ministry spokesperson said, "We support our neighbours."',
        reaction(
            "Brenmark",
            "a Foreign Ministry spokesperson",
            'In Brenmark, a Foreign Ministry spokesperson said, "We support our neighbours."',
            True,
            "supports",
            ["support"],
        ),
        id="ambiguous-office-with-its-country",
    ),
]


@pytest.mark.parametrize(("paragraph", "expected"), QUOTED)
def test_quoted_reactions_of_third_country_officials(paragraph: str, expected: Reaction) -> None:
    assert reactions_of(paragraph) == [expected]


def test_reporting_words_weigh_more_than_the_words_quoted() -> None:
    sentence = (
        "An official in Kesh's presidential office welcomed the pact, saying, "
        '"We have some concerns about the patrols."'
    )
    assert reactions_of(sentence) == [
        reaction("Kesh", KESH_OFFICIAL, sentence, True, "welcomes", ["welcomed"])
    ]


def test_one_reaction_per_speaker_of_a_sentence() -> None:
    sentence = (
        'Lena Dorr criticized during a briefing, "This pact threatens the whole region," '
        'adding, "Ostria will not stay silent."'
    )
    preceding = "Ostrian Foreign Ministry spokesperson Lena Dorr spoke on Monday."
    assert reactions_of(preceding, sentence) == [
        reaction(
            "Ostria",
            "Ostrian Foreign Ministry spokesperson Lena Dorr",
            sentence,
            True,
            "condemns",
            ["criticized"],
        )
    ]


# --- reported reactions ---------------------------------------------------------------------

REPORTED = [
    pytest.param(
        "The Ostrian government condemned the pact as a provocation.",
        [("Ostria", "Ostrian government", "condemns", ["condemned", "provocation"])],
        id="government-condemns",
    ),
    pytest.param(
        "Brenmark rejected the treaty as illegal.",
        [("Brenmark", "Brenmark", "condemns", ["rejected", "illegal"])],
        id="country-rejects",
    ),
    pytest.param(
        "The Brenmark Foreign Ministry voiced concern about the new naval patrols.",
        [("Brenmark", "Brenmark Foreign Ministry", "concerned", ["concern"])],
        id="ministry-voices-concern",
    ),
    pytest.param(
        "Ostrian Foreign Ministry spokesperson Lena Dorr said the pact would destabilize "
        "the region.",
        [
            (
                "Ostria",
                "Ostrian Foreign Ministry spokesperson Lena Dorr",
                "concerned",
                ["destabilize"],
            )
        ],
        id="official-in-reported-speech",
    ),
    pytest.param(
        "Brenmark said it was closely watching the strait.",
        [("Brenmark", "Brenmark", "concerned", ["closely watching"])],
        id="closely-watching-is-concern",
    ),
    pytest.param(
        "Kesh welcomed the treaty on Tuesday.",
        [("Kesh", "Kesh", "welcomes", ["welcomed"])],
        id="welcomes",
    ),
    pytest.param(
        "Kesh voiced support for the pact.",
        [("Kesh", "Kesh", "supports", ["support"])],
        id="supports",
    ),
    pytest.param(
        "Brenmark said it would monitor the situation.",
        [("Brenmark", "Brenmark", "neutral", ["monitor"])],
        id="neutral-monitor",
    ),
    pytest.param(
        "Kesh declined to comment on the pact.",
        [("Kesh", "Kesh", "neutral", ["declined to comment"])],
        id="neutral-declined-to-comment",
    ),
    pytest.param(
        "Ostria said it does not welcome the pact.",
        [("Ostria", "Ostria", "concerned", ["welcome"])],
        id="negated-welcome-is-concern",
    ),
    pytest.param(
        "Ostria welcomed the talks but warned against the pact.",
        [("Ostria", "Ostria", "concerned", ["warned"])],
        id="tie-goes-to-the-first-stance-of-the-priority",
    ),
    pytest.param(
        "Neighbouring Kesh reacted coolly to the pact.",
        [("Kesh", "Neighbouring Kesh", "concerned", ["coolly"])],
        id="concerned-coolly",
    ),
    pytest.param(
        "Kesh, which lies downstream, said it had not been consulted on the pact.",
        [("Kesh", "Kesh", "concerned", ["not been consulted"])],
        id="concerned-not-consulted",
    ),
    pytest.param(
        "Kesh said it would wait and see how the patrols work in practice.",
        [("Kesh", "Kesh", "neutral", ["wait and see"])],
        id="neutral-wait-and-see",
    ),
    pytest.param(
        "Ostria reacted sharply to the pact on Friday.",
        [("Ostria", "Ostria", "condemns", ["reacted sharply"])],
        id="condemns-reacted-sharply",
    ),
    pytest.param(
        "Ostria on Saturday urged Norland and Valmark to show restraint.",
        [("Ostria", "Ostria", "concerned", ["restraint"])],
        id="time-phrase-is-not-part-of-the-actor",
    ),
    pytest.param(
        "Ostria also summoned the Norlandic ambassador.",
        [("Ostria", "Ostria", None, [])],
        id="reaction-without-stance-words",
    ),
    pytest.param(
        "The pact raised concerns in both Ostria and Kesh.",
        [
            ("Ostria", "Ostria", "concerned", ["concerns"]),
            ("Kesh", "Kesh", "concerned", ["concerns"]),
        ],
        id="concerns-felt-in-two-countries",
    ),
    pytest.param(
        "Lena Dorr, spokesperson of the Ostrian Foreign Ministry, warned that the pact would "
        "destabilize the region.",
        [
            (
                "Ostria",
                "Lena Dorr, spokesperson of the Ostrian Foreign Ministry",
                "concerned",
                ["warned", "destabilize"],
            )
        ],
        id="official-with-an-appositive-title",
    ),
    pytest.param(
        "Ostria does not welcome the pact.",
        [("Ostria", "Ostria", "concerned", ["welcome"])],
        id="negated-base-form-verb",
    ),
    pytest.param(
        "Kesh will not support the pact.",
        [("Kesh", "Kesh", "concerned", ["support"])],
        id="negated-future",
    ),
    pytest.param(
        "Kesh doesn't welcome the pact.",
        [("Kesh", "Kesh", "concerned", ["welcome"])],
        id="negated-contraction",
    ),
    pytest.param(
        "Brenmark cannot support the pact.",
        [("Brenmark", "Brenmark", "concerned", ["support"])],
        id="negated-cannot",
    ),
    pytest.param(
        "Lena Dorr, the Ostrian foreign minister, condemned the pact.",
        [("Ostria", "Lena Dorr, Ostrian foreign minister", "condemns", ["condemned"])],
        id="appositive-title-without-its-article",
    ),
    pytest.param(
        "Ostria's envoy, who arrived on Monday, warned against the pact.",
        [("Ostria", "Ostria's envoy", "concerned", ["warned"])],
        id="relative-clause-between-subject-and-verb",
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), REPORTED)
def test_reported_reactions_and_their_stance(
    sentence: str, expected: list[tuple[str, str, str | None, list[str]]]
) -> None:
    # `felt` and `point` have tests of their own (below)
    found = [replace(r, felt=False, point=None) for r in reactions_of(sentence)]
    assert found == [
        reaction(country, actor, sentence, False, stance, cues)
        for country, actor, stance, cues in expected
    ]


def test_a_mood_felt_in_a_country_is_no_statement_of_its_own() -> None:
    felt = reactions_of("The pact raised concerns in both Ostria and Kesh.")
    said = reactions_of("Ostria voiced concern about the pact.")
    assert [(r.country, r.felt) for r in felt] == [("Ostria", True), ("Kesh", True)]
    assert [(r.country, r.felt) for r in said] == [("Ostria", False)]


def test_the_clause_that_carries_the_stance_after_a_contrast_is_kept() -> None:
    (mixed,) = reactions_of("Ostria welcomed the talks but warned against the pact.")
    assert (mixed.stance, mixed.point) == ("concerned", "warned against the pact.")
    (whole,) = reactions_of("Ostria warned against the pact.")
    assert whole.point is None  # the whole sentence carries it


def test_ambiguous_office_takes_the_country_of_the_paragraph_before() -> None:
    warning = "Ostria warned against the pact on Monday."
    said = 'A Foreign Ministry spokesperson said, "The pact threatens the stability of the strait."'
    assert reactions_of(warning, said) == [
        reaction("Ostria", "Ostria", warning, False, "concerned", ["warned"]),
        reaction(
            "Ostria", "a Foreign Ministry spokesperson", said, True, "concerned", ["threatens"]
        ),
    ]


def test_reactions_are_grouped_by_country_in_order_of_first_mention() -> None:
    kesh_welcomed = "Kesh welcomed the treaty on Tuesday."
    summoned = "Ostria also summoned the Norlandic ambassador."
    supported = 'An official in Kesh\'s presidential office said, "We support our neighbours."'
    condemned = (
        'Ostrian Foreign Ministry spokesperson Lena Dorr said, "We condemn this reckless pact."'
    )
    assert reactions_of(condemned, kesh_welcomed, summoned, supported) == [
        reaction(
            "Ostria",
            "Ostrian Foreign Ministry spokesperson Lena Dorr",
            condemned,
            True,
            "condemns",
            ["condemn", "reckless"],
        ),
        reaction("Ostria", "Ostria", summoned, False, None, []),
        reaction("Kesh", "Kesh", kesh_welcomed, False, "welcomes", ["welcomed"]),
        reaction("Kesh", KESH_OFFICIAL, supported, True, "supports", ["support"]),
    ]


# --- what is not a reaction -----------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraphs",
    [
        ('Elin Varg, President of Norland, said, "The harbour belongs to both our peoples."',),
        ("Valmark welcomed the treaty on Tuesday.",),
        ('Valmarkian Defence Minister Tomas Reyk said, "We welcome this pact."',),
        ("Norland condemned Ostria's naval drills.",),
        (
            '"Ostria will see this pact as a provocation," said Jonas Berg, '
            "a senior fellow at the Ellan Institute.",
        ),
        ('Kesh analyst Jonas Berg said, "Ostria will see this pact as a provocation."',),
        ("Jonas Berg, a senior fellow at the Ellan Institute, warned that Ostria would protest.",),
        ("Analysts in Kesh warned that the pact would raise tensions.",),
        ("Ostria is a small country with a large navy.",),
        ("Lena Dorr, who met Ostrian officials on Monday, condemned the pact.",),
        ("Elin Varg, President of Norland, warned against the pact.",),
    ],
    ids=[
        "principal-quoted",
        "principal-reported",
        "principal-minister-welcomes",
        "principal-condemns-a-third-country",
        "analyst-quoted-with-affiliation",
        "analyst-of-a-third-country-quoted",
        "analyst-reported",
        "analysts-of-a-third-country-reported",
        "third-country-without-reaction",
        "a-relative-clause-is-no-title",
        "principal-with-an-appositive-title",
    ],
)
def test_principals_analysts_and_mere_mentions_are_not_reactions(
    paragraphs: tuple[str, ...],
) -> None:
    assert reactions_of(*paragraphs) == []


def test_analyst_quotes_keep_their_role_and_affiliation() -> None:
    doc = doc_of(
        '"Ostria will see this pact as a provocation," said Jonas Berg, '
        "a senior fellow at the Ellan Institute."
    )
    (quote,) = extract_quotes(parse_document(doc, GAZETTEER), GAZETTEER)
    assert (quote.speaker, quote.speaker_title, quote.affiliation, quote.role) == (
        "Jonas Berg",
        "senior fellow",
        "Ellan Institute",
        "analyst",
    )
    assert extract_reactions(parse_document(doc, GAZETTEER), [quote], GAZETTEER) == []


def test_a_document_without_paragraphs_has_no_reactions() -> None:
    assert extract_reactions(parse_document(doc_of(), GAZETTEER), [], GAZETTEER) == []


# --- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'Ostria said "Kesh ' * 60_000,
        "x" * 2_000_000,
        '"' * 300_000,
        "Ostria " * 150_000,
    ],
    ids=["1MB-unbalanced-quotes", "2MB-no-spaces", "300k-quotes", "1MB-country-words"],
)
def test_hostile_text_is_read_in_linear_time(text: str) -> None:
    def run(size: int) -> list[Reaction]:
        parsed = parse_document(doc_of(text[:size]), GAZETTEER)
        return extract_reactions(parsed, extract_quotes(parsed, GAZETTEER), GAZETTEER)

    assert_grows_linearly(run, len(text), "reactions on hostile text")


def test_one_paragraph_of_many_reported_reactions_is_read_in_linear_time() -> None:
    # 40,000 reactions in one paragraph take ~2-3 s on a busy two-core machine; a scan of the
    # paragraph per sentence (quadratic) took 5-7 s for 8,000 of them, minutes for these.
    sentence = "Ostria condemned the pact. "
    found = assert_grows_linearly(
        lambda n: extract_reactions(parse_document(doc_of(sentence * n), GAZETTEER), [], GAZETTEER),
        40_000,  # 1 MB, one paragraph
        "40,000 reactions in one paragraph",
        count=len,
    )
    assert len(found) == 40_000
    assert {r.country for r in found} == {"Ostria"}
