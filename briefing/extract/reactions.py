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

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from ..language import negations
from ..models import Quote, Reaction, Role, Stance
from ..resources import load_rules
from .actors import CountryHit, Gazetteer
from .dates import MONTH_NAME, WEEKDAY
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
from .titles import is_appositive_break

MAX_REACTION_CHARS = 600  # a reaction's text is its sentence, cut to this length
_SUBJECT_WINDOW = 300  # characters of a sentence read for its subject and verb
_SUBJECT_TOKENS = 45
_APPOSITIVE_TOKENS = 40  # tokens read after a subject for its appositive title
T = TypeVar("T")
_PUNCT = ".,;:!?\"'()[]\u201c\u201d\u2018\u2019\u2014\u2013"


@dataclass(frozen=True)
class StanceRules:
    pattern: re.Pattern[str]
    priority: tuple[str, ...]
    attribution_weight: int
    negations: frozenset[str]
    reaction_verbs: frozenset[str]
    reaction_nouns: frozenset[str]
    noun_pattern: re.Pattern[str]
    country_joiners: frozenset[str]
    time_words: frozenset[str]
    # `pattern` without IGNORECASE, for lower-cased text (None when the lexicon is not ASCII)
    lower_pattern: re.Pattern[str] | None


def _cue_regex(entry: str) -> str:
    """One lexicon entry as a regex: words at boundaries, "*" for any ending (bounded)."""
    words = entry.lower().split()
    parts = []
    for word in words:
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w{0,12}")
        else:
            parts.append(re.escape(word))
    return r"\s{1,3}".join(parts)


@cache
def stance_rules() -> StanceRules:
    data = load_rules("stance.yaml")
    groups = []
    for stance, entries in data["stances"].items():
        body = "|".join(sorted((_cue_regex(str(e)) for e in entries), key=len, reverse=True))
        groups.append(f"(?P<{stance}>{body})")
    source = r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)"
    pattern = re.compile(source, re.IGNORECASE)
    nouns = "|".join(re.escape(str(n)) for n in data["reaction_nouns"])
    noun_pattern = re.compile(
        r"(?<!\w)(?:" + nouns + r")\s{1,3}(?:in|among|from|across)\s{1,3}(?:both\s{1,3})?",
        re.IGNORECASE,
    )
    return StanceRules(
        pattern=pattern,
        priority=tuple(data["priority"]),
        attribution_weight=int(data["attribution_weight"]),
        negations=negations().words,
        reaction_verbs=frozenset(str(v).lower() for v in data["reaction_verbs"]),
        reaction_nouns=frozenset(str(n).lower() for n in data["reaction_nouns"]),
        noun_pattern=noun_pattern,
        country_joiners=frozenset(
            " ".join(str(j).lower().split()) for j in data["country_joiners"]
        ),
        time_words=frozenset(str(w).lower() for w in data["time_words"]),
        lower_pattern=re.compile(source) if source.isascii() else None,
    )


def _negated(text: str, start: int, rules: StanceRules) -> bool:
    before = text[max(0, start - 40) : start].lower().replace("n't", " n't").split()
    return any(word.strip(",.;:") in rules.negations for word in before[-3:])


# Characters that a case-blind regex matches to an ASCII letter but that lower() keeps as
# they are (dotless i, long s): text holding one is read with the case-blind regex.
_CASE_BLIND_ONLY = ("\u0131", "\u017f")


def _stance_cues(
    text: str, start: int, end: int, rules: StanceRules
) -> Iterator[tuple[int, str, str]]:
    """(offset, stance, words as written) of each lexicon entry in text[start:end].

    The case-blind regex of ~80 entries enters every entry at every character (~5x slower);
    on the lower-cased text, the case-sensitive one skips the entries by their first letter.
    Both find the same entries when lower() keeps every offset (its length does not change)
    and the text has no character that only a case-blind match equates with a letter."""
    begin = max(0, start - 1)  # one character before, for the regex's (?<!\w)
    segment = text[begin:end]
    lowered = segment.lower()
    if (
        rules.lower_pattern is None
        or len(lowered) != len(segment)
        or any(c in segment for c in _CASE_BLIND_ONLY)
    ):
        for match in rules.pattern.finditer(text, start, end):
            yield match.start(), match.lastgroup or "", match.group()
        return
    for match in rules.lower_pattern.finditer(lowered, start - begin):
        at = begin + match.start()
        yield at, match.lastgroup or "", text[at : begin + match.end()]


