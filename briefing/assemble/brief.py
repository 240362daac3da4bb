"""The whole brief of one audience: every section's candidates, ranked section by section
for what they add, within the audience's limits."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from ..config import Audience, Config
from ..models import Brief, BriefItem, BriefSection, BriefStance, Extraction, Reaction
from .bottom_line import choose_bottom_line
from .cite import Citer
from .clipping import clip
from .disputes import pair_conflicts
from .facts import fact_items, is_background, of_topic, repeated_facts, without
from .questions import dated_after_story, question_items
from .quotes import per_speaker, quote_items
from .rank import Said, Variety, limit_items
from .reactions import country_reaction
from .rules import Rules, load_rules
from .sources import count_citations, source_list
from .terms import Terms
from .timeline import timeline_items


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
    variety: Variety,
) -> dict[str, list[BriefItem]]:
    """Every section's items, before variety and limits (the bottom line is chosen). The
    agreement and background leave out what the audience's quotes and reactions show."""
    terms = variety.terms
    facts, _ = pair_conflicts(fact_items(extraction.facts, citer), rules)
    bottom = choose_bottom_line(facts, rules)
    used = {id(fact.item) for fact in bottom}
    lead = [
        dataclasses.replace(f.item, text=clip(f.text, rules.max_words.get("lead"))) for f in bottom
    ]
    by_country: dict[str, list[Reaction]] = defaultdict(list)
    for reaction in extraction.reactions:
        by_country[reaction.country].append(reaction)
    reactions = [
        country_reaction(key, by_country[key], extraction.quotes, config, citer, rules)
        for key in config.story.third_countries
    ]
    quotes = quote_items(extraction.quotes, citer, rules)
    shown_quotes = per_speaker(quotes, int(rules.quotes["per_speaker"]))
    shown_quotes = limit_items(shown_quotes, settings.limits.get("quotes"), "quotes")
    repeats = repeated_facts(
        facts,
        shown_quotes if "quotes" in settings.sections else [],
        extraction.reactions if "reactions" in settings.sections else [],
        citer,
    )
    context = [f.item for f in facts if is_background(f)]
    fresh_context = [item for item in context if id(item) not in used]
    return {
        "bottom_line": lead,
        "agreement": without(of_topic(facts, "agreement", used), repeats),
        "context": without(fresh_context or context, repeats),
        "reactions": reactions,
        "quotes": quotes,
        "timeline": timeline_items(extraction.events, citer),
        "questions": question_items(
            extraction.open_questions, citer, terms, dated_after_story(extraction, config), rules
        ),
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
        variety.add(said, sorted(chosen, key=lambda i: -i.rank))
        sections.append(BriefSection(name, chosen))
    return sections


def assemble(extraction: Extraction, config: Config, audience: str) -> Brief:
    """The brief of `audience`: its sections, in its order, within its limits."""
    settings: Audience = config.audience(audience)
    rules = load_rules()
    citer = Citer(extraction.documents, rules)
    variety = Variety(config, rules, Terms.from_config(config, rules))
    items = _candidates(extraction, config, settings, citer, rules, variety)
    sections = _sections(items, settings, variety, rules)
    sources = source_list(extraction, rules)
    stances = [
        BriefStance(r.country or "", r.stance, r.stance_label, list(r.stance_cues))
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
        document_count=len(extraction.documents),
        font_pt=settings.font_pt,
        page_size=settings.page_size or config.render.page_size,
        word_budget=settings.word_budget,
        theme=config.theme,
    )
