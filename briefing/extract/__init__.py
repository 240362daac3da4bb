"""Stage 2: rule-based extractors, one module each, run per document then merged.

`extract_document` sees one Document at a time so that a corpus can stream through it (and
through worker processes). It parses the document once (parsed.ParsedDocument: sentences,
quotation spans, country words) and hands that to every extractor; no extractor sees
another's work, except the reactions, which are given the quotes. `merge` combines the
per-document results across the corpus with near-linear merging (hash keys, no all-pairs
comparison).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Config, Story
from ..models import Document, DocumentExtraction, Extraction
from . import claims, events, facts, questions, quotes, reactions
from .actors import Gazetteer
from .parsed import ParsedDocument, parse_document

__all__ = [
    "ExtractContext",
    "ParsedDocument",
    "extract_corpus",
    "extract_document",
    "merge",
    "parse_document",
]


@dataclass
class ExtractContext:
    """Everything the extractors need from the config; picklable for worker processes."""

    gazetteer: Gazetteer
    story: Story
    story_date: dt.date | None

    @classmethod
    def from_config(cls, config: Config) -> ExtractContext:
        story_date = None
        if config.story.date:
            story_date = dt.date.fromisoformat(str(config.story.date)[:10])
        return cls(Gazetteer.from_config(config), config.story, story_date)


def _anchor(doc: Document, ctx: ExtractContext) -> tuple[dt.date | None, bool]:
    """The date relative expressions resolve against, and whether it was inferred."""
    if doc.published:
        try:
            return dt.date.fromisoformat(doc.published[:10]), False
        except ValueError:
            pass
    return ctx.story_date, True


def extract_document(doc: Document, ctx: ExtractContext) -> DocumentExtraction:
    """Every extractor's findings in `doc`, all read from one parse of it."""
    parsed = parse_document(doc, ctx.gazetteer)
    anchor, inferred = _anchor(doc, ctx)
    found_quotes = quotes.extract_quotes(parsed, ctx.gazetteer)
    return DocumentExtraction(
        document=doc,
        quotes=found_quotes,
        reactions=reactions.extract_reactions(parsed, found_quotes, ctx.gazetteer),
        events=events.extract_events(parsed, anchor, inferred) if anchor else [],
        questions=questions.extract_questions(parsed),
        facts=facts.extract_facts(parsed, ctx.story),
    )


def _corpus_anchor(per_doc: list[DocumentExtraction]) -> dt.date | None:
    """The most common publication date of the corpus, for articles with no date of their own."""
    counts: dict[str, int] = {}
    for item in per_doc:
        if item.document.published:
            counts[item.document.published[:10]] = counts.get(item.document.published[:10], 0) + 1
    if not counts:
        return None
    best = max(sorted(counts), key=lambda day: counts[day])
    return dt.date.fromisoformat(best)


def merge(per_doc: Iterable[DocumentExtraction], ctx: ExtractContext) -> Extraction:
    items = list(per_doc)
    corpus_anchor = None if ctx.story_date else _corpus_anchor(items)
    for item in items:
        # Second chance for undated articles when the config gives no story date.
        if not item.events and corpus_anchor and _anchor(item.document, ctx)[0] is None:
            parsed = parse_document(item.document, ctx.gazetteer)
            item.events = events.extract_events(parsed, corpus_anchor, True)
    merged_facts = facts.merge_facts([f for item in items for f in item.facts], len(items))
    claims.mark_claims(merged_facts, ctx.story)
    return Extraction(
        documents=[item.document for item in items],
        quotes=[q for item in items for q in item.quotes],
        reactions=[r for item in items for r in item.reactions],
        events=events.merge_events([e for item in items for e in item.events]),
        open_questions=questions.merge_questions([q for item in items for q in item.questions]),
        facts=merged_facts,
    )


def extract_corpus(docs: Iterable[Document], ctx: ExtractContext) -> Extraction:
    return merge((extract_document(doc, ctx) for doc in docs), ctx)
