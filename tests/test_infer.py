"""No config: the story is inferred from the articles (briefing/infer.py), over the built-in
world gazetteer (briefing/world.py). Three invented stories about real countries
(tests/fixtures/stories/) are built in an empty folder, and written down by `init --from`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import pipeline
from briefing.cli import cli
from briefing.config import Config, Story, parse_config
from briefing.extract.actors import Gazetteer
from briefing.pipeline import inference_sample

STORIES = Path(__file__).parent / "fixtures" / "stories"

EXPECTED = {
    "trade": (
        "Pacific Grain and Textile Pact: Chile and Vietnam",
        "2031-05-14",
        # Argentina voiced concern on 14 May, then criticized the pact on 15 May: its latest
        # statement sets the stance (issue 13)
        [("Japan", "welcomes"), ("Argentina", "condemns")],
    ),
    "ceasefire": (
        "Peru–Ecuador ceasefire",
        "2031-08-01",
        [("Brazil", "welcomes"), ("Colombia", "concerned"), ("United States", "supports")],
    ),
    "summit": (
        "Jakarta Maritime Declaration: India and Indonesia",
        "2031-10-21",
        [("China", "condemns"), ("Australia", "welcomes")],
    ),
}


def _build(folder: Path, articles: Path, *extra: str) -> tuple[dict, str]:
    args = ["build", str(articles), "--out", str(folder / "o"), "--format", "md,json"]
    result = CliRunner().invoke(cli, [*args, "--jobs", "1", *extra])
    assert result.exit_code == 0, result.output
    return json.loads((folder / "o" / "brief.json").read_text(encoding="utf-8")), result.output


def _reactions(brief: dict) -> list[tuple[str, str]]:
    section = next(s for s in brief["brief"]["sections"] if s["name"] == "reactions")
    return [(item["country"], item["stance"]) for item in section["items"]]


@pytest.mark.parametrize("story", sorted(EXPECTED))
def test_a_brief_with_no_config(
    story: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # an empty folder: no config.yaml anywhere
    brief, output = _build(tmp_path, STORIES / story)
    title, date, reactions = EXPECTED[story]
    assert brief["brief"]["title"] == title
    assert brief["brief"]["date"] == date
    assert _reactions(brief) == reactions
    # One line says what was inferred and how to write it down.
    lines = [line for line in output.splitlines() if "inferred" in line]
    assert len(lines) == 1
    assert f'inferred "{title}"' in lines[0]
    assert f"briefing init --from {STORIES / story}" in lines[0]


def test_init_from_writes_the_same_story_and_an_edit_changes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = STORIES / "ceasefire"
    monkeypatch.chdir(tmp_path)
    inferred, _ = _build(tmp_path / "none", articles)
    result = CliRunner().invoke(cli, ["init", "--from", str(articles)])
    assert result.exit_code == 0, result.output
    config = tmp_path / "config.yaml"
    text = config.read_text(encoding="utf-8")
    assert 'principals: ["Peru", "Ecuador"]' in text
    written, output = _build(tmp_path / "with", articles)
    assert "inferred" not in output
    assert written["brief"]["sections"] == inferred["brief"]["sections"]
    assert written["brief"]["title"] == inferred["brief"]["title"]
    # story.third_countries sets which countries' reactions are shown, in that order.
    config.write_text(
        text.replace(
            'third_countries: ["Brazil", "Colombia", "United States"]',
            'third_countries: ["United States", "Brazil"]',
        ),
        encoding="utf-8",
    )
    edited, _ = _build(tmp_path / "edited", articles)
    assert _reactions(edited) == [("United States", "supports"), ("Brazil", "welcomes")]
    # A second init does not overwrite the config.
    again = CliRunner().invoke(cli, ["init", "--from", str(articles)])
    assert again.exit_code == 2 and "exists" in again.output


def _gazetteer(config_text: str = "story: {title: t}\n") -> Gazetteer:
    return Gazetteer.from_config(parse_config(config_text, "t.yaml"))


def _countries(gazetteer: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.country) for h in gazetteer.find(text)]


def test_world_gazetteer_knows_names_demonyms_capitals_metonyms_and_bodies() -> None:
    text = (
        "Downing Street and the Kremlin replied; the Blue House, Ghanaian officials in Accra, "
        "the Quai d'Orsay, NATO and the African Union. Georgia's envoy met Nato."
    )
    assert _countries(_gazetteer(), text) == [
        ("Downing Street", "United Kingdom"),
        ("Kremlin", "Russia"),
        ("Blue House", "South Korea"),
        ("Ghanaian", "Ghana"),
        ("Accra", "Ghana"),
        ("Quai d'Orsay", "France"),
        ("NATO", "NATO"),
        ("African Union", "African Union"),
        ("Georgia", "Georgia"),
        ("Nato", "NATO"),
    ]
    # Whole words, case-sensitive: "us", "Indiana", "Chinese-made" is Chinese.
    assert _countries(_gazetteer(), "let us see Indiana and Chinese-made parts") == [
        ("Chinese", "China")
    ]


def test_a_country_name_inside_another_name_is_not_the_country() -> None:
    gazetteer = _gazetteer()
    text = (
        "Senator Tom Chad of New Mexico spoke. Chad said no. But Jordan agreed on Tuesday; "
        "Vestria's Georgia, Putin's Russia and Communist China."
    )
    # "Tom Chad" makes Chad a surname in this text, "New Mexico" is not Mexico; a function
    # word, a possessive or a word in world.yaml's before_names keeps the country.
    assert _countries(gazetteer, text) == [
        ("Jordan", "Jordan"),
        ("Georgia", "Georgia"),
        ("Russia", "Russia"),
        ("China", "China"),
    ]
    # A Title Case headline asks for no guard.
    assert _countries_unguarded(gazetteer, "Beijing Slams India") == [
        ("Beijing", "China"),
        ("India", "India"),
    ]


def test_a_demonym_that_is_a_surname_is_not_the_country() -> None:
    gazetteer = _gazetteer()
    # After a first name or an abbreviated title, and with no noun after it, a demonym is
    # someone's surname; once the text uses it so, '"...," Cuban said' is that person too.
    surnames = (
        "Dana Cuban said the club would stay. Rosa French, a forward, scored twice. "
        'Ms. Irish\'s report came out; Ari German spoke first. "We won," Cuban said.'
    )
    assert _countries(gazetteer, surnames) == []
    # Before a noun, after "the" or a function word, or never used as a surname, it is the
    # country, in the same text as the surname too.
    countries = (
        "The Cuban government and Cuban officials met a French diplomat. Senior German and "
        "Irish envoys came; the French said no, Rosa French said. The Cuban said so."
    )
    assert _countries(gazetteer, countries) == [
        ("Cuban", "Cuba"),
        ("Cuban", "Cuba"),
        ("French", "France"),
        ("German", "Germany"),
        ("Irish", "Ireland"),
        ("French", "France"),
        ("Cuban", "Cuba"),
    ]


def _countries_unguarded(gazetteer: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.country) for h in gazetteer.find(text, guard=False)]


def test_a_config_country_overrides_and_adds_to_the_world_one() -> None:
    gazetteer = _gazetteer(
        "story: {title: t}\n"
        "countries:\n"
        "  U.S.: {aliases: [United States, Uncle Sam]}\n"
        "  Vestria: {aliases: [Vestrian]}\n"
    )
    text = "An American envoy, Uncle Sam, a Vestrian diplomat and the United States of America."
    assert _countries(gazetteer, text) == [
        ("American", "U.S."),
        ("Uncle Sam", "U.S."),
        ("Vestrian", "Vestria"),
        ("United States of America", "U.S."),
    ]


def test_fictional_countries_gain_no_false_hits() -> None:
    text = (STORIES.parent / "harbour" / "articles" / "wire.txt").read_text(encoding="utf-8")
    config = (STORIES.parent / "harbour" / "config.yaml").read_text(encoding="utf-8")
    found = {country for _, country in _countries(_gazetteer(config), text)}
    assert found <= {"Norland", "Valmark", "Ostria", "Kesh", "Brenmark"}


def test_people_are_learned_with_their_title_and_country() -> None:
    from briefing.extract import ExtractContext, extract_document
    from briefing.models import Document

    paragraphs = [
        "Chile and Vietnam signed a pact on Monday.",
        '"We object," said the French foreign minister, Henri Delacroix-Moreau.',
        'Chinese Foreign Ministry spokesperson Lin Qiao said, "We are watching."',
        '"It changes nothing," Delacroix-Moreau said.',
    ]
    config = Config(story=Story(title="t", principals=["Chile", "Vietnam"]))
    context = ExtractContext.from_config(config)
    quotes = extract_document(Document("d", "d.txt", paragraphs=paragraphs), context).quotes
    assert [(q.speaker, q.country) for q in quotes] == [
        ("Henri Delacroix-Moreau", "France"),
        ("Lin Qiao", "China"),
        ("Henri Delacroix-Moreau", "France"),
    ]


_PIECES = [
    "U.S.",
    "US",
    "USA",
    "North",
    "North Korea",
    "Korea",
    "Korean",
    "Kim Jong-un",
    "Kim",
    "New Mexico",
    "Mexico",
    "the North",
    "x",
    "Jim",
    " ",
    ", ",
    "-",
    "'s",
    ".",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.integers(0, 20))
def test_word_by_word_and_trie_scans_find_the_same(pieces: list[str], cut: int) -> None:
    from briefing.extract.actors import _Matcher

    words = [
        "U.S.",
        "US",
        "USA",
        "North Korea",
        "Korea",
        "Kim Jong-un",
        "the North",
        "New Mexico",
        "Mexico",
        "Korean",
    ]
    text = "".join(pieces)
    start = min(cut, len(text))
    by_words = _Matcher(words, trie_after=10**12).find(text, start, len(text))
    by_trie = _Matcher(words, trie_after=0).find(text, start, len(text))
    assert by_words == by_trie
    for begin, end, alias in by_words:
        assert text[begin:end] == alias


def test_a_name_only_in_a_title_case_headline_is_not_the_agreements_name() -> None:
    from briefing.infer import agreement_name
    from briefing.models import Document

    title_case = Document(
        "d",
        "d.txt",
        headline="Moving Toward Chile-Peru Fisheries Pact",
        paragraphs=["Chile and Peru signed a fisheries pact on Monday, officials said."],
    )
    assert agreement_name([title_case]) == (None, "pact")
    named = Document(
        "e",
        "e.txt",
        headline="Moving Toward Chile-Peru Fisheries Pact",
        paragraphs=["Chile and Peru signed the Humboldt Current Fisheries Pact on Monday."],
    )
    assert agreement_name([named]) == ("Humboldt Current Fisheries Pact", "pact")


def test_inference_sample_spreads_evenly_and_keeps_small_inputs_whole() -> None:
    files = [Path(f"a{i}.txt") for i in range(10)]
    assert inference_sample(files, 4) == [files[0], files[2], files[5], files[7]]
    assert inference_sample(files, 10) == files
    assert inference_sample(files[:3], 4) == files[:3]


def test_a_large_corpus_is_inferred_from_a_sample_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past INFERENCE_SAMPLE files, only that many (spread over the inputs) are read to infer
    the story; the build itself still reads them all."""
    articles = tmp_path / "articles"
    articles.mkdir()
    originals = sorted((STORIES / "trade").glob("*.txt"))
    for copy in range(3):
        for original in originals:
            (articles / f"{copy}-{original.name}").write_bytes(original.read_bytes())
    read: list[list[str]] = []
    real_read = pipeline.read_documents

    def recording(paths: list[str], *args: object, **kwargs: object) -> object:
        read.append(list(paths))
        return real_read(paths, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "read_documents", recording)
    monkeypatch.setattr(pipeline, "INFERENCE_SAMPLE", len(originals))
    monkeypatch.chdir(tmp_path)
    brief, _ = _build(tmp_path, articles)
    everything = sorted(str(p) for p in articles.glob("*.txt"))
    step = len(everything) // len(originals)
    assert read == [everything[::step]]
    title, date, reactions = EXPECTED["trade"]
    assert (brief["brief"]["title"], brief["brief"]["date"]) == (title, date)
    assert _reactions(brief) == reactions
    assert len(brief["documents"]) == len(everything)
