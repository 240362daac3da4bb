"""Why two well-known libraries are not on the hot path: timed against our own rules.

Not a test: it prints figures. It needs the two libraries, which briefing does not install:

    pip install dateparser pysbd && python bench/libraries.py

On the sample articles (repeated --copies times) it times, as CPU time, best of --runs:
- sentence splitting: pysbd's Segmenter against briefing.extract.sentences.split_sentences;
- date finding: dateparser's search_dates against briefing.extract.dates.Reader, sentence by
  sentence, and counts the dates each finds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from briefing.extract.dates import Reader
from briefing.extract.sentences import split_sentences
from briefing.ingest import read_documents

ROOT = Path(__file__).resolve().parent.parent


def best_cpu(work: Callable[[], object], runs: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.process_time()
        result = work()
        best = min(best, time.process_time() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=4, help="times the samples are repeated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import dateparser.search  # imported here: optional, and slow to import
    import pysbd

    docs = list(read_documents(["seeds"], ROOT, 5_000_000, lambda path, reason: None))
    texts = [doc.text for doc in docs] * args.copies
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    sentences = [s.text for t in texts for s in split_sentences(t)]
    anchor = dt.date(2024, 6, 19)

    segmenter = pysbd.Segmenter(language="en", clean=False)
    ours, _ = best_cpu(lambda: [split_sentences(t) for t in texts], args.runs)
    theirs, _ = best_cpu(lambda: [segmenter.segment(t) for t in texts], args.runs)
    print(f"text: {megabytes:.2f} MB, {len(sentences)} sentences")
    print(
        f"sentences  briefing {megabytes / ours:8.2f} MB/s   "
        f"pysbd      {megabytes / theirs:6.2f} MB/s"
    )

    def ours_dates() -> int:
        reader = Reader(anchor)
        return sum(len(reader.read(s)) for s in sentences)

    settings = {"RELATIVE_BASE": dt.datetime(2024, 6, 19), "PREFER_DATES_FROM": "past"}

    def their_dates() -> int:
        found = 0
        for sentence in sentences:
            hits = dateparser.search.search_dates(sentence, languages=["en"], settings=settings)
            found += len(hits or [])
        return found

    dateparser.search.search_dates("on 19 June 2024", languages=["en"])  # load its tables first
    ours, ours_found = best_cpu(ours_dates, args.runs)
    theirs, their_found = best_cpu(their_dates, 1)  # slow: one run is enough
    print(
        f"dates      briefing {megabytes / ours:8.2f} MB/s ({ours_found} found)   "
        f"dateparser {megabytes / theirs:6.3f} MB/s ({their_found} found)"
    )


if __name__ == "__main__":
    main()