def stance_of(
    text: str, start: int, end: int, quoted: list[tuple[int, int]]
) -> tuple[Stance | None, list[str]]:
    """The stance of text[start:end] and its cues; words inside `quoted` spans (sorted, not
    overlapping) weigh less."""
    rules = stance_rules()
    scores: dict[str, int] = {}
    cues: dict[str, list[str]] = {}
    for at, stance, found in _stance_cues(text, start, end, rules):
        if _negated(text, at, rules):
            if stance not in (Stance.WELCOMES, Stance.SUPPORTS):
                continue  # "not concerned" says little
            stance = Stance.CONCERNED  # "does not welcome", "will never support"
        inside = _inside(quoted, at)
        weight = 1 if inside else rules.attribution_weight
        scores[stance] = scores.get(stance, 0) + weight
        cue = " ".join(found.lower().split())
        if cue not in cues.setdefault(stance, []):
            cues[stance].append(cue)
    if not scores:
        return None, []
    rank = rules.priority.index
    best = min(scores, key=lambda s: (-scores[s], rank(s)))
    return Stance(best), cues.get(best, [])


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` lies in one of `spans` (sorted, not overlapping): a bisection, as a long
    paragraph has many spans and many cues."""
    k = bisect_right(spans, (at, _NO_END)) - 1
    return k >= 0 and spans[k][0] <= at < spans[k][1]


_NO_END = 1 << 62


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
    def __init__(self, parsed: ParsedDocument, quotes: list[Quote], gazetteer: Gazetteer) -> None:
        self.parsed = parsed
        self.text = parsed.text
        self.gazetteer = gazetteer
        self.third_quotes = [q for q in quotes if q.role == Role.THIRD and q.country]
        self.lex: Lexicon = lexicon()
        self.rules = stance_rules()
        self.reactions: list[Reaction] = []
        # A sentence often gives several reactions (one per speaker or country): its stance
        # is read once. Keyed by the sentence's offsets, for this document only.
        self._stances: dict[tuple[int, int], tuple[Stance | None, list[str]]] = {}

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
            self._add(sentence, key[0], _actor(quote), True, quoted)
        return countries

    def _reported(
        self,
        sentence: Sentence,
        hits: list[CountryHit],
        quoted: list[tuple[int, int]],
        done: set[str],
    ) -> None:
        words = {w.strip(_PUNCT) for w in self.text[sentence.start : sentence.end].lower().split()}
        found: list[tuple[str, str]] = []
        if words & self.rules.reaction_verbs:
            found.extend(self._subject_reacting(sentence))
        if words & self.rules.reaction_nouns:
            for match in self.rules.noun_pattern.finditer(self.text, sentence.start, sentence.end):
                found.extend(self._felt_in(match.end(), sentence.end, hits))
        for country, actor in found:
            if country not in done:
                done.add(country)
                self._add(sentence, country, actor, False, quoted)

    def _subject_reacting(self, sentence: Sentence) -> list[tuple[str, str]]:
        """(country, actor) when the sentence's subject is a third country's official: its
        country in the subject ("Ostmark's foreign minister warned") or, for a name, in the
        appositive after it ("Ana Ruiz, spokesperson of the Ostmark ministry, warned")."""
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
            return [(country, actor)]
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
    ) -> None:
        key = (sentence.start, sentence.end)
        known = self._stances.get(key)
        if known is None:
            known = self._stances[key] = stance_of(self.text, *key, quoted)
        stance, cues = known[0], list(known[1])  # a list of its own for each reaction
        self.reactions.append(
            Reaction(
                doc=self.parsed.doc.id,
                country=country,
                actor=actor,
                text=self._clip(sentence.start, sentence.end),
                quoted=is_quoted,
                stance=stance,
                stance_cues=cues,
            )
        )

    def _felt_in(self, begin: int, end: int, hits: list[CountryHit]) -> list[tuple[str, str]]:
        """Countries right after "concerns in": "in both Tallberg and Ostmark"."""
        found = []
        position = begin
        for hit in hits:
            if hit.start < position:
                continue
            gap = self.text[position : hit.start].strip(" ,").lower()
            if gap and gap not in self.rules.country_joiners:
                break
            found.append((hit.country, self.text[hit.start : hit.end]))
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
    parsed: ParsedDocument, quotes: list[Quote], gazetteer: Gazetteer
) -> list[Reaction]:
    """Reactions of the story's third countries in the document (`quotes`: its quotes),
    grouped by country."""
    if not parsed.doc.paragraphs:
        return []
    return _ReactionReader(parsed, quotes, gazetteer).read()
