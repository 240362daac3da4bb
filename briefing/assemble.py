"""Stage 3: rank, cite and choose what one audience reads -> Brief.

Every item cites its sources by number (documents numbered 1..n in input order); an item that
several sources report says so ("3 of 5 sources") and ranks higher. Each section is ranked
for what it adds to the sections above it: an item naming a story term nothing above names
rises, one saying again what is said already sinks (a timeline event on a date already shown
too); the agreement and background leave out the facts that the key quotes and reactions
show. Items keep their rank so that the renderers can drop the least important first when a
page or a word budget is full. Text is shown without datelines and cut at a clause near the
limit; a timeline event cut around its date shows its sentence from a clause start.
The wording and weights are in briefing/rules/assemble.yaml.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .config import Audience, Config
from .models import (
    Brief,
    BriefItem,
    BriefSection,
    BriefSource,
    BriefStance,
    Event,
    Extraction,
    Fact,
    Question,
    Quote,
    Reaction,
)
from .resources import load_rules as load_rule_table
from .resources import rules_path

_WORD = re.compile(r"\w+(?:['’]\w+)?")
# Clause boundaries end the reach of a negation ("no troops, but military aid").
_CLAUSE = re.compile(r"[,;:()\[\]—–]|\s-\s|\.\s")
_DATE_PARTS = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_SAFE_URL = re.compile(r"https?://[^\s<>\"']{1,2000}", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    support_bonus: float
    bottom_line: dict[str, float]
    quotes: dict[str, Any]
    stance_labels: dict[str, str]
    no_reaction: str
    negations: frozenset[str]
    negation_exceptions: frozenset[tuple[str, str]]
    negation_window: int
    uncertainty: frozenset[tuple[str, ...]]
    agreement_names: frozenset[str]
    max_conflicts: int
    conflict_bonus: float
    max_words: dict[str, int]
    clip: dict[str, float]
    dangling_words: frozenset[str]
    months: tuple[str, ...]
    month_abbreviations: tuple[str, ...]
    weekdays: tuple[str, ...]
    dateline: re.Pattern[str]
    repeats: dict[str, float]
    max_citations: int
    questions: dict[str, float]
    concepts: dict[str, list[str]]
    variety: dict[str, float]
    stopwords: frozenset[str]


@functools.cache
def load_rules(path: Path | None = None) -> Rules:
    """The rule table, read and checked once per process."""
    data = yaml.safe_load((path or rules_path("assemble.yaml")).read_text(encoding="utf-8"))
    exceptions = set()
    for phrase in data["negation_exceptions"]:
        first, second = phrase.lower().split()
        exceptions.add((first, second))
    words = _lower_words
    return Rules(
        support_bonus=float(data["support_bonus"]),
        bottom_line={str(k): float(v) for k, v in data["bottom_line"].items()},
        quotes=dict(data["quotes"]),
        stance_labels=dict(data["stance_labels"]),
        no_reaction=str(data["no_reaction"]),
        negations=frozenset(str(word).lower() for word in data["negations"]),
        negation_exceptions=frozenset(exceptions),
        negation_window=int(data["negation_window"]),
        uncertainty=frozenset(tuple(_words(str(p))) for p in data["uncertainty"]) - {()},
        agreement_names=frozenset(words(data["agreement_names"])),
        max_conflicts=int(data["max_conflicts"]),
        conflict_bonus=float(data["conflict_bonus"]),
        max_words={str(k): int(v) for k, v in data["max_words"].items()},
        clip={str(k): float(v) for k, v in data["clip"].items()},
        dangling_words=frozenset(words(data["dangling_words"])),
        months=tuple(words(data["months"])),
        month_abbreviations=tuple(words(data["month_abbreviations"])),
        weekdays=tuple(words(data["weekdays"])),
        dateline=re.compile(str(data["dateline"])),
        repeats={str(k): float(v) for k, v in data["repeats"].items()},
        max_citations=int(data["max_citations"]),
        questions={str(k): float(v) for k, v in data["questions"].items()},
        concepts={str(k): [str(p) for p in v] for k, v in data["concepts"].items()},
        variety={str(k): float(v) for k, v in data["variety"].items()},
        stopwords=frozenset(str(w).lower() for w in load_rule_table("stopwords.yaml")["stopwords"]),
    )


def _lower_words(values: Iterable[object]) -> list[str]:
    return [str(value).lower() for value in values]


class Citer:
    """Turns document ids into citation numbers and support counts."""

    def __init__(self, doc_ids: list[str], rules: Rules) -> None:
        self.numbers = {doc_id: i + 1 for i, doc_id in enumerate(doc_ids)}
        self.total = len(doc_ids)
        self.rules = rules

    def item(
        self,
        text: str,
        docs: Iterable[str],
        score: float,
        kind: str = "fact",
        shaped: bool = False,
        **fields: Any,
    ) -> BriefItem:
        """An item of `kind` (a key of the rules' max_words), cited and ranked, without a
        dateline; a `shaped` text is cut already (only a runaway length is cut again)."""
        numbers = sorted({self.numbers[d] for d in docs if d in self.numbers})
        support = max(1, len(numbers))
        coverage = f"{support} of {self.total} sources" if support > 1 else None
        rank = score + self.rules.support_bonus * (support - 1)
        limit = self.rules.max_words.get(kind)
        if shaped:
            text = clip(text, None, limit * CHARS_PER_WORD + 8) if limit else text
        else:
            text = clip(undateline(text, self.rules), limit)
        return BriefItem(
            text=text,
            # A point many outlets report cites the first few; its coverage tells how many.
            sources=numbers[: self.rules.max_citations],
            rank=round(rank, 4),
            support=support,
            coverage=coverage,
            **fields,
        )


# Characters a clipped text may have per word allowed: room for long names, while a "word"
# of a million letters (broken input) is cut too.
CHARS_PER_WORD = 12
# Longest name, title or publisher shown.
MAX_NAME_CHARS = 120


def clip(text: str, max_words: int | None, max_chars: int | None = None) -> str:
    """The text cut to at most `max_words` words and `max_chars` characters (default: 12 a
    word), with an ellipsis: at a clause boundary near the limit where there is one, else at
    a word (rules: clip)."""
    if max_chars is None and max_words:
        max_chars = max_words * CHARS_PER_WORD
    if max_chars:
        text = text[: 4 * max_chars + 64]  # whitespace runs collapse below; no need for more
    text = " ".join(text.split())
    cut = False
    if max_words:
        words = text.split(" ", max_words)
        if len(words) > max_words:
            text, cut = " ".join(words[: clip_end(words, max_words, 1)]), True
    if max_chars and len(text) > max_chars:
        space = text.rfind(" ", 0, max_chars + 1)
        text, cut = text[: space if space > max_chars // 2 else max_chars], True
    return with_ellipsis(text) if cut else text


# Marks that close a quotation or a bracket: a clause may end just before them.
_CLOSERS = "\"'”’)]»"
_CLAUSE_MARKS = (",", ";", ":")
_DASHES = frozenset({"—", "–", "--", "-"})


def _ends_clause(word: str) -> bool:
    """Whether a clause (or a sentence) ends with this word: "attacked," "level,”" "tonight."
    (not "U.S." nor "Mr.": a short word or one with an inner dot is an abbreviation)."""
    bare = word.rstrip(_CLOSERS)
    if bare.endswith(_CLAUSE_MARKS) or bare.endswith(("—", "–")):
        return True
    if bare.endswith((".", "?", "!")):
        stem = bare.rstrip(".?!")
        return len(stem) > 3 and "." not in stem
    return False


def _bare_word(word: str) -> str:
    return word.strip(".,;:!?\"'“”‘’()[]«»").lower()


def clip_end(words: list[str], limit: int, floor: int) -> int:
    """Where to cut `words` (the first `limit` of them are allowed; the one after, if any,
    tells whether a dash follows): after the last clause among them that ends at or after
    both `floor` words and the rules' clause_share of `limit`; else after the last word
    allowed, less the dangling words ("if", "the") that would end the text."""
    rules = load_rules()
    lowest = max(floor, math.ceil(rules.clip["clause_share"] * limit))
    for end in range(limit, lowest - 1, -1):
        following = words[end].split(" ", 1)[0] if end < len(words) else ""
        if _ends_clause(words[end - 1]) or following in _DASHES:
            return end
        if words[end - 1] in _DASHES and end - 1 >= lowest:
            return end - 1
    end = limit
    dropped = 0
    while (
        end > max(floor, 1)
        and dropped < rules.clip["max_dangling"]
        and _bare_word(words[end - 1]) in rules.dangling_words
    ):
        end -= 1
        dropped += 1
    return end


def with_ellipsis(text: str) -> str:
    """A cut text, ending with " …" (without the comma or dash it was cut after)."""
    text = text.rstrip(",;:–—- ")
    if len(text) >= 2 and text[-1] in _CLOSERS and text[-2] in ",;:":
        text = text[:-2] + text[-1]  # 'a “new level,”' -> 'a “new level”'
    return text + " …"


def undateline(text: str, rules: Rules) -> str:
    """The text without the dateline that opens an article's first sentence ("PORT ELLAN —",
    "VESSA, May 4 (Nordpress) --"): the outlet's furniture, not the point (rules: dateline)."""
    match = rules.dateline.match(text[:400])
    return text[match.end() :] if match else text


