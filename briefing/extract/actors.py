"""Gazetteer: which country a word points to, and which part a country plays in the story.

Every alias of every country is compiled into ONE regular expression shaped as a character
trie (``(?:Ch(?:ina|inese)|...)``), so finding all country words in a text is a single
linear scan whatever the number of aliases. Aliases are matched case-sensitively as whole
words: "US" is the United States, "us" is a pronoun.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from ..config import Config


class CountryHit(NamedTuple):
    """One country word in a text: where it is and which country it names."""

    start: int
    end: int
    country: str


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of `words` shaped as a trie: linear to match, longest word first."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + render(child) for char, child in node.items() if char]
        if not branches:
            return ""
        # Longer continuations first, the end of a word last: greedy, longest alias wins.
        body = "|".join(sorted(branches, key=len, reverse=True))
        optional = "" in node
        if len(branches) == 1 and not optional:
            return branches[0]
        return f"(?:{body}){'?' if optional else ''}"

    return render(trie)


@dataclass
class Gazetteer:
    """Countries, their aliases and people, and the story's parties; picklable."""

    # country key -> words that point to it (aliases and people), as configured
    aliases: dict[str, list[str]] = field(default_factory=dict)
    principals: list[str] = field(default_factory=list)
    third_countries: list[str] = field(default_factory=list)
    # person full name -> country key ("Elena Varga" -> "Vestria")
    people: dict[str, str] = field(default_factory=dict)
    # country key -> label shown in output
    labels: dict[str, str] = field(default_factory=dict)
    # story terms ("harbour accord"): quoted, they are terms, not quotes
    terms: list[str] = field(default_factory=list)
    _alias_country: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _matcher: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _terms: frozenset[str] = field(default_factory=frozenset, init=False, repr=False)

    def __post_init__(self) -> None:
        for country, words in self.aliases.items():
            for word in [country, *words]:
                self._alias_country.setdefault(word.strip(), country)
        for person, country in self.people.items():
            self._alias_country.setdefault(person.strip(), country)
        words = [w for w in self._alias_country if w]
        if words:
            # No look-behind in front: the regex engine then skips ahead by first characters.
            # A match that starts inside a word is dropped in `find`.
            self._matcher = re.compile("(?:" + _trie_pattern(words) + r")(?!\w)")
        self._terms = frozenset(_fold(t) for t in self.terms)

    @classmethod
    def from_config(cls, config: Config) -> Gazetteer:
        people = {
            person: name for name, country in config.countries.items() for person in country.people
        }
        return cls(
            aliases={name: list(c.aliases) for name, c in config.countries.items()},
            principals=list(config.story.principals),
            third_countries=list(config.story.third_countries),
            people=people,
            labels={name: config.country_label(name) for name in config.countries},
            terms=list(config.story.agreement_terms),
        )

    # --- look-ups -------------------------------------------------------------------------

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[CountryHit]:
        """Every country word in text[start:end], in order (offsets into `text`)."""
        if self._matcher is None:
            return []
        stop = len(text) if end is None else end
        hits = []
        country_of = self._alias_country
        for match in self._matcher.finditer(text, start, stop):
            begin = match.start()
            if begin and _is_word_char(text[begin - 1]):
                continue
            hits.append(_new_hit(CountryHit, (begin, match.end(), country_of[match.group()])))
        return hits

    def country_of(self, phrase: str | None) -> str | None:
        """The country of the first country word in `phrase`, if any."""
        if not phrase or self._matcher is None:
            return None
        hits = self.find(phrase)
        return hits[0].country if hits else None

    def person_country(self, name: str) -> str | None:
        return self.people.get(name)

    def full_person_names(self, short: str) -> list[str]:
        """Configured people whose name has `short` as one of its words ("Varga")."""
        return [p for p in self.people if short in p.replace("-", " ").split() or short == p]

    def is_term(self, text: str) -> bool:
        """Whether `text` is a story term or a country word: a quoted term, not a quote."""
        folded = _fold(text)
        return folded in self._terms or text.strip(" .,;:!?") in self._alias_country

    def role_of(self, country: str | None) -> str:
        """principal | third | other: the part the country plays in the story."""
        if country is None:
            return "other"
        if country in self.principals:
            return "principal"
        if country in self.third_countries:
            return "third"
        return "other"

    def is_third(self, country: str | None) -> bool:
        """Whether the country's words are reactions: a listed third country, or any country
        that is not a principal when the story lists no third countries."""
        if country is None or country in self.principals:
            return False
        return country in self.third_countries or not self.third_countries


_new_hit = tuple.__new__


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").strip(" .,;:!?'\"").split())


class CountryIndex:
    """Country words of one text, sorted, for "nearest country word" look-ups."""

    def __init__(self, hits: list[CountryHit]) -> None:
        self.hits = hits
        self._starts = [h.start for h in hits]

    def between(self, start: int, end: int) -> list[CountryHit]:
        return self.hits[bisect_left(self._starts, start) : bisect_right(self._starts, end - 1)]
