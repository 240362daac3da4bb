"""Gazetteer: which country a word points to, and which part a country plays in the story.

The countries are the story config's, then the world gazetteer's (briefing/world.py): every country,
its names, demonyms, capital and metonyms, and the international bodies. Finding the
country words of a text is one linear scan whatever the number of aliases (_Matcher).
Aliases are matched case-sensitively as whole words: "US" is the United States, "us" is
a pronoun.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from ..config import Config
from ..models import Role
from ..world import (
    after_surnames,
    before_names,
    name_titles,
    not_country_phrases,
    world_entries,
)


class CountryHit(NamedTuple):
    """One country word in a text: where it is and which country it names."""

    start: int
    end: int
    country: str


_LEADING_RUN = re.compile(r"\w+")


def _leading_run(word: str) -> str:
    """The word characters an alias starts with ("U" of "U.S.", "Ana" of "Ana-Maria Ruiz")."""
    match = _LEADING_RUN.match(word)
    return match.group() if match else word[:1]


_Trie = dict[str, "_Trie"]  # one character -> the trie of what may follow it


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of `words` shaped as a trie: linear to match, longest word first."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: _Trie) -> str:
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


# Text scanned word by word before the trie regex is built: building and compiling it takes
# ~55 ms for the world's ~1,250 words, and it then scans ~4x faster (~30 ms per MB of news
# instead of ~100); a build of a few articles never pays for it.
_TRIE_AFTER_CHARS = 500_000


class _Matcher:
    """Finds aliases as whole words, leftmost then longest, in one of two equal ways.

    Word by word: a small regex finds words that start with a character some alias starts
    with, and a dict keyed by an alias's leading word characters ("U" of "U.S.", "Ana" of
    "Ana-Maria Ruiz") gives the aliases that may start there, longest first, checked with
    str.startswith. Builds in ~1 ms. After _TRIE_AFTER_CHARS of text, ONE regex of every
    alias shaped as a character trie (``(?:Ch(?:ina|inese)|...)``) scans in C instead.
    Both give the same matches (tests/test_infer.py compares them)."""

    def __init__(self, words: list[str], trie_after: int = _TRIE_AFTER_CHARS) -> None:
        self.words = words
        by_run: dict[str, list[str]] = {}
        for word in words:
            by_run.setdefault(_leading_run(word), []).append(word)
        self.by_run = {run: sorted(group, key=len, reverse=True) for run, group in by_run.items()}
        firsts = sorted({w[0] for w in words})
        starts = [c for c in firsts if _is_word_char(c)]
        others = [c for c in firsts if not _is_word_char(c)]
        parts = [f"[{re.escape(''.join(starts))}]\\w*"] if starts else []
        parts += [f"[{re.escape(''.join(others))}]"] if others else []
        # No look-behind in front: the regex engine then skips ahead by first characters;
        # a word that starts inside another is dropped in the loop.
        self.candidates = re.compile("|".join(parts))
        self.trie: re.Pattern[str] | None = None
        self.budget = trie_after

    def find(self, text: str, start: int, stop: int) -> list[tuple[int, int, str]]:
        """(start, end, alias) of each alias in text[start:stop]: leftmost, then longest;
        matches do not overlap."""
        if self.trie is None:
            self.budget -= stop - start
            if self.budget > 0:
                return self._by_words(text, start, stop)
            self.trie = re.compile("(?:" + _trie_pattern(self.words) + r")(?!\w)")
        return self._by_trie(text, start, stop)

    def _by_words(self, text: str, start: int, stop: int) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        by_run, after = self.by_run, 0
        for match in self.candidates.finditer(text, start, stop):
            begin = match.start()
            group = by_run.get(match.group())
            if group is None or begin < after or (begin and _is_word_char(text[begin - 1])):
                continue
            for alias in group:
                end = begin + len(alias)
                whole = end == stop or (end < stop and not _is_word_char(text[end]))
                if whole and text.startswith(alias, begin):
                    found.append((begin, end, alias))
                    after = end
                    break
        return found

    def _by_trie(self, text: str, start: int, stop: int) -> list[tuple[int, int, str]]:
        assert self.trie is not None
        found: list[tuple[int, int, str]] = []
        search, pos = self.trie.search, start
        match = search(text, pos, stop)
        while match is not None:
            begin = match.start()
            if begin and _is_word_char(text[begin - 1]):
                # Starts inside a word: look again one character on (an alias may start
                # after a space inside this match: "xSouth Ostria" holds "Ostria").
                match = search(text, begin + 1, stop)
                continue
            found.append((begin, match.end(), match.group()))
            match = search(text, match.end(), stop)
        return found


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
    # names that hold a country word but point to no country ("New Mexico")
    blocked: list[str] = field(default_factory=list)
    # the world gazetteer's country names: not the country right after a capitalized word
    # that is not in `before_names` ("Jim Jordan")
    guarded: frozenset[str] = field(default_factory=frozenset)
    before_names: frozenset[str] = field(default_factory=frozenset)
    # the world gazetteer's demonyms and capitals: not the country where they are a surname
    # ("Mark Cuban said", "Ms. French's"; see world.yaml's after_surnames)
    surname_words: frozenset[str] = field(default_factory=frozenset)
    after_surnames: frozenset[str] = field(default_factory=frozenset)
    name_titles: frozenset[str] = field(default_factory=frozenset)
    _alias_country: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _matcher: _Matcher | None = field(default=None, init=False, repr=False)
    _terms: frozenset[str] = field(default_factory=frozenset, init=False, repr=False)

    def __post_init__(self) -> None:
        for country, words in self.aliases.items():
            for word in words:
                self._alias_country.setdefault(word.strip(), country)
        for person, country in self.people.items():
            self._alias_country.setdefault(person.strip(), country)
        for phrase in self.blocked:
            self._alias_country.setdefault(phrase.strip(), "")  # matched, then dropped
        words = [w for w in self._alias_country if w]
        # Set either way: compiled by mypyc, an init=False field has no class-level default.
        self._matcher = _Matcher(words) if words else None
        self._terms = frozenset(_fold(t) for t in self.terms)

    @classmethod
    def from_config(cls, config: Config) -> Gazetteer:
        """The config's countries, then the world gazetteer's (briefing/world.py):
        a config entry that uses one of a world country's names is that country, with the
        config's words first and its label; a word two entries claim is the first's."""
        people = {
            person: name for name, country in config.countries.items() for person in country.people
        }
        aliases = {name: [name, *c.aliases] for name, c in config.countries.items()}
        labels = {name: config.country_label(name) for name in config.countries}
        owner = {word: name for name, words in aliases.items() for word in words}
        names: set[str] = set()
        surnames: set[str] = set()
        for entry in world_entries():
            key = next((owner[n] for n in entry.names if n in owner), None)
            if key is None:
                key = entry.label
                aliases[key], labels[key] = [], entry.label
            aliases[key].extend(entry.words)
            names.update(entry.names)
            surnames.update(w for w in entry.words if _may_be_surname(w, entry.names))
        return cls(
            aliases=aliases,
            principals=list(config.story.principals),
            third_countries=list(config.story.third_countries),
            people=people,
            labels=labels,
            terms=list(config.story.agreement_terms),
            blocked=list(not_country_phrases()),
            guarded=frozenset(names - set(owner) - set(people)),
            before_names=before_names(),
            surname_words=frozenset(surnames - names - set(owner) - set(people)),
            after_surnames=after_surnames(),
            name_titles=name_titles(),
        )

    # --- look-ups -------------------------------------------------------------------------

    def find(
        self, text: str, start: int = 0, end: int | None = None, guard: bool = True
    ) -> list[CountryHit]:
        """Every country word in text[start:end], in order (offsets into `text`). With
        `guard` off, a world name after a capitalized word still counts (a Title Case
        headline: "Beijing Slams India")."""
        if self._matcher is None:
            return []
        stop = len(text) if end is None else end
        country_of, guarded = self._alias_country, self.guarded
        found = self._matcher.find(text, start, stop)
        # A world country name that the text also uses inside another name ("Jim Jordan")
        # is that name throughout the text: "Jordan said" later is the person.
        other_names = {
            alias
            for begin, _, alias in found
            if guard and alias in guarded and self._in_other_name(text, begin)
        }
        surnames = self._surname_uses(text, found) if guard and self.surname_words else ()
        return [
            _new_hit(CountryHit, (begin, finish, country_of[alias]))
            for begin, finish, alias in found
            if country_of[alias] and alias not in other_names and begin not in surnames
        ]

    def _surname_uses(self, text: str, found: list[tuple[int, int, str]]) -> set[int]:
        """Where a demonym or capital is a surname: followed by no noun, and after a first
        name or an abbreviated title ("Mark Cuban said", "Ms. French,"); once the text uses
        it so, also where no word of before_names precedes it ('"...," Cuban said')."""
        candidates = [
            (begin, alias)
            for begin, finish, alias in found
            if alias in self.surname_words and self._no_noun_after(text, finish)
        ]
        if not candidates:
            return set()
        named = {alias for begin, alias in candidates if self._after_first_name(text, begin)}
        return {
            begin
            for begin, alias in candidates
            if alias in named and _word_before(text, begin).lower() not in self.before_names
        }

    def _after_first_name(self, text: str, begin: int) -> bool:
        word = _word_before(text, begin)
        if word.endswith("."):
            return word[:-1].lower() in self.name_titles
        return self._in_other_name(text, begin)

    def _no_noun_after(self, text: str, end: int) -> bool:
        """Whether what follows a demonym at `end` shows it is no adjective: the end of the
        text, a punctuation mark, a possessive, or a word of after_surnames."""
        if end >= len(text) or text[end] in _NO_NOUN_MARKS:
            return True
        if text[end] in "'’":
            return text[end + 1 : end + 2] == "s" and not _is_word_char(text[end + 2 : end + 3])
        if text[end] != " ":
            return False
        following = _LEADING_RUN.match(text, end + 1)
        return following is not None and following.group() in self.after_surnames

    def _in_other_name(self, text: str, begin: int) -> bool:
        """Whether the word before `begin` makes a country's name part of another name:
        a capitalized word, one space before, not possessive, not in before_names."""
        if begin < 2 or text[begin - 1] != " ":
            return False
        first = begin - 1
        while first > 0 and (_is_word_char(text[first - 1]) or text[first - 1] in "'\u2019-"):
            first -= 1
        word = text[first : begin - 1]
        if not word[:1].isupper() or word.endswith(("'s", "\u2019s")):
            return False
        return word.lower() not in self.before_names

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
        return folded in self._terms or bool(self._alias_country.get(text.strip(" .,;:!?")))

    def role_of(self, country: str | None) -> Role:
        """principal | third | other: the part the country plays in the story."""
        if country is None:
            return Role.OTHER
        if country in self.principals:
            return Role.PRINCIPAL
        if country in self.third_countries:
            return Role.THIRD
        return Role.OTHER

    def is_third(self, country: str | None) -> bool:
        """Whether the country's words are reactions: a listed third country, or any country
        that is not a principal when the story lists no third countries."""
        if country is None or country in self.principals:
            return False
        return country in self.third_countries or not self.third_countries


_new_hit = tuple.__new__


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


# What may follow a surname but not an adjective: the end of a line, punctuation, dashes.
_NO_NOUN_MARKS = frozenset('\n,.;:!?)(]"”—–')


def _may_be_surname(word: str, names: tuple[str, ...]) -> bool:
    """A demonym or capital that can also be someone's surname: one word with a
    lower-case letter (not "UK"), not one of the country's names (guarded already)."""
    return " " not in word and word not in names and any(c.islower() for c in word)


def _word_before(text: str, begin: int) -> str:
    """The word right before `begin` with one space between ("Mark", "Ms."), else ""."""
    if begin < 2 or text[begin - 1] != " ":
        return ""
    end = begin - 1
    first = end - 1 if text[end - 1] == "." else end
    while first > 0 and (_is_word_char(text[first - 1]) or text[first - 1] in "'\u2019-"):
        first -= 1
    return text[first:end] if first < end and text[first] != "." else ""


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").strip(" .,;:!?'\"").split())


class CountryIndex:
    """Country words of one text, sorted, for "nearest country word" look-ups."""

    def __init__(self, hits: list[CountryHit]) -> None:
        self.hits = hits
        self._starts = [h.start for h in hits]

    def between(self, start: int, end: int) -> list[CountryHit]:
        return self.hits[bisect_left(self._starts, start) : bisect_right(self._starts, end - 1)]