def _name(text: str | None) -> str | None:
    """A speaker, title or publisher, kept to one line's worth."""
    return clip(text, None, MAX_NAME_CHARS) if text else text


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _similar(a: str, b: str) -> bool:
    """Near-duplicates: most content words shared (cheap, used on a handful of items)."""
    wa = {w for w in _words(a) if len(w) > 3}
    wb = {w for w in _words(b) if len(w) > 3}
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.7


def _dedupe_key(text: str, words: int = 12) -> str:
    return " ".join(_words(text)[:words])


# --- facts: bottom line, agreement, context, and where sources disagree ----------------------


@dataclass
class _Terms:
    """The story's terms (and the rules' concept phrases) as word sequences, each with the
    name it counts as, for negation checks: "mutual assistance" and "automatic military
    intervention" both count as the concept "(defence_commitment)". Sources can disagree
    over the `disputable` ones only: provisions and key terms, not the agreement's names."""

    sequences: list[tuple[tuple[str, ...], str]]
    disputable: frozenset[str]

    @classmethod
    def from_config(cls, config: Config, rules: Rules) -> _Terms:
        named: dict[tuple[str, ...], str] = {}
        disputable: set[str] = set()
        for term in config.story.agreement_terms:
            words = tuple(_words(term))
            if words:
                named.setdefault(words, " ".join(words))
                if words[-1] not in rules.agreement_names:
                    disputable.add(" ".join(words))  # "mutual assistance": a provision
        for term in config.story.key_terms:
            words = tuple(_words(term))
            if words:
                named.setdefault(words, " ".join(words))
                disputable.add(" ".join(words))
        for concept, phrases in rules.concepts.items():
            for phrase in phrases:
                words = tuple(_words(phrase))
                if words:
                    named[words] = f"({concept})"
                    disputable.add(f"({concept})")
        ordered = sorted(named.items(), key=lambda pair: (-len(pair[0]), pair[0]))
        return cls(ordered, frozenset(disputable))

    def find(self, text: str, rules: Rules, claims: bool = False) -> tuple[set[str], set[str]]:
        """(names stated, names negated) in `text`. With `claims`, a clause that voices
        uncertainty ("it is unclear whether ...") states and negates nothing."""
        stated: set[str] = set()
        negated: set[str] = set()
        for clause in _CLAUSE.split(text):
            tokens = _words(clause)
            if claims and _is_uncertain(tokens, rules):
                continue
            # Where each word stands: a term is looked for only where its first word is.
            places: dict[str, list[int]] = defaultdict(list)
            for index, token in enumerate(tokens):
                places[token].append(index)
            reach: list[bool] | None = None
            for words, name in self.sequences:
                for start in places.get(words[0], ()):
                    if tuple(tokens[start : start + len(words)]) != words:
                        continue
                    reach = reach or _negation_reach(tokens, rules)
                    (negated if reach[start] else stated).add(name)
        return stated - negated, negated


