"""The world gazetteer: every country's names, demonyms and capitals, the metonyms papers
use for governments, and the international bodies that react in diplomatic news.

Two files: briefing/rules/world.json, generated from maintained data packages by
tools/world_gazetteer.py (never edited by hand), and briefing/rules/world.yaml, the
hand-kept corrections, metonyms and institutions. Both are read once per process (about
2 ms together); a story's config is merged on top (actors.Gazetteer.from_config).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from .language import calendar
from .resources import load_rules, rules_path


@dataclass(frozen=True)
class WorldEntry:
    """One country or institution of the world gazetteer."""

    label: str  # how it is named in output ("South Korea")
    names: tuple[str, ...]  # its own names: a config entry using one of them overrides it
    words: tuple[str, ...]  # every word pointing to it, names first
    institution: bool = False


@cache
def world_entries() -> tuple[WorldEntry, ...]:
    """Every entry, in the order that settles a word two entries claim: sovereign states
    by population, then countries no ISO list has, institutions, and territories last."""
    generated = json.loads(rules_path("world.json").read_text(encoding="utf-8"))["countries"]
    hand = load_rules("world.yaml")
    labels: dict[str, str] = hand["labels"]
    territories = set(hand["territories"])
    dropped = set(hand["not_country_words"])
    added: dict[str, list[str]] = hand["add"]

    def entry(
        label: str, names: list[str], words: list[str], institution: bool = False
    ) -> WorldEntry:
        names = [n for n in dict.fromkeys([label, *names]) if n not in dropped]
        words = [w for w in dict.fromkeys([*names, *words, *added.get(label, [])])]
        return WorldEntry(
            label, tuple(names), tuple(w for w in words if w not in dropped), institution
        )

    states, dependent = [], []
    by_population = sorted(generated.items(), key=lambda kv: (-kv[1]["population"], kv[0]))
    for iso, row in by_population:
        label = labels.get(iso) or row["names"][0]
        if iso in territories:
            dependent.append(entry(label, row["names"], []))
        else:
            states.append(entry(label, row["names"], row["aliases"]))
    others = [entry(label, [words[0]], words) for label, words in hand["countries"].items()]
    bodies = [entry(label, words, [], True) for label, words in hand["institutions"].items()]
    return (*states, *others, *bodies, *dependent)


@cache
def not_country_phrases() -> tuple[str, ...]:
    """Names holding a country word that point to no country ("New Mexico")."""
    return tuple(str(p) for p in load_rules("world.yaml")["not_country_phrases"])


@cache
def before_names() -> frozenset[str]:
    """Lower-case words after which a country's name is still the country: function
    words, titles, months, weekdays and world.yaml's before_names."""
    words = {str(w).lower() for w in load_rules("world.yaml")["before_names"]}
    words.update(str(w).lower() for w in load_rules("stopwords.yaml")["stopwords"])
    titles = load_rules("titles.yaml")
    words.update(str(w).lower() for w in [*titles["person"], *titles["institution"]])
    words.update(w.lower() for w in [*calendar().month_numbers(), *calendar().weekdays])
    return frozenset(words)


@cache
def after_surnames() -> frozenset[str]:
    """Lower-case words after which a demonym or capital is a surname (world.yaml's
    after_surnames and the speech verbs in -ed): "Mark Cuban said"."""
    words = {str(w).lower() for w in load_rules("world.yaml")["after_surnames"]}
    verbs = load_rules("speech_verbs.yaml")["finite"]
    words.update(str(w).lower() for w in verbs if str(w).endswith("ed"))
    return frozenset(words)


@cache
def name_titles() -> frozenset[str]:
    """Abbreviated titles that only a person's name follows ("Ms. French"), lower case."""
    return frozenset(str(w).lower() for w in load_rules("titles.yaml")["abbreviated_titles"])
