"""Third-country reactions: what officials or governments of the third countries said or did.

Two sources, both per sentence:

- quoted: the sentences holding quotes whose speaker's role is "third" (an official or office
  of a third country; analysts and media have roles of their own and are not reactions);
- reported: a sentence whose subject is a third country's government, office or official and
  whose verb is a reaction ("Ostmark also responded with unease."), or a reaction noun felt in a
  third country ("raised concerns in both Tallberg and Ostmark").

Each reaction gets a stance from the lexicon in briefing/rules/stance.yaml; the words that
gave it are kept in stance_cues. Reactions come grouped by country, in order of first mention.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from functools import cache
from typing import Generic, TypeVar

from ..models import Quote, Reaction, Role, Stance
from .actors import CountryHit, Gazetteer
from .dates import MONTH_NAME, WEEKDAY, Reader
from .dates import tables as date_tables
from .parsed import ParsedDocument, Sentence
from .speakers import (
    Lexicon,
    Token,
    clause_subject,
    lexicon,
    skip_between,
    strip_possessive,
    tokenize,
)
from .stance import Reading, read_stance, stance_rules
from .titles import is_appositive_break

MAX_REACTION_CHARS = 600  # a reaction's text is its sentence, cut to this length
_SUBJECT_WINDOW = 300  # characters of a sentence read for its subject and verb
_SUBJECT_TOKENS = 45
_APPOSITIVE_TOKENS = 40  # tokens read after a subject for its appositive title
T = TypeVar("T")
_PUNCT = ".,;:!?\"'()[]\u201c\u201d\u2018\u2019\u2014\u2013"
_CLAUSE_MARKS = (",", ";", ":", "\u2014", "\u2013")
_LEADING_LINKS = ("but", "and", "yet", "however,", "however")
# A sentence's stance reading, the date of its statement and of the earlier one it replaced.
_Said = tuple[Reading, str | None, str | None]


# Compiled once (a pattern string is looked up in the re module's cache at every call).
_LINK_WORD = re.compile(r"\b(?:of|at|for|in)\b")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_LEADING_ARTICLE = re.compile(r"^(?:the|The|an?|An?)\s+")


def _actor(quote: Quote) -> str | None:
    """ "Harbour Authority spokesperson Marie-Claire Dufort" / "Tomas Brandt, Director of X"."""
    if not quote.speaker:
        return None
    if not quote.speaker_title:
        return quote.speaker
    title = quote.speaker_title
    if _LINK_WORD.search(title) or title[:1].islower():
        return f"{quote.speaker}, {title}"
    return f"{title} {quote.speaker}"


class _ReactionReader:
    def __init__(
        self,
        parsed: ParsedDocument,
        quotes: list[Quote],
        gazetteer: Gazetteer,
        anchor: dt.date | None,
    ) -> None:
        self.parsed = parsed
        self.anchor = anchor
        self.text = parsed.text
        self.gazetteer = gazetteer
        self.third_quotes = [q for q in quotes if q.role == Role.THIRD and q.country]
        self.lex: Lexicon = lexicon()
        self.rules = stance_rules()
        self.reactions: list[Reaction] = []
        # A sentence often gives several reactions (one per speaker or country): its stance
        # is read once. Keyed by the sentence's offsets and the reporting verb's, for this
        # document only.
        self._stances: dict[tuple[int, int, int | None], _Said] = {}
        self._dates: Reader | None = None  # made at the first dated statement

    def read(self) -> list[Reaction]:
        parsed, gazetteer = self.parsed, self.gazetteer
        third_hits = [h for h in parsed.hits.hits if gazetteer.is_third(h.country)]
        hit_starts = [h.start for h in third_hits]
        quote_starts = [q.start for q in self.third_quotes]
        for index, start in enumerate(parsed.offsets):
            end = parsed.ends[index]
            hits = _Window(third_hits, hit_starts, start, end)
            quotes = _Window(self.third_quotes, quote_starts, start, end)
            if hits.empty and quotes.empty:
                continue
            quoted = [(s.open, s.close) for s in parsed.spans[index]]
            for sentence in parsed.sentences[index]:
                own = quotes.within(sentence.start, sentence.end)
                countries = self._quoted(sentence, own, quoted)
                outside = [
                    h
                    for h in hits.within(sentence.start, sentence.end)
                    if not parsed.in_quote(h.start) and h.country not in countries
                ]
                if outside:
                    self._reported(sentence, outside, quoted, countries)
        return _grouped(self.reactions)

    def _quoted(
        self, sentence: Sentence, quotes: list[Quote], quoted: list[tuple[int, int]]
    ) -> set[str]:
        """One reaction per speaker of the sentence's third-country quotes."""
        countries: set[str] = set()
        actors: set[tuple[str, str | None]] = set()
        for quote in quotes:
            key = (quote.country or "", quote.speaker)
            if key in actors:
                continue
            actors.add(key)
            countries.add(key[0])
            self._add(sentence, key[0], _actor(quote), True, quoted, None)
        return countries

    def _reported(
        self,
        sentence: Sentence,
        hits: list[CountryHit],
        quoted: list[tuple[int, int]],
        done: set[str],
    ) -> None:
        words = {w.strip(_PUNCT) for w in self.text[sentence.start : sentence.end].lower().split()}
        found: list[tuple[str, str, int | None]] = []
        if words & self.rules.reaction_verbs:
            found.extend(self._subject_reacting(sentence))
        if words & self.rules.reaction_nouns:
            for match in self.rules.noun_pattern.finditer(self.text, sentence.start, sentence.end):
                found.extend(self._felt_in(match.end(), sentence.end, hits))
        for country, actor, verb_at in found:
            if country not in done:
                done.add(country)
                self._add(sentence, country, actor, False, quoted, verb_at)

    def _subject_reacting(self, sentence: Sentence) -> list[tuple[str, str, int | None]]:
        """(country, actor) when the sentence's subject is a third country's official: its
        country in the subject ("Ostmark's foreign minister warned") or, for a name, in the
        appositive after it ("Ana Ruiz, spokesperson of the Ostmark ministry, warned"); with
        where the reaction verb begins."""
        end = min(sentence.end, sentence.start + _SUBJECT_WINDOW)
        tokens = tokenize(self.text, sentence.start, end, _SUBJECT_TOKENS)
        subject, after = clause_subject(tokens)
        if subject is None or subject.pronoun or self._is_analysis(subject.tokens):
            return []
        appositive, verb_at = self._appositive(tokens, after)
        index = self._skip_to_verb(tokens, verb_at)
        if index >= len(tokens) or tokens[index].low not in self.rules.reaction_verbs:
            return []
        actor = _without_time(_strip_the(subject.text_in(self.text)))
        country = self._country_in(subject.start, subject.end)
        lex = self.lex
        if country is None and any(lex.is_role_word(strip_possessive(t.low)) for t in appositive):
            country = self._country_in(appositive[0].start, appositive[-1].end)
            title = _strip_article(self.text[appositive[0].start : appositive[-1].end])
            actor = f"{actor}, {title}"
        if country and self.gazetteer.is_third(country):
            return [(country, actor, tokens[index].start)]
        return []

    def _country_in(self, start: int, end: int) -> str | None:
        """The country of the first country word in text[start:end] (the document's index of
        country words: no regex scan per sentence)."""
        for hit in self.parsed.hits.between(start, end):
            return hit.country
        return None

    def _is_analysis(self, tokens: list[Token]) -> bool:
        lex = self.lex
        return any(t.low in lex.analyst or t.low in lex.media for t in tokens)

    def _appositive(self, tokens: list[Token], j: int) -> tuple[list[Token], int]:
        """After a subject: ", spokesperson of the X ministry, warned" -> (the appositive's
        tokens, index of the verb); ([], j) when no appositive with a reaction verb after it
        follows. The tokens are [] when the appositive is a clause ("who met ...") or an
        analyst's title ("a fellow at the X Institute"): they tell no official's country."""
        if j >= len(tokens) or tokens[j].text != ",":
            return [], j
        verbs = self.rules.reaction_verbs
        for k in range(j + 1, min(len(tokens), j + _APPOSITIVE_TOKENS)):
            if tokens[k].text in ".;:!?":
                break
            if tokens[k].text != ",":
                continue
            verb_at = self._skip_to_verb(tokens, k + 1)
            if verb_at < len(tokens) and tokens[verb_at].low in verbs and k > j + 1:
                appositive = tokens[j + 1 : k]
                # A clause ("who met Ostmark's envoy") or an analyst's title gives no country.
                if is_appositive_break(appositive[0]) or self._is_analysis(appositive):
                    appositive = []
                return appositive, verb_at
        return [], j

    def _skip_to_verb(self, tokens: list[Token], j: int) -> int:
        """Skip the adverbs, auxiliaries and negations between a subject and its verb ("does
        not welcome", "will never support"); the negation is read again by the stance."""
        negations = self.rules.negations
        while j < len(tokens) and tokens[j].is_word:
            low = tokens[j].low
            if not (low in negations or low.endswith(("n't", "n\u2019t"))):
                stop = skip_between(tokens, j)
                if stop == j:
                    break
                j = stop
                continue
            j += 1
        return j

    def _add(
        self,
        sentence: Sentence,
        country: str,
        actor: str | None,
        is_quoted: bool,
        quoted: list[tuple[int, int]],
        verb_at: int | None,
    ) -> None:
        key = (sentence.start, sentence.end, verb_at)
        said = self._stances.get(key)
        if said is None:
            said = self._stances[key] = self._said(sentence, quoted, verb_at)
        reading, said_on, earlier_on = said
        self.reactions.append(
            Reaction(
                doc=self.parsed.doc.id,
                country=country,
                actor=actor,
                text=self._clip(sentence.start, sentence.end),
                quoted=is_quoted,
                stance=Stance(reading.stance) if reading.stance else None,
                stance_cues=list(reading.cues),  # a list of its own for each reaction
                said_on=said_on,
                earlier_stance=Stance(reading.earlier_stance) if reading.earlier_stance else None,
                earlier_cues=list(reading.earlier_cues),
                earlier_on=earlier_on,
                # "raised concerns in X": a mood reported in the country, no statement of its
                # own (no quote, no official as the subject of a reaction verb)
                felt=not is_quoted and verb_at is None,
                point=self._point(sentence, reading),
            )
        )

    def _said(
        self, sentence: Sentence, quoted: list[tuple[int, int]], verb_at: int | None
    ) -> _Said:
        """The stance of a sentence, and when its statement (and any earlier one) was made."""
        reading = read_stance(self.text, sentence.start, sentence.end, quoted, verb_at)
        earlier_on = None
        if reading.earlier_stance:
            earlier_on = self._date_in(reading.earlier_start, reading.earlier_end)
        said_on = self._date_in(reading.start, reading.end) or self.parsed.doc.published
        return reading, said_on, earlier_on

    def _point(self, sentence: Sentence, reading: Reading) -> str | None:
        """The clause that carries the stance when a contrast put it after other words ("...,
        but later it called the pact a bilateral matter"): from the clause start before the
        carrying part to its end. None when the whole sentence carries it."""
        if reading.start <= sentence.start or reading.stance is None:
            return None
        before = self.text[sentence.start : reading.start]
        cut = max(before.rfind(mark) for mark in _CLAUSE_MARKS)
        start = sentence.start + cut + 1 if cut >= 0 else reading.start
        point = self.text[start : reading.end].strip()
        for word in _LEADING_LINKS:  # "but it later called ..." reads "it later called ..."
            if point.lower().startswith(word + " "):
                point = point[len(word) + 1 :]
        return point or None

    def _date_in(self, start: int, end: int) -> str | None:
        """The first full date named in text[start:end] ("on the 13th", "on Monday"), resolved
        against the article's date (else the story's): when the statement was made. The
        date reader runs only where a quick scan sees a digit or a date word."""
        if self.anchor is None or not _may_hold_date().search(self.text, start, end):
            return None
        if self._dates is None:
            self._dates = Reader(self.anchor)
        for mention in self._dates.read(self.text[start:end]):
            if len(mention.date) == 10 and mention.date <= self.anchor.isoformat():
                return mention.date
        return None

    def _felt_in(
        self, begin: int, end: int, hits: list[CountryHit]
    ) -> list[tuple[str, str, int | None]]:
        """Countries right after "concerns in": "in both Tallberg and Ostmark"."""
        found: list[tuple[str, str, int | None]] = []
        position = begin
        for hit in hits:
            if hit.start < position:
                continue
            gap = self.text[position : hit.start].strip(" ,").lower()
            if gap and gap not in self.rules.country_joiners:
                break
            found.append((hit.country, self.text[hit.start : hit.end], None))
            position = hit.end
            if position >= end:
                break
        return found

    def _clip(self, start: int, end: int) -> str:
        text = self.text[start:end].strip()
        if len(text) <= MAX_REACTION_CHARS:
            return text
        return text[:MAX_REACTION_CHARS].rsplit(" ", 1)[0] + " ..."


