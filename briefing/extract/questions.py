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

from ..models import Question
from ..resources import load_rules
from .parsed import ParsedDocument
from .textkeys import (
    REMEMBERED_KEYS,
    Grouper,
    Mentions,
    Numbering,
    WordSet,
    content_words,
    token_table,
    words_in,
)
from .textunits import Unit

_SEGMENT_BREAK = re.compile(r"\.{3}|…|\s[|–—]\s")
_QUOTE_MARKS = "\"“”'‘’«»"
_DIRECT_QUOTE = re.compile(r"[\"“”«»]")
_WORD_SPAN = re.compile(r"\S{1,200}")
_SP = r"[ \t\u00a0]{1,3}"
# ", that" right after a cue: after a speculation cue, the clause it opens is read as a
# "whether" question (_embedded_questions).
_THAT_CLAUSE = re.compile(rf",?{_SP}that{_SP}")
_MAX_CHARS = 300
MAX_MERGED = 200
MAX_CUES_PER_SENTENCE = 8


@dataclass(frozen=True)
class Rules:
    cue_gate: dict[str, str]  # token spelling -> gate word (a word of some cues)
    cues_by_gate: dict[str, tuple[str, ...]]  # gate word -> the cues that hold it
    question_word: re.Pattern[str]
    whether_split: re.Pattern[str]
    speculation: frozenset[str]
    leading: re.Pattern[str]
    clause_breaks: tuple[str, ...]
    statement_breaks: tuple[str, ...]
    topic_cues: frozenset[str]
    pronouns: frozenset[str]
    trailing_attribution: re.Pattern[str]
    asked: re.Pattern[str]  # "asked whether", "pressed on how": the question put to a source
    max_words: int
    max_statement_words: int
    min_sentence_words: int


def _alternation(phrases: list[Any]) -> str:
    ordered = sorted((str(p).lower() for p in phrases), key=lambda p: -len(p))
    return "|".join(re.escape(p).replace(r"\ ", _SP) for p in ordered)


def _gate_word(phrase: str, function_words: frozenset[str]) -> str:
    """The word a cue is looked up by: its longest word that is not a function word (the
    first among equals). One regex of all cues reads ~2 MB/s; a set look-up of the sentence's
    tokens finds the few sentences where a cue may be, and only their cues are tried."""
    words = phrase.lower().split()
    content = [w for w in words if w not in function_words] or words
    return max(content, key=len)


@cache
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """The regex of the cues of one gate word, compiled when a sentence first holds the
    word (most gates never come up in a corpus; compiling them all costs more than reading
    a small one)."""
    return re.compile(rf"(?<![\w'])(?:{_alternation(list(cues))})(?!\w)", re.IGNORECASE)