def _is_uncertain(tokens: list[str], rules: Rules) -> bool:
    """Whether the words hold one of the rules' uncertainty phrases ("not yet known")."""
    longest = max((len(phrase) for phrase in rules.uncertainty), default=0)
    for start in range(len(tokens)):
        for size in range(1, min(longest, len(tokens) - start) + 1):
            if tuple(tokens[start : start + size]) in rules.uncertainty:
                return True
    return False


def _negation_reach(tokens: list[str], rules: Rules) -> list[bool]:
    """For each token, whether a negation a few words before it applies to it."""
    reach = [False] * len(tokens)
    for i, token in enumerate(tokens):
        is_negation = token in rules.negations or token.endswith(("n't", "n’t"))
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if not is_negation or (token, following) in rules.negation_exceptions:
            continue
        for j in range(i + 1, min(len(tokens), i + 1 + rules.negation_window)):
            reach[j] = True
    return reach


@dataclass
class _FactItem:
    item: BriefItem
    topic: str
    docs: frozenset[str]
    position: float
    text: str  # the whole sentence: the bottom line clips it less than its section does


def _fact_items(facts: list[Fact], citer: Citer) -> list[_FactItem]:
    out = []
    for fact in facts:
        item = citer.item(fact.text, fact.docs, fact.score)
        text = undateline(fact.text, citer.rules)
        out.append(_FactItem(item, fact.topic, frozenset(fact.docs), fact.position, text))
    out.sort(key=lambda f: (-f.item.rank, f.position))
    return out


def _pair_conflicts(
    facts: list[_FactItem], terms: _Terms, rules: Rules
) -> tuple[list[_FactItem], int]:
    """Attach to a fact the fact of other sources that negates one of its terms.

    Returns the facts left standing (the negating ones ride on their partner) and the number
    of pairs. Facts are ranked best first, so each term pairs its two strongest claims.
    """
    found = [(f, *terms.find(f.item.text, rules, claims=True)) for f in facts[:200]]
    taken: set[int] = set()
    pairs = 0
    for stated_fact, stated, _ in found:
        if pairs >= rules.max_conflicts:
            break
        if id(stated_fact) in taken:
            continue
        for other, _, negated in found:
            if (
                other is stated_fact
                or id(other) in taken
                or other.topic != stated_fact.topic
                or other.docs == stated_fact.docs
                or not (stated & negated & terms.disputable)
            ):
                continue
            stated_fact.item.counterpoint = other.item
            # A point the sources dispute is worth the reader's attention.
            stated_fact.item.rank = round(stated_fact.item.rank + rules.conflict_bonus, 4)
            taken.update((id(stated_fact), id(other)))
            pairs += 1
            break
    riders = {id(f.item.counterpoint) for f in facts if f.item.counterpoint is not None}
    standing = [f for f in facts if id(f.item) not in riders]
    standing.sort(key=lambda f: (-f.item.rank, f.position))  # disputed points rose
    return standing, pairs


