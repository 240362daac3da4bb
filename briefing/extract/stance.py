"""The stance of one statement, read from the clause that carries it.

A bag of stance words over the whole sentence inverts meaning too often ("initially welcomed
the visit, but then called it a bilateral matter"; "a stab in the back"). The sentence is read
in parts instead, with the tables of briefing/rules/stance.yaml:

- senses: phrases that hold a stance word but carry no stance ("back down", "as far as ... is
  concerned") are matched first and dropped; idioms that carry one ("stab in the back") are
  plain entries of their stance;
- contrast: a sentence is cut at contrast markers ("but", "however"); the last part holding
  stance words wins. A clause opened by a concessive marker ("although", "despite") loses to
  the rest. When a marker says the stance changed over time ("later", "changed its stance",
  "initially"), the parts before are an earlier statement and are kept as such;
- negation: a negation within three words before a stance word, in the same clause, turns a
  welcome into concern and silences the rest ("not concerned" says little); "not only" is no
  negation;
- weights: words outside quotes (the reporting words) weigh more than quoted ones, the verb
  that reports the reaction most, and an intensifier ("strongly") adds to the word after it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from ..language import negations
from ..resources import load_rules

# Characters that a case-blind regex matches to an ASCII letter but that lower() keeps as
# they are (dotless i, long s): text holding one is read with the case-blind regex.
_CASE_BLIND_ONLY = ("\u0131", "\u017f")
_NO_END = 1 << 62
_NONE = "none"  # the group of senses that carry no stance
_NEGATION_WINDOW = 3  # words before a stance word read for a negation
# Marks that end a clause: a negation before one does not reach past it (nor past "but").
_BREAKS = (",", ";", ":", "(", ")", "\u2014", "\u2013")
_WORD_EDGE = ".;:\"'\u201c\u201d\u2018\u2019"


@dataclass(frozen=True)
class StanceRules:
    pattern: re.Pattern[str]
    priority: tuple[str, ...]
    attribution_weight: int
    verb_weight: int
    negations: frozenset[str]
    not_negated_after: frozenset[str]  # "not only": the negation reaches no further
    intensifiers: frozenset[str]
    reaction_verbs: frozenset[str]
    reaction_nouns: frozenset[str]
    noun_pattern: re.Pattern[str]
    country_joiners: frozenset[str]
    time_words: frozenset[str]
    markers: re.Pattern[str]
    # `pattern` without IGNORECASE, for lower-cased text (None when the lexicon is not ASCII)
    lower_pattern: re.Pattern[str] | None


def _cue_regex(entry: str) -> str:
    """One lexicon entry as a regex: words at boundaries, "*" for any ending (bounded), "..."
    for a gap of up to four words ("as far as ... is concerned")."""
    parts = []
    for word in entry.lower().split():
        if word == "...":
            parts.append(r"(?:\S+\s{1,3}){0,4}?")
            continue
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w{0,12}")
        else:
            parts.append(re.escape(word))
    return r"\s{1,3}".join(parts).replace(r"?\s{1,3}", "?")


def _alternation(entries: list[object]) -> str:
    return "|".join(sorted((_cue_regex(str(e)) for e in entries), key=len, reverse=True))


@cache
def stance_rules() -> StanceRules:
    data = load_rules("stance.yaml")
    # The senses without stance come first: at one position, the first group that matches wins.
    groups = [f"(?P<{_NONE}>{_alternation(data['senses_without_stance'])})"]
    for stance, entries in data["stances"].items():
        groups.append(f"(?P<{stance}>{_alternation(entries)})")
    source = r"(?<!\w)(?:" + "|".join(groups) + r")(?![\w-])"
    nouns = "|".join(re.escape(str(n)) for n in data["reaction_nouns"])
    noun_pattern = re.compile(
        r"(?<!\w)(?:" + nouns + r")\s{1,3}(?:in|among|from|across)\s{1,3}(?:both\s{1,3})?",
        re.IGNORECASE,
    )
    marker_groups = [f"(?P<{kind}>{_alternation(e)})" for kind, e in data["contrast"].items()]
    return StanceRules(
        pattern=re.compile(source, re.IGNORECASE),
        priority=tuple(data["priority"]),
        attribution_weight=int(data["attribution_weight"]),
        verb_weight=int(data["verb_weight"]),
        negations=negations().words,
        not_negated_after=frozenset(str(n).lower() for n in data["not_negations"]),
        intensifiers=frozenset(str(n).lower() for n in data["intensifiers"]),
        reaction_verbs=frozenset(str(v).lower() for v in data["reaction_verbs"]),
        reaction_nouns=frozenset(str(n).lower() for n in data["reaction_nouns"]),
        noun_pattern=noun_pattern,
        country_joiners=frozenset(
            " ".join(str(j).lower().split()) for j in data["country_joiners"]
        ),
        time_words=frozenset(str(w).lower() for w in data["time_words"]),
        markers=re.compile(
            r"(?<![\w-])(?:" + "|".join(marker_groups) + r")(?![\w-])", re.IGNORECASE
        ),
        lower_pattern=re.compile(source) if source.isascii() else None,
    )


class Cue(NamedTuple):
    at: int
    stance: str
    words: str  # as written
    weight: int


class Reading(NamedTuple):
    """The stance of a statement, the words that carry it, and where they are; `earlier_*`
    when the sentence reports an earlier statement that the later one replaced."""

    stance: str | None
    cues: list[str]
    start: int  # the part of the sentence that carries the stance
    end: int
    earlier_stance: str | None = None
    earlier_cues: tuple[str, ...] = ()
    earlier_start: int = 0
    earlier_end: int = 0


def _raw_cues(
    text: str, start: int, end: int, rules: StanceRules
) -> Iterator[tuple[int, str, str]]:
    """(offset, group, words as written) of each lexicon entry in text[start:end].

    The case-blind regex of ~100 entries enters every entry at every character (~5x slower);
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


