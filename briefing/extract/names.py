"""The people a document names: full names ("Ana Ruiz") found around a short form ("Ruiz")
or after a title word ("President Elena Varga"), and the titles written before or after a
name. Read lazily from the text and remembered per word, for speaker resolution
(briefing/extract/resolve.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice, pairwise

from .actors import Gazetteer
from .parsed import ParsedDocument
from .speakers import Lexicon, Token, strip_possessive, tokenize
from .titles import is_appositive_break

_CAP = r"[A-Z][\w'\u2019-]{0,40}"  # one capitalized word, bounded


def _is_cap_word(word: str) -> bool:
    return word[:1].isupper() and all(c.isalnum() or c in "'\u2019-" for c in word)


def _run_start(text: str, begin: int, words: int = 4) -> int:
    """Start of the capitalized words (up to `words`) standing right before offset `begin`."""
    start = begin
    for _ in range(words):
        if start < 2 or text[start - 1] != " ":
            break
        word_start = text.rfind(" ", max(0, start - 42), start - 1) + 1
        if not _is_cap_word(text[word_start : start - 1]):
            break
        start = word_start
    return start


def _run_end(text: str, end: int, words: int = 4) -> int:
    """End of the capitalized words (up to `words`) standing right after offset `end`."""
    for _ in range(words):
        if end >= len(text) - 1 or text[end] not in " -":
            break
        stop = end + 1
        limit = min(len(text), stop + 42)
        while stop < limit and (text[stop].isalnum() or text[stop] in "'\u2019-"):
            stop += 1
        if not _is_cap_word(text[end + 1 : stop]):
            break
        end = stop
    return end


def _tokens_backwards(text: str, lo: int, hi: int) -> Iterator[Token]:
    """The tokens of text[lo:hi], last first, tokenized one whitespace-separated chunk at a
    time: no token spans whitespace, so these are exactly the tokens of tokenize(text, lo,
    hi) in reverse, but a reader that stops after a word or two does not pay for the rest."""
    end = hi
    while end > lo:
        while end > lo and text[end - 1].isspace():
            end -= 1
        begin = end
        while begin > lo and not text[begin - 1].isspace():
            begin -= 1
        if begin < end:
            yield from reversed(tokenize(text, begin, end))
        end = begin


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Offsets where `word` stands as a whole word (str.find: no regex scan per position)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or after.isalnum() or before in "'\u2019-"):
            yield start
        start = text.find(word, end)


@cache
def _name_after(title_word: str) -> re.Pattern[str]:
    """A title word followed by capitalized words: "President Elena Varga"."""
    names = rf"[ \u00a0]({_CAP}(?:[ \u00a0]{_CAP}){{1,4}})"
    if not title_word[:1].isalnum():
        return re.compile(rf"(?<!\w)(?i:{re.escape(title_word)}){names}")
    # The same test, "not after a word character", made after the word's first letter (a
    # look-behind over that letter and the character before it): a pattern that opens with
    # a look-behind is tried at every character of the text, one that opens with a letter
    # lets the regex engine skip to where the letter stands (~2.5x faster on a document).
    first, rest = re.escape(title_word[0]), re.escape(title_word[1:])
    return re.compile(rf"(?i:{first})(?<!\w.)(?i:{rest}){names}")


_APPOSITIVE_CHARS = 160  # a title written after a name: ", spokesperson of the X ministry,"
_APPOSITIVE_MENTIONS = 20  # mentions of a name read to find one
_MAX_MENTIONS = 12  # mentions of a short form read to find its full name


@dataclass
class NamedPerson:
    """A full name found in the text: how often, where first, and the title written before."""

    name: str
    count: int = 0
    first: int = 0
    title: str | None = None


def _adjacent(text: str, pair: list[Token]) -> bool:
    """Two capitalized words one space apart ("Marie-Claire" and "said" are not)."""
    return (
        len(pair) == 2
        and pair[1].capitalized
        and pair[1].is_word
        and text[pair[0].end : pair[1].start] in (" ", "\u00a0")
    )


def _contiguous(text: str, run: list[Token]) -> bool:
    return all(text[a.end : b.start] in (" ", "\u00a0") for a, b in pairwise(run))


def _initial(letter: Token, period: Token) -> bool:
    """An initial and its period: "J" "." of "Ana J. Ruiz"."""
    return len(letter.text) == 1 and letter.text.isupper() and letter.end == period.start


def join_tokens(tokens: list[Token], text: str) -> str:
    """The text from the first token to the last, as written (spaces included)."""
    return text[tokens[0].start : tokens[-1].end] if tokens else ""


class NameIndex:
    """The people named in one document and their titles, found on demand and remembered."""

    def __init__(self, parsed: ParsedDocument, gazetteer: Gazetteer, lex: Lexicon) -> None:
        self.text = parsed.text
        self.gazetteer = gazetteer
        self.lex = lex
        self.hits = parsed.hits
        self._people_by_word: dict[str, list[NamedPerson]] = {}  # "Ruiz" -> [Ana Ruiz, ...]
        self._people_by_title: dict[str, list[NamedPerson]] = {}  # "president" -> [...]
        self._titles: dict[str, str | None] = {}  # title_of, per name
        self._appositives: dict[str, str | None] = {}  # appositive_of, per name

    def name_words(self, tokens: list[Token], start: int, end: int) -> list[Token]:
        """The trailing run of name words of tokens[start:end] ("Ana Ruiz")."""
        run: list[Token] = []
        for k in range(end - 1, start - 1, -1):
            token = tokens[k]
            if run and token.text == "." and k > start and _initial(tokens[k - 1], token):
                run.append(token)  # the period of a middle initial: "Ana J. Ruiz"
                continue
            if run and token.low in self.lex.particles and k > start and tokens[k - 1].capitalized:
                run.append(token)  # "Ana de Varga"
                continue
            low = strip_possessive(token.low)
            possessive = token.text != strip_possessive(token.text)
            if not self._may_be_name(token, low) or (possessive and run):
                break  # "Varga's spokesman Tomas Brandt": the name ends before "'s"
            country_word = self._country_word_at(token)
            if country_word is not None and country_word not in self.gazetteer.people:
                break  # a country word ends the name, unless it is a configured person's
            run.append(token)
        run.reverse()
        return run

    def _may_be_name(self, token: Token, low: str) -> bool:
        lex = self.lex
        if not token.capitalized or not token.is_word or lex.is_role_word(low):
            return False
        return not (
            low in lex.not_person
            or low in lex.openers
            or low in lex.determiners
            or low in lex.speech
            or low in lex.not_name
        )

    def _country_word_at(self, token: Token) -> str | None:
        """The country word (as written) that covers `token`, if any ("Ostria's" too)."""
        for h in self.hits.between(token.start - 40, token.end):
            if h.start <= token.start and token.end <= h.end + 2:
                return self.text[h.start : h.end]
        return None

    def people_named(self, word: str) -> list[NamedPerson]:
        """Full names (two words or more) in the document that contain `word` ("Ruiz")."""
        if word in self._people_by_word:
            return self._people_by_word[word]
        people: dict[str, NamedPerson] = {}
        text = self.text
        one_word = word.split() == [word]
        for begin in islice(_occurrences(text, word), _MAX_MENTIONS):
            end = begin + len(word)
            run_start, run_end = _run_start(text, begin), _run_end(text, end)
            if one_word and run_start == begin and run_end == end:
                continue  # no capitalized word on either side: no full name here
            tokens = tokenize(text, run_start, run_end)
            at = next(k for k, t in enumerate(tokens) if t.start >= begin)
            stop = at + 1
            while (
                stop < len(tokens)
                and _adjacent(text, tokens[stop - 1 : stop + 1])
                and self._may_be_name(tokens[stop], strip_possessive(tokens[stop].low))
            ):
                stop += 1  # "Ana Ruiz Says ...": the name ends before a verb
            run = self.name_words(tokens, 0, stop)
            if len(run) < 2 or run[0].start > begin or run[-1].end < end:
                continue  # the name words around the mention do not hold it
            if not _contiguous(text, run):
                continue
            name = join_tokens(run, self.text)
            person = people.setdefault(name, NamedPerson(name, first=run[0].start))
            person.count += 1
        found = list(people.values())
        self._people_by_word[word] = found
        return found

    def people_titled(self, word: str) -> list[NamedPerson]:
        """People named right after a title word ("president Elena Varga"), with titles."""
        if word in self._people_by_title:
            return self._people_by_title[word]
        people: dict[str, NamedPerson] = {}
        for match in _name_after(word).finditer(self.text):
            tokens = tokenize(self.text, match.start(1), match.end(1))
            run = self.name_words(tokens, 0, len(tokens))
            if len(run) < 2 or run[0].start != tokens[0].start:
                continue
            name = join_tokens(run, self.text)
            if name not in people:
                people[name] = NamedPerson(name, first=run[0].start)
                people[name].title = self._title_before(run[0].start) or None
            people[name].count += 1
        found = list(people.values())
        self._people_by_title[word] = found
        return found

    def title_of(self, name: str) -> str | None:
        """The title written before the first mention of `name` that has one."""
        if name in self._titles:
            return self._titles[name]
        found = None
        start = self.text.find(name)
        for _ in range(20):
            if start < 0:
                break
            title = self._title_before(start)
            if title:
                found = title
                break
            start = self.text.find(name, start + len(name))
        self._titles[name] = found
        return found

    def appositive_of(self, name: str) -> str | None:
        """The title written after a mention of `name`, between commas, in any sentence:
        "Ana Ruiz, spokesperson of the Vestrian ministry, opened ...". Remembered for the
        person, so that "she said" later has a title and a country."""
        if name in self._appositives:
            return self._appositives[name]
        found = None
        text = self.text
        for start in islice(_occurrences(text, name), _APPOSITIVE_MENTIONS):
            found = self._appositive_at(start + len(name))
            if found:
                break
        self._appositives[name] = found
        return found

    def _appositive_at(self, end: int) -> str | None:
        """ ", a title with a role word," right after offset `end`, or None."""
        text = self.text
        if text[end : end + 2] != ", ":
            return None
        stop = text.find(",", end + 2, end + 2 + _APPOSITIVE_CHARS)
        if stop < 0:
            return None
        tokens = tokenize(text, end + 2, stop)
        if not tokens or is_appositive_break(tokens[0]) or tokens[0].low in self.lex.connectors:
            return None
        if any(not t.is_word and t.text not in "'\u2019-" for t in tokens):
            return None  # a sentence end or a quote mark: not one noun phrase
        if not any(self.lex.is_role_word(strip_possessive(t.low)) for t in tokens):
            return None  # "Ana Ruiz, Tomas Brandt and ..." is a list, not a title
        return join_tokens(tokens, text)

    def _title_before(self, offset: int) -> str:
        """Title words right before a name: "Harbour Authority spokesperson" Ana Ruiz."""
        lex = self.lex
        title: list[Token] = []  # the title words, last first
        last = True
        for token in _tokens_backwards(self.text, max(0, offset - 80), offset):
            low = strip_possessive(token.low)
            if not token.is_word or low in lex.speech or (low in lex.openers and not last):
                break
            if not (token.capitalized or lex.is_role_word(low)):
                break
            title.append(token)
            last = False
        title.reverse()
        k = 0
        while k < len(title) and title[k].low in lex.determiners:
            k += 1
        return join_tokens(title[k:], self.text)
