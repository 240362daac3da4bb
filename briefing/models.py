"""Plain data passed between the pipeline's stages.

ingest -> Document; extract -> Extraction (quotes, reactions, events, questions, facts);
assemble -> Brief; render reads a Brief; deliver writes what render made.
This module imports nothing of ours so that every stage can depend on it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Document:
    """One article, as read from one file (or one feed item)."""

    id: str  # file stem (feed items: stem + "-" + item number)
    path: str
    headline: str | None = None
    subheadlines: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, only when the text gives a full date
    byline: str | None = None
    url: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    content_hash: str = ""  # sha256 of the normalised text: a re-saved file is not new

    @property
    def text(self) -> str:
        """The body text that extractors read; offsets in Quote point into it."""
        return "\n\n".join(self.paragraphs)

    def paragraph_offsets(self) -> list[int]:
        """Start offset of each paragraph within `text`."""
        offsets, pos = [], 0
        for para in self.paragraphs:
            offsets.append(pos)
            pos += len(para) + 2
        return offsets


@dataclass
class Quote:
    doc: str
    text: str
    speaker: str | None = None
    speaker_title: str | None = None
    country: str | None = None
    start: int = 0  # character offsets of the quoted words within Document.text
    end: int = 0
    partial: bool = False  # a fragment inside reported speech: described it as a "..."
    affiliation: str | None = None  # "Korea Institute for National Unification" for analysts
    role: str = "other"  # principal | third | analyst | media | other


@dataclass
class Reaction:
    doc: str
    country: str
    actor: str | None
    text: str
    quoted: bool = False
    stance: str | None = None  # condemns | concerned | neutral | welcomes | supports
    stance_cues: list[str] = field(default_factory=list)


@dataclass
class Event:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    text: str
    docs: list[str] = field(default_factory=list)
    inferred: bool = False  # resolved against story.date or the corpus, not the article's own date


@dataclass
class Question:
    text: str
    docs: list[str] = field(default_factory=list)


@dataclass
class Fact:
    text: str
    docs: list[str] = field(default_factory=list)
    score: float = 0.0
    topic: str = "context"  # agreement | context
    position: float = 1.0  # best (smallest) relative position in its articles, 0 = lede


@dataclass
class DocumentExtraction:
    """What the extractors found in one document; small enough to keep for 10,000 articles."""

    document: Document
    quotes: list[Quote] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


@dataclass
class Extraction:
    """The whole corpus after extraction and cross-document merging."""

    documents: list[Document] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    open_questions: list[Question] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The public JSON contract of `briefing extract --format json` (see README)."""
        return {
            "documents": [
                {
                    "id": d.id,
                    "path": d.path,
                    "headline": d.headline,
                    "subheadlines": d.subheadlines,
                    "publisher": d.publisher,
                    "published": d.published,
                    "byline": d.byline,
                    "url": d.url,
                }
                for d in self.documents
            ],
            "quotes": [asdict(q) for q in self.quotes],
            "reactions": [asdict(r) for r in self.reactions],
            "events": [asdict(e) for e in self.events],
            "open_questions": [asdict(q) for q in self.open_questions],
            "facts": [asdict(f) for f in self.facts],
        }