def _words_before(text: str, start: int, at: int) -> list[str]:
    """The last few words before `at`, within its clause (a comma or "but" ends the reach)
    and its sentence (which begins at `start`)."""
    window = text[max(start, at - 40) : at].lower()
    cut = max(window.rfind(mark) for mark in _BREAKS)
    but = window.rfind(" but ")
    if but >= 0 and but + 4 > cut:
        cut = but + 4
    if cut >= 0:
        window = window[cut + 1 :]
    if "'" in window or "\u2019" in window:
        window = window.replace("n't", " n't").replace("n\u2019t", " n't")
    return [w.strip(_WORD_EDGE) for w in window.split()[-_NEGATION_WINDOW:]]


def _negated(before: list[str], rules: StanceRules) -> bool:
    for i, word in enumerate(before):
        if word in rules.negations:
            following = before[i + 1] if i + 1 < len(before) else ""
            if following not in rules.not_negated_after:
                return True
    return False


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` lies in one of `spans` (sorted, not overlapping): a bisection, as a long
    paragraph has many spans and many cues."""
    k = bisect_right(spans, (at, _NO_END)) - 1
    return k >= 0 and spans[k][0] <= at < spans[k][1]


def _cues(
    text: str,
    start: int,
    end: int,
    quoted: list[tuple[int, int]],
    verb_at: int | None,
    rules: StanceRules,
) -> list[Cue]:
    found = []
    for at, stance, words in _raw_cues(text, start, end, rules):
        if stance == _NONE:
            continue
        before = _words_before(text, start, at)
        if _negated(before, rules):
            if stance not in ("welcomes", "supports"):
                continue  # "not concerned" says little
            stance = "concerned"  # "does not welcome", "will never support"
        if at == verb_at:
            weight = rules.verb_weight
        elif _inside(quoted, at):
            weight = 1
        else:
            weight = rules.attribution_weight
        if before and before[-1] in rules.intensifiers:
            weight += 1
        found.append(Cue(at, stance, words, weight))
    return found


def _best(cues: list[Cue], rules: StanceRules) -> tuple[str | None, list[str]]:
    scores: dict[str, int] = {}
    words: dict[str, list[str]] = {}
    for cue in cues:
        scores[cue.stance] = scores.get(cue.stance, 0) + cue.weight
        said = " ".join(cue.words.lower().split())
        if said not in words.setdefault(cue.stance, []):
            words[cue.stance].append(said)
    if not scores:
        return None, []
    rank = rules.priority.index
    best = min(scores, key=lambda s: (-scores[s], rank(s)))
    return best, words[best]


class _Markers(NamedTuple):
    cuts: list[tuple[int, bool]]  # (offset, whether the stance changed over time there)
    concessive: list[tuple[int, int]]  # spans that lose to the rest of the sentence
    earlier: bool  # a marker of an earlier statement ("initially")


def _markers(text: str, start: int, end: int, rules: StanceRules) -> _Markers:
    cuts: list[tuple[int, bool]] = []
    concessive: list[tuple[int, int]] = []
    earlier = False
    for match in rules.markers.finditer(text, start, end):
        kind = match.lastgroup
        if kind == "concessive":
            stop = text.find(",", match.end(), end)
            concessive.append((match.start(), end if stop < 0 else stop))
        elif kind == "earlier":
            earlier = True
        else:
            cuts.append((match.start(), kind == "change"))
    return _Markers(cuts, concessive, earlier)


def read_stance(
    text: str,
    start: int,
    end: int,
    quoted: list[tuple[int, int]],
    verb_at: int | None = None,
) -> Reading:
    """The stance of the statement in text[start:end]; `quoted`: the quote spans (sorted, not
    overlapping), whose words weigh less; `verb_at`: where the verb that reports the reaction
    begins, which weighs most."""
    rules = stance_rules()
    cues = _cues(text, start, end, quoted, verb_at, rules)
    if not cues:
        return Reading(None, [], start, end)
    if len(cues) == 1:  # one stance word: no part of the sentence can outweigh it
        cue = cues[0]
        return Reading(cue.stance, [" ".join(cue.words.lower().split())], start, end)
    markers = _markers(text, start, end, rules)
    if markers.concessive:
        kept = [c for c in cues if not any(a <= c.at < b for a, b in markers.concessive)]
        cues = kept or cues
    if not markers.cuts:
        stance, words = _best(cues, rules)
        return Reading(stance, words, start, end)
    # The last part (between cuts) that holds stance words carries the statement.
    bounds = [start] + [at for at, _ in markers.cuts] + [end]
    last = max(cue.at for cue in cues)
    k = bisect_right(bounds, last) - 1
    part_start, part_end = bounds[k], bounds[k + 1]
    later = [c for c in cues if c.at >= part_start]
    stance, words = _best(later, rules)
    before = [c for c in cues if c.at < part_start]
    changed = markers.earlier or any(change for at, change in markers.cuts if at <= part_start)
    if not before or not changed:
        return Reading(stance, words, part_start, part_end)
    earlier, earlier_words = _best(before, rules)
    if earlier == stance:
        return Reading(stance, words, part_start, part_end)
    return Reading(
        stance, words, part_start, part_end, earlier, tuple(earlier_words), start, part_start
    )
