"""The whole brief of one audience: every section's candidates, ranked section by section
for what they add, within the audience's limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence
from concurrent.futures import Executor

from ..config import Audience, Config
from ..memory import release_freed_memory
from ..models import Brief, BriefItem, BriefSection, BriefStance, DocIds, Extraction, IdColumn
from .bottom_line import choose_bottom_line, lead_item, reactions_line
from .cite import Citer, Draft, document_fields
from .disputes import pair_conflicts
from .facts import (
    FactItem,
    fact_items,
    is_background,
    of_topic,
    reacted_keys,
    repeated_facts,
    without,
)
from .news import answered, is_prospective, provisions, reports_event
from .questions import (
    answered_item,
    asked_facts,
    question_drafts,
    question_items_of,
)
from .quotes import finish_quote_drafts, per_speaker, showable_quote_items, start_quote_drafts
from .rank import Said, Variety, limit_items
from .reactions import country_reactions, reaction_draft, reaction_item
from .rules import Rules, load_rules
from .sources import count_citations, source_list
from .terms import Terms
from .text import dedupe_key
from .timeline import timeline_drafts


def _brief_date(extraction: Extraction, config: Config) -> str | None:
    if config.story.date:
        return str(config.story.date)[:10]
    days = (day[:10] for (day,) in document_fields(extraction.documents, "published") if day)
    return max(days, default=None)


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


_Weight = tuple[bool, bool, bool, bool, float, float]


def _lead_weight(
    fact: FactItem, terms: Terms, rules: Rules, event_day: Container[str], year: int
) -> _Weight:
    """Which report of the event leads the bottom line: an undisputed one, stating a
    provision, naming no earlier year (not a past agreement), from an article of the
    event's day, nearest an article's lede, of the highest rank."""
    stated = provisions(fact.states)
    return (
        fact.item.counterpoint is None,
        bool(stated),
        not any(int(y) < year for y in _YEAR.findall(fact.text)),
        any(doc in event_day for doc in fact.docs),
        -fact.position,
        fact.item.rank,
    )


def _claims(fact: FactItem) -> tuple[str, set[str]]:
    """A report of the event: its text, and the provisions it states or denies."""
    return fact.text, provisions(fact.states | fact.negates)


def _best_answer(
    question: BriefItem,
    done: list[FactItem],
    terms: Terms,
    rules: Rules,
    weight: Callable[[FactItem], _Weight],
) -> FactItem | None:
    """The report of the event that best answers the question (the one of the highest
    `weight`), if one does."""
    answers = [f for f in done if answered(question.text, [_claims(f)], terms, rules)]
    return max(answers, key=weight, default=None)


class _LeadWeights:
    """Each fact's _lead_weight, made once: a widely reported fact's documents are many, and
    it is weighed for the bottom line and for each question it answers (at 100,000 articles,
    0.56 s where once is 0.13 s)."""

    def __init__(self, terms: Terms, rules: Rules, event_day: Container[str], year: int) -> None:
        self.args = (terms, rules, event_day, year)
        self.known: dict[int, _Weight] = {}

    def __call__(self, fact: FactItem) -> _Weight:
        weight = self.known.get(id(fact))  # (the facts outlive it: their ids stay theirs)
        if weight is None:
            weight = self.known[id(fact)] = _lead_weight(fact, *self.args)
        return weight


def _candidates(
    extraction: Extraction,
    config: Config,
    settings: Audience,
    citer: Citer,
    rules: Rules,
    variety: Variety,
) -> dict[str, list[BriefItem]]:
    """Every section's items, before variety and limits (the bottom line is chosen). The
    agreement and background leave out what the audience's quotes and reactions show."""
    terms = variety.terms
    dated = citer.published()
    # Every section's items but the bottom line's are drafted first and their sources
    # checked in one pass over the corpus (the bottom line's cite its first few sources).
    # A day of news's quotes are drafted by the helper process meanwhile (quotes.py).
    quotes_job = start_quote_drafts(
        extraction.quotes, extraction.documents, rules, citer.support.helper
    )
    reaction_drafts = []
    for key in config.story.third_countries:  # a country's reactions, read by a query
        said, whole = country_reactions(extraction.reactions, key)
        draft = reaction_draft(
            key, said, extraction.quotes, config, rules, dated, citer.own_id, whole
        )
        del said, whole  # (a day of news's reactions of a country: not held to the end)
        reaction_drafts.append((key, draft))
    quote_list = finish_quote_drafts(quotes_job, extraction.quotes, rules, citer.ids, citer.own_id)
    del quotes_job  # (its result holds the drafts' numbers: 1 MB at 100,000 articles)
    after_story = citer.published_from(str(config.story.date)[:10] if config.story.date else None)
    question_list = question_drafts(extraction.open_questions, terms, after_story, rules)
    timeline_list = timeline_drafts(extraction.events, citer)
    fact_drafts = [Draft(fact.text, fact.docs, fact.score) for fact in extraction.facts]
    citer.prefetch(
        [
            *fact_drafts,
            *(draft for _, draft in reaction_drafts if draft is not None),
            *quote_list,
            *question_list,
            *timeline_list,
        ]
    )
    facts, _ = pair_conflicts(fact_items(extraction.facts, fact_drafts, citer), rules)
    del fact_drafts
    # Each step below reads widely reported items' documents, tens of thousands of ids in
    # lists and dicts of a few megabytes, garbage the heap keeps until it is trimmed: at
    # 100,000 articles the end of drafting peaked at 88.7 MB, 80.2 with a trim after each.
    release_freed_memory()
    # Now, not then: once a source reports the event, what was written before it about it
    # is background, never the bottom line nor what was agreed.
    done = [f for f in facts if reports_event(f.text, terms, rules)]
    before = {id(f.item) for f in facts if done and is_prospective(f.text, rules)}
    current = [f for f in facts if id(f.item) not in before]
    date = _brief_date(extraction, config)
    event_day = citer.published_on(date)
    year = int(date[:4]) if date else 9999
    weight = _LeadWeights(terms, rules, event_day, year)
    first = max(done, key=weight, default=None)
    # A third country's reaction sentence is told by the reactions line, not as a fact.
    reacted = reacted_keys(extraction.reactions, citer, {dedupe_key(f.text) for f in facts})
    release_freed_memory()
    told = [f for f in current if f is first or dedupe_key(f.text) not in reacted]
    bottom = choose_bottom_line(told, rules, first)
    release_freed_memory()
    used = {id(fact.item) for fact in bottom}
    lead = [lead_item(f, citer, rules, date if f is first else None) for f in bottom]
    reactions = [reaction_item(key, draft, config, citer, rules) for key, draft in reaction_drafts]
    most = int(rules.quotes["per_speaker"])
    quotes = showable_quote_items(quote_list, citer, int(rules.variety["max_items"]), most)
    release_freed_memory()
    shown_quotes = per_speaker(quotes, most)
    shown_quotes = limit_items(shown_quotes, settings.limits.get("quotes"), "quotes")
    repeats = repeated_facts(
        facts,
        shown_quotes if "quotes" in settings.sections else [],
        [],
        citer,
        reacted if "reactions" in settings.sections else set(),
    )
    release_freed_memory()
    context = [f.item for f in facts if is_background(f) or id(f.item) in before]
    fresh_context = [item for item in context if id(item) not in used]
    if reactions and "reactions" in settings.sections:
        line = reactions_line(reactions, rules)
        if line is not None:
            lead.append(line)
    questions = question_items_of(question_list, citer)
    release_freed_memory()
    done_claims = [_claims(f) for f in done]
    if "questions" in settings.sections:  # a fact that asks a shown question is read there
        repeats |= asked_facts(facts, questions, citer)
        release_freed_memory()
    return {
        "bottom_line": lead,
        "agreement": without(of_topic(current, "agreement", used), repeats),
        "context": without(fresh_context or context, repeats),
        "reactions": reactions,
        "quotes": quotes,
        "timeline": [citer.draft_item(draft) for draft in timeline_list],
        "questions": [q for q in questions if not answered(q.text, done_claims, terms, rules)],
        "answered": [
            answered_item(q, answer, citer)
            for q in questions
            if (answer := _best_answer(q, done, terms, rules, weight)) is not None
        ],
        "sources": [],
    }


