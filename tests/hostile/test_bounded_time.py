"""Every extractor and reader runs in bounded (linear) time on adversarial text.

Each case is about a megabyte (or the issue's exact shape: a 2 MB line, 300,000 quote
characters, 20,000 nested tags) and is run through each extractor on its own, then through
ingest. The bound, BOUND_S seconds per call, is generous for a slow two-core CI machine (the
linear code takes well under a second per case on a laptop), yet a quadratic algorithm on a
megabyte takes minutes to hours, so it fails here. A run that overshoots is stopped by an
alarm at the bound rather than left running.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from time_limit import TooSlow, assert_grows_linearly, cpu_time, time_limit

from briefing.errors import IngestError
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
from briefing.ingest import read_file

from .story import ANCHOR, document, story_context

BOUND_S = 6.0
MB = 1_000_000
MAX_BYTES = 50 * 1024 * 1024  # the readers themselves are timed, not the size check


def _repeat(unit: str, size: int) -> str:
    """`unit` repeated to `size` characters (rounded down to whole units)."""
    return unit * (size // len(unit))


# name -> the adversarial text. Every word is invented; none names a configured country
# except where a case needs the reaction and speaker paths to run.
CASES: dict[str, str] = {
    # The shapes.
    "unbalanced_straight_quotes_1mb": _repeat('The envoy said "the trawlers will ', MB),
    "unbalanced_curly_quotes_1mb": _repeat("The envoy said \u201cthe trawlers will ", MB),
    "line_2mb_no_spaces": "x" * 2_000_000,
    "straight_quotes_300k": '"' * 300_000,
    "curly_open_quotes_300k": "\u201c" * 300_000,
    "curly_pairs_300k": "\u201c\u201d" * 150_000,
    "mixed_quotes_300k": "\"\u201c\u201d'\u2018\u2019" * 50_000,
    "apostrophes_300k": "'" * 300_000,
    "spaced_quotes_300k": '" ' * 300_000,
    "nested_tags_20k": "<div>" * 20_000 + "deep" + "</div>" * 20_000,
    # The mix.
    "quote_said_alternating_1mb": _repeat('"a said "', MB),
    "capitalised_words_1mb": _repeat(
        "Minister Alder Birch Cedar Dunmore Elkin President Farrow Tarvos Gorse Hale ", MB
    ),
    "sentence_dots_100k": "." * 100_000,
    "short_sentences_100k": "Ends. " * 100_000,
    "initials_100k": "Mr. A. " * 100_000,
    "speech_verbs_1mb": _repeat("said told added warned stated noted according to claimed, ", MB),
    "question_cues_1mb": _repeat("Whether? it is unclear whether why how ", MB),
    "dates_1mb": _repeat("On May 3, 2031, last week, next Tuesday, in 2029 and on 4/5/2030 ", MB),
}

# One megabyte paragraph made of well-formed, attributed sentences: every sentence has work
# for the speaker and reaction readers. Ingest makes such a paragraph from a .txt file whose
# article has no blank line.
ATTRIBUTED_QUOTES = _repeat(
    'Ardennian Foreign Minister Piet Lorn said, "The pact is a threat to the banks." ', MB
)
THIRD_COUNTRY_REACTIONS = _repeat(
    "Ardenne condemned the fishing pact. Morrow welcomed the quotas, officials said. ", MB
)

# Known slow paths: (case, extractor) -> why; each runs as a strict xfail. None left: the
# per-sentence scans of quotes.py, reactions.py and ParsedDocument.in_quote step through
# their sorted lists now.
SLOW: dict[tuple[str, str], str] = {}
PARAGRAPH_CASES = {
    "attributed_quotes_paragraph_1mb": ATTRIBUTED_QUOTES,
    "third_country_reactions_paragraph_1mb": THIRD_COUNTRY_REACTIONS,
}

EXTRACTORS = ("quotes", "reactions", "events", "questions", "facts", "document")


def _timed(run: Callable[[], Any], what: str) -> float:
    """CPU seconds of `run` (a loaded machine stretches the wall clock, not the CPU time)."""
    return cpu_time(run, BOUND_S, what)[0]


def _runner(extractor: str, text: str, ctx: ExtractContext) -> Callable[[], Any]:
    """The run to time; the document is parsed in it, so each extractor pays for the parse
    as it would alone (the reactions are given the quotes, found beforehand)."""
    doc = document(text)
    gazetteer = ctx.gazetteer
    if extractor == "quotes":
        return lambda: quotes.extract_quotes(parse_document(doc, gazetteer), gazetteer)
    if extractor == "reactions":
        with time_limit(BOUND_S, "quotes (needed by the reactions run)"):
            found = quotes.extract_quotes(parse_document(doc, gazetteer), gazetteer)
        return lambda: reactions.extract_reactions(parse_document(doc, gazetteer), found, gazetteer)
    if extractor == "events":
        return lambda: events.extract_events(parse_document(doc, gazetteer), ANCHOR, False)
    if extractor == "questions":
        return lambda: questions.extract_questions(parse_document(doc, gazetteer))
    if extractor == "facts":
        return lambda: facts.extract_facts(parse_document(doc, gazetteer), ctx.story)
    return lambda: extract_document(doc, ctx)


@pytest.fixture(scope="module")
def ctx() -> ExtractContext:
    return story_context()


def _extractor_params() -> list[Any]:
    params = []
    for name in [*CASES, *PARAGRAPH_CASES]:
        for extractor in EXTRACTORS:
            reason = SLOW.get((name, extractor))
            marks = (
                [pytest.mark.xfail(strict=True, raises=TooSlow, reason=reason)] if reason else []
            )
            params.append(pytest.param(name, extractor, id=f"{name}-{extractor}", marks=marks))
    return params


def _items(result: Any) -> int:
    """How many quotes and reactions a run found (a list, or a whole DocumentExtraction)."""
    if isinstance(result, list):
        return len(result)
    return len(result.quotes) + len(result.reactions)


# The paragraph cases are made of attributed quotes, and of reactions: there, the extractors
# that read them must find about four times as many in the full text as in its quarter.
COUNTED = {
    "attributed_quotes_paragraph_1mb": {"quotes", "document"},
    "third_country_reactions_paragraph_1mb": {"reactions", "document"},
}


@pytest.mark.parametrize(("case", "extractor"), _extractor_params())
def test_extractor_is_bounded(case: str, extractor: str, ctx: ExtractContext) -> None:
    text = CASES.get(case) or PARAGRAPH_CASES[case]
    counted = extractor in COUNTED.get(case, set())
    # The growth from a quarter of the text to all of it, then an absolute bound on the
    # full run: a linear algorithm passes both, a quadratic one neither.
    assert_grows_linearly(
        lambda size: _runner(extractor, text[:size], ctx)(),
        len(text),
        f"{extractor} on {case}",
        bound=BOUND_S,
        count=_items if counted else None,
    )


# --- ingest -----------------------------------------------------------------------------------


def _as_text(body: str) -> str:
    return "Storm on the northern banks\n\n" + body + "\n"


def _as_markdown(body: str) -> str:
    return "# Storm on the northern banks\n\n" + body + "\n"


def _as_html(body: str) -> str:
    return (
        "<html><head><title>Storm on the northern banks</title></head><body><article>"
        "<h1>Storm on the northern banks</h1>"
        "<p>Trawlers from Tarvos stayed in port on Monday as the storm reached the banks.</p>"
        f"<p>{body}</p></article></body></html>"
    )


INGEST_CASES = {name: CASES[name] for name in CASES} | {
    "markdown_open_brackets_1mb": _repeat("[abcdefghij ", MB),
    "markdown_open_brackets_closed_at_end": "[abcdefghijklmnopqr " * 40_000 + "]" * 40_000,
    "markdown_open_brackets_in_paragraphs": _repeat("[abcdefghij " * 1_600 + "\n\n", MB),
    "markdown_stars_1mb": _repeat("*abcdefghijk ", MB),
    "markdown_backticks_1mb": _repeat("`abcdefghijk ", MB),
    "markdown_angle_brackets_1mb": _repeat("<abcdefghijk ", MB),
}


@pytest.mark.parametrize("kind", ["txt", "md"])
@pytest.mark.parametrize("case", list(INGEST_CASES))
def test_text_reader_is_bounded(tmp_path: Path, case: str, kind: str) -> None:
    path = tmp_path / f"hostile.{kind}"
    wrap = _as_text if kind == "txt" else _as_markdown
    path.write_text(wrap(INGEST_CASES[case]), encoding="utf-8")
    refusals: list[str] = []

    def run() -> None:
        try:
            read_file(path, MAX_BYTES)
        except IngestError as exc:
            refusals.append(exc.reason)

    elapsed = _timed(run, f"{kind} reader on {case}")
    assert elapsed < BOUND_S, f"{kind} reader on {case}: {elapsed:.2f} s"
    # A body without one letter or digit (quote marks, dots) is no article text.
    wordless = not any(c.isalnum() for c in INGEST_CASES[case])
    assert refusals == (["no article text"] if wordless else [])


HTML_CASES = {
    "nested_divs_20k": "<div>" * 20_000 + "deep" + "</div>" * 20_000,
    "nested_inline_20k": "<b><i>" * 10_000 + "deep" + "</i></b>" * 10_000,
    "unclosed_divs_100k": "<div>" * 100_000,
    "unclosed_paragraphs_100k": "<p>x " * 100_000,
    "sentence_paragraphs_100k": "<p>The coast guard escorted a trawler. " * 100_000,
    "nested_paragraph_blocks_50k": "<div><p>The coast guard escorted a trawler.</p></div>" * 50_000,
    "nested_tables_5k": "<table><tr><td>" * 5_000 + "x" + "</td></tr></table>" * 5_000,
    "open_comments_200k": "<!--" * 200_000,
    "angle_brackets_1mb": "<" * MB,
    "ampersands_1mb": "&" * MB,
    "unbalanced_quotes_1mb": CASES["unbalanced_straight_quotes_1mb"],
    "straight_quotes_300k": CASES["straight_quotes_300k"],
    "line_2mb_no_spaces": CASES["line_2mb_no_spaces"],
}


@pytest.mark.parametrize("case", list(HTML_CASES))
def test_html_reader_is_bounded(tmp_path: Path, case: str) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(_as_html(HTML_CASES[case]), encoding="utf-8")

    def run() -> None:
        # Refusing the page is fine; taking minutes over it is not.
        with contextlib.suppress(IngestError):
            read_file(path, MAX_BYTES)

    elapsed = _timed(run, f"HTML reader on {case}")
    assert elapsed < BOUND_S, f"HTML reader on {case}: {elapsed:.2f} s"


def test_nested_tags_keep_the_article_text(tmp_path: Path) -> None:
    """20,000 nested tags beside a real article: the article's paragraphs still come out."""
    path = tmp_path / "nested.html"
    nested = "<div>" * 20_000 + "deep" + "</div>" * 20_000
    path.write_text(_as_html("The coast guard escorted the last trawler home.") + nested)
    (doc,) = read_file(path, MAX_BYTES)
    assert doc.headline == "Storm on the northern banks"
    assert doc.paragraphs == [
        "Trawlers from Tarvos stayed in port on Monday as the storm reached the banks.",
        "The coast guard escorted the last trawler home.",
    ]


def _feed(description: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Ledger</title>'
        f"<item><title>Storm on the northern banks</title><description>{description}"
        "</description></item></channel></rss>"
    )


FEED_CASES = {
    "nested_tags_20k": "<![CDATA[" + HTML_CASES["nested_divs_20k"] + "]]>",
    "escaped_nested_tags_20k": "&lt;div&gt;" * 20_000 + "deep",
    "unclosed_paragraphs_100k": "<![CDATA[" + HTML_CASES["unclosed_paragraphs_100k"] + "]]>",
    "straight_quotes_300k": CASES["straight_quotes_300k"],
    "line_2mb_no_spaces": CASES["line_2mb_no_spaces"],
}


@pytest.mark.parametrize("case", list(FEED_CASES))
def test_feed_reader_is_bounded(tmp_path: Path, case: str) -> None:
    from briefing.errors import IngestError

    path = tmp_path / "hostile.rss"
    path.write_text(_feed(FEED_CASES[case]), encoding="utf-8")

    def run() -> None:
        with contextlib.suppress(IngestError):
            read_file(path, MAX_BYTES)

    elapsed = _timed(run, f"feed reader on {case}")
    assert elapsed < BOUND_S, f"feed reader on {case}: {elapsed:.2f} s"