def _bottom_line(facts: list[_FactItem], rules: Rules) -> list[_FactItem]:
    """The top-ranked facts, undisputed and not repeating each other, within the rules'
    sentences and words (each sentence clipped as a lead: the point must come through). A
    sentence too long to show whole ranks a little lower, and once the bottom line has its
    fewest sentences it takes no more cut ones: a whole sentence reads better."""
    limits = rules.bottom_line
    most = rules.max_words.get("lead")
    penalty = limits.get("clipped_penalty", 0.0)

    def too_long(fact: _FactItem) -> bool:
        return most is not None and len(fact.text.split(None, most)) > most

    def weight(fact: _FactItem) -> float:
        return fact.item.rank - (penalty if too_long(fact) else 0.0)

    # Only the strongest facts can lead; weighing more of them would cost for nothing.
    ordered = sorted(facts[:50], key=lambda fact: (-weight(fact), fact.position))
    chosen: list[_FactItem] = []
    leads: list[str] = []
    words = 0
    for fact in ordered + facts[50:]:
        if len(chosen) >= limits["sentences"]:
            break
        if fact.item.counterpoint is not None:
            continue  # a disputed point stays in its section, beside the other claim
        if len(chosen) >= limits["min_sentences"] and too_long(fact):
            continue
        lead = clip(fact.text, rules.max_words.get("lead"))
        if any(_similar(lead, other) for other in leads):
            continue
        size = len(lead.split())
        if len(chosen) >= limits["min_sentences"] and words + size > limits["max_words"]:
            break
        chosen.append(fact)
        leads.append(lead)
        words += size
    return chosen


def _topic(facts: list[_FactItem], topic: str, used: set[int]) -> list[BriefItem]:
    """Facts of a topic, best first, without those already in the bottom line (unless that
    would leave the section empty)."""
    items = [f.item for f in facts if f.topic == topic]
    fresh = [item for item in items if id(item) not in used]
    return fresh or items


def _is_background(fact: _FactItem) -> bool:
    return fact.topic != "agreement"


# --- reactions ---------------------------------------------------------------------------------


def _reaction_weight(reaction: Reaction) -> float:
    return (
        2.0 * reaction.quoted
        + 1.0 * (reaction.actor is not None)
        + 1.0 * (reaction.stance is not None)
        + 0.1 * len(reaction.stance_cues)
    )


def _country_reaction(
    key: str,
    reactions: list[Reaction],
    quotes: list[Quote],
    config: Config,
    citer: Citer,
    rules: Rules,
) -> BriefItem:
    label = config.country_label(key)
    if not reactions:
        return BriefItem(text=rules.no_reaction, country=label, rank=0.0, support=0)
    best = max(reactions, key=_reaction_weight)
    votes: Counter[str] = Counter()
    for reaction in reactions:
        if reaction.stance:
            votes[reaction.stance] += 1 + reaction.quoted
    stance = best.stance
    if votes:
        top = max(votes.values())
        if votes.get(best.stance or "", 0) < top:
            stance = next(s for s, n in votes.most_common() if n == top)
    cues: list[str] = []
    for reaction in sorted(reactions, key=_reaction_weight, reverse=True):
        if reaction.stance == stance:
            cues += [c for c in reaction.stance_cues if c not in cues]
    quote, speaker = _country_quote(key, best, quotes, rules)
    return citer.item(
        best.text,
        [r.doc for r in reactions],
        1.0 + 0.1 * _reaction_weight(best),
        kind="reaction",
        country=label,
        stance=stance,
        stance_label=rules.stance_labels.get(stance or "", None),
        stance_cues=[clip(c, 6) for c in cues[:4]],
        speaker=_name(best.actor or speaker),
        quote=clip(quote, rules.max_words.get("quote")) if quote else None,
    )


def _country_quote(
    key: str, best: Reaction, quotes: list[Quote], rules: Rules
) -> tuple[str | None, str | None]:
    """The country's best direct words, unless the reaction's own text already holds them."""
    if best.quoted:
        return None, None
    limits = rules.quotes
    own = [
        q
        for q in quotes
        if q.country == key
        and not q.partial
        and limits["min_words"] <= len(q.text.split()) <= limits["max_words"]
    ]
    if not own:
        return None, None
    chosen = max(own, key=lambda q: (q.doc == best.doc, q.speaker is not None, len(q.text)))
    return chosen.text, chosen.speaker


# --- quotes, timeline, questions ------------------------------------------------------------


def _quotes(quotes: list[Quote], citer: Citer, rules: Rules) -> list[BriefItem]:
    limits = rules.quotes
    roles: list[str] = list(limits["roles"])
    usable = [
        q
        for q in quotes
        if q.speaker
        and not q.partial
        and limits["min_words"] <= len(q.text.split()) <= limits["max_words"]
    ]
    preferred = [q for q in usable if q.role in roles] or usable
    groups: dict[str, list[Quote]] = defaultdict(list)
    for quote in preferred:
        groups[_dedupe_key(quote.text)].append(quote)
    items = []
    for group in groups.values():
        first = group[0]
        role_rank = roles.index(first.role) if first.role in roles else len(roles)
        title = ", ".join(p for p in (first.speaker_title, first.affiliation) if p) or None
        items.append(
            citer.item(
                first.text,
                [q.doc for q in group],
                1.0 - 0.2 * role_rank,
                kind="quote",
                speaker=_name(first.speaker),
                speaker_title=_name(title),
                country=first.country,
            )
        )
    items.sort(key=lambda i: -i.rank)
    return items


def _per_speaker(items: list[BriefItem], most: int) -> list[BriefItem]:
    """The items, best first, keeping at most `most` of each speaker's."""
    count: Counter[str] = Counter()
    kept = []
    for item in items:
        count[item.speaker or ""] += 1
        if count[item.speaker or ""] <= most:
            kept.append(item)
    return kept


def date_key(date: str) -> tuple[int, int, int]:
    """Sort key of a YYYY, YYYY-MM or YYYY-MM-DD date; a bare year sorts before its months."""
    match = _DATE_PARTS.match(date)
    if not match:
        return (0, 0, 0)
    year, month, day = match.groups()
    return (int(year), int(month or 0), int(day or 0))