class _Window(Generic[T]):
    """The items of a sorted list whose keys fall within one paragraph; `within` gives those
    of one sentence by bisection, so a paragraph of many sentences is not read once per
    sentence (quadratic on one long paragraph)."""

    def __init__(self, items: list[T], keys: list[int], start: int, end: int) -> None:
        self.items, self.keys = items, keys
        self.lo, self.hi = bisect_left(keys, start), bisect_left(keys, end)

    @property
    def empty(self) -> bool:
        return self.lo == self.hi

    def within(self, start: int, end: int) -> list[T]:
        lo = bisect_left(self.keys, start, self.lo, self.hi)
        return self.items[lo : bisect_left(self.keys, end, lo, self.hi)]


def _without_time(actor: str) -> str:
    """An actor without the time phrase the subject ran into: "Ostmark on Saturday" ->
    "Ostmark", "the ministry early on Monday" -> "the ministry"."""
    words = actor.split()
    kinds = date_tables().trigger_kinds
    time_words = stance_rules().time_words
    for i in range(1, len(words) - 1):
        if words[i].lower() not in time_words:
            continue
        following = (w.lower().strip(",.") for w in words[i + 1 : i + 3])
        if any(kinds.get(w) in (WEEKDAY, MONTH_NAME) for w in following):
            return " ".join(words[:i]).rstrip(",")
    return actor


