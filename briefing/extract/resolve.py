"""Who a speaker phrase stands for, within one document.

DocumentActors keeps what the document has said so far: the people it named (with their
titles), the speakers already resolved, and the country words of the text. With them it turns
"he", "Ruiz", "the Vestrian president", "the ministry" into the full speaker seen earlier, and
gives an office with no country of its own ("Foreign Ministry spokesperson ...") the country
of the nearest country word in its sentence or the paragraph before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice, pairwise

from ..models import Role
from ..resources import load_rules
from .actors import CountryHit, Gazetteer
from .parsed import ParsedDocument, Sentence
from .speakers import (
    Lexicon,
    Phrase,
    Token,
    lexicon,
    parse_before,
    parse_phrase,
    strip_possessive,
    tokenize,
)

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


@cache
def _appositive_breaks() -> frozenset[str]:
    """Words after a comma that end a title written after a name: what follows is a
    circumstance ("..., the President of X, at the ceremony") or a clause, not the title."""
    return frozenset(str(w).lower() for w in load_rules("titles.yaml")["appositive_breaks"])


def is_appositive_break(token: Token) -> bool:
    """A lower-case word that opens a circumstance or a clause: "at", "who", "adding"."""
    if not token.is_word or token.capitalized:
        return False
    return token.low in _appositive_breaks() or token.low.endswith("ing")


def _title_part(tokens: list[Token]) -> list[Token]:
    """The words of an appositive that are a title: none when it opens with a circumstance
    ("adding that ..."), up to the comma before one ("the President of X, at the ceremony")."""
    if tokens and is_appositive_break(tokens[0]):
        return []
    for k in range(1, len(tokens) - 1):
        if tokens[k].text == "," and is_appositive_break(tokens[k + 1]):
            return tokens[:k]
    return tokens


_ARTICLE = re.compile(r"(?:the|an?)\s+", re.IGNORECASE)


def _without_article(title: str) -> str:
    """ "the President of X" -> "President of X"."""
    match = _ARTICLE.match(title)
    return title[match.end() :] if match and match.end() < len(title) else title


_APPOSITIVE_CHARS = 160  # a title written after a name: ", spokesperson of the X ministry,"
_APPOSITIVE_MENTIONS = 20  # mentions of a name read to find one

_LOOKBACK_SENTENCES = 3
_MAX_MENTIONS = 12  # mentions of a short form read to find its full name
_RECENT = 40  # how many of the latest speakers a pronoun or short form is compared with


@dataclass
class Speaker:
    name: str
    title: str | None = None
    affiliation: str | None = None
    country: str | None = None
    role: Role = Role.OTHER
    person: bool = False


@dataclass
class _Person:
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


def _words_of(name: str) -> list[str]:
    """Words of a name, hyphenated parts apart: "Ana Ruiz-Vidal" -> [Ana, Ruiz, Vidal]."""
    return name.replace("-", " ").split()


_HEADING_WORDS = 4  # capitalized long words that make a sentence read as a title


def _heading(tokens: list[Token]) -> bool:
    """A title written in capitals ("Port Board Opens Talks With Kesh"): nearly all of
    its long words are capitalized."""
    long = [t for t in tokens if t.is_word and len(t.text) > 3]
    capitals = sum(t.capitalized for t in long)
    return capitals >= _HEADING_WORDS and capitals * 10 >= len(long) * 9


def _initial(letter: Token, period: Token) -> bool:
    """An initial and its period: "J" "." of "Ana J. Ruiz"."""
    return len(letter.text) == 1 and letter.text.isupper() and letter.end == period.start


def _join(tokens: list[Token], text: str) -> str:
    return text[tokens[0].start : tokens[-1].end] if tokens else ""


class DocumentActors:
    """Speaker resolution for one document: the quotes extractor makes one per document and
    tells it, sentence by sentence, whom it attributed quotes to (`attributed`), so that
    pronouns and short forms later resolve to the speakers before them."""

    def __init__(self, parsed: ParsedDocument, gazetteer: Gazetteer) -> None:
        self.parsed = parsed
        self.text = parsed.text
        self.gazetteer = gazetteer
        self.lex: Lexicon = lexicon()
        self.hits = parsed.hits
        self._people_by_word: dict[str, list[_Person]] = {}  # "Ruiz" -> [Ana Ruiz, ...]
        self._people_by_title: dict[str, list[_Person]] = {}  # "president" -> [...]
        self.speakers: list[tuple[int, Speaker]] = []  # (offset, speaker) in reading order
        self._by_name: dict[str, Speaker] = {}  # the last resolved speaker of each name
        self._titles: dict[str, str | None] = {}  # title_of, per name
        self._appositives: dict[str, str | None] = {}  # appositive_of, per name
        # The speakers of each sentence's attributed quotes, in order, and the subject found
        # for a sentence (None while it is being looked for: no endless recursion).
        self._said: dict[Sentence, list[Speaker]] = {}
        self._subjects: dict[Sentence, Speaker | None] = {}

    # --- sentences ----------------------------------------------------------------------

    def attributed(self, sentence: Sentence, speaker: Speaker) -> None:
        """Record that a quote of `sentence` was attributed to `speaker`."""
        self._said.setdefault(sentence, []).append(speaker)

    def said_in(self, sentence: Sentence) -> Sequence[Speaker]:
        """The speakers of the quotes attributed so far in `sentence`, in order."""
        return self._said.get(sentence, ())

    def _previous_sentences(self, sentence: Sentence, limit: int) -> list[Sentence]:
        """Up to `limit` sentences before `sentence`, nearest first, across paragraphs."""
        found: list[Sentence] = []
        para, idx = sentence.paragraph, sentence.number
        while para >= 0 and len(found) < limit:
            sents = self.parsed.sentences[para]
            for k in range(min(idx, len(sents)) - 1, -1, -1):
                found.append(sents[k])
                if len(found) >= limit:
                    break
            para -= 1
            idx = 10**9
        return found

    # --- people named in the document ---------------------------------------------------

    def _name_words(self, tokens: list[Token], start: int, end: int) -> list[Token]:
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

    def _people_named(self, word: str) -> list[_Person]:
        """Full names (two words or more) in the document that contain `word` ("Ruiz")."""
        if word in self._people_by_word:
            return self._people_by_word[word]
        people: dict[str, _Person] = {}
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
            run = self._name_words(tokens, 0, stop)
            if len(run) < 2 or run[0].start > begin or run[-1].end < end:
                continue  # the name words around the mention do not hold it
            if not _contiguous(text, run):
                continue
            name = _join(run, self.text)
            person = people.setdefault(name, _Person(name, first=run[0].start))
            person.count += 1
        found = list(people.values())
        self._people_by_word[word] = found
        return found

    def _people_titled(self, word: str) -> list[_Person]:
        """People named right after a title word ("president Elena Varga"), with titles."""
        if word in self._people_by_title:
            return self._people_by_title[word]
        people: dict[str, _Person] = {}
        for match in _name_after(word).finditer(self.text):
            tokens = tokenize(self.text, match.start(1), match.end(1))
            run = self._name_words(tokens, 0, len(tokens))
            if len(run) < 2 or run[0].start != tokens[0].start:
                continue
            name = _join(run, self.text)
            if name not in people:
                people[name] = _Person(name, first=run[0].start)
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
        return _join(tokens, text)

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
        return _join(title[k:], self.text)

    def full_name(self, short: str, offset: int) -> str:
        """The full name a short form stands for ("Ruiz" -> "Ana Ruiz"), or the short form."""
        for _, speaker in reversed(self.speakers[-_RECENT:]):
            if speaker.person and short in _words_of(speaker.name):
                return speaker.name
        best: _Person | None = None
        for person in self._people_named(short):
            key = (person.first < offset, person.count, -person.first)
            if best is None or key > (best.first < offset, best.count, -best.first):
                best = person
        if best is not None:
            return best.name
        configured = self.gazetteer.full_person_names(short)
        return configured[0] if len(configured) == 1 else short

    def _by_title(self, words: list[str], offset: int) -> Speaker | None:
        """The speaker or person whose title holds all `words` ("the Vestrian president")."""
        if not words:
            return None
        for _, speaker in reversed(self.speakers[-_RECENT:]):
            haystack = f"{speaker.title or ''} {speaker.name}".lower().split()
            if all(w in haystack for w in words):
                return speaker
        best: _Person | None = None
        for person in self._people_titled(words[-1]):
            title = _words_of((person.title or "").lower())
            matches = person.first < offset and all(w in title for w in words)
            if matches and (best is None or person.count > best.count):
                best = person
        if best is None:
            return None
        return self._person_speaker(best.name, best.title, None, None)

    # --- countries -----------------------------------------------------------------------

    def _country_in(self, start: int, end: int) -> str | None:
        for hit in self.hits.between(start, end):
            return hit.country
        return None

    def _outside_quotes(self, hits: list[CountryHit]) -> list[CountryHit]:
        return [h for h in hits if not self.parsed.in_quote(h.start)]

    def _country_of_office(self, title: str, sentence: Sentence) -> str | None:
        """The country of the office a title names, where the text named it with its
        country shortly before: "The Ostrian ministry said ... the ministry's spokeswoman
        said" and "Ostria's foreign minister said ... Foreign Minister Ana Ruiz said" are
        Ostria's, whatever other country the sentences between mention."""
        named = " ".join(title.lower().split())  # "foreign minister": "Ostria's foreign minister"
        offices = [w for w in _ROLE_WORD.findall(named) if w in self.lex.institution]
        for earlier, hits in self._country_words_back_from(sentence):
            for hit in reversed(hits):
                following = self.text[hit.end : min(hit.end + 40, earlier.end)].lower()
                if named in following or not set(offices).isdisjoint(following.split()):
                    return hit.country
        return None

    def nearest_country(self, sentence: Sentence, offset: int) -> str | None:
        """The country word nearest to `offset` in its sentence (outside quotes), else the
        nearest (last) country word of the sentences before it, back to the previous
        paragraph: "X stayed silent, but Y warned ... A ministry spokesperson said" is Y's."""
        for earlier, hits in self._country_words_back_from(sentence):
            if hits and earlier is sentence:
                return min(hits, key=lambda h: abs(h.start - offset)).country
            if hits:
                return hits[-1].country
        return None

    def _country_words_back_from(
        self, sentence: Sentence
    ) -> Iterator[tuple[Sentence, list[CountryHit]]]:
        """The country words outside quotes of `sentence`, then of up to six sentences before
        it (nearest first), back to the previous paragraph."""
        for earlier in [sentence, *self._previous_sentences(sentence, 6)]:
            if earlier.paragraph < sentence.paragraph - 1:
                return
            yield earlier, self._outside_quotes(self.hits.between(earlier.start, earlier.end))

    # --- resolution ------------------------------------------------------------------------

    def resolve(
        self,
        phrase: Phrase,
        sentence: Sentence,
        offset: int,
        source_tokens: list[Token] | None = None,
        previous: Speaker | None = None,
        depth: int = 0,
    ) -> Speaker | None:
        """The speaker `phrase` stands for, or None when it cannot be told."""
        pronoun = phrase.pronoun
        if pronoun:
            speaker = self._antecedent(pronoun, sentence, source_tokens, previous, depth)
        else:
            speaker = self._describe(phrase, sentence, offset)
        if speaker is not None:
            self.speakers.append((offset, speaker))
            self._by_name[speaker.name] = speaker
        return speaker

    def _antecedent(
        self,
        pronoun: str,
        sentence: Sentence,
        source_tokens: list[Token] | None,
        previous: Speaker | None,
        depth: int,
    ) -> Speaker | None:
        want_person = pronoun in self.lex.person_pronouns
        if not want_person and source_tokens:
            found = self._institution_in(source_tokens, sentence)
            if found is not None:
                return found
        for speaker in [previous, *reversed(self.said_in(sentence))]:
            if speaker is not None and speaker.person == want_person:
                return speaker
        if depth >= 2:
            return None
        for earlier in self._previous_sentences(sentence, _LOOKBACK_SENTENCES):
            for speaker in reversed(self.said_in(earlier)):
                if speaker.person == want_person:
                    return speaker
            subject = self.subject_of(earlier, depth + 1)
            if subject is not None and subject.person == want_person:
                return subject
        return None

    def subject_of(self, sentence: Sentence, depth: int = 0) -> Speaker | None:
        """The speaker-like subject of a sentence ("Varga also criticized ..." -> Varga)."""
        if sentence in self._subjects:
            return self._subjects[sentence]
        self._subjects[sentence] = None
        said = self.said_in(sentence)
        if said:
            self._subjects[sentence] = said[-1]
            return said[-1]
        first = self.text[sentence.start : sentence.start + 1]
        if first in "\"'\u201c\u2018":
            return None
        tokens = tokenize(self.text, sentence.start, min(sentence.end, sentence.start + 300))
        if _heading(tokens):
            return None  # "Ana Ruiz Opens The Harbour": a title in capitals has no speaker
        clause = parse_before(tokens)
        if clause.subject is None:
            return None
        if clause.subject.pronoun:
            found = self._antecedent(
                clause.subject.pronoun, sentence, clause.source_tokens, None, depth
            )
        else:
            found = self._describe(clause.subject, sentence, clause.subject.start)
        self._subjects[sentence] = found
        return found

    def previous_speaker(self, sentence: Sentence) -> Speaker | None:
        """For a quote standing alone: who spoke, or was named, in the sentence before."""
        earlier = self._previous_sentences(sentence, 1)
        if not earlier:
            return None
        said = self.said_in(earlier[0])
        if said:
            return said[-1]
        return self.subject_of(earlier[0])

    def quoted_just_before(self, sentence: Sentence) -> bool:
        """Whether the sentence before, in the same paragraph, holds an attributed quote."""
        earlier = self._previous_sentences(sentence, 1)
        return (
            bool(earlier)
            and earlier[0].paragraph == sentence.paragraph
            and bool(self.said_in(earlier[0]))
        )

    def _institution_in(self, tokens: list[Token], sentence: Sentence) -> Speaker | None:
        """The office inside "according to a document of the Vestrian Embassy in X"."""
        lex = self.lex
        best: Phrase | None = None
        for i, token in enumerate(tokens[:40]):
            if not (token.capitalized and token.is_word):
                continue
            phrase, _ = parse_phrase(tokens, i)
            if phrase is not None:
                head = self._head(phrase)
                if head and strip_possessive(head[-1].low) in lex.institution:
                    best = phrase
                    break
        if best is None:
            return None
        return self._describe(best, sentence, best.start)

    def _head(self, phrase: Phrase) -> list[Token]:
        """The words of a phrase before its first connector ("an official" in ...)."""
        head = []
        for k, token in enumerate(phrase.tokens):
            if k and token.low in self.lex.connectors:
                break
            head.append(token)
        return head

    def _describe(self, phrase: Phrase, sentence: Sentence, offset: int) -> Speaker | None:
        """Name, title, affiliation, country and role of a (non-pronoun) speaker phrase."""
        text, lex = self.text, self.lex
        tokens = phrase.tokens
        determiner = tokens[0].low if tokens[0].low in lex.determiners else None
        body = tokens[1:] if determiner else tokens
        if not body:
            return None
        head = self._head(Phrase(body))
        tail = body[len(head) :]
        names = self._name_words(head, 0, len(head))
        appositive_tokens = _title_part(phrase.appositive)
        appositive = _join(appositive_tokens, text) or None
        if appositive and all(
            t.low in lex.between or t.low.endswith("ly") for t in appositive_tokens
        ):
            appositive = None
        if names:
            title_tokens = head[: len(head) - len(names)]
            if (
                not title_tokens
                and appositive is None
                and tail
                and tail[0].low in lex.affiliation_links
            ):
                # "Ana Ruiz of the Nordic Institute": where she works, not a title.
                appositive, tail = _join(tail, text), []
            title = " ".join(x for x in (_join(title_tokens, text), _join(tail, text)) if x)
            name = _join(names, text)
            if len(names) == 1:
                name = self.full_name(name, offset)
            return self._person_speaker(name, title or None, appositive, sentence)
        if determiner == "the" and head and lex.is_person_noun(head[-1].low):
            words = [t.low for t in head]
            found = self._by_title(words, offset)
            if found is not None:
                return found
        if determiner == "the" and head:
            found = self._by_title([t.low for t in head if t.low not in lex.determiners], offset)
            if found is not None and not found.person:
                return found
        named = self._named_in_appositive(head, appositive_tokens)
        if named:
            # "A spokesman for the Vestrian ministry, Ana Ruiz, said": the person speaks,
            # the office is her title.
            title = _join(body, text)
            return self._person_speaker(named, title, None, sentence)
        name = _join(body, text) if determiner == "the" else _join(tokens, text)
        if determiner is not None and determiner != "the":
            name = name[0].lower() + name[1:]
        return self._office_speaker(name, phrase, appositive, sentence, offset)

    def _named_in_appositive(self, head: list[Token], appositive: list[Token]) -> str:
        """The person's name when an office held by a person ("a spokesman for X") is
        followed by an appositive that is a name (", Ana Ruiz,"), maybe after title words
        (", harbour pilot Ana Ruiz,"); else ""."""
        holder = head[-1].low if head else ""
        if not (self.lex.is_person_noun(holder) or holder in self.lex.analyst):
            return ""
        if not 2 <= len(appositive) <= 6:
            return ""
        names = self._name_words(appositive, 0, len(appositive))
        before = appositive[: len(appositive) - len(names)]
        titled = all(
            t.is_word and (not t.capitalized or self.lex.is_role_word(t.low)) for t in before
        )
        if len(names) < 2 or not titled:
            return ""
        return _join(names, self.text)

    def _person_speaker(
        self,
        name: str,
        title: str | None,
        appositive: str | None,
        sentence: Sentence | None,
    ) -> Speaker:
        gaz = self.gazetteer
        earlier = self._by_name.get(name)
        if title:
            first, _, rest = title.partition(" ")
            if rest and first.lower() in self.lex.possessives:
                title = rest
        affiliation, appositive_title = _affiliation(appositive, self.lex)
        if title is None:
            title = appositive_title or (earlier.title if earlier else None)
            if title is None:
                title = self.title_of(name)
            if title is None and appositive is None:
                # The title written after the name in an earlier sentence: "Ana Ruiz,
                # President of Vestria, opened the port." ... "She said, ..."
                appositive = self.appositive_of(name)
                affiliation, title = _affiliation(appositive, self.lex)
        if affiliation is None and earlier is not None:
            affiliation = earlier.affiliation
        country = (
            gaz.country_of(affiliation)
            or gaz.person_country(name)
            or gaz.country_of(title)
            or gaz.country_of(appositive)
            or (earlier.country if earlier else None)
        )
        words = f"{title or ''} {appositive or ''} {affiliation or ''}".lower()
        analyst = any(w in self.lex.analyst for w in _ROLE_WORD.findall(words))
        if earlier is not None and earlier.role == Role.ANALYST:
            analyst = True
        official = any(w in self.lex.person for w in words.split())
        if country is None and sentence is not None and title and official and not analyst:
            # An office with no country of its own: "Foreign Ministry spokesperson X".
            country = self._country_of_office(title, sentence) or self.nearest_country(
                sentence, sentence.start
            )
        role = Role.ANALYST if analyst else self.gazetteer.role_of(country)
        return Speaker(name, title, affiliation, country, role, person=True)

    def _office_speaker(
        self,
        name: str,
        phrase: Phrase,
        appositive: str | None,
        sentence: Sentence,
        offset: int,
    ) -> Speaker:
        lex, gaz = self.lex, self.gazetteer
        country = self._country_in(phrase.start, phrase.end) or gaz.country_of(appositive)
        low_words = [strip_possessive(t.low) for t in phrase.tokens]
        analyst = any(w in lex.analyst for w in low_words)
        head = self._head(phrase)
        media = bool(head) and strip_possessive(head[-1].low) in lex.media and not analyst
        if country is None and not analyst and any(lex.is_role_word(w) for w in low_words):
            country = self.nearest_country(sentence, offset)
        if analyst:
            role = Role.ANALYST
        elif media:
            role = Role.MEDIA
        else:
            role = gaz.role_of(country)
        person = (
            bool(head) and lex.is_person_noun(head[-1].low) and head[-1].low not in lex.institution
        )
        return Speaker(name, None, None, country, role, person=person)


