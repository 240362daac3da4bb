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
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..config import Config, Story
from ..models import (
    Document,
    DocumentExtraction,
    Event,
    Extraction,
    Fact,
    Question,
    Quote,
    Reaction,
)
from . import claims, events, facts, questions, quotes, reactions
from .actors import Gazetteer
from .parsed import ParsedDocument, parse_document
from .spool import (
    Row,
    Spool,
    document_row,
    rows_of,
    spooled_extraction,
)
from .textkeys import Numbering, WordSet, content_words, numbers

__all__ = [
    "ExtractContext",
    "Merge",
    "MergeKeys",
    "ParsedDocument",
    "Shipment",
    "extract_corpus",
    "extract_document",
    "merge",
    "merge_keys",
    "parse_document",
    "ship",
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
    return _anchor_of(doc.published, ctx)


def _anchor_of(published: str | None, ctx: ExtractContext) -> tuple[dt.date | None, bool]:
    if published:
        try:
            return dt.date.fromisoformat(published[:10]), False
        except ValueError:
            pass
    return ctx.story_date, True


def undated(published: str | None, ctx: ExtractContext) -> bool:
    """Whether a document has no day to read its relative dates against (no date of its
    own, none in the config): its events wait for the corpus's date (Merge.finish)."""
    return _anchor_of(published, ctx)[0] is None


def extract_document(doc: Document, ctx: ExtractContext) -> DocumentExtraction:
    """Every extractor's findings in `doc`, all read from one parse of it."""
    parsed = parse_document(doc, ctx.gazetteer)
    anchor, inferred = _anchor(doc, ctx)
    found_quotes = quotes.extract_quotes(parsed, ctx.gazetteer)
    return DocumentExtraction(
        document=doc,
        quotes=found_quotes,
        reactions=reactions.extract_reactions(parsed, found_quotes, ctx.gazetteer, anchor),
        events=events.extract_events(parsed, anchor, inferred) if anchor else [],
        questions=questions.extract_questions(parsed),
        facts=facts.extract_facts(parsed, ctx.story),
    )


@dataclass
class MergeKeys:
    """The content words of one document's facts, events and questions: made where the
    document is extracted (a worker process), so that the merge does not redo them."""

    facts: list[frozenset[str]]
    events: list[list[str]]
    questions: list[frozenset[str]]


def merge_keys(item: DocumentExtraction) -> MergeKeys:
    return MergeKeys(
        [frozenset(content_words(f.text)) for f in item.facts],
        [content_words(e.text) for e in item.events],
        [frozenset(content_words(q.text)) for q in item.questions],
    )


def _fields(item: Fact | Event | Question) -> tuple[Any, ...]:
    """A dataclass instance's fields in order (its __init__ sets them in that order): the
    class called with them makes the same object again."""
    return tuple(vars(item).values())


_WordState = tuple[frozenset[str], frozenset[str], tuple[int, ...]]  # WordSet.state()


@dataclass
class Shipment:
    """One document's extraction as a worker process sends it to the merge (`ship`).

    The merge's process takes every worker's results, so its cost per document (unpickling
    included) bounds the whole build. What it only stores travels as the spool's rows, JSON
    made by the worker: a string unpickles about 8x faster than the objects it encodes, and
    the merge has no encoding left to do. What it compares travels as tuples of fields (2.5x
    faster to unpickle than dataclass instances) with their content words (MergeKeys)."""

    published: str | None
    # With a spool: the rows of the document, its quotes and its reactions.
    rows: tuple[Row, list[Row], list[Row]] | None
    # Without: the objects themselves.
    document: Document | None
    quotes: list[Quote]
    reactions: list[Reaction]
    # Each fact, event and question: its fields, and its content words as the merges compare
    # them (WordSet.state(); of an event, its words in order and its numbers).
    facts: list[tuple[tuple[Any, ...], _WordState]] = field(default_factory=list)
    events: list[tuple[tuple[Any, ...], list[str], frozenset[str]]] = field(default_factory=list)
    questions: list[tuple[tuple[Any, ...], _WordState]] = field(default_factory=list)


def ship(item: DocumentExtraction, spooled: bool, keys: MergeKeys | None = None) -> Shipment:
    """`item` as the merge takes it: with its spool rows when the merge spools."""
    keys = keys or merge_keys(item)
    doc = item.document
    if spooled:
        rows = (document_row(doc), rows_of(item.quotes), rows_of(item.reactions))
        shipment = Shipment(doc.published, rows, None, [], [])
    else:
        shipment = Shipment(doc.published, None, doc, item.quotes, item.reactions)
    shipment.facts = [
        (_fields(f), WordSet(w).state()) for f, w in zip(item.facts, keys.facts, strict=True)
    ]
    shipment.events = [
        (_fields(e), w, numbers(frozenset(w)))
        for e, w in zip(item.events, keys.events, strict=True)
    ]
    shipment.questions = [
        (_fields(q), WordSet(w).state())
        for q, w in zip(item.questions, keys.questions, strict=True)
    ]
    return shipment


FailureHandler = Callable[[Document, Exception], None]

# Merged groups kept while streaming (see Merge): many times what the brief can show, so that
# what is evicted is unlikely to change the top of the result (each merge keeps its best few
# hundred). A merge holds up to twice its number before it evicts. Facts and questions keep
# 15 and 6 times their result (200 each): their groups, about 2 KB each with their grouper's
# keys, grew with a day's corpus past 10,000 articles (4,053 fact and 960 question groups
# then, below 6,000 and 2,500: nothing is evicted in such a build). With 4,000 and 2,000, the
# extraction's process peaked at 81-84 MB at 100,000 articles; with these, 77.5 MB, with the
# same brief.md (docs/speed.md, "Fewer groups kept where they grew past 10,000 articles":
# brief.json's lower-ranked facts differ, about as close to an unbounded merge's).
FACT_GROUPS = 3_000
EVENT_GROUPS = 4_000
QUESTION_GROUPS = 1_250


class Merge:
    """The corpus merge as a stream: each document's extraction is merged as it arrives
    (facts, events and questions into bounded groups), so memory does not grow with the
    corpus for them. Documents, quotes and reactions are kept as they come: in a Spool (SQLite)
    when one is given, so that they take no memory either."""

    def __init__(
        self,
        ctx: ExtractContext,
        bounded: bool = True,
        spool: Spool | None = None,
        on_failure: FailureHandler | None = None,
    ) -> None:
        self.ctx = ctx
        # Told of an undated document whose second events pass failed (its events are then
        # left out, the rest of it stays); without it the exception goes up.
        self.on_failure = on_failure
        self.spool = spool
        self.count = 0
        # Documents are merged in corpus order, each once (see textkeys.Mentions).
        # One numbering: the merged items name their documents by one column of ids.
        numbering = Numbering(ordered=True)
        self.facts = facts.FactMerge(FACT_GROUPS if bounded else None, True, numbering)
        self.events = events.EventMerge(EVENT_GROUPS if bounded else None, True, numbering)
        self.questions = questions.QuestionMerge(
            QUESTION_GROUPS if bounded else None, True, numbering
        )
        self.documents: list[Document] = []
        self.quotes: list[Quote] = []
        self.reactions: list[Reaction] = []
        self.dates: dict[str, int] = {}  # publication day -> documents
        # Undated documents, when the config gives no story date: their events are read once
        # the corpus's most common date is known (finish). From the first of them on, events
        # wait with them, so that they merge in document order as before. A spooling merge
        # keeps them in the spool (a document by its row's index): a day of news without
        # dates would otherwise hold every text and event (about 900 MB at 100,000 articles).
        self.pending: list[Document | tuple[Event, list[str]]] = []
        self.waiting = 0  # how many wait, here or in the spool

    def add(self, item: DocumentExtraction, keys: MergeKeys | None = None) -> None:
        self.receive(ship(item, self.spool is not None, keys))

    def receive(self, shipment: Shipment) -> None:
        """Merge one document's extraction (made by `ship`, spooled if the merge spools)."""
        self.count += 1
        document: Document | None = None  # (in memory)
        if shipment.rows is not None:
            if self.spool is None:
                raise ValueError("a merge without a spool takes shipments made with spooled=False")
            self.spool.add_rows(*shipment.rows)
        else:
            assert shipment.document is not None
            if self.spool is not None:
                self.spool.add(shipment.document, shipment.quotes, shipment.reactions)
            else:
                document = shipment.document
                self.documents.append(document)
                self.quotes += shipment.quotes
                self.reactions += shipment.reactions
        published = shipment.published
        if published:
            day = published[:10]
            self.dates[day] = self.dates.get(day, 0) + 1
        self.facts.seen = self.count
        for fact, fact_words in shipment.facts:
            self.facts.add(Fact(*fact), WordSet(*fact_words))
        if not shipment.events and undated(published, self.ctx):
            self.waiting += 1
            if self.spool is not None:
                self.spool.wait(document=self.spool.counts["documents"] - 1)
            else:
                assert document is not None
                self.pending.append(document)
        for event, event_words, event_numbers in shipment.events:
            if not self.waiting:
                self.events.add(Event(*event), event_words, event_numbers)
                continue
            self.waiting += 1
            if self.spool is not None:
                self.spool.wait(event=json.dumps([event, event_words]))
            else:
                self.pending.append((Event(*event), event_words))
        for question, question_words in shipment.questions:
            self.questions.add(Question(*question), WordSet(*question_words))

    def finish(self) -> Extraction:
        corpus_anchor = self._corpus_anchor()
        waited: Iterable[Document | tuple[Event, list[str]]] = self.pending
        if self.spool is not None and self.waiting:
            waited = self._spooled_waiting(corpus_anchor is not None)
        for waiting in waited:
            if isinstance(waiting, Document):
                # Second chance for undated articles when the config gives no story date.
                if corpus_anchor:
                    self._add_undated(waiting, corpus_anchor)
            else:
                self.events.add(*waiting)
        self.pending = []
        self.waiting = 0
        merged_facts = self.facts.result(self.count)
        claims.mark_claims(merged_facts, self.ctx.story)
        if self.spool is not None:
            return spooled_extraction(
                self.spool, self.events.result(), self.questions.result(), merged_facts
            )
        return Extraction(
            documents=self.documents,
            quotes=self.quotes,
            reactions=self.reactions,
            events=self.events.result(),
            open_questions=self.questions.result(),
            facts=merged_facts,
        )

    def _spooled_waiting(self, documents: bool) -> Iterator[Document | tuple[Event, list[str]]]:
        """What waited in the spool, in order (the documents only when `documents`)."""
        assert self.spool is not None
        for document, event in self.spool.waited(documents):
            if document is not None:
                yield document
            elif event is not None:
                fields, words = json.loads(event)
                yield Event(*fields), words

    def _add_undated(self, doc: Document, anchor: dt.date) -> None:
        """The events of an undated document, read against the corpus's date. As in the
        first pass (pipeline._extract_file), whatever fails there costs that document only
        (its events), not the run."""
        try:
            parsed = parse_document(doc, self.ctx.gazetteer)
            found = [
                (e, content_words(e.text)) for e in events.extract_events(parsed, anchor, True)
            ]
        except Exception as exc:
            if self.on_failure is None:
                raise
            self.on_failure(doc, exc)
            return
        for event, words in found:
            self.events.add(event, words)

    def _corpus_anchor(self) -> dt.date | None:
        """The most common publication date of the corpus, for articles with no date of their
        own."""
        if not self.dates:
            return None
        best = max(sorted(self.dates), key=lambda day: self.dates[day])
        return dt.date.fromisoformat(best)


def merge(per_doc: Iterable[DocumentExtraction], ctx: ExtractContext) -> Extraction:
    merging = Merge(ctx)
    for item in per_doc:
        merging.add(item)
    return merging.finish()


def extract_corpus(docs: Iterable[Document], ctx: ExtractContext) -> Extraction:
    return merge(_extracted(docs, ctx), ctx)


def _extracted(docs: Iterable[Document], ctx: ExtractContext) -> Iterator[DocumentExtraction]:
    # A generator function: compiled with mypyc, a generator expression would be made into
    # a list, every document's extraction at once.
    for doc in docs:
        yield extract_document(doc, ctx)