# Sections whose items keep the order they come in: the bottom line is chosen already, and
# reactions are one per third country, in the config's order.
_FIXED_ORDER = ("bottom_line", "reactions", "sources")


def _sections(
    items: dict[str, list[BriefItem]], settings: Audience, variety: Variety, rules: Rules
) -> list[BriefSection]:
    """The audience's sections in its order, each ranked for what it adds to the sections
    above it, within the audience's limits."""
    said = Said(set(), [])
    sections = []
    for name in settings.sections:
        chosen = items[name]
        if name not in _FIXED_ORDER:
            chosen = variety.ranked(chosen, said)
        if name == "quotes":  # each speaker's quotes that add most, not the first ones
            chosen = per_speaker(chosen, int(rules.quotes["per_speaker"]))
        chosen = limit_items(chosen, settings.limits.get(name), name)
        # A line of parts (the bottom line's reactions) says what the reactions section says.
        told = [item for item in chosen if not item.parts]
        variety.add(said, sorted(told, key=lambda i: -i.rank))
        sections.append(BriefSection(name, chosen))
    return sections


def _id_columns(extraction: Extraction) -> list[IdColumn]:
    """The columns of ids the merged items name their documents by (one a corpus merge)."""
    columns: dict[int, IdColumn] = {}
    merged: list[Sequence[str]] = [
        *(fact.docs for fact in extraction.facts),
        *(event.docs for event in extraction.events),
        *(question.docs for question in extraction.open_questions),
    ]
    for docs in merged:
        if isinstance(docs, DocIds) and isinstance(docs.named_by, IdColumn):
            columns.setdefault(id(docs.named_by), docs.named_by)
    return list(columns.values())


