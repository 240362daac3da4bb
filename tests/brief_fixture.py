"""The invented story the assemble and render tests use (tests/fixtures/harbour/)."""

from __future__ import annotations

import json
from pathlib import Path

from briefing.config import Config, Story, load_config
from briefing.extract.claims import mark_claims
from briefing.models import Document, Event, Extraction, Fact, Question, Quote, Reaction

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "harbour"


def harbour_config() -> Config:
    return load_config(FIXTURES / "config.yaml")


def extraction_from_json(data: dict, story: Story | None = None) -> Extraction:
    """The inverse of Extraction.to_json (documents come back without their text). What
    the facts state and negate is not in the JSON: it is read again for `story`, as the
    extract stage reads it."""
    facts = [Fact(**f) for f in data["facts"]]
    if story is not None:
        mark_claims(facts, story)
    return Extraction(
        documents=[Document(**d) for d in data["documents"]],
        quotes=[Quote(**q) for q in data["quotes"]],
        reactions=[Reaction(**r) for r in data["reactions"]],
        events=[Event(**e) for e in data["events"]],
        open_questions=[Question(**q) for q in data["open_questions"]],
        facts=facts,
    )


def harbour_extraction() -> Extraction:
    data = json.loads((FIXTURES / "extraction.json").read_text(encoding="utf-8"))
    return extraction_from_json(data, harbour_config().story)


def with_claims(facts: list[Fact]) -> list[Fact]:
    """The facts with what they state and negate of the harbour story read, as the extract
    stage does."""
    mark_claims(facts, harbour_config().story)
    return facts


def crowded_extraction(copies: int) -> Extraction:
    """The harbour story with every fact, quote, event and question told `copies` times over
    (slightly reworded, so that nothing merges): far more than one page holds."""
    base = harbour_extraction()
    crowded = harbour_extraction()
    for n in range(1, copies):
        tag = f" (report {n})"
        crowded.facts += [
            Fact(f.text.rstrip(".") + tag + ".", f.docs, f.score - 0.01 * n, f.topic, f.position)
            for f in base.facts
        ]
        crowded.quotes += [
            Quote(**{**q.__dict__, "text": f"Report {n}: {q.text}"}) for q in base.quotes
        ]
        crowded.events += [
            Event(e.date, f"Report {n}: {e.text}", e.docs, e.inferred) for e in base.events
        ]
        crowded.open_questions += [
            Question(f"Report {n}: {q.text}", q.docs) for q in base.open_questions
        ]
    return crowded
