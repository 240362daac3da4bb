"""Who a speaker phrase stands for, within one document.

DocumentActors keeps what the document has said so far: the people it named (with their
titles: names.NameIndex), the speakers already resolved, and the country words of the text.
With them it turns "he", "Ruiz", "the Vestrian president", "the ministry" into the full
speaker seen earlier, and gives an office with no country of its own ("Foreign Ministry
spokesperson ...") the country of the nearest country word in its sentence or the paragraph
before.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..models import Role
from .actors import CountryHit, Gazetteer
from .gender import pronoun_gender, speaker_gender
from .names import NamedPerson, NameIndex, join_tokens
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
from .titles import ROLE_WORD, split_affiliation, title_part

_LOOKBACK_SENTENCES = 3
_RECENT = 40  # how many of the latest speakers a pronoun or short form is compared with


@dataclass
class Speaker:
    name: str
    title: str | None = None
    affiliation: str | None = None
    country: str | None = None
    role: Role = Role.OTHER
    person: bool = False

    # Written out: compiled by mypyc, where the __init__ that @dataclass writes runs
    # interpreted (see docs/speed.md, "Constructors compiled").
    def __init__(
        self,
        name: str,
        title: str | None = None,
        affiliation: str | None = None,
        country: str | None = None,
        role: Role = Role.OTHER,
        person: bool = False,
    ) -> None:
        self.name = name
        self.title = title
        self.affiliation = affiliation
        self.country = country
        self.role = role
        self.person = person


def _plural(speaker: Speaker, lex: Lexicon) -> bool:
    """A group of people ("the mayor's advisers", "senior officials"): the last word is the
    plural of a person noun of the lexicon; never what "he" or "she" stands for."""
    words = speaker.name.lower().split()
    last = words[-1] if words else ""
    return last.endswith("s") and lex.is_person_noun(last[:-1])


def _fits(speaker: Speaker, want_person: bool, gender: str | None, sure: bool) -> bool:
    """Whether a speaker may be what a pronoun stands for: a person for "he" and "she", a
    body for "it"; and, for "he" and "she", not a person known to be of the other gender.
    With `sure`, only a person known to be of the pronoun's gender fits: once the nearest
    candidate was of the other gender ("Mr. Ruiz said ... she said"), the one meant was
    likely never recognized as a speaker, and a guess further back is more often wrong."""
    if speaker.person != want_person:
        return False
    if gender is None:
        return True
    known = speaker_gender(speaker.name, speaker.title)
    return known == gender or (known is None and not sure)


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
        self.names = NameIndex(parsed, gazetteer, self.lex)  # people named, their titles
        self.speakers: list[tuple[int, Speaker]] = []  # (offset, speaker) in reading order
        self._by_name: dict[str, Speaker] = {}  # the last resolved speaker of each name
        # The speakers of each sentence's attributed quotes, in order, and the subject found
        # for a sentence (None while it is being looked for: no endless recursion).
        self._said: dict[Sentence, list[Speaker]] = {}
        self._subjects: dict[Sentence, Speaker | None] = {}
        self._unresolved: dict[Sentence, str] = {}  # a subject "she" that fits no one

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

    # --- people: full names and titles ------------------------------------------------

    def full_name(self, short: str, offset: int) -> str:
        """The full name a short form stands for ("Ruiz" -> "Ana Ruiz"), or the short form."""
        for _, speaker in reversed(self.speakers[-_RECENT:]):
            if speaker.person and short in _words_of(speaker.name):
                return speaker.name
        best: NamedPerson | None = None
        for person in self.names.people_named(short):
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
            if all(w in haystack or self._abbreviated_in(w, haystack) for w in words):
                return speaker
        best: NamedPerson | None = None
        for person in self.names.people_titled(words[-1]):
            title = _words_of((person.title or "").lower())
            matches = person.first < offset and all(w in title for w in words)
            if matches and (best is None or person.count > best.count):
                best = person
        if best is None:
            return None
        return self._person_speaker(best.name, best.title, None, None)

    def _abbreviated_in(self, word: str, haystack: list[str]) -> bool:
        """Whether a title word is written abbreviated in a title: "the senator" and "Sen.
        Ana Ruiz", "the governor" and "Gov. ..." (an abbreviated title of three letters or
        more that opens the word; shorter ones, "Lt.", "Dr.", say too little)."""
        if word not in self.lex.person:
            return False
        for written in haystack:
            short = written.rstrip(".")
            if len(short) >= 3 and short in self.lex.abbreviated and word.startswith(short):
                return True
        return False

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
        offices = [w for w in ROLE_WORD.findall(named) if w in self.lex.institution]
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
        gender = pronoun_gender(pronoun)
        if not want_person and source_tokens:
            found = self._institution_in(source_tokens, sentence)
            if found is not None:
                return found
        sure = False  # set once a person of the other gender was passed over
        for speaker in self._candidates(sentence, previous, depth):
            if gender is not None and _plural(speaker, self.lex):
                continue
            if _fits(speaker, want_person, gender, sure):
                return speaker
            sure = sure or (speaker.person and want_person and gender is not None)
        return None

    def _candidates(
        self, sentence: Sentence, previous: Speaker | None, depth: int
    ) -> Iterator[Speaker]:
        """Who a pronoun may stand for, nearest first: the speaker of the quote before it
        in the sentence, the sentence's speakers, then the speakers and the subject of each
        of the few sentences before."""
        if previous is not None:
            yield previous
        yield from reversed(self.said_in(sentence))
        if depth >= 2:
            return
        for earlier in self._previous_sentences(sentence, _LOOKBACK_SENTENCES):
            yield from reversed(self.said_in(earlier))
            subject = self.subject_of(earlier, depth + 1)
            if subject is not None:
                yield subject

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
            if found is None and clause.subject.pronoun in self.lex.person_pronouns:
                self._unresolved[sentence] = clause.subject.text_in(self.text)
        else:
            found = self._describe(clause.subject, sentence, clause.subject.start)
        self._subjects[sentence] = found
        return found

    def unresolved_subject(self, sentence: Sentence) -> str | None:
        """The words of a sentence's subject pronoun ("She") that subject_of found no one
        for, else None."""
        return self._unresolved.get(sentence)

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
        names = self.names.name_words(head, 0, len(head))
        appositive_tokens = title_part(phrase.appositive)
        appositive = join_tokens(appositive_tokens, text) or None
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
                appositive, tail = join_tokens(tail, text), []
            title = " ".join(
                x for x in (join_tokens(title_tokens, text), join_tokens(tail, text)) if x
            )
            name = join_tokens(names, text)
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
            title = join_tokens(body, text)
            return self._person_speaker(named, title, None, sentence)
        name = join_tokens(body, text) if determiner == "the" else join_tokens(tokens, text)
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
        names = self.names.name_words(appositive, 0, len(appositive))
        before = appositive[: len(appositive) - len(names)]
        titled = all(
            t.is_word and (not t.capitalized or self.lex.is_role_word(t.low)) for t in before
        )
        if len(names) < 2 or not titled:
            return ""
        return join_tokens(names, self.text)

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
        affiliation, appositive_title = split_affiliation(appositive, self.lex)
        if title is None:
            title = appositive_title or (earlier.title if earlier else None)
            if title is None:
                title = self.names.title_of(name)
            if title is None and appositive is None:
                # The title written after the name in an earlier sentence: "Ana Ruiz,
                # President of Vestria, opened the port." ... "She said, ..."
                appositive = self.names.appositive_of(name)
                affiliation, title = split_affiliation(appositive, self.lex)
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
        analyst = any(w in self.lex.analyst for w in ROLE_WORD.findall(words))
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
