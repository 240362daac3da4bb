"""Key facts: sentences about the agreement and its background, scored for a brief.

A sentence is a candidate when it names a story term (config: story.agreement_terms,
story.key_terms) or carries a fact cue (signed, pledged, provision, replaces ... from
briefing/rules/facts.yaml) together with a number or a year. Its score adds: naming the
agreement, distinct key terms, distinct cues, a number, and an early position in the article;
sentences of an odd length lose some. Questions, quotes and page furniture are skipped.

Across articles, facts with nearly the same content words merge (MinHash-style blocking, no
all-pairs comparison), their documents unioned and their score raised by the support.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ..config import Story
from ..models import Fact
from ..resources import load_rules
from .parsed import ParsedDocument
from .textkeys import (
    REMEMBERED_KEYS,
    Grouper,
    Mentions,
    Numbering,
    WordSet,
    content_words,
    has_digit,
    spellings,
    tokens_in,
)
from .textunits import Unit

_OPENING = "“«"
_CLOSING = "”»"
_QUOTE_MARK = re.compile(r"[\"“”«»]")


@dataclass(frozen=True)
class Rules:
    cue_words: list[str]
    hedges: list[str]
    hedge_factor: float
    boilerplate_phrases: list[str]
    boilerplate_marks: tuple[str, ...]
    weights: dict[str, float]
    min_words: int
    max_words: int
    good_words: tuple[int, int]
    length_penalty: float
    max_quoted_share: float
    per_document: int
    corpus: int
    support_boost: float
    same_fact_jaccard: float


@cache
def rules() -> Rules:
    data = load_rules("facts.yaml")
    low, high = data["good_words"]
    return Rules(
        cue_words=[str(w) for w in data["cue_words"]],
        hedges=[str(w) for w in data["hedges"]],
        hedge_factor=float(data["hedge_factor"]),
        boilerplate_phrases=[str(b) for b in data["boilerplate_phrases"]],
        boilerplate_marks=tuple(str(b).lower() for b in data["boilerplate_marks"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        min_words=int(data["min_words"]),
        max_words=int(data["max_words"]),
        good_words=(int(low), int(high)),
        length_penalty=float(data["length_penalty"]),
        max_quoted_share=float(data["max_quoted_share"]),
        per_document=int(data["per_document"]),
        corpus=int(data["corpus"]),
        support_boost=float(data["support_boost"]),
        same_fact_jaccard=float(data["same_fact_jaccard"]),
    )


AGREEMENT, KEY, CUE, HEDGE, FURNITURE = "agreement", "key", "cue", "hedge", "furniture"


@dataclass(frozen=True)
class Vocabulary:
    """Every word a fact is scored on, in one table of token spellings, so that a sentence
    costs one set intersection (C speed) instead of a regex per word list. Terms of several
    words are looked up by their first word, then confirmed as a phrase."""

    table: dict[str, tuple[tuple[str, str], ...]]  # token spelling -> (kind, word) pairs
    phrases: dict[tuple[str, str], tuple[str, ...]]  # (kind, first word) -> longer terms

    def find(self, tokens: list[str], hits: Iterable[str] | None = None) -> dict[str, set[str]]:
        """The words of each kind among `tokens` (a lower-cased sentence's split());
        `hits`: tokens_in(self.table, tokens), when the caller has it already."""
        found: dict[str, set[str]] = {
            AGREEMENT: set(),
            KEY: set(),
            CUE: set(),
            HEDGE: set(),
            FURNITURE: set(),
        }
        joined = ""
        table = self.table
        for token in tokens_in(table, tokens) if hits is None else hits:
            for kind, word in table[token]:
                longer = self.phrases.get((kind, word), ())
                if word.startswith(" "):  # only the first word of longer terms
                    joined = joined or " ".join(tokens)
                    found[kind].update(p for p in longer if _has_phrase(joined, p))
                else:
                    found[kind].add(word)
        return found


def _vocabulary(lists: dict[str, list[str]]) -> Vocabulary:
    by_word: dict[str, list[tuple[str, str]]] = {}  # word -> its (kind, marker) pairs
    phrases: dict[tuple[str, str], list[str]] = {}
    for kind, terms in lists.items():
        for term in {" ".join(str(t).lower().split()) for t in terms if str(t).strip()}:
            if " " in term:
                first = term.split()[0]
                phrases.setdefault((kind, " " + first), []).append(term)
                word, marker = first, " " + first  # a leading space marks "first word of"
            else:
                word, marker = term, term
            pairs = by_word.setdefault(word, [])
            if (kind, marker) not in pairs:
                pairs.append((kind, marker))
    table: dict[str, tuple[tuple[str, str], ...]] = {}
    for word, pairs in by_word.items():
        found = tuple(pairs)
        for spelling in spellings(word):
            earlier = table.get(spelling)  # a spelling of two words ("u.s" + ".", "u.s.")
            table[spelling] = (
                found if earlier is None else earlier + tuple(p for p in found if p not in earlier)
            )
    return Vocabulary(table=table, phrases={k: tuple(sorted(v)) for k, v in phrases.items()})


def _has_phrase(text: str, phrase: str) -> bool:
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or not text[at - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            return True
        at = text.find(phrase, at + 1)
    return False


@cache
def _story_vocabulary(agreement: tuple[str, ...], key: tuple[str, ...]) -> Vocabulary:
    data = rules()
    return _vocabulary(
        {
            AGREEMENT: list(agreement),
            KEY: list(key),
            CUE: data.cue_words,
            HEDGE: data.hedges,
            FURNITURE: data.boilerplate_phrases,
        }
    )


def story_vocabulary(story: Story) -> Vocabulary:
    return _story_vocabulary(tuple(story.agreement_terms), tuple(story.key_terms))


# --- one sentence ----------------------------------------------------------------------------


def quoted_share(text: str) -> float:
    """Share of the characters that lie inside quotation marks (curly, or straight pairs)."""
    if '"' not in text and "“" not in text and "«" not in text:
        return 0.0
    inside, start = 0, -1
    for mark in _QUOTE_MARK.finditer(text):
        char, at = mark.group(0), mark.start()
        if start < 0 and (char in _OPENING or char == '"'):
            start = at
        elif start >= 0 and (char in _CLOSING or char == '"'):
            inside += at - start + 1
            start = -1
    if start >= 0:  # a quote running to the end of the sentence (it continues next one)
        inside += len(text) - start
    return inside / len(text)


def _has_furniture_mark(lowered: str) -> bool:
    return any(mark in lowered for mark in rules().boilerplate_marks)  # a handful of tests


def _score(
    text: str,
    position: float,
    vocabulary: Vocabulary,
    unit: Unit | None = None,
) -> tuple[float, str] | None:
    """(score, topic) of a sentence, or None when it is no fact; page furniture and quotes
    are checked later, on the few best sentences only (they cost more than the rest).
    `unit`: the sentence's unit of the shared split, if it is one (its words, already read)."""
    r = rules()
    tokens = text.lower().split() if unit is None else unit.words
    words = len(tokens)
    if not r.min_words <= words <= r.max_words or tokens[-1].rstrip("”\"'’").endswith("?"):
        return None
    hits = tokens_in(vocabulary.table, tokens)
    if not hits:
        return None  # no word of any list (about one sentence in five): no sets to build
    found = vocabulary.find(tokens, hits)
    if found[FURNITURE]:
        return None
    agreement, key, cues = found[AGREEMENT], found[KEY], found[CUE]
    has_number = has_digit(text)
    if not (agreement or key or (cues and has_number)):
        return None
    w = r.weights
    agreement_score = 0.0
    if agreement:
        extra = w["agreement_extra"] * (len(agreement) - 1)
        agreement_score = min(w["agreement_max"], w["agreement_term"] + extra)
    score = (
        agreement_score
        + min(w["key_term_max"], w["key_term"] * len(key))
        + min(w["cue_max"], w["cue"] * len(cues))
        + (w["number"] if has_number else 0.0)
        + w["position"] * (1.0 - position)
    )
    low, high = r.good_words
    if not low <= words <= high:
        score *= 1.0 - r.length_penalty
    if found[HEDGE]:
        score *= r.hedge_factor
    return round(min(1.0, score), 4), ("agreement" if agreement else "context")


def _is_quote_or_furniture(text: str) -> bool:
    return _has_furniture_mark(text.lower()) or quoted_share(text) > rules().max_quoted_share


def score_sentence(text: str, position: float, vocabulary: Vocabulary) -> Fact | None:
    """A Fact for the sentence (docs left empty), or None when it is no fact for a brief."""
    scored = _score(text, position, vocabulary)
    if scored is None or _is_quote_or_furniture(text):
        return None
    return Fact(" ".join(text.split()), [], scored[0], scored[1], round(position, 4))


def extract_facts(parsed: ParsedDocument, story: Story) -> list[Fact]:
    """The document's best fact sentences for the story, best first."""
    doc = parsed.doc
    vocabulary = story_vocabulary(story)
    total = max(1, sum(len(p) + 2 for p in doc.paragraphs))
    scored = []
    for unit in parsed.units:
        position = min(1.0, unit.start / total)
        found = _score(unit.text, position, vocabulary, unit)
        if found is not None:
            scored.append((-found[0], position, found[1], unit.text))
    scored.sort(key=lambda item: (item[0], item[1]))
    facts: list[Fact] = []
    for negative_score, position, topic, text in scored:
        if _is_quote_or_furniture(text):
            continue
        facts.append(
            Fact(" ".join(text.split()), [doc.id], -negative_score, topic, round(position, 4))
        )
        if len(facts) == rules().per_document:
            break
    return facts


# --- across documents --------------------------------------------------------------------------


def _support_bonus(support: int, n_docs: int) -> float:
    if support <= 1 or n_docs <= 1:
        return 0.0
    return rules().support_boost * min(1.0, math.log(support) / math.log(n_docs))


def merge_facts(facts: list[Fact], n_docs: int) -> list[Fact]:
    """Near-duplicate facts become one: the best-scored wording, all documents, the earliest
    position, "agreement" if any says so, and a score raised by the number of sources."""
    merging = FactMerge(capacity=None)
    for fact in facts:
        merging.add(fact, frozenset(content_words(fact.text)))
    return merging.result(n_docs)


@dataclass
class _Group:
    best: Fact
    docs: Mentions
    agreement: bool
    position: float


class FactMerge:
    """merge_facts as a stream, fed one fact (and its content words) at a time. With a
    `capacity`, it keeps the groups that can still make the corpus's best `rules().corpus`:
    past twice that many, those with the lowest score so far (support counted) go."""

    def __init__(
        self, capacity: int | None, ordered: bool = False, numbering: Numbering | None = None
    ) -> None:
        remembered = REMEMBERED_KEYS if capacity is not None else None
        self.grouper = Grouper(rules().same_fact_jaccard, remembered=remembered)
        self.groups: dict[int, _Group] = {}
        self.capacity = capacity
        self.ordered = ordered  # facts come in document order (see textkeys.Mentions)
        # (a corpus merge's is shared by its three merges: extract.Merge)
        self.numbering = numbering if numbering is not None else Numbering(ordered)
        self.seen = 0  # documents merged so far (set by the caller), for the eviction's scores

    def add(self, fact: Fact, words: frozenset[str] | WordSet) -> None:
        owner = self.grouper.owner(words)
        group = self.groups.get(owner)
        if group is None:
            group = _Group(fact, Mentions(self.ordered), fact.topic == "agreement", fact.position)
            group.docs.add_all(fact.docs, self.numbering)
            self.groups[owner] = group
            if self.capacity is not None and len(self.groups) > 2 * self.capacity:
                self._evict(self.capacity)
            return
        if (-fact.score, fact.position) < (-group.best.score, group.best.position):
            group.best = fact
        group.docs.add_all(fact.docs, self.numbering)
        group.agreement = group.agreement or fact.topic == "agreement"
        group.position = min(group.position, fact.position)

    def _evict(self, keep: int) -> None:
        n_docs = max(2, self.seen)

        def worth(entry: tuple[int, _Group]) -> tuple[int, float, float, int]:
            # Most documents first, then the score so far; on a tie the newer group stays,
            # so that a point reported again soon is still there to merge with.
            owner, group = entry
            return (-len(group.docs), -_group_score(group, n_docs), group.position, -owner)

        ranked = sorted(self.groups.items(), key=worth)
        for owner, _ in ranked[keep:]:
            del self.groups[owner]
            self.grouper.forget(owner)

    def result(self, n_docs: int) -> list[Fact]:
        # Ranked before their documents are listed: a day of news's merge holds up to
        # 6,000 groups, and the lists of those that do not make the corpus's best (about 6 MB
        # of ids at 100,000 articles) were made at the build's peak only to be dropped.
        def rank(group: _Group) -> tuple[float, float, str]:
            return (-_group_score(group, n_docs), group.position, group.best.text)

        best = sorted(self.groups.values(), key=rank)[: rules().corpus]
        return [self._finish(group, n_docs) for group in best]

    def _finish(self, group: _Group, n_docs: int) -> Fact:
        best = group.best
        topic = "agreement" if group.agreement else best.topic
        docs = group.docs.named(self.numbering)
        return Fact(best.text, docs, _group_score(group, n_docs), topic, group.position)


def _group_score(group: _Group, n_docs: int) -> float:
    """The group's score: its best fact's, raised by its support."""
    return round(min(1.0, group.best.score + _support_bonus(len(group.docs), n_docs)), 4)