def assemble(
    extraction: Extraction, config: Config, audience: str, helper: Executor | None = None
) -> Brief:
    """The brief of `audience`: its sections, in its order, within its limits. `helper`: a
    process that drafts a large corpus's quotes (quotes.py) and checks half of its citations
    (support.py) meanwhile."""
    settings: Audience = config.audience(audience)
    rules = load_rules()
    citer = Citer(extraction.documents, rules, helper)
    columns = _id_columns(extraction)
    for column in columns:
        column.share(citer.own_id)
        column.number_by(citer.numbers)
    # Between phases, the heap's free pages go back to the system (memory.py): the rows the
    # citer's tables were read from, then what drafting and checking read, are garbage
    # the next phase would otherwise be held above (at 100,000 articles, 10-15 MB each).
    release_freed_memory()
    variety = Variety(config, rules, Terms.from_config(config, rules))
    try:
        items = _candidates(extraction, config, settings, citer, rules, variety)
    finally:  # (the extraction outlives this brief: its columns keep no numbering of it)
        for column in columns:
            column.forget_numbers()
    citer.release()  # every item is made
    release_freed_memory()
    sections = _sections(items, settings, variety, rules)
    sources = source_list(extraction, rules, citer.ids)
    stances = [
        BriefStance(r.country or "", r.stance, r.stance_label, list(r.stance_cues), r.stance_shift)
        for r in items["reactions"]
    ]
    count_citations(sections, sources)
    return Brief(
        title=config.story.title,
        date=_brief_date(extraction, config),
        audience=audience,
        audience_title=settings.title or f"{audience.replace('_', ' ').capitalize()} brief",
        sections=sections,
        sources=sources,
        stances=stances,
        answered=items["answered"],
        document_count=len(extraction.documents),
        font_pt=settings.font_pt,
        page_size=settings.page_size or config.render.page_size,
        word_budget=settings.word_budget,
        theme=config.theme,
    )
