"""Direct quotes, their speakers and the speakers' countries.

The sentences are invented: a harbour security pact between Norland and Valmark (the story of
tests/fixtures/harbour/config.yaml), watched by Ostria, Kesh and Brenmark. Each test names one
attribution pattern and asserts the whole Quote (text, speaker, title, country, role, partial,
affiliation and the offsets of the quoted words in the document's body).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from time_limit import assert_grows_linearly

from briefing.config import load_config
from briefing.extract.actors import Gazetteer
from briefing.extract.parsed import parse_document
from briefing.extract.quotes import extract_quotes
from briefing.models import Document, Quote

CONFIG = Path(__file__).resolve().parent / "fixtures" / "harbour" / "config.yaml"
GAZETTEER = Gazetteer.from_config(load_config(CONFIG))


@dataclass(frozen=True)
class Said:
    """An expected quote; its offsets are those of the first occurrence of `text`."""

    text: str
    speaker: str | None
    title: str | None = None
    country: str | None = None
    role: str = "other"
    partial: bool = False
    affiliation: str | None = None


def doc_of(*paragraphs: str) -> Document:
    return Document(id="d1", path="d1.txt", paragraphs=list(paragraphs))


def expected(doc: Document, *quotes: Said) -> list[Quote]:
    body = doc.text
    found = []
    for said in quotes:
        start = body.index(said.text)
        found.append(
            Quote(
                doc=doc.id,
                text=said.text,
                speaker=said.speaker,
                speaker_title=said.title,
                country=said.country,
                start=start,
                end=start + len(said.text),
                partial=said.partial,
                affiliation=said.affiliation,
                role=said.role,
            )
        )
    return found


def check(paragraphs: tuple[str, ...], quotes: list[Said]) -> None:
    doc = doc_of(*paragraphs)
    found = extract_quotes(parse_document(doc, GAZETTEER), GAZETTEER)
    assert found == expected(doc, *quotes)
    for quote in found:
        assert doc.text[quote.start : quote.end] == quote.text


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


VARG = "Elin Varg"
REYK = "Tomas Reyk"
DORR = "Lena Dorr"
SHIPS = "We will keep the harbour open to every ship"


def test_offsets_point_at_the_quoted_words_without_marks_and_trailing_comma() -> None:
    doc = doc_of("The pact was signed at noon.", f'"{SHIPS}," Elin Varg said.')
    (quote,) = extract_quotes(parse_document(doc, GAZETTEER), GAZETTEER)
    # paragraph 2 starts at 28 + 2; its opening mark is at 30, the words at 31
    assert (quote.start, quote.end) == (31, 31 + len(SHIPS))
    assert doc.text[quote.start : quote.end] == SHIPS
    assert quote.doc == "d1"


# --- attribution patterns ---------------------------------------------------------------------

ATTRIBUTIONS = [
    pytest.param((f'"{SHIPS}," Elin Varg said.',), [Said(SHIPS, VARG)], id="straight-after"),
    pytest.param((f"\u201c{SHIPS},\u201d Elin Varg said.",), [Said(SHIPS, VARG)], id="curly-after"),
    pytest.param((f'Elin Varg said, "{SHIPS}."',), [Said(f"{SHIPS}.", VARG)], id="before"),
    pytest.param(
        (f"Elin Varg said, \u201c{SHIPS}.\u201d",), [Said(f"{SHIPS}.", VARG)], id="curly-before"
    ),
    pytest.param(
        (
            '"The pact changes the balance in the strait," said Jonas Berg, '
            "a research fellow at the Ellan Institute.",
        ),
        [
            Said(
                "The pact changes the balance in the strait",
                "Jonas Berg",
                title="research fellow",
                role="analyst",
                affiliation="Ellan Institute",
            )
        ],
        id="said-X-research-fellow-at-Y",
    ),
    pytest.param(
        (
            '"The navies will patrol together from May," Tomas Reyk was quoted as saying '
            "by the Valmark Courier.",
        ),
        [Said("The navies will patrol together from May", REYK)],
        id="quoted-as-saying-by-Z-after",
    ),
    pytest.param(
        (
            "Tomas Reyk was quoted as saying by the Valmark Courier, "
            '"The navies will patrol together from May."',
        ),
        [Said("The navies will patrol together from May.", REYK)],
        id="quoted-as-saying-by-Z-before",
    ),
    pytest.param(
        ('"The patrols will begin in May," according to Tomas Reyk.',),
        [Said("The patrols will begin in May", REYK)],
        id="quote-according-to-X",
    ),
    pytest.param(
        ('"The patrols will begin in May", according to Tomas Reyk.',),
        [Said("The patrols will begin in May", REYK)],
        id="quote-comma-outside-according-to-X",
    ),
    pytest.param(
        ('According to Tomas Reyk, "The patrols will begin in May."',),
        [Said("The patrols will begin in May.", REYK)],
        id="according-to-X-quote",
    ),
    pytest.param(
        ('According to Tomas Reyk, the patrols are "a first step toward a shared harbour."',),
        [Said("a first step toward a shared harbour.", REYK, partial=True)],
        id="according-to-X-reported-speech-with-partial-quote",
    ),
    pytest.param(
        ('According to the survey, the "harbour rules of the old town" stay.',),
        [],
        id="according-to-a-document-is-no-speaker",
    ),
    pytest.param(
        (
            'Lena Dorr criticized during a briefing, "This pact threatens the whole region," '
            'adding, "Ostria will not stay silent."',
        ),
        [
            Said("This pact threatens the whole region", DORR),
            Said("Ostria will not stay silent.", DORR),
        ],
        id="criticized-during-a-briefing-adding",
    ),
    pytest.param(
        ('Tomas Reyk stated, "Our navies will train together every spring."',),
        [Said("Our navies will train together every spring.", REYK)],
        id="stated",
    ),
    pytest.param(
        (
            "Elin Varg spoke at length about the new port.",
            '"We have waited thirty years for this day."',
        ),
        [Said("We have waited thirty years for this day.", VARG)],
        id="standalone-after-a-paragraph-naming-the-speaker",
    ),
    pytest.param(
        (
            "Elin Varg spoke at length about the new port. "
            '"We have waited thirty years for this day."',
        ),
        [Said("We have waited thirty years for this day.", VARG)],
        id="standalone-after-a-sentence-naming-the-speaker",
    ),
    pytest.param(
        (
            "Elin Varg arrived in the capital on Monday. "
            '"This is a good day for our fishermen," he said, "and a better one for our sailors."',
        ),
        [
            Said("This is a good day for our fishermen", VARG),
            Said("and a better one for our sailors.", VARG),
        ],
        id="split-by-its-attribution",
    ),
    pytest.param(
        (
            'Elin Varg said, "The treaty is signed. The patrols begin in May. '
            'Nothing will stop them."',
        ),
        [Said("The treaty is signed. The patrols begin in May. Nothing will stop them.", VARG)],
        id="multi-sentence",
    ),
    pytest.param(
        (
            'Elin Varg said, "The treaty is signed. The patrols begin in May.',
            '"Nothing will stop them."',
        ),
        [
            Said("The treaty is signed. The patrols begin in May.", VARG),
            Said("Nothing will stop them.", VARG),
        ],
        id="continued-over-two-paragraphs",
    ),
    pytest.param(
        (
            'Elin Varg said the "harbour rules will change.',
            "The patrols begin in May.",
        ),
        [],
        id="unclosed-mark-before-a-paragraph-without-quote-is-dropped",
    ),
    pytest.param(
        (
            "A spokesman for the Ostrian foreign ministry, Piet Solen, said the patrols were"
            ' "a step toward a calmer sea."',
        ),
        [
            Said(
                "a step toward a calmer sea.",
                "Piet Solen",
                "spokesman for the Ostrian foreign ministry",
                "Ostria",
                "third",
                partial=True,
            )
        ],
        id="office-then-name-in-appositive",
    ),
    pytest.param(
        ('"The quotas are fair to both fleets," said Elin Varg. "Nobody lost today."',),
        [Said("The quotas are fair to both fleets", VARG), Said("Nobody lost today.", VARG)],
        id="short-quote-going-on-after-an-attributed-one",
    ),
    pytest.param(
        ('The fleets left port. "Nobody lost today."',),
        [],
        id="short-standalone-quote-without-a-quote-before-is-no-quote",
    ),
    pytest.param(
        (
            '"The quotas will not end the quarrel," said Karin Holt of the Lakeside Policy'
            " Institute.",
        ),
        [
            Said(
                "The quotas will not end the quarrel",
                "Karin Holt",
                role="analyst",
                affiliation="Lakeside Policy Institute",
            )
        ],
        id="said-X-of-an-institute",
    ),
    pytest.param(
        ("Elin Varg said: 'We will defend the harbour together.'",),
        [Said("We will defend the harbour together.", VARG)],
        id="single-quoted-after-speech-verb",
    ),
    pytest.param(
        ("Elin Varg said: \u2018We will defend the harbour together.\u2019",),
        [Said("We will defend the harbour together.", VARG)],
        id="curly-single-quoted-after-speech-verb",
    ),
    pytest.param(
        ('Lena Dorr described it as a "dangerous step toward confrontation" in the strait.',),
        [Said("dangerous step toward confrontation", DORR, partial=True)],
        id="partial-described-it-as",
    ),
    pytest.param(
        ('Tomas Reyk called the pact "a turning point for both navies" in his speech.',),
        [Said("a turning point for both navies", REYK, partial=True)],
        id="partial-called-it",
    ),
    pytest.param(
        ('Elin Varg said the pact was "a promise kept to the people of the coast."',),
        [Said("a promise kept to the people of the coast.", VARG, partial=True)],
        id="partial-said-that",
    ),
]


@pytest.mark.parametrize(("paragraphs", "quotes"), ATTRIBUTIONS)
def test_attribution_patterns(paragraphs: tuple[str, ...], quotes: list[Said]) -> None:
    check(paragraphs, quotes)


# Less common verbs of briefing/rules/speech_verbs.yaml, single words and phrases.
RARE_VERBS = [
    "quipped",
    "lamented",
    "cautioned",
    "conceded",
    "opined",
    "reaffirmed",
    "proclaimed",
    "pointed out",
    "went on",
]
NOBODY = "Nobody in the port expected this day to come"


@pytest.mark.parametrize("verb", RARE_VERBS)
def test_speech_verbs_of_the_table_attribute_after_the_quote(verb: str) -> None:
    check((f'"{NOBODY}," Tomas Reyk {verb}.',), [Said(NOBODY, REYK)])


@pytest.mark.parametrize("verb", RARE_VERBS)
def test_speech_verbs_of_the_table_introduce_a_quote(verb: str) -> None:
    check((f'Tomas Reyk {verb}, "{NOBODY}."',), [Said(f"{NOBODY}.", REYK)])


def test_a_speech_verb_before_the_speaker_after_the_quote() -> None:
    check((f'"{NOBODY}," quipped Tomas Reyk.',), [Said(NOBODY, REYK)])


@pytest.mark.parametrize(
    "paragraph",
    [
        "Critics called Valmark an 'upstart' to the strait.",
        "The country's 'upstart' status was mocked in Norland's press.",
        'Norland and Valmark signed the "harbour security pact" on Monday.',
        'Elin Varg called the deal a "harbour security pact" on Monday.',
        'The so-called "ring of steel" around the port was lifted on Monday.',
        'Critics in Norland dubbed the treaty the "Iron Harbour" deal.',
    ],
    ids=[
        "scare-quote-one-word",
        "scare-quote-with-apostrophes",
        "story-term-as-a-name",
        "story-term-after-a-speech-verb",
        "quoted-phrase-without-speech-verb",
        "two-word-name-after-dubbed",
    ],
)
def test_quoted_terms_are_not_quotes(paragraph: str) -> None:
    check((paragraph,), [])


# --- speaker resolution -------------------------------------------------------------------

TITLED_VARG = "Norlandic President Elin Varg opened the harbour on Monday."
PEOPLES = "The harbour belongs to both our peoples"
DORR_SAID = 'Ostrian Foreign Ministry spokesperson Lena Dorr said, "The pact threatens the strait."'
VARG_AS_PRESIDENT = Said(PEOPLES, VARG, "Norlandic President", "Norland", "principal")
DORR_AS_SPOKESPERSON = Said(
    "The pact threatens the strait.",
    DORR,
    "Ostrian Foreign Ministry spokesperson",
    "Ostria",
    "third",
)
STRAIT = "The pact threatens the stability of the strait"
WATCHING = "We are watching the strait closely"
KESH_OFFICIAL = "an official in Kesh's presidential office"
OSTRIAN_MINISTRY = "Ostrian Foreign Ministry"

SPEAKERS = [
    pytest.param(
        (TITLED_VARG, f'She said, "{PEOPLES}."'),
        [Said(f"{PEOPLES}.", VARG, "Norlandic President", "Norland", "principal")],
        id="pronoun-she-to-the-full-name",
    ),
    pytest.param(
        ("Elin Varg arrived in the capital on Monday.", f'"{PEOPLES}," he said.'),
        [Said(PEOPLES, VARG)],
        id="pronoun-he-to-the-full-name",
    ),
    pytest.param(
        (TITLED_VARG, DORR_SAID, '"We will answer in kind," she said.'),
        [
            DORR_AS_SPOKESPERSON,
            Said(
                "We will answer in kind",
                DORR,
                "Ostrian Foreign Ministry spokesperson",
                "Ostria",
                "third",
            ),
        ],
        id="pronoun-to-the-latest-speaker",
    ),
    pytest.param(
        (TITLED_VARG + " Tomas Reyk watched.", f'"{PEOPLES}," Varg said.'),
        [VARG_AS_PRESIDENT],
        id="surname-to-the-full-name",
    ),
    pytest.param(
        (TITLED_VARG, DORR_SAID, f'"{PEOPLES}," Varg said.'),
        [DORR_AS_SPOKESPERSON, VARG_AS_PRESIDENT],
        id="surname-after-another-speaker",
    ),
    pytest.param(
        (TITLED_VARG, DORR_SAID, f'"{PEOPLES}," the Norlandic president said.'),
        [DORR_AS_SPOKESPERSON, VARG_AS_PRESIDENT],
        id="the-norlandic-president-to-the-full-name",
    ),
    pytest.param(
        (DORR_SAID,),
        [DORR_AS_SPOKESPERSON],
        id="title-before-the-name-kept",
    ),
    pytest.param(
        (
            "Lena Dorr, spokesperson of the Ostrian Foreign Ministry, said, "
            '"The pact threatens the strait."',
        ),
        [
            Said(
                "The pact threatens the strait.",
                DORR,
                "spokesperson of the Ostrian Foreign Ministry",
                "Ostria",
                "third",
            )
        ],
        id="appositive-title-kept",
    ),
    pytest.param(
        (
            "Elin Varg, President of Norland, opened the harbour on Monday.",
            f'She said, "{PEOPLES}."',
        ),
        [Said(f"{PEOPLES}.", VARG, "President of Norland", "Norland", "principal")],
        id="pronoun-takes-the-appositive-title-of-an-earlier-sentence",
    ),
    pytest.param(
        (
            "Lena Dorr, spokesperson of the Ostrian Foreign Ministry, opened the briefing.",
            f'"{STRAIT}," Dorr said.',
        ),
        [Said(STRAIT, DORR, "spokesperson of the Ostrian Foreign Ministry", "Ostria", "third")],
        id="surname-takes-the-appositive-title-of-an-earlier-sentence",
    ),
    pytest.param(
        (
            "Jonas Berg, a senior fellow at the Ellan Institute, spoke on Monday.",
            f'"{STRAIT}," Berg said.',
        ),
        [
            Said(
                STRAIT,
                "Jonas Berg",
                "senior fellow",
                role="analyst",
                affiliation="Ellan Institute",
            )
        ],
        id="an-earlier-appositive-keeps-the-analyst-an-analyst",
    ),
    pytest.param(
        ("Elin Varg, Tomas Reyk and Lena Dorr met on Monday.", f'"{STRAIT}," Dorr said.'),
        [Said(STRAIT, DORR)],
        id="a-list-of-names-is-no-title",
    ),
    pytest.param(
        (f'"{PEOPLES}," said Elin Varg, the President of Norland, at the signing ceremony.',),
        [Said(PEOPLES, VARG, "President of Norland", "Norland", "principal")],
        id="appositive-title-stops-before-a-circumstance",
    ),
    pytest.param(
        (
            f'"{STRAIT}," said Lena Dorr, a spokesperson for the Ostrian Foreign Ministry, '
            "speaking to reporters on Monday.",
        ),
        [Said(STRAIT, DORR, "spokesperson for the Ostrian Foreign Ministry", "Ostria", "third")],
        id="appositive-title-stops-before-a-participle",
    ),
    pytest.param(
        (f'"{PEOPLES}," said Elin Varg, adding that the patrols would begin in May.',),
        [Said(PEOPLES, VARG)],
        id="a-clause-after-the-name-is-no-title",
    ),
    pytest.param(
        (f"The Ostrian Foreign Ministry said in a statement, '{STRAIT}.'",),
        [Said(f"{STRAIT}.", OSTRIAN_MINISTRY, None, "Ostria", "third")],
        id="institution-said-in-a-statement",
    ),
    pytest.param(
        ("The Ostrian Foreign Ministry issued a statement on Monday.", f'"{STRAIT}," it said.'),
        [Said(STRAIT, OSTRIAN_MINISTRY, None, "Ostria", "third")],
        id="pronoun-it-to-the-institution",
    ),
    pytest.param(
        (f'An official in Kesh\'s presidential office said, "{WATCHING}."',),
        [Said(f"{WATCHING}.", KESH_OFFICIAL, None, "Kesh", "third")],
        id="official-in-an-office-before",
    ),
    pytest.param(
        (f'"{WATCHING}," an official in Kesh\'s presidential office said.',),
        [Said(WATCHING, KESH_OFFICIAL, None, "Kesh", "third")],
        id="official-in-an-office-after",
    ),
    pytest.param(
        (
            '"Our navies will train together," said Jonas Berg, '
            "a senior fellow at the Ellan Institute in Kesh.",
        ),
        [
            Said(
                "Our navies will train together",
                "Jonas Berg",
                "senior fellow",
                "Kesh",
                "analyst",
                affiliation="Ellan Institute in Kesh",
            )
        ],
        id="analyst-with-a-country-stays-an-analyst",
    ),
]


@pytest.mark.parametrize(("paragraphs", "quotes"), SPEAKERS)
def test_speaker_resolution(paragraphs: tuple[str, ...], quotes: list[Said]) -> None:
    check(paragraphs, quotes)


# --- offices without a country of their own ---------------------------------------------------

A_SPOKESPERSON = "a Foreign Ministry spokesperson"
SAYS_STRAIT = f'A Foreign Ministry spokesperson said, "{STRAIT}."'

AMBIGUOUS_OFFICES = [
    pytest.param(
        ("Ostria warned against the pact on Monday. " + SAYS_STRAIT,),
        [Said(f"{STRAIT}.", A_SPOKESPERSON, None, "Ostria", "third")],
        id="country-of-the-sentence-before",
    ),
    pytest.param(
        ("Ostria warned against the pact on Monday.", SAYS_STRAIT),
        [Said(f"{STRAIT}.", A_SPOKESPERSON, None, "Ostria", "third")],
        id="country-of-the-paragraph-before",
    ),
    pytest.param(
        (f'In Brenmark, a Foreign Ministry spokesperson said, "{STRAIT}."',),
        [Said(f"{STRAIT}.", A_SPOKESPERSON, None, "Brenmark", "third")],
        id="country-of-the-same-sentence",
    ),
    pytest.param(
        (f'"{STRAIT}," a Foreign Ministry spokesperson in Kesh said.',),
        [Said(STRAIT, "a Foreign Ministry spokesperson in Kesh", None, "Kesh", "third")],
        id="country-inside-the-phrase",
    ),
    pytest.param(
        (
            "Ostria warned against the pact on Monday.",
            f'Foreign Ministry spokesperson Lena Dorr said, "{STRAIT}."',
        ),
        [Said(f"{STRAIT}.", DORR, "Foreign Ministry spokesperson", "Ostria", "third")],
        id="named-spokesperson-of-an-ambiguous-office",
    ),
    pytest.param(
        (
            "The Ostrian foreign ministry said it had summoned the Kesh ambassador.",
            f"\u2018{STRAIT},\u2019 the ministry's spokeswoman, Lena Dorr, told reporters.",
        ),
        [Said(STRAIT, DORR, "ministry's spokeswoman", "Ostria", "third")],
        id="office-named-with-its-country-before-beats-the-last-country-word",
    ),
    pytest.param(
        (f'Kesh took a softer line. Its prime minister, Lena Dorr, said "{STRAIT}."',),
        [Said(f"{STRAIT}.", DORR, "prime minister", "Kesh", "third")],
        id="possessive-dropped-from-the-title",
    ),
    pytest.param(
        (
            "Ostria's foreign minister said on Sunday that the pact would survive a challenge"
            " from Kesh.",
            f'"{STRAIT}," Foreign Minister Lena Dorr told reporters.',
        ),
        [Said(STRAIT, DORR, "Foreign Minister", "Ostria", "third")],
        id="title-named-with-its-country-before-beats-the-last-country-word",
    ),
    pytest.param(
        (
            "Ostria warned against the pact on Monday.",
            'A Foreign Ministry spokesperson said, "Kesh and Brenmark share our worry."',
        ),
        [Said("Kesh and Brenmark share our worry.", A_SPOKESPERSON, None, "Ostria", "third")],
        id="country-words-inside-the-quote-do-not-count",
    ),
    pytest.param(
        (
            "Ostria warned against the pact on Monday.",
            "The harbour was quiet on Monday.",
            SAYS_STRAIT,
        ),
        [Said(f"{STRAIT}.", A_SPOKESPERSON)],
        id="no-country-from-two-paragraphs-before",
    ),
    pytest.param(
        ("Kesh stayed silent, but Ostria warned against the pact. " + SAYS_STRAIT,),
        [Said(f"{STRAIT}.", A_SPOKESPERSON, None, "Ostria", "third")],
        id="nearest-country-of-the-sentence-before",
    ),
]


@pytest.mark.parametrize(("paragraphs", "quotes"), AMBIGUOUS_OFFICES)
def test_an_ambiguous_office_takes_the_nearest_country(
    paragraphs: tuple[str, ...], quotes: list[Said]
) -> None:
    check(paragraphs, quotes)


def test_a_document_without_paragraphs_has_no_quotes() -> None:
    assert extract_quotes(parse_document(doc_of(), GAZETTEER), GAZETTEER) == []


# --- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'He said "Ostria ' * 70_000,
        "x" * 2_000_000,
        '"' * 300_000,
        "'" * 300_000,
        "\u201c" * 300_000,
    ],
    ids=["1MB-unbalanced-quotes", "2MB-no-spaces", "300k-quotes", "300k-singles", "300k-curly"],
)
def test_hostile_text_is_read_in_linear_time(text: str) -> None:
    assert_grows_linearly(
        lambda size: extract_quotes(parse_document(doc_of(text[:size]), GAZETTEER), GAZETTEER),
        len(text),
        "quotes on hostile text",
    )


def test_one_paragraph_of_many_short_quoted_sentences_is_read_in_linear_time() -> None:
    sentence = '"We will sail on," Kesh said. '
    # 35,000 quotes each resolved take ~3 s here, growing linearly (0.6 s for a quarter of
    # them); a per-sentence scan of the whole paragraph would take minutes.
    found = assert_grows_linearly(
        lambda n: extract_quotes(parse_document(doc_of(sentence * n), GAZETTEER), GAZETTEER),
        35_000,  # 1 MB, one paragraph
        "35,000 quotes in one paragraph",
        count=len,
    )
    assert len(found) == 35_000
    assert {q.text for q in found} == {"We will sail on"}
