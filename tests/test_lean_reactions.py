"""A country's reactions read from the spool without their texts give the draft the whole
reactions give: only the one shown is read back whole."""

from __future__ import annotations

from pathlib import Path

from briefing.assemble.reactions import country_reactions, reaction_draft
from briefing.assemble.rules import load_rules
from briefing.config import load_config
from briefing.extract.spool import Spool, spooled_quotes, spooled_reactions
from briefing.models import Document, Quote, Reaction, Role, Stance

ROOT = Path(__file__).parent.parent


def _reactions(doc: str, day: str) -> list[Reaction]:
    return [
        Reaction(
            doc,
            "Norway",
            "the foreign ministry",
            f"Norway's foreign ministry said it was deeply concerned by the pact ({doc}).",
            stance=Stance.CONCERNED,
            stance_cues=["deeply concerned"],
            said_on=day,
            point="it was deeply concerned by the pact",
        ),
        Reaction(
            doc,
            "Chile",
            None,
            f"Chile welcomed the talks, an official in Santiago said ({doc}).",
            quoted=doc.endswith("2"),
            stance=Stance.WELCOMES,
            stance_cues=["welcomed"],
            said_on=day,
        ),
        Reaction(doc, "Chile", None, f"Chile has not commented on the pact ({doc}).", said_on=day),
    ]


def _spooled(tmp_path: Path) -> tuple[list[Reaction], list[Quote], Spool]:
    spool = Spool(tmp_path / "spool.sqlite")
    reactions: list[Reaction] = []
    quotes: list[Quote] = []
    for number, day in enumerate(["2030-03-01", "2030-03-02", "2030-03-02"], start=1):
        doc = f"d{number}"
        said = _reactions(doc, day)
        quoted = [
            Quote(
                doc,
                "We see no reason for alarm at this stage of the talks",
                "Ines Lago",
                role=Role.THIRD,
                country="Chile",
            )
        ]
        spool.add(Document(doc, f"{doc}.txt", headline=doc), quoted, said)
        reactions += said
        quotes += quoted
    return reactions, quotes, spool


def test_lean_reactions_are_whole_but_their_texts(tmp_path: Path) -> None:
    reactions, _, spool = _spooled(tmp_path)
    lean, whole = country_reactions(spooled_reactions(spool), "Norway")
    assert whole is not None
    norway = [r for r in reactions if r.country == "Norway"]
    assert [(r.text, r.point) for r in lean] == [("", None)] * 3
    assert [whole(r) for r in lean] == norway
    # in memory: the reactions themselves, nothing to read back
    listed, none = country_reactions(reactions, "Norway")
    assert listed == norway and none is None
    spool.close()


def test_a_draft_from_lean_reactions_is_the_draft_from_whole_ones(tmp_path: Path) -> None:
    reactions, quotes, spool = _spooled(tmp_path)
    config = load_config(ROOT / "config.yaml")
    rules = load_rules()
    for country in ("Norway", "Chile", "Peru"):
        lean, whole = country_reactions(spooled_reactions(spool), country)
        spooled = reaction_draft(
            country, lean, spooled_quotes(spool), config, rules, None, None, whole
        )
        own = [r for r in reactions if r.country == country]
        expected = reaction_draft(country, own, quotes, config, rules)
        if country == "Peru":
            assert spooled is None and expected is None
            continue
        assert spooled is not None and expected is not None
        assert (spooled.text, list(spooled.docs), spooled.score, spooled.fields) == (
            expected.text,
            list(expected.docs),
            expected.score,
            expected.fields,
        )
        assert spooled.text  # the shown reaction's own words, read back whole
    spool.close()


def test_lean_reactions_share_their_equal_lists(tmp_path: Path) -> None:
    # 40,000 reactions of a country at 100,000 articles: a list of cues each took 5 MB.
    _, _, spool = _spooled(tmp_path)
    lean, whole = country_reactions(spooled_reactions(spool), "Norway")
    assert whole is not None
    assert [r.stance_cues for r in lean] == [["deeply concerned"]] * 3
    assert lean[0].stance_cues is lean[1].stance_cues is lean[2].stance_cues
    assert lean[0].earlier_cues is lean[2].earlier_cues == []
    assert lean[0].doc is not lean[1].doc and lean[0].country is lean[2].country
    # read back whole, each has lists of its own
    first, last = whole(lean[0]), whole(lean[2])
    assert first.stance_cues == last.stance_cues and first.stance_cues is not last.stance_cues
    spool.close()