@cache
def _may_hold_date() -> re.Pattern[str]:
    """A digit, or a month, weekday or relative day word of the date tables."""
    t = date_tables()
    words = [*t.months, *t.weekdays, *(phrase.split()[-1] for phrase in t.phrases)]
    body = "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))
    return re.compile(rf"\d|(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _strip_the(text: str) -> str:
    return _LEADING_THE.sub("", text)


def _strip_article(text: str) -> str:
    """A title without its article: "the Ostmark foreign minister" -> "Ostmark foreign minister"."""
    return _LEADING_ARTICLE.sub("", text)


def _grouped(reactions: list[Reaction]) -> list[Reaction]:
    order: dict[str, int] = {}
    for reaction in reactions:
        order.setdefault(reaction.country, len(order))
    return sorted(reactions, key=lambda r: order[r.country])


def extract_reactions(
    parsed: ParsedDocument,
    quotes: list[Quote],
    gazetteer: Gazetteer,
    anchor: dt.date | None = None,
) -> list[Reaction]:
    """Reactions of the story's third countries in the document (`quotes`: its quotes),
    grouped by country; `anchor`: the date that relative dates ("on the 13th") resolve
    against, for when each was said."""
    if not parsed.doc.paragraphs:
        return []
    return _ReactionReader(parsed, quotes, gazetteer, anchor).read()
