"""The open questions section: questions about the story's terms, asked as questions,
first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container

from ..models import BriefItem, Question
from .cite import Citer, Draft
from .facts import FactItem
from .rules import Rules
from .terms import Terms
from .text import dedupe_key


def _is_headline(text: str) -> bool:
    """Title Case text ("Will They Form an Alliance?") is a headline asking, not a question
    the sources leave open."""
    long_words = [w for w in text.split() if len(w) > 3 and w[:1].isalpha()]
    capitalised = sum(w[:1].isupper() for w in long_words)
    return len(long_words) >= 3 and capitalised >= 0.6 * len(long_words)


def _question_score(
    question: Question, terms: Terms, after_story: Container[str], rules: Rules
) -> float:
    """Questions phrased as questions and about the story's terms rank higher; headlines
    lower; questions asked once the event has happened (in articles dated on or after the
    story's date) higher."""
    weights = rules.questions
    hits = min(len(terms.names(question.text)), int(weights["max_terms"]))
    score = 1.0 + weights["term_bonus"] * hits
    text = question.text.strip()
    if text.endswith("?") or text.lower().startswith(("whether ", "if ")):
        score += weights["question_bonus"]
    if _is_headline(text):
        score -= weights["headline_penalty"]
    if any(doc in after_story for doc in question.docs):
        score += weights["after_story_bonus"]
    return score


def question_items(
    questions: list[Question], citer: Citer, terms: Terms, after_story: Container[str], rules: Rules
) -> list[BriefItem]:
    return question_items_of(question_drafts(questions, terms, after_story, rules), citer)


def question_drafts(
    questions: list[Question], terms: Terms, after_story: Container[str], rules: Rules
) -> list[Draft]:
    groups: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        groups[dedupe_key(question.text)].append(question)
    drafts = []
    for order, group in enumerate(groups.values()):
        # (a question alone in its group lends its list, as timeline_drafts does)
        docs = group[0].docs if len(group) == 1 else [d for q in group for d in q.docs]
        score = max(_question_score(q, terms, after_story, rules) for q in group)
        # Earlier questions first among equals: extractors list them in reading order.
        drafts.append(Draft(group[0].text, docs, score - 0.001 * order, kind="question"))
    return drafts


def question_items_of(drafts: list[Draft], citer: Citer) -> list[BriefItem]:
    items = [citer.draft_item(draft) for draft in drafts]
    items.sort(key=lambda i: -i.rank)
    return items


def asked_facts(facts: list[FactItem], questions: list[BriefItem], citer: Citer) -> set[int]:
    """The facts (ids of their items) that ask one of the questions: from a source of the
    question, holding most of its content words ("The pact raises questions, including
    whether the patrols will begin" asks "Whether the patrols will begin?")."""
    asked: set[int] = set()
    wanted = [(citer.support.content(q.text), set(q.sources)) for q in questions]
    # The questions' sources by the id that names each (the id the citer numbers so: of an
    # id that repeats, its last document). A fact's documents are looked up among these few,
    # not each numbered: a widely reported fact names tens of thousands, whose numbers
    # and their set took 8 MB at 100,000 articles, at the build's peak.
    by_id: dict[str, int] = {}
    for _, sources in wanted:
        for number in sources:
            doc = citer.ids[number - 1] if 0 < number <= len(citer.ids) else None
            if doc is not None and citer.numbers.get(doc) == number:
                by_id[doc] = number
    for fact in facts:
        held = citer.support.content(fact.text)
        numbers = {by_id[doc] for doc in fact.docs if doc in by_id}
        for words, sources in wanted:
            if words and sources & numbers and len(words & held) >= 0.8 * len(words):
                asked.add(id(fact.item))
                break
    return asked


def answered_item(question: BriefItem, answer: FactItem, citer: Citer) -> BriefItem:
    """An open question that a report of the event answers, cited by the sources that carry
    that report (the question's own sources asked it; these settle it)."""
    numbers = citer.first_carrying(answer.text, answer.docs, citer.rules.max_citations)
    return BriefItem(text=question.text, sources=numbers, rank=0.0)