def _timeline(events: list[Event], citer: Citer, sentences: _Sentences) -> list[BriefItem]:
    """One item per event, however many sources and dates report it, each told by its
    sentence cut around its date (see `_event_text`).

    Events with the same opening words are one event (a sentence naming two years gives two
    events of the same text: the first date found stands). Among equals the more recent
    events rank higher: a brief is about now, background comes second.
    """
    limit = citer.rules.max_words["event"]
    groups: dict[str, list[tuple[Event, str]]] = defaultdict(list)
    for event in events:
        text = _event_text(event, sentences, limit, citer.rules)
        groups[_dedupe_key(text, 8)].append((event, text))
    dates = sorted({date_key(group[0][0].date) for group in groups.values()})
    recency = {d: i / max(1, len(dates) - 1) for i, d in enumerate(dates)}
    items = []
    for group in groups.values():
        first, text = group[0]
        docs = [d for e, _ in group for d in e.docs]
        inferred = all(e.inferred for e, _ in group)
        score = 1.0 - 0.2 * inferred + 0.15 * recency[date_key(first.date)]
        items.append(
            citer.item(text, docs, score, "event", shaped=True, date=first.date, inferred=inferred)
        )
    return items


class _Sentences:
    """The whole sentences the sources hold (facts and reactions), by document: an event's
    text, cut around its date by the extractor, is looked up among them."""

    # Sentences of one document searched: enough for the facts kept of a long article.
    PER_DOC = 200
    # Documents of one event searched: the first few that report it.
    DOCS = 4

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self._by_doc: dict[str, list[str]] | None = None

    def by_doc(self) -> dict[str, list[str]]:
        if self._by_doc is None:  # built at the first cut event only
            by_doc: dict[str, list[str]] = defaultdict(list)
            for fact in self.extraction.facts:
                for doc in fact.docs:
                    by_doc[doc].append(" ".join(fact.text.split()))
            for reaction in self.extraction.reactions:
                by_doc[reaction.doc].append(" ".join(reaction.text.split()))
            self._by_doc = by_doc
        return self._by_doc

    def find(self, fragment: str, docs: list[str]) -> tuple[str, int] | None:
        """The sentence holding `fragment`, and where in it the fragment starts."""
        by_doc = self.by_doc()
        for doc in docs[: self.DOCS]:
            for sentence in by_doc.get(doc, [])[: self.PER_DOC]:
                at = sentence.find(fragment)
                if at >= 0:
                    return sentence, at
        return None


def _event_text(event: Event, sentences: _Sentences, limit: int, rules: Rules) -> str:
    """The event's sentence, at most `limit` words, holding the date where it can.

    An extractor's text cut at its start ("… and Valmark signed a pact on Monday ...") is
    replaced by its whole sentence when a fact or reaction holds it; the part shown then
    starts at the sentence's start or at a clause start, and ends at a clause's end where
    one is near the limit. A text whose sentence is not found is cut at a clause start
    inside it, or left as it starts, with "…", when the date comes before any."""
    text = " ".join(event.text.split())
    left_cut, right_cut = text.startswith("…"), text.endswith("…")
    fragment = text.strip("… ")
    found = sentences.find(fragment, event.docs) if fragment and (left_cut or right_cut) else None
    if found:
        sentence, at = found
        words = sentence.split(" ")
        first = sentence.count(" ", 0, at)
        dateline = rules.dateline.match(sentence[:400])
        skip = sentence.count(" ", 0, dateline.end()) if dateline else 0
        words, first = words[skip:], max(0, first - skip)
        last = min(len(words), first + len(fragment.split(" ")))
        cut_start, cut_end = False, False
    else:
        words = undateline(fragment, rules).split(" ")
        first, last = 0, len(words)
        cut_start, cut_end = left_cut, right_cut
    anchor = _date_anchor(words, first, last, event.date, rules)
    return _window(words, anchor, limit, cut_start, cut_end)


def _date_anchor(
    words: list[str], first: int, last: int, date: str, rules: Rules
) -> tuple[int, int]:
    """The words of `words[first:last]` that name the date: those naming its day ("June 19",
    "the 19th", "Monday") before those naming its month or year only, and the nearest to
    where the extractor puts a date (a third into its text); that third when none does."""
    expected = first + (last - first) // 3
    names, day_names, days = _date_names(date, rules)
    months = {*rules.months, *rules.month_abbreviations}
    strength: dict[int, int] = {}
    for index in range(first, last):
        word = _bare_word(words[index])
        if word in day_names:
            strength[index] = 2
        elif word in names:
            strength[index] = 1
        elif word in days:  # "19" only beside a month: "June 19", "19 June"
            beside = {_bare_word(w) for w in words[max(0, index - 1) : index + 2]}
            if beside & months:
                strength[index] = 2
    if not strength:
        return expected, expected
    best = max(strength, key=lambda index: (strength[index], -abs(index - expected)))
    low, high = best, best
    while low - 1 in strength:  # the whole date: "June 19, 2024"
        low -= 1
    while high + 1 in strength:
        high += 1
    return low, high


