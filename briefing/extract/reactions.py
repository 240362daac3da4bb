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
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from ..models import Document, Quote, Reaction
from ..resources import load_rules
from .actors import CountryHit, Gazetteer
from .resolve import DocumentActors, Sentence
from .speakers import (
    Lexicon,
    Phrase,
    Token,
    clause_subject,
    find_appositive,
    lexicon,
    skip_between,
    tokenize,
)

MAX_REACTION_CHARS = 600  # a reaction's text is its sentence, cut to this length
_SUBJECT_WINDOW = 300  # characters of a sentence read for its subject and verb
_SUBJECT_TOKENS = 45
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
        negations=frozenset(str(n).lower() for n in data["negations"]),
        reaction_verbs=frozenset(str(v).lower() for v in data["reaction_verbs"]),
        reaction_nouns=frozenset(str(n).lower() for n in data["reaction_nouns"]),
        noun_pattern=noun_pattern,
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
) -> tuple[str | None, list[str]]:
    """The stance of text[start:end] and its cues; words inside `quoted` spans weigh less."""
    rules = stance_rules()
    scores: dict[str, int] = {}
    cues: dict[str, list[str]] = {}
    for at, stance, found in _stance_cues(text, start, end, rules):
        if _negated(text, at, rules):
            if stance not in ("welcomes", "supports"):
                continue  # "not concerned" says little
            stance = "concerned"  # "does not welcome", "will never support"
        inside = any(a <= at < b for a, b in quoted)
        weight = 1 if inside else rules.attribution_weight
        scores[stance] = scores.get(stance, 0) + weight
        cue = " ".join(found.lower().split())
        if cue not in cues.setdefault(stance, []):
            cues[stance].append(cue)
    if not scores:
        return None, []
    best = max(rules.priority, key=lambda s: (scores.get(s, 0), -rules.priority.index(s)))
    return best, cues.get(best, [])


def _actor(quote: Quote) -> str | None:
    """ "Harbour Authority spokesperson Marie-Claire Dufort" / "Tomas Brandt, Director of X"."""
    if not quote.speaker:
        return None
    if not quote.speaker_title:
        return quote.speaker
    title = quote.speaker_title
    if re.search(r"\b(?:of|at|for|in)\b", title) or title[:1].islower():
        return f"{quote.speaker}, {title}"
    return f"{title} {quote.speaker}"


class _ReactionReader:
    def __init__(self, doc: Document, quotes: list[Quote], gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.text = doc.text
        self.gazetteer = gazetteer
        self.actors = DocumentActors.of(doc, self.text, gazetteer)
        self.third_quotes = [q for q in quotes if q.role == "third" and q.country]
        self.lex: Lexicon = lexicon()
        self.rules = stance_rules()
        self.reactions: list[Reaction] = []

    def read(self) -> list[Reaction]:
        actors, gazetteer = self.actors, self.gazetteer
        third_hits = [h for h in actors.hits.hits if gazetteer.is_third(h.country)]
        starts = [h.start for h in third_hits]
        quote_starts = [q.start for q in self.third_quotes]
        for index, start in enumerate(actors.offsets):
            end = actors.ends[index]
            hits = third_hits[bisect_left(starts, start) : bisect_left(starts, end)]
            quotes = self.third_quotes[
                bisect_left(quote_starts, start) : bisect_left(quote_starts, end)
            ]
            if not hits and not quotes:
                continue
            quoted = [(s.open, s.close) for s in actors.spans(index)]
            for sentence in actors.sentences(index):
                own = [q for q in quotes if sentence.start <= q.start < sentence.end]
                countries = self._quoted(sentence, own, quoted)
                outside = [
                    h
                    for h in hits
                    if sentence.start <= h.start < sentence.end
                    and not actors.in_quote(h.start)
                    and h.country not in countries
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
        """(country, actor) when the sentence's subject is a third country's official."""
        end = min(sentence.end, sentence.start + _SUBJECT_WINDOW)
        tokens = tokenize(self.text, sentence.start, end, _SUBJECT_TOKENS)
        subject, after = clause_subject(tokens)
        if subject is None or subject.pronoun or not self._is_reacting(subject, tokens, after):
            return []
        phrase = subject.text_in(self.text)
        country = self.gazetteer.country_of(phrase)
        if country and self.gazetteer.is_third(country):
            return [(country, _strip_the(phrase))]
        return []

    def _add(
        self,
        sentence: Sentence,
        country: str,
        actor: str | None,
        is_quoted: bool,
        quoted: list[tuple[int, int]],
    ) -> None:
        stance, cues = stance_of(self.text, sentence.start, sentence.end, quoted)
        self.reactions.append(
            Reaction(
                doc=self.doc.id,
                country=country,
                actor=actor,
                text=self._clip(sentence.start, sentence.end),
                quoted=is_quoted,
                stance=stance,
                stance_cues=cues,
            )
        )

    def _is_reacting(self, subject: Phrase, tokens: list[Token], after: int) -> bool:
        """A government, office or official as subject, then a reaction verb."""
        lex = self.lex
        if any(t.low in lex.analyst or t.low in lex.media for t in subject.tokens):
            return False
        appositive, verb_at = find_appositive(tokens, after)
        index = skip_between(tokens, verb_at if appositive else after)
        return index < len(tokens) and tokens[index].low in self.rules.reaction_verbs

    def _felt_in(self, begin: int, end: int, hits: list[CountryHit]) -> list[tuple[str, str]]:
        """Countries right after "concerns in": "in both Tallberg and Ostmark"."""
        found = []
        position = begin
        for hit in hits:
            if hit.start < position:
                continue
            gap = self.text[position : hit.start].strip(" ,").lower()
            if gap not in ("", "and", "as well as", "and in", "or"):
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


def _strip_the(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text)


def _grouped(reactions: list[Reaction]) -> list[Reaction]:
    order: dict[str, int] = {}
    for reaction in reactions:
        order.setdefault(reaction.country, len(order))
    return sorted(reactions, key=lambda r: order[r.country])


def extract_reactions(doc: Document, quotes: list[Quote], gazetteer: Gazetteer) -> list[Reaction]:
    """Reactions of the story's third countries in `doc`, grouped by country."""
    if not doc.paragraphs:
        return []
    return _ReactionReader(doc, quotes, gazetteer).read()
