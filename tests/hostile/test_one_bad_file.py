"""One bad file never stops the run: each is skipped with one warning naming it (or read, when
its oddity is harmless), and the good articles beside it still come out.

Every case here stopped `extract` and `build` with a traceback before (issue 16).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import briefing.extract.events as extract_events_module
import briefing.pipeline as pipeline
from briefing.extract import extract_document

from .corpus import GOOD_IDS, extracted_ids, run_cli, write_config, write_good
from .story import document, story_context

BODY = (
    "Tarvos and Quellin met yesterday and will meet again tomorrow, next year and next "
    "Monday, officials said. Talks began nine months ago, on the 13th, last September, and "
    "may end in 40 years.\n"
)


def _front(front: str) -> str:
    return f"---\n{front}\n---\nFishing talks resume in the north\n\n{BODY}"


# name -> (file text, what must be in its one warning); None: harmless, the file is read.
SKIPPED = {
    "impossible-day.txt": (_front("published: 2024-02-30"), "'published' is not a full date"),
    "year-one.txt": (_front("published: 0001-01-01"), "'published' is not a full date"),
    "year-9999.txt": (_front("published: 9999-12-31"), "'published' is not a full date"),
    "brackets.txt": (_front("x: " + "[" * 500 + "]" * 500), "nested more than"),
    "python-tag.md": (_front("headline: !!python/name:os.system x"), "not allowed"),
    "custom-tag.txt": (_front("byline: !secret x"), "not allowed"),
    "alias-key.txt": (_front("a: &a x\n*a : y"), "a mapping key must be plain text"),
    "huge-front.txt": (
        "---\n" + "note: filler text\n" * 250_000 + "---\nTitle\n\n" + BODY,
        "front matter longer than",
    ),
    "quote-storm.txt": ("Quote storm\n\n" + '"' * 300_000 + "\n", "no article text"),
}
READ = {
    "impossible-note.txt": (_front("note: 2024-13-45"), None),
    "odd-offset.txt": (_front("published: 2033-05-14T10:00:00+99:00"), "2033-05-14"),
}
FEED_9999 = """<?xml version="1.0"?><rss version="2.0"><channel><title>North Wire</title>
<item><title>Talks go on</title><pubDate>Fri, 31 Dec 9999 10:00:00 GMT</pubDate>
<description>Tarvos and Quellin met yesterday and said the talks would go on next week and
next year, officials said.</description></item></channel></rss>
"""


def _corpus(folder: Path) -> Path:
    write_good(folder)
    for name, (text, _) in {**SKIPPED, **READ}.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "far-future.rss").write_text(FEED_9999, encoding="utf-8")
    return write_config(folder)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_bad_file_is_one_warning_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)  # --jobs 2 really uses two processes
    config = _corpus(tmp_path)
    run = run_cli(["extract", str(tmp_path), "--jobs", jobs], config)
    assert run.exit_code == 0
    assert len(run.warnings) == len(SKIPPED), run.warnings
    for name, (_, reason) in SKIPPED.items():
        (line,) = [w for w in run.warnings if f"/{name}:" in w]
        assert reason in line
    ids = extracted_ids(run)
    expected = [*GOOD_IDS, "far-future-1", *(Path(n).stem for n in READ)]
    assert ids == sorted(expected)


def test_dates_are_checked_where_they_enter(tmp_path: Path) -> None:
    config = _corpus(tmp_path)
    run = run_cli(["extract", str(tmp_path), "--jobs", "1"], config)
    published = {d["id"]: d["published"] for d in json.loads(run.stdout)["documents"]}
    assert published["odd-offset"] == "2033-05-14"
    assert published["far-future-1"] is None  # year 9999 is no article's date
    assert published["pact-signed"] == "2033-05-14"


@pytest.mark.parametrize(
    "anchor", ["0001-01-01", "0001-02-28", "9999-12-31", "9999-11-30", "1900-01-01"]
)
def test_date_arithmetic_at_the_calendars_ends_is_clamped(anchor: str) -> None:
    text = BODY + " It happened in 0000 and in 9999, 30 years ago and the following year."
    found = extract_document(document(text, published=anchor), story_context())
    dates = [e.date for e in found.events]
    # Dates before 1600 are no news event's; from 1900 on the relative dates are read.
    assert bool(dates) == (anchor >= "1900")
    assert all("0001" <= d[:4] <= "9999" for d in dates)


def test_a_story_dated_9999_still_reads_undated_articles() -> None:
    ctx = story_context()
    ctx.story_date = dt.date(9999, 12, 31)
    found = extract_document(document(BODY, published=None), ctx)
    assert "9999-12-30" in [e.date for e in found.events]  # "yesterday"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_extractor_failing_on_one_document_skips_only_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    real = pipeline.extract_document

    def fragile(doc, ctx):  # type: ignore[no-untyped-def]
        if "trap" in doc.id:
            raise RecursionError("maximum recursion depth exceeded")
        return real(doc, ctx)

    monkeypatch.setattr(pipeline, "extract_document", fragile)
    write_good(tmp_path)
    config = write_config(tmp_path)
    for name in ("trap-a.txt", "trap-b.txt"):
        (tmp_path / name).write_text(f"Fishing talks resume\n\n{BODY}", encoding="utf-8")
    run = run_cli(["extract", str(tmp_path), "--jobs", jobs], config)
    assert run.exit_code == 0
    assert extracted_ids(run) == GOOD_IDS
    assert len(run.warnings) == 2
    assert all("extraction failed (RecursionError" in w for w in run.warnings)


def test_build_beside_bad_files_keeps_the_good_articles(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    config = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    run = run_cli(["build", str(tmp_path / "in"), "--format", "json,md", "--out", str(out)], config)
    assert run.exit_code == 0
    assert len(run.warnings) == len(SKIPPED)
    sources = json.loads((out / "brief.json").read_text(encoding="utf-8"))["brief"]["sources"]
    names = {s["doc"] for s in sources}
    assert set(GOOD_IDS) <= names
    assert "quote-storm" not in names


@pytest.mark.parametrize(
    ("page_date", "published"),
    [("2033-05-14", "2033-05-14"), ("9999-12-31", None), ("2033-02-30", None), ("", None)],
)
def test_the_markups_date_is_checked_too(page_date: str, published: str | None) -> None:
    from types import SimpleNamespace

    from briefing.ingest.article import Article
    from briefing.ingest.html import _merge_page_metadata

    page = SimpleNamespace(url=None, date=page_date, author=None, sitename=None)
    article = Article(paragraphs=["Tarvos and Quellin met on Monday, officials said."])
    _merge_page_metadata(article, page, None)
    assert article.published == published


# Compiled by mypyc (hatch_build.py), extract calls extract_events directly: the stand-in
# below would never be called.
@pytest.mark.skipif(
    str(extract_events_module.__file__).endswith(".so"),
    reason="monkeypatches a function that compiled code calls directly",
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_undated_articles_second_events_pass_failing_costs_only_its_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    # With no story date, undated articles have their events read at the end, against the
    # corpus's most common date (extract.Merge.finish): a failure there is one warning.
    import briefing.extract.events as events

    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    real = events.extract_events

    def fragile(parsed, anchor, inferred):  # type: ignore[no-untyped-def]
        if parsed.doc.id == "trap-undated":
            raise ValueError("year 0 is out of range")
        return real(parsed, anchor, inferred)

    monkeypatch.setattr(events, "extract_events", fragile)
    write_good(tmp_path)
    config = write_config(tmp_path)
    config.write_text(config.read_text().replace("  date: 2033-05-14\n", ""), encoding="utf-8")
    for name in ("trap-undated.txt", "calm-undated.txt"):
        (tmp_path / name).write_text(f"Fishing talks resume\n\n{BODY}", encoding="utf-8")
    run = run_cli(["extract", str(tmp_path), "--jobs", jobs], config)
    assert run.exit_code == 0
    (warning,) = run.warnings
    assert "skipped the events of " in warning and "/trap-undated.txt: " in warning
    assert "extraction failed (ValueError: year 0 is out of range)" in warning
    # The document stays (its quotes, its source line), only its events are missing; the
    # other undated article's events are read against the corpus date as usual.
    assert extracted_ids(run) == sorted([*GOOD_IDS, "calm-undated", "trap-undated"])
    event_docs = {d for e in json.loads(run.stdout)["events"] for d in e["docs"]}
    assert "calm-undated" in event_docs and "trap-undated" not in event_docs