# Compiled once: a pattern string passed to re.findall/search/sub is looked up in the re
# module's cache at every call, and these run for every resolved speaker.
_ROLE_WORD = re.compile(r"[\w-]+")
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+")


@cache
def _organisation_link(links: frozenset[str]) -> re.Pattern[str]:
    """ " of the " / " at ": an affiliation link word, at the start or after a space."""
    words = "|".join(re.escape(w) for w in sorted(links))
    return re.compile(rf"(?:^|\s)(?:{words})\s+(?:the\s+)?")


def _affiliation(appositive: str | None, lex: Lexicon) -> tuple[str | None, str | None]:
    """("Nordic Institute for X", "Senior Fellow") from an analyst's appositive."""
    if not appositive:
        return None, None
    words = [w.lower() for w in _ROLE_WORD.findall(appositive)]
    if not any(w in lex.analyst for w in words):
        lead = _organisation_link(lex.affiliation_links).match(appositive)  # "of the X ministry"
        return None, (appositive[lead.end() :] if lead else _without_article(appositive))
    match = _organisation_link(lex.affiliation_links).search(appositive)
    if match is None:
        return None, appositive
    title = appositive[: match.start()].strip()
    title = _LEADING_ARTICLE.sub("", title)
    org = appositive[match.end() :].split(",")[0].strip()
    return (org or None), (title or None)
