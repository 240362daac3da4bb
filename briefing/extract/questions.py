"""Open questions: what the articles say is unknown, unresolved, undisclosed or speculated.

Sources, in reading order: question headlines and subheads ("... Will They Form an
Alliance?"), unquoted questions in the body, and sentences with a cue from
briefing/rules/questions.yaml ("raises questions, including whether ...", "remains unclear",
"did not say", "speculate that ..."). An embedded "whether X" becomes "Whether X?"; other cue
sentences are kept as short statements ("Details of the deal were not disclosed.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from ..models import Document, Question
from ..resources import rules_path
from .textkeys import content_words, near_duplicate_groups, token_table
from .textunits import body_sentences

_SEGMENT_BREAK = re.compile(r"\.{3}|…|\s[|–—]\s")
_QUOTE_MARKS = "\"“”'‘’«»"
_DIRECT_QUOTE = re.compile(r"[\"“”«»]")
_WORD_SPAN = re.compile(r"\S{1,200}")
_SP = r"[ \t\u00a0]{1,3}"
_MAX_CHARS = 300


@dataclass(frozen=True)
class Rules:
    cue: re.Pattern[str]
    cue_gate: dict[str, str]  # token spelling -> a word every cue of it holds
    question_word: re.Pattern[str]
    whether_split: re.Pattern[str]
    speculation: frozenset[str]
    leading: re.Pattern[str]
    clause_breaks: tuple[str, ...]
    trailing_attribution: re.Pattern[str]
    max_words: int
    min_sentence_words: int


def _alternation(phrases: list[Any]) -> str:
    ordered = sorted((str(p).lower() for p in phrases), key=lambda p: -len(p))
    return "|".join(re.escape(p).replace(r"\ ", _SP) for p in ordered)


def _gate_word(phrase: str) -> str:
    """The longest word of a cue (the last among equals): a sentence without it cannot hold
    the cue, so the cue regex (slow: one alternation of all cues) runs only where it may."""
    words = phrase.lower().split()
    return max(reversed(words), key=len)


@cache
def rules() -> Rules:
    data = yaml.safe_load(rules_path("questions.yaml").read_text(encoding="utf-8"))
    return Rules(
        cue=re.compile(rf"(?<![\w'])(?:{_alternation(data['cues'])})(?!\w)", re.IGNORECASE),
        cue_gate=token_table(_gate_word(str(cue)) for cue in data["cues"]),
        question_word=re.compile(
            rf"(?<![\w'])(?:{_alternation(data['question_words'])})(?!\w)", re.IGNORECASE
        ),
        whether_split=re.compile(rf",?{_SP}(?:or|and){_SP}whether{_SP}|;{_SP}whether{_SP}", re.I),
        speculation=frozenset(str(w).lower() for w in data["speculation_cues"]),
        leading=re.compile(
            rf"^(?:(?:{_alternation(data['leading_connectives'])}),?{_SP})+", re.IGNORECASE
        ),
        clause_breaks=tuple(str(b) for b in data["clause_breaks"]),
        # ", Doo added." / ", the ministry said." at the end of a statement
        trailing_attribution=re.compile(
            rf",{_SP}(?:[\w.'’-]{{1,30}}{_SP}){{1,4}}(?:{_alternation(data['attribution_verbs'])})"
            r"\.?$",
            re.IGNORECASE,
        ),
        max_words=int(data["max_words"]),
        min_sentence_words=int(data["min_sentence_words"]),
    )


# --- making a question ----------------------------------------------------------------------


def _strip_quotes(text: str) -> str:
    return " ".join(text.strip().strip(_QUOTE_MARKS).split())


def _cut_clause(text: str) -> str:
    """The clause up to its first break (", making", ";"), within the word limit."""
    lowered = text.lower()
    cut = len(text)
    for mark in rules().clause_breaks:
        at = lowered.find(mark)
        if 0 < at < cut:
            cut = at
    words = text[:cut].split()[: rules().max_words]
    return " ".join(words).rstrip(" ,;:.!?" + _QUOTE_MARKS)


def _as_question(clause: str) -> str | None:
    clause = _strip_quotes(_cut_clause(clause))
    if len(clause.split()) < 3:
        return None
    return clause[0].upper() + clause[1:] + "?"


def _statement(sentence: str, cue_start: int) -> str:
    """The cue sentence, cut to the word limit around the cue, as a plain statement."""
    limit = rules().max_words
    spans = [(m.start(), m.end()) for m in _WORD_SPAN.finditer(sentence)]
    text = sentence
    if len(spans) > limit:
        at = next((i for i, (_, end) in enumerate(spans) if end > cue_start), 0)
        first = max(0, min(at - limit // 3, len(spans) - limit))
        last = first + limit - 1
        text = sentence[spans[first][0] : spans[last][1]]
        text = ("… " if first else "") + text + (" …" if last < len(spans) - 1 else "")
    text = _strip_quotes(text.replace("“", "").replace("”", "").replace('"', ""))
    text = rules().leading.sub("", text)
    text = rules().trailing_attribution.sub(".", text)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text[:_MAX_CHARS]


def _whether_questions(clause: str) -> list[str]:
    """ "whether X or whether Y" -> ["Whether X?", "Whether Y?"]"""
    parts = rules().whether_split.split(clause)
    questions = []
    for index, part in enumerate(parts):
        text = part if index == 0 else "whether " + part
        question = _as_question(text)
        if question:
            questions.append(question)
    return questions


def _cue_questions(sentence: str, cue: re.Match[str]) -> list[str]:
    after = sentence[cue.end() : cue.end() + 2000]
    cue_words = cue.group(0).lower().split()
    that_clause = re.match(rf",?{_SP}that{_SP}", after)
    if cue_words[-1] == "that" or (that_clause and cue_words[-1] in rules().speculation):
        clause = after[that_clause.end() :] if that_clause else after
        question = _as_question("whether " + clause.lstrip())
        return [question] if question else []
    if that_clause and "unlikely" in cue_words:
        question = _as_question("whether " + after[that_clause.end() :])
        return [question] if question else []
    word = rules().question_word.search(after, 0, 80)
    if word is not None:
        clause = after[word.start() :]
        if word.group(0).lower() == "whether":
            return _whether_questions(clause)
        question = _as_question(clause)
        return [question] if question else []
    return [_statement(sentence, cue.start())]


def _line_questions(line: str) -> list[str]:
    """Question segments of a headline or subhead: "A... Will B Happen?" -> "Will B Happen?"."""
    questions = []
    for segment in _SEGMENT_BREAK.split(line):
        text = _strip_quotes(segment)
        if text.endswith("?") and len(text.split()) >= 2:
            questions.append(text)
    return questions


def _sentence_questions(text: str) -> list[str]:
    words = len(text.split())
    if text.endswith("?"):
        # An unquoted question in the body is the writer's own; quoted ones are speech.
        if words <= rules().max_words and not _DIRECT_QUOTE.search(text):
            return _line_questions(text)
        return []
    if words < rules().min_sentence_words:
        return []
    if not rules().cue_gate.keys() & text.lower().split():
        return []
    cue = rules().cue.search(text)
    return _cue_questions(text, cue) if cue else []


def extract_questions(doc: Document) -> list[Question]:
    found: list[str] = []
    for line in [doc.headline or "", *doc.subheadlines]:
        found.extend(_line_questions(line))
    for sentence in body_sentences(doc):
        found.extend(_sentence_questions(sentence.text))
    questions: list[Question] = []
    seen: set[tuple[str, ...]] = set()
    for text in found:
        key = tuple(sorted(set(content_words(text))))
        if key and key not in seen:
            seen.add(key)
            questions.append(Question(text, [doc.id]))
    return questions


def merge_questions(questions: list[Question]) -> list[Question]:
    """Near-duplicates (most content words shared) become one question with all their
    documents; the first wording and the reading order are kept."""
    word_sets = [frozenset(content_words(q.text)) for q in questions]
    owners = near_duplicate_groups(word_sets, threshold=0.6)
    merged: dict[int, Question] = {}
    for question, owner in zip(questions, owners, strict=True):
        if owner not in merged:
            merged[owner] = Question(question.text, [])
        target = merged[owner]
        for doc in question.docs:
            if doc not in target.docs:
                target.docs.append(doc)
    return list(merged.values())