@cache
def rules() -> Rules:
    data = load_rules("questions.yaml")
    function_words = frozenset(str(w).lower() for w in data["function_words"])
    gates: dict[str, list[str]] = {}
    for cue in data["cues"]:
        gates.setdefault(_gate_word(str(cue), function_words), []).append(str(cue))
    return Rules(
        cue_gate=token_table(gates),
        cues_by_gate={gate: tuple(cues) for gate, cues in gates.items()},
        question_word=re.compile(
            rf"(?<![\w'])(?:{_alternation(data['question_words'])})(?!\w)", re.IGNORECASE
        ),
        whether_split=re.compile(rf",?{_SP}(?:or|and){_SP}whether{_SP}|;{_SP}whether{_SP}", re.I),
        speculation=frozenset(str(w).lower() for w in data["speculation_cues"]),
        leading=re.compile(
            rf"^(?:(?:{_alternation(data['leading_connectives'])}),?{_SP})+", re.IGNORECASE
        ),
        clause_breaks=tuple(str(b) for b in data["clause_breaks"]),
        statement_breaks=tuple(str(b) for b in data["statement_breaks"]),
        topic_cues=frozenset(" ".join(str(c).lower().split()) for c in data["topic_cues"]),
        pronouns=frozenset(str(w).lower() for w in data["pronouns"]),
        # ", Doo added." / ", the ministry said." at the end of a statement
        trailing_attribution=re.compile(
            rf",{_SP}(?:[\w.'’-]{{1,30}}{_SP}){{1,4}}(?:{_alternation(data['attribution_verbs'])})"
            r"\.?$",
            re.IGNORECASE,
        ),
        asked=re.compile(
            rf"(?<![\w'])(?:{_alternation(data['asking_verbs'])}){_SP}"
            rf"({_alternation(data['question_words'])})(?!\w)",
            re.IGNORECASE,
        ),
        max_words=int(data["max_words"]),
        max_statement_words=int(data["max_statement_words"]),
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
    clause = rules().trailing_attribution.sub("", clause).rstrip(" ,;:")
    if len(clause.split()) < 3:
        return None
    return clause[0].upper() + clause[1:] + "?"


_STATEMENT_QUOTES = re.compile('["\u201c\u201d]')


def _statement(sentence: str, cue: re.Match[str]) -> str | None:
    """The clause of a cue sentence that holds the cue, as a plain statement: from the clause
    break before the cue ("..., although the gifts were not specified") or, for a topic cue,
    from the cue itself ("... but also the prospect of X"), up to the clause break after it.
    None when no such clause reads as a statement within the word limit (a fragment that
    would start in mid-sentence is no question)."""
    r = rules()
    removed = len(_STATEMENT_QUOTES.findall(sentence, 0, cue.start()))
    text = _STATEMENT_QUOTES.sub("", sentence).strip()
    cue_start, cue_end = cue.start() - removed, cue.end() - removed
    text = r.trailing_attribution.sub(".", text)
    start = _clause_start(text, cue_start)
    if " ".join(cue.group(0).lower().split()) in r.topic_cues:
        start = cue_start
    end = _clause_end(text, cue_end)
    words = text[start:end].split()
    if len(words) > r.max_statement_words:
        if len(text[start:cue_end].split()) > r.max_statement_words:
            return None
        words = [*words[: r.max_statement_words], "…"]
    statement = r.leading.sub("", _strip_quotes(" ".join(words))).rstrip(" ,;:")
    if not statement:
        return None
    if statement[-1] not in ".!?…":
        statement += "."
    return (statement[0].upper() + statement[1:])[:_MAX_CHARS]


def _clause_start(text: str, cue_start: int) -> int:
    """Where the clause of the cue begins: after the last statement break before it, unless
    the clause there opens with a pronoun ("although it is not likely to ...": the subject
    is in the clause before, so the sentence is kept from its start)."""
    r = rules()
    start = 0
    for mark in r.statement_breaks:
        at = text.rfind(mark, 0, cue_start)
        if at >= 0 and at + len(mark) > start:
            start = at + len(mark)
    if start:
        first = text[start : start + 20].split()[:1]
        if first and first[0].lower().strip(",") in r.pronouns:
            return 0
    return start


def _clause_end(text: str, cue_end: int) -> int:
    """Where the clause of the cue ends: at the first clause break after it (", depending
    on", ", but"), else at the end of the sentence."""
    lowered = text.lower()
    end = len(text)
    for mark in rules().clause_breaks:
        at = lowered.find(mark, cue_end, end)
        if at >= 0:
            end = at
    return end


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


def _embedded_questions(sentence: str, cue: re.Match[str], end: int) -> list[str] | None:
    """The questions a cue introduces ("unclear whether X", "speculate that Y"), read up to
    `end` (the next cue); None when the cue introduces none (a statement then)."""
    after = sentence[cue.end() : min(end, cue.end() + 2000)]
    cue_words = cue.group(0).lower().split()
    that_clause = _THAT_CLAUSE.match(after)
    if cue_words[-1] == "that" or (
        that_clause and (cue_words[-1] in rules().speculation or "unlikely" in cue_words)
    ):
        clause = after[that_clause.end() :] if that_clause else after
        question = _as_question("whether " + clause.lstrip())
        return [question] if question else []
    word = rules().question_word.search(after, 0, 80)
    if word is None:
        return None
    clause = after[word.start() :]
    if word.group(0).lower() == "whether":
        return _whether_questions(clause)
    question = _as_question(clause)
    return [question] if question else []


def _asked_question(sentence: str, cue_start: int) -> str | None:
    """The question a source would not answer: "X, asked whether Y, declined to give
    details" -> "Whether Y?" (the clause up to the next comma or the cue)."""
    match = rules().asked.search(sentence, 0, cue_start)
    if match is None:
        return None
    word = match.group(1)
    clause = sentence[match.end(1) : cue_start]
    comma = clause.find(",")
    if comma >= 0:
        clause = clause[:comma]
    opening = "whether" if word.lower() == "if" else word.lower()
    return _as_question(opening + clause)


def _cue_questions(sentence: str, cues: list[re.Match[str]]) -> list[str]:
    """Questions of every cue of a sentence, in order; the sentence itself, cut around its
    first cue, when no cue introduces a question of its own."""
    questions: list[str] = []
    for index, cue in enumerate(cues):
        end = cues[index + 1].start() if index + 1 < len(cues) else len(sentence)
        questions.extend(_embedded_questions(sentence, cue, end) or [])
    if questions:
        return questions
    asked = _asked_question(sentence, cues[0].start())
    if asked:
        return [asked]
    statement = _statement(sentence, cues[0])
    return [statement] if statement else []


def _line_questions(line: str) -> list[str]:
    """Question segments of a headline or subhead: "A... Will B Happen?" -> "Will B Happen?"."""
    questions = []
    for segment in _SEGMENT_BREAK.split(line):
        text = _strip_quotes(segment)
        if text.endswith("?") and len(text.split()) >= 2:
            questions.append(text)
    return questions


def _sentence_questions(text: str, unit: Unit | None = None) -> list[str]:
    """`unit`: the sentence's unit of the shared split, if it is one (its words, already read)."""
    r = rules()
    tokens = text.lower().split() if unit is None else unit.words
    if text.endswith("?"):
        # An unquoted question in the body is the writer's own; quoted ones are speech.
        if len(tokens) <= r.max_words and not _DIRECT_QUOTE.search(text):
            return _line_questions(text)
        return []
    if len(tokens) < r.min_sentence_words:
        return []
    gates = words_in(r.cue_gate, tokens)
    if not gates:
        return []
    found = sorted(
        (cue.start(), -cue.end(), cue)
        for gate in gates
        for cue in _cue_pattern(r.cues_by_gate[gate]).finditer(text, 0, 20_000)
    )
    cues: list[re.Match[str]] = []
    for _, _, cue in found:  # leftmost-longest, no overlaps ("remains unclear whether")
        if not cues or cue.start() >= cues[-1].end():
            cues.append(cue)
    return _cue_questions(text, cues[:MAX_CUES_PER_SENTENCE]) if cues else []


def extract_questions(parsed: ParsedDocument) -> list[Question]:
    """The open questions the document raises, one per wording."""
    doc = parsed.doc
    found: list[str] = []
    for line in [doc.headline or "", *doc.subheadlines]:
        found.extend(_line_questions(line))
    for unit in parsed.units:
        found.extend(_sentence_questions(unit.text, unit))
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
    documents. Reading order is kept; past `MAX_MERGED` questions, those reported by the
    fewest documents are dropped (a brief shows a handful)."""
    merging = QuestionMerge(capacity=None)
    for question in questions:
        merging.add(question, frozenset(content_words(question.text)))
    return merging.result()


class QuestionMerge:
    """merge_questions as a stream, fed one question (and its content words) at a time. With
    a `capacity`, past twice that many questions those asked by the fewest documents so far
    go."""

    def __init__(
        self, capacity: int | None, ordered: bool = False, numbering: Numbering | None = None
    ) -> None:
        self.capacity = capacity
        remembered = REMEMBERED_KEYS if capacity is not None else None
        self.grouper = Grouper(threshold=0.6, remembered=remembered)
        self.merged: dict[int, Question] = {}  # their documents are in `mentions` until result()
        self.mentions: dict[int, Mentions] = {}
        # Questions come in document order (a corpus merge): see textkeys.Mentions.
        self.ordered = ordered
        # (a corpus merge's is shared by its three merges: extract.Merge)
        self.numbering = numbering if numbering is not None else Numbering(ordered)

    def add(self, question: Question, words: frozenset[str] | WordSet) -> None:
        owner = self.grouper.owner(words)
        if owner not in self.merged:
            self.merged[owner] = Question(question.text, [])
            self.mentions[owner] = Mentions(self.ordered)
        self.mentions[owner].add_all(question.docs, self.numbering)
        if self.capacity is not None and len(self.merged) > 2 * self.capacity:
            self._evict(self.capacity)

    def _evict(self, keep: int) -> None:
        """Keep the `keep` questions asked by the most documents so far. On a tie the newer
        stays (as in FactMerge): a question first asked once the merge is full is still there
        when it is asked again, where the older one-off questions have had their chance."""
        ranked = sorted(self.merged, key=lambda i: (-len(self.mentions[i]), -i))
        for gone in ranked[keep:]:
            del self.merged[gone]
            del self.mentions[gone]
            self.grouper.forget(gone)

    def _best(self, keep: int) -> list[int]:
        """The owners of the `keep` questions asked by the most documents, in reading order."""
        if len(self.merged) <= keep:
            return list(self.merged)
        by_support = sorted(self.merged, key=lambda i: (-len(self.mentions[i]), i))
        return sorted(by_support[:keep])

    def result(self) -> list[Question]:
        return [
            Question(self.merged[i].text, self.mentions[i].named(self.numbering))
            for i in self._best(MAX_MERGED)
        ]
