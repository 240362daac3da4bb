"""Speed of each extractor, and of the whole per-document extraction, on one core.

Not a test: it prints figures. Usage (from the repo root):

    python bench/extract_speed.py            # the seeds repeated to ~5 MB
    python bench/extract_speed.py --mb 2 --runs 5

The sample articles are repeated (each copy a distinct document, so that no cache spans
copies) until the corpus reaches the size asked for. Each figure is the best of `--runs`
runs of CPU time (time.process_time), so that other processes on the machine disturb it less.

Every extractor reads the document parsed once (briefing/extract/parsed.py: sentences,
quotation spans, country words): the parse is timed on its own, then each extractor on the
parsed documents. Reactions need the quotes, so they are timed with them. The last line
times extract_document, parse and all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from briefing.config import load_config
from briefing.extract import (
    ExtractContext,
    events,
    extract_document,
    facts,
    parse_document,
    questions,
    quotes,
    reactions,
)
from briefing.extract.parsed import ParsedDocument
from briefing.ingest import read_documents
from briefing.models import Document

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def corpus(megabytes: float) -> tuple[list[Document], int]:
    seeds = list(read_documents(["seeds"], ROOT, 5_000_000, lambda path, reason: None))
    docs: list[Document] = []
    size = 0
    while size < megabytes * 1e6:
        seed = seeds[len(docs) % len(seeds)]
        last = seed.paragraphs[-1] + f" Copy {len(docs)}."
        doc = replace(seed, id=f"{seed.id}-{len(docs)}", paragraphs=[*seed.paragraphs[:-1], last])
        docs.append(doc)
        size += len(doc.text.encode("utf-8"))
    return docs, size


def best_time(work: Callable[[T], object], runs: int, setup: Callable[[], T]) -> float:
    """The least CPU time of `runs` calls of work(setup()), setup untimed: a fresh input per
    run, so that no run reads what an earlier one left behind (the units' word memos)."""
    best = float("inf")
    for _ in range(runs):
        given = setup()
        started = time.process_time()
        work(given)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    config = load_config(ROOT / "config.yaml")
    ctx = ExtractContext.from_config(config)
    story, gazetteer = config.story, ctx.gazetteer
    anchor = dt.date(2024, 6, 19)
    docs, size = corpus(args.mb)
    print(f"{len(docs)} documents, {size / 1e6:.2f} MB")

    def parse_all() -> list[ParsedDocument]:
        return [parse_document(d, gazetteer) for d in docs]

    seconds = best_time(lambda _: parse_all(), args.runs, lambda: None)
    print(f"{'parse (shared)':17s} {seconds:6.2f} s  {size / seconds / 1e6:6.2f} MB/s")

    def quotes_and_reactions(doc: ParsedDocument) -> object:
        return reactions.extract_reactions(doc, quotes.extract_quotes(doc, gazetteer), gazetteer)

    stages: dict[str, Callable[[ParsedDocument], object]] = {
        "quotes": lambda d: quotes.extract_quotes(d, gazetteer),
        "quotes+reactions": quotes_and_reactions,
        "events": lambda d: events.extract_events(d, anchor, True),
        "questions": questions.extract_questions,
        "facts": lambda d: facts.extract_facts(d, story),
    }
    for name, stage in stages.items():

        def run(ps: list[ParsedDocument], f: Callable[[ParsedDocument], object] = stage) -> None:
            for p in ps:
                f(p)

        seconds = best_time(run, args.runs, parse_all)
        print(f"{name:17s} {seconds:6.2f} s  {size / seconds / 1e6:6.2f} MB/s (on the parse)")
    seconds = best_time(lambda _: [extract_document(d, ctx) for d in docs], args.runs, lambda: None)
    rate = size / seconds / 1e6
    print(f"{'extract_document':17s} {seconds:6.2f} s  {rate:6.2f} MB/s (everything)")
    merged = [f for p in parse_all() for f in facts.extract_facts(p, story)]
    started = time.process_time()
    facts.merge_facts(merged, len(docs))
    print(f"merge_facts of {len(merged)} facts: {time.process_time() - started:.2f} s")


if __name__ == "__main__":
    main()