def _date_names(date: str, rules: Rules) -> tuple[set[str], set[str], set[str]]:
    """Words naming the date's month or year; its day ("monday", "19th"); its bare day
    number ("19")."""
    match = _DATE_PARTS.match(date)
    if not match:
        return set(), set(), set()
    year, month, day = match.groups()
    names = {year}
    if month and 1 <= int(month) <= 12:
        names.update({rules.months[int(month) - 1], rules.month_abbreviations[int(month) - 1]})
    day_names: set[str] = set()
    days: set[str] = set()
    if month and day:
        with contextlib.suppress(ValueError):
            weekday = dt.date(int(year), int(month), int(day)).weekday()
            number = int(day)
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number // 10 != 1 else 0, "th")
            day_names.update({rules.weekdays[weekday], f"{number}{suffix}"})
            days.add(str(number))
    return names, day_names, days


def _window(
    words: list[str], anchor: tuple[int, int], limit: int, cut_start: bool, cut_end: bool
) -> str:
    """At most `limit` of `words`, holding the `anchor` words where a clause start allows:
    from the earliest clause start (the sentence's start unless `cut_start`) whose `limit`
    words reach past the anchor, else from the last clause start before it; cut at a clause
    end near the limit. A clause start leaving fewer than half the limit's words ("…
    Norland, in May") is no start. "…" marks where words are left out."""
    low, high = anchor
    starts = [0] if not cut_start else []
    starts += [
        i
        for i in range(1, min(low, len(words) - limit // 2) + 1)
        if _ends_clause(words[i - 1]) or words[i - 1] in _DASHES
    ]
    reaching = [s for s in starts if s + limit > high]
    start = reaching[0] if reaching else (starts[-1] if starts else 0)
    shown = words[start:]
    floor = high - start + 1 if 0 <= high - start < limit else 1  # the date stays
    end = len(shown)
    if end > limit or cut_end:
        end = clip_end(shown, min(end, limit), floor)
    text = " ".join(shown[:end])
    text = with_ellipsis(text) if end < len(shown) or cut_end else text
    if start > 0 or cut_start:
        text = "… " + text.lstrip(",;:–—- ")
    return text


def _is_headline(text: str) -> bool:
    """Title Case text ("Will They Form an Alliance?") is a headline asking, not a question
    the sources leave open."""
    long_words = [w for w in text.split() if len(w) > 3 and w[:1].isalpha()]
    capitalised = sum(w[:1].isupper() for w in long_words)
    return len(long_words) >= 3 and capitalised >= 0.6 * len(long_words)


def _question_score(
    question: Question, terms: _Terms, after_story: set[str], rules: Rules
) -> float:
    """Questions phrased as questions and about the story's terms rank higher; headlines
    lower; questions asked once the event has happened (in articles dated on or after the
    story's date) higher."""
    weights = rules.questions
    stated, negated = terms.find(question.text, rules)
    hits = min(len(stated | negated), int(weights["max_terms"]))
    score = 1.0 + weights["term_bonus"] * hits
    text = question.text.strip()
    if text.endswith("?") or text.lower().startswith(("whether ", "if ")):
        score += weights["question_bonus"]
    if _is_headline(text):
        score -= weights["headline_penalty"]
    if any(doc in after_story for doc in question.docs):
        score += weights["after_story_bonus"]
    return score


def _questions(
    questions: list[Question], citer: Citer, terms: _Terms, after_story: set[str], rules: Rules
) -> list[BriefItem]:
    groups: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        groups[_dedupe_key(question.text)].append(question)
    items = []
    for order, group in enumerate(groups.values()):
        docs = [d for q in group for d in q.docs]
        score = max(_question_score(q, terms, after_story, rules) for q in group)
        # Earlier questions first among equals: extractors list them in reading order.
        items.append(citer.item(group[0].text, docs, score - 0.001 * order, kind="question"))
    items.sort(key=lambda i: -i.rank)
    return items


def _after_story(extraction: Extraction, config: Config) -> set[str]:
    """Documents dated on or after the story's date (none when the story has no date)."""
    if not config.story.date:
        return set()
    story = str(config.story.date)[:10]
    return {d.id for d in extraction.documents if d.published and d.published[:10] >= story}


# --- variety: each section adds to what the sections above it said ---------------------------


@dataclass
class _Said:
    """What the brief has said so far: story terms named, and each item's content words."""

    terms: set[str]
    texts: list[frozenset[str]]


class _Variety:
    """Scores items for what they add to what has been said (rules: variety)."""

    def __init__(self, config: Config, rules: Rules, terms: _Terms) -> None:
        self.rules = rules
        self.weights = rules.variety
        self.terms = terms
        # Names of the story's countries and people are in nearly every item: they tell
        # nothing about whether two items make the same point.
        names: set[str] = set()
        for key, country in config.countries.items():
            for name in [key, *country.aliases, *country.people]:
                names.update(_content_stem(w) for w in _words(name))
        self.ignored = rules.stopwords | names
        self._words: dict[str, frozenset[str]] = {}
        self._named: dict[str, frozenset[str]] = {}

    def words(self, item: BriefItem) -> frozenset[str]:
        """The item's content words (with the other side of a dispute: it is shown too)."""
        text = _shown_text(item)
        if text not in self._words:
            stems = (_content_stem(w) for w in _words(text))
            self._words[text] = frozenset(w for w in stems if len(w) > 3 and w not in self.ignored)
        return self._words[text]

    def named(self, item: BriefItem) -> frozenset[str]:
        """The story terms the item names, stated or negated."""
        text = _shown_text(item)
        if text not in self._named:
            stated, negated = self.terms.find(text, self.rules)
            self._named[text] = frozenset(stated | negated)
        return self._named[text]

    def add(self, said: _Said, items: list[BriefItem]) -> None:
        """Record that `items` are shown (the first said_top of a section count)."""
        for item in items[: int(self.weights["said_top"])]:
            said.terms.update(self.named(item))
            said.texts.append(self.words(item))

    def order(self, items: list[BriefItem], said: _Said) -> list[tuple[BriefItem, float]]:
        """The items best first, each with a rank for what it adds: new story terms earn,
        saying again what an item above says costs, and so does a date the timeline already
        has. The ranks never rise down the list."""
        weights = self.weights
        pool = sorted(items, key=lambda i: -i.rank)
        weighed, rest = pool[: int(weights["max_items"])], pool[int(weights["max_items"]) :]
        words = [self.words(i) for i in weighed]
        named = [self.named(i) for i in weighed]
        least = int(weights["min_words"])
        overlap = [max((_share(w, t, least) for t in said.texts), default=0.0) for w in words]
        terms = set(said.terms)
        dates: set[str] = set()
        pending = list(range(len(weighed)))
        ordered: list[tuple[BriefItem, float]] = []
        while pending:
            scores = {
                i: self._score(weighed[i], named[i], overlap[i], terms, dates) for i in pending
            }
            best = max(pending, key=lambda i: (scores[i], -i))
            pending.remove(best)
            ordered.append((weighed[best], round(scores[best], 4)))
            terms.update(named[best])
            if weighed[best].date:
                dates.add(weighed[best].date)
            for i in pending:
                overlap[i] = max(overlap[i], _share(words[i], words[best], least))
        floor = ordered[-1][1] if ordered else 0.0
        return ordered + [(item, min(item.rank, floor)) for item in rest]

    def ranked(self, items: list[BriefItem], said: _Said) -> list[BriefItem]:
        """`order`, as copies of the items holding their new ranks (an item may stand in
        two sections, ranked differently in each)."""
        return [dataclasses.replace(item, rank=rank) for item, rank in self.order(items, said)]

    def _score(
        self,
        item: BriefItem,
        named: frozenset[str],
        overlap: float,
        terms: set[str],
        dates: set[str],
    ) -> float:
        weights = self.weights
        new_terms = min(len(named - terms), int(weights["max_new_terms"]))
        score = item.rank + weights["new_term_bonus"] * new_terms
        score -= weights["overlap_penalty"] * overlap
        if overlap >= weights["repeat_share"]:
            score -= weights["repeat_penalty"]
        if item.date and item.date in dates:
            score -= weights["repeat_date_penalty"]
        return score


def _shown_text(item: BriefItem) -> str:
    """What an item shows: its text, its quote and the other side of a dispute."""
    counter = item.counterpoint.text if item.counterpoint else ""
    return f"{item.text} {item.quote or ''} {counter}"


def _content_stem(word: str) -> str:
    """A word without its possessive ("varga's" -> "varga")."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _share(words: frozenset[str], other: frozenset[str], min_words: int) -> float:
    """How much of `words` the other text already holds (as a share of at least
    `min_words`)."""
    return len(words & other) / max(len(words), min_words, 1)


# --- sources, limits and the whole brief --------------------------------------------------------


def _sources(extraction: Extraction, rules: Rules) -> list[BriefSource]:
    sources = []
    for number, doc in enumerate(extraction.documents, start=1):
        url = doc.url if doc.url and _SAFE_URL.fullmatch(doc.url.strip()) else None
        headline = (doc.headline or "").strip() or Path(doc.path).name or doc.id
        sources.append(
            BriefSource(
                number=number,
                doc=doc.id,
                headline=clip(headline, rules.max_words.get("headline")),
                publisher=_name(doc.publisher),
                date=doc.published,
                url=url.strip() if url else None,
            )
        )
    return sources


def _limit(items: list[BriefItem], limit: int | None, section: str) -> list[BriefItem]:
    """The best `limit` items, shown in the section's reading order."""
    if limit is not None and limit >= 0 and len(items) > limit:
        keep = {id(i) for i in sorted(items, key=lambda i: -i.rank)[: max(limit, 1)]}
        items = [i for i in items if id(i) in keep]
    if section == "timeline":
        items = sorted(items, key=lambda i: date_key(i.date or ""))
    return items


def _count_citations(sections: list[BriefSection], sources: list[BriefSource]) -> None:
    counts: Counter[int] = Counter()
    for section in sections:
        for item in section.items:
            while item is not None:
                counts.update(item.sources)
                item = item.counterpoint
    for source in sources:
        source.cited = counts[source.number]


def _brief_date(extraction: Extraction, config: Config) -> str | None:
    if config.story.date:
        return str(config.story.date)[:10]
    dates = [d.published[:10] for d in extraction.documents if d.published]
    return max(dates) if dates else None


def _candidates(
    extraction: Extraction,
    config: Config,
    settings: Audience,
    citer: Citer,
    rules: Rules,
    variety: _Variety,
) -> dict[str, list[BriefItem]]:
    """Every section's items, before variety and limits (the bottom line is chosen). The
    agreement and background leave out what the audience's quotes and reactions show."""
    terms = variety.terms
    facts, _ = _pair_conflicts(_fact_items(extraction.facts, citer), terms, rules)
    bottom = _bottom_line(facts, rules)
    used = {id(fact.item) for fact in bottom}
    lead = [
        dataclasses.replace(f.item, text=clip(f.text, rules.max_words.get("lead"))) for f in bottom
    ]
    by_country: dict[str, list[Reaction]] = defaultdict(list)
    for reaction in extraction.reactions:
        by_country[reaction.country].append(reaction)
    reactions = [
        _country_reaction(key, by_country[key], extraction.quotes, config, citer, rules)
        for key in config.story.third_countries
    ]
    quotes = _quotes(extraction.quotes, citer, rules)
    shown_quotes = _per_speaker(quotes, int(rules.quotes["per_speaker"]))
    shown_quotes = _limit(shown_quotes, settings.limits.get("quotes"), "quotes")
    repeats = _repeated_facts(
        facts,
        shown_quotes if "quotes" in settings.sections else [],
        extraction.reactions if "reactions" in settings.sections else [],
        rules,
    )
    context = [f.item for f in facts if _is_background(f)]
    fresh_context = [item for item in context if id(item) not in used]
    return {
        "bottom_line": lead,
        "agreement": _without(_topic(facts, "agreement", used), repeats),
        "context": _without(fresh_context or context, repeats),
        "reactions": reactions,
        "quotes": quotes,
        "timeline": _timeline(extraction.events, citer, _Sentences(extraction)),
        "questions": _questions(
            extraction.open_questions, citer, terms, _after_story(extraction, config), rules
        ),
        "sources": [],
    }


def _repeated_facts(
    facts: list[_FactItem], quotes: list[BriefItem], reactions: list[Reaction], rules: Rules
) -> set[int]:
    """The facts (ids of their items) that say again what a key quote or a reaction shows:
    a fact holding all of a shown quote's words, which are at least the rules' quote_share
    of its own ('"This pact opens a new chapter," said the President at the ceremony'), or
    a fact that is a third country's reaction sentence."""
    reacted = {_dedupe_key(undateline(r.text, rules)) for r in reactions}
    size = int(rules.quotes["min_words"])
    by_opening: dict[tuple[str, ...], list[list[str]]] = defaultdict(list)
    for quote in quotes:
        words = _words(quote.text)
        if len(words) >= size:
            by_opening[tuple(words[:size])].append(words)
    repeated: set[int] = set()
    for fact in facts:
        if _dedupe_key(fact.text) in reacted or _holds_quote(fact.text, by_opening, size, rules):
            repeated.add(id(fact.item))
    return repeated


def _holds_quote(
    text: str, by_opening: dict[tuple[str, ...], list[list[str]]], size: int, rules: Rules
) -> bool:
    """Whether the text holds one of the quotes (indexed by their first `size` words), and
    is mostly that quote."""
    if not by_opening:
        return False
    words = _words(text)
    for start in range(len(words) - size + 1):
        for quote in by_opening.get(tuple(words[start : start + size]), ()):
            whole = words[start : start + len(quote)] == quote
            if whole and len(quote) >= rules.repeats["quote_share"] * len(words):
                return True
    return False


def _without(items: list[BriefItem], dropped: set[int]) -> list[BriefItem]:
    """The items but the dropped ones, unless none would be left."""
    kept = [item for item in items if id(item) not in dropped]
    return kept or items


# Sections whose items keep the order they come in: the bottom line is chosen already, and
# reactions are one per third country, in the config's order.
_FIXED_ORDER = ("bottom_line", "reactions", "sources")


def _sections(
    items: dict[str, list[BriefItem]], settings: Audience, variety: _Variety, rules: Rules
) -> list[BriefSection]:
    """The audience's sections in its order, each ranked for what it adds to the sections
    above it, within the audience's limits."""
    said = _Said(set(), [])
    sections = []
    for name in settings.sections:
        chosen = items[name]
        if name not in _FIXED_ORDER:
            chosen = variety.ranked(chosen, said)
        if name == "quotes":  # each speaker's quotes that add most, not the first ones
            chosen = _per_speaker(chosen, int(rules.quotes["per_speaker"]))
        chosen = _limit(chosen, settings.limits.get(name), name)
        variety.add(said, sorted(chosen, key=lambda i: -i.rank))
        sections.append(BriefSection(name, chosen))
    return sections


def assemble(extraction: Extraction, config: Config, audience: str) -> Brief:
    """The brief of `audience`: its sections, in its order, within its limits."""
    settings: Audience = config.audience(audience)
    rules = load_rules()
    citer = Citer([d.id for d in extraction.documents], rules)
    variety = _Variety(config, rules, _Terms.from_config(config, rules))
    items = _candidates(extraction, config, settings, citer, rules, variety)
    sections = _sections(items, settings, variety, rules)
    sources = _sources(extraction, rules)
    stances = [
        BriefStance(r.country or "", r.stance, r.stance_label, list(r.stance_cues))
        for r in items["reactions"]
    ]
    _count_citations(sections, sources)
    return Brief(
        title=config.story.title,
        date=_brief_date(extraction, config),
        audience=audience,
        audience_title=settings.title or f"{audience.replace('_', ' ').capitalize()} brief",
        sections=sections,
        sources=sources,
        stances=stances,
        document_count=len(extraction.documents),
        font_pt=settings.font_pt,
        page_size=settings.page_size or config.render.page_size,
        word_budget=settings.word_budget,
    )
