"""Render: the harbour brief as Markdown, HTML, JSON and a one-page PDF."""

from __future__ import annotations

import io
import itertools
import json
import logging
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from brief_fixture import crowded_extraction, harbour_config, harbour_extraction
from markdown_it import MarkdownIt
from markupsafe import Markup
from pypdf import PdfReader
from time_limit import time_limit

from briefing.assemble import assemble
from briefing.models import Brief, BriefItem, BriefSection
from briefing.render import render
from briefing.render.environment import Templates, builtin_templates
from briefing.render.filters import (
    escape_md,
    long_date,
    md_code,
    short_date,
    stance_dots,
    timeline_marks,
)
from briefing.render.fit import Slot, best_split, droppable, without
from briefing.render.markdown import count_words, render_markdown

BUILTIN = builtin_templates()


def _dirs(audience: str) -> list[Path]:
    return [BUILTIN / audience, BUILTIN]


def _brief(audience: str = "analyst") -> Brief:
    return assemble(harbour_extraction(), harbour_config(), audience)


def _render(brief: Brief, fmt: str) -> bytes:
    return render(brief, [fmt], _dirs(brief.audience), 8.0)[fmt]


class _Tags(HTMLParser):
    """Collects start tags and their attributes; fails on nothing (html.parser is lenient),
    so the tests check what it found."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_sections_citations_and_conflict() -> None:
    text = _render(_brief(), "md").decode("utf-8")
    assert text.startswith(
        "# Harbour Security Pact: Norland and Valmark sign a defence treaty\n\n"
        "*Analyst brief* · 3 March 2031 · from 3 sources\n"
    )
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Bottom line",
        "## The agreement",
        "## Background",
        "## Reactions",
        "## Key quotes",
        "## Timeline",
        "## Open questions",
        "## Sources",
    ]
    assert (
        "- The pact commits each side to military assistance if the other is attacked. "
        "[1, 2] (2 of 3 sources)\n"
        "  - *Sources differ:* The pact does not include an automatic military intervention "
        "clause, officials said. [3]\n"
    ) in text
    assert "- **1988** — Norland and Valmark signed a fisheries treaty. [1]\n" in text
    assert "- **Apr 2031**\\* — Joint naval patrols are due to begin. [2]\n" in text
    # No headline and no text in this fixture: never the file name.
    assert "- [2] **Valmark Post**, (untitled), 4 Mar 2031\n" in text
    assert "b-valmark-post" not in text


def test_markdown_stance_strip_is_text() -> None:
    text = _render(_brief(), "md").decode("utf-8")
    assert (
        "```text\n"
        "Ostria             ○●○○○  Concerned (concern)\n"
        "Kesh               ○○●○○  Non-committal\n"
        "Brenmark Republic  ·····  no stance found\n"
        "```\n"
    ) in text
    # Ostria's latest statement sets its stance and is the one shown.
    assert "- **Ostria** (Concerned). Ostria voiced concern over the pact. [2]\n" in text


def test_markdown_makes_hostile_text_inert() -> None:
    text = _render(_brief(), "md").decode("utf-8")
    assert "<script" not in text
    assert "Critics posted &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7\\*7 }}" in text
    assert (
        "- \\# Officials said the text would be published in \\[April\\](http://example.com)"
        in text
    )
    html = MarkdownIt("commonmark").render(text)
    tags = _parse(html)
    assert "script" not in [tag for tag, _ in tags.tags]
    hrefs = [attrs.get("href") or "" for tag, attrs in tags.tags if tag == "a"]
    assert hrefs == ["https://example.com/harbour/pact?id=7&lang=en"]
    assert [tag for tag, _ in tags.tags].count("h1") == 1  # "# Officials" stays text
    assert "<script>alert(1)</script>" in "".join(tags.text)  # shown, as text


def test_markdown_keeps_to_the_word_budget() -> None:
    brief = _brief()
    full = count_words(_render(brief, "md").decode("utf-8"))
    brief.word_budget = 260
    short = _render(brief, "md").decode("utf-8")
    assert count_words(short) <= 260 < full
    # Every section with items keeps at least its best one.
    for heading in ("## Bottom line", "## The agreement", "## Key quotes", "## Timeline"):
        assert heading in short
    assert "Norland and Valmark signed the Harbour Security Pact" in short


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a *b* _c_", "a \\*b\\* \\_c\\_"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("<b>&amp;</b>", "&lt;b&gt;&amp;amp;&lt;/b&gt;"),
        ("# heading", "\\# heading"),
        ("1. item", "1\\. item"),
        ("- item", "\\- item"),
        ("line\nbreak  here", "line break here"),
        ("`code` | pipe", "\\`code\\` \\| pipe"),
    ],
)
def test_escape_md(value: str, expected: str) -> None:
    assert escape_md(value) == expected
    assert isinstance(escape_md(value), Markup)


def test_md_code_cannot_close_its_fence() -> None:
    assert md_code("a```b", 6) == "a'''b "
    assert md_code(None) == ""


# --- HTML ---------------------------------------------------------------------------------


def test_html_is_standalone_and_escapes_article_text() -> None:
    html = _render(_brief(), "html").decode("utf-8")
    tags = _parse(html)
    names = [tag for tag, _ in tags.tags]
    assert "script" not in names
    assert not [a for t, a in tags.tags if t in ("link", "img", "iframe")]
    assert "Critics posted &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }}" in html
    hrefs = [a["href"] for t, a in tags.tags if t == "a" and a.get("href")]
    external = [h for h in hrefs if not h.startswith("#")]
    assert external == ["https://example.com/harbour/pact?id=7&lang=en"]
    ids = {a["id"] for _, a in tags.tags if a.get("id")}
    for expected in ("brief-start", "brief-end", "section-agreement", "agreement-1", "src-3"):
        assert expected in ids
    assert "<title>Harbour Security Pact: Norland and Valmark sign a defence treaty" in html


def test_html_draws_stance_strip_and_timeline_as_svg() -> None:
    tags = _parse(_render(_brief(), "html").decode("utf-8"))
    scales = [a.get("aria-label") for t, a in tags.tags if t == "svg" and a.get("class") == "scale"]
    assert scales == ["concerned", "neutral", "no stance"]
    graphics = [a for t, a in tags.tags if t == "svg" and a.get("class") == "timeline-graphic"]
    assert [g["aria-label"] for g in graphics] == ["Timeline of 4 events"]
    circles = [a for t, a in tags.tags if t == "circle"]
    assert [c["fill"] for c in circles] == ["#13315c", "#13315c", "#13315c", "#ffffff"]


def test_html_shows_both_sides_of_a_dispute() -> None:
    html = _render(_brief(), "html").decode("utf-8")
    assert '<div class="differ"><b>Sources differ:</b> <span class="text">The pact does not' in html


def test_missing_template_names_the_search_path(tmp_path: Path) -> None:
    from briefing.errors import RenderError

    with pytest.raises(RenderError, match=r"template 'brief\.md\.j2' not found; search path"):
        render(_brief(), ["md"], [tmp_path / "nowhere"], "A4", 8.0)


# --- JSON ---------------------------------------------------------------------------------


def test_json_holds_the_contract_and_the_brief() -> None:
    brief = _brief()
    extraction = harbour_extraction()
    data = json.loads(render(brief, ["json"], _dirs("analyst"), 8.0, extraction)["json"])
    assert list(data) == [
        "documents",
        "quotes",
        "reactions",
        "events",
        "open_questions",
        "facts",
        "brief",
    ]
    assert [d["id"] for d in data["documents"]] == ["a-harbour-times", "b-valmark-post", "c-wire"]
    assert data["brief"]["audience"] == "analyst"
    assert data["brief"]["sections"][0]["items"][0]["sources"] == [1, 2, 3]


# --- PDF ----------------------------------------------------------------------------------


def _pdf_pages(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


@pytest.mark.parametrize("audience", ["executive", "analyst", "press"])
def test_pdf_is_one_page_with_every_section(audience: str) -> None:
    brief = _brief(audience)
    reader = _pdf_pages(_render(brief, "pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = reader.pages[0].extract_text()
    assert "Harbour Security Pact" in text
    assert brief.audience_title.upper() in text
    assert "Ostria voiced concern over the pact" in " ".join(text.split())


def test_pdf_letter_size() -> None:
    brief = _brief("executive")
    brief.page_size = "Letter"
    data = render(brief, ["pdf"], _dirs("executive"), 8.0)["pdf"]
    box = _pdf_pages(data).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.parametrize("audience", ["executive", "analyst", "press"])
def test_overflow_drops_lowest_items_in_few_renders(
    audience: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = harbour_config()
    config.audiences[audience].limits = {}
    brief = assemble(crowded_extraction(8), config, audience)
    with caplog.at_level(logging.DEBUG, logger="briefing"):
        data = _render(brief, "pdf")
    reader = _pdf_pages(data)
    assert len(reader.pages) == 1
    renders = [r.getMessage() for r in caplog.records if r.getMessage().startswith("pdf: render")]
    assert 1 <= len(renders) <= 3, renders
    # Items went, not the type size; and the page is still well filled.
    final = renders[-1]
    assert f"at {brief.font_pt:.2f} pt" in final
    dropped = int(final.split(", ")[1].split(" slot")[0])
    assert dropped > 10
    used, capacity = (float(n) for n in final.split(": ")[-1].split(" px")[0].split(" of "))
    assert 0.85 * capacity <= used <= capacity
    text = " ".join(reader.pages[0].extract_text().split())
    # The best item of every section is still there.
    assert "Harbour Security Pact in Port Elna on 3 March 2031" in text
    assert "voiced concern over the pact" in text
    assert "SOURCES" in text


def test_font_shrinks_only_to_the_floor(caplog: pytest.LogCaptureFixture) -> None:
    """Sections down to one item each and still too long: smaller type, never below 8 pt."""
    long_text = "Every clause of the pact was read aloud in the harbour hall. " * 30
    sections = [
        BriefSection(name, [BriefItem(text=long_text, sources=[1])])
        for name in ("bottom_line", "agreement", "context", "questions")
    ]
    brief = Brief("Long", "2031-03-03", "analyst", "Analyst brief", sections, font_pt=10.0)
    with caplog.at_level(logging.DEBUG, logger="briefing"):
        data = render(brief, ["pdf"], _dirs("analyst"), 8.0)["pdf"]
    assert len(_pdf_pages(data).pages) == 1
    sizes = [
        float(r.getMessage().split(" at ")[1].split(" pt")[0])
        for r in caplog.records
        if r.getMessage().startswith("pdf: render")
    ]
    assert sizes[0] == 10.0
    assert min(sizes) >= 8.0
    assert min(sizes) < 10.0


def test_missing_font_subsetter_is_said_once_at_info(caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint warns for each font of each PDF when HarfBuzz-Subset is missing: those
    warnings are dropped, and what they mean is said once, at -v; other warnings pass."""
    from briefing.render.pdf import _QuietFontNotice

    weasyprint_log = logging.getLogger("test_render.weasyprint")
    weasyprint_log.addFilter(_QuietFontNotice())
    notice = 'Using fontTools instead of HarfBuzz-Subset for font "%s". Please install it.'
    # (on the "briefing" logger itself: a CLI test before this one leaves it at WARNING)
    with caplog.at_level(logging.INFO, logger="briefing"):
        for family in ("DejaVu Serif", "DejaVu Sans", "DejaVu Serif"):
            weasyprint_log.warning(notice, family)
        weasyprint_log.warning("Ignored `gap: 1em` at 3:5, unknown property.")
    said = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert said == [
        (
            "briefing",
            logging.INFO,
            "PDF fonts subset by fontTools, about 0.8 s more per PDF: install HarfBuzz's "
            "subset library (Debian: libharfbuzz-subset0) to make PDFs faster",
        ),
        ("test_render.weasyprint", logging.WARNING, "Ignored `gap: 1em` at 3:5, unknown property."),
    ]


def test_url_fetcher_serves_only_packaged_assets(tmp_path: Path) -> None:
    from briefing.render.pdf import load_weasyprint, make_url_fetcher

    weasyprint = load_weasyprint()
    fetcher = make_url_fetcher(weasyprint, [BUILTIN])
    inside = (BUILTIN / "_base" / "style.css.j2").resolve().as_uri()
    assert b"@page" in fetcher.fetch(inside).read()
    secret = tmp_path / "secret.txt"
    secret.write_text("no", encoding="utf-8")
    for url in (secret.as_uri(), "http://127.0.0.1:9/x.css", "https://example.com/a.png"):
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(url)


# --- fitting and helpers ------------------------------------------------------------------


def test_droppable_takes_turns_and_keeps_each_best_item() -> None:
    brief = _brief()
    order = droppable(brief)
    sections = {s.name: s for s in brief.sections}
    assert Slot("bottom_line", 0) not in order
    assert Slot("quotes", 0) not in order
    # The third quote (two better ones in its section) goes before the second agreement item
    # (one better one, and the agreement section is kept longer).
    assert order.index(Slot("quotes", 2)) < order.index(Slot("agreement", 1))
    for name, section in sections.items():
        kept = without(brief, order).section(name)
        assert kept is not None
        assert len(kept.items) == min(1, len(section.items))


def test_droppable_shares_the_room_by_words_not_by_count() -> None:
    """Two sections of the same share: the one of short items keeps more of them."""
    long_fact = "The harbour authority will publish the new pilotage tariffs in the spring."
    brief = Brief(
        "T",
        None,
        "analyst",
        "Analyst brief",
        [
            BriefSection("agreement", [BriefItem("The pact was signed.", rank=1.0)]),  # leads
            BriefSection("context", [BriefItem(long_fact, rank=1.0 - 0.1 * n) for n in range(3)]),
            BriefSection(
                "timeline", [BriefItem("Pilots strike.", rank=1.0 - 0.1 * n) for n in range(6)]
            ),
        ],
    )
    order = droppable(brief)
    # Facts of 12 words (+2 for the citation): the second one has 28 words at and above it;
    # the sixth event has 6 x 4 = 24: the long facts go first.
    assert order[:2] == [Slot("context", 2), Slot("context", 1)]
    assert order[2:] == [Slot("timeline", n) for n in (5, 4, 3, 2, 1)]


def test_with_estimates_puts_dropped_items_back_at_corrected_heights() -> None:
    """Items dropped before a render come back at their estimated heights, scaled by how far
    the estimate was off for the section's shown items; the plan then knows what fits."""
    from briefing.render.fit import Layout, SectionModel, plan, with_estimates

    brief = Brief(
        "T",
        None,
        "analyst",
        "Analyst brief",
        [
            BriefSection(
                "questions", [BriefItem(t, rank=1.0 - 0.1 * n) for n, t in enumerate("abcd")]
            )
        ],
    )

    def section(heights: dict[int, float], top: float) -> SectionModel:
        model = SectionModel("questions", (0.0, 0.0, 10.0, 0.0), wide=True, right=False)
        y = top
        for index, height in heights.items():
            model.items[Slot("questions", index)] = (0.0, y, 10.0, y + height)
            model.words[Slot("questions", index)] = 1
            y += height
        model.box = (0.0, 0.0, 10.0, y)
        return model

    gone = {Slot("questions", 2), Slot("questions", 3)}
    # Measured: heading 20 px, items a, b of 30 px. Estimated: heading 20, every item 40 px.
    measured = Layout(1, 180.0, 300.0, [section({0: 30.0, 1: 30.0}, 20.0)])
    estimate = Layout(1, 0.0, 300.0, [section({n: 40.0 for n in range(4)}, 20.0)])
    grown = with_estimates(measured, estimate, gone)
    # The section measured 80 px where its estimate said 100: dropped items come back at
    # 40 x 0.8 = 32 px each.
    assert grown.used == 180.0 + 64.0
    assert grown.sections[0].items[Slot("questions", 3)] == (0.0, 112.0, 10.0, 144.0)
    assert measured.sections[0].height == 80.0  # the measured layout is left as it was
    # 300 px of room, less the safety margin: both fit back; with 230 px only the better one.
    assert plan(brief, droppable(brief), grown, set()).gone == set()
    tighter = Layout(1, grown.used, 230.0, grown.sections)
    assert plan(brief, droppable(brief), tighter, set()).gone == {Slot("questions", 3)}


def test_without_renumbers_nothing_and_recounts_citations() -> None:
    brief = _brief()
    smaller = without(brief, [Slot("context", 1), Slot("sources", 0)])
    assert [s.number for s in smaller.sources] == [2, 3]
    context = smaller.section("context")
    assert context is not None
    assert [i.text[:8] for i in context.items] == ["Valmark ", "# Offici"]
    assert brief.section("context").items[1].text.startswith("Critics")  # type: ignore[union-attr]


def test_without_drops_the_sources_at_their_slots_however_they_are_numbered() -> None:
    brief = _brief()
    # A brief numbered by hand: gaps, an unnumbered source (0) and a slot past the last one.
    # (A list of its sources: assemble's SourceList gives copies to read, not to change.)
    brief.sources = list(brief.sources)
    for source, number in zip(brief.sources, (0, 2, 7), strict=True):
        source.number = number
    smaller = without(brief, [Slot("sources", -1), Slot("sources", 6), Slot("sources", 9)])
    assert [s.number for s in smaller.sources] == [2]
    assert [s.number for s in without(brief, [Slot("sources", 2)]).sources] == [0, 2, 7]
    assert [s.number for s in brief.sources] == [0, 2, 7]  # the brief is left as it was
    for source, number in zip(brief.sources, (-3, -2, -1), strict=True):
        source.number = number
    assert [s.number for s in without(brief, [Slot("sources", -3)]).sources] == [-3, -1]


def test_best_split_balances_columns_in_order() -> None:
    assert best_split([3, 1, 1, 1]) == (1, 3)
    assert best_split([1, 1, 1, 1]) == (2, 2)
    assert best_split([5]) == (1, 5)
    assert best_split([]) == (0, 0)


def test_timeline_marks_space_out_and_label_years() -> None:
    items = [
        BriefItem("a", date="1988"),
        BriefItem("b", date="2031-03-01"),
        BriefItem("c", date="2031-03-01"),
        BriefItem("d", date="2031-03-02"),
    ]
    marks = timeline_marks(items, min_step=0.1)
    xs = [m.x for m in marks]
    assert xs[0] == 0.0 and xs[-1] == 1.0
    assert all(b - a >= 0.1 - 1e-9 for a, b in itertools.pairwise(xs))
    assert xs[1] > 0.5  # the decades between 1988 and 2031 take most of the axis
    assert [m.label for m in marks] == ["1988", "2031", None, None]
    assert timeline_marks([BriefItem("x")]) == []


def test_dates_and_stance_dots() -> None:
    assert long_date("2031-03-03") == "3 March 2031"
    assert long_date("2031-03") == "March 2031"
    assert short_date("1988") == "1988"
    assert short_date("someday") == "someday"
    assert stance_dots("welcomes") == "○○○●○"
    assert stance_dots(None) == "·····"


def test_templates_render_builtin_prefix(tmp_path: Path) -> None:
    """An override can extend the very template it replaces through the builtin/ prefix."""
    (tmp_path / "brief.md.j2").write_text(
        '{% extends "builtin/analyst/brief.md.j2" %}{% block header %}# Custom\n{% endblock %}',
        encoding="utf-8",
    )
    text = render_markdown(_brief(), Templates([tmp_path, *_dirs("analyst")]))
    assert text.startswith("# Custom\n")
    assert "## Bottom line" in text


def test_plan_puts_back_what_the_short_column_lost() -> None:
    """Dropping from the shorter of two columns gains nothing: those items come back."""
    from briefing.render.fit import Layout, SectionModel, plan

    brief = Brief(
        "T",
        None,
        "analyst",
        "Analyst brief",
        [
            BriefSection("agreement", [BriefItem("a", rank=1.0), BriefItem("b", rank=0.1)]),
            BriefSection("questions", [BriefItem("c", rank=1.0), BriefItem("d", rank=0.05)]),
        ],
    )

    def section(name: str, right: bool, heights: list[float]) -> SectionModel:
        model = SectionModel(name, (0.0, 0.0, 10.0, sum(heights) + 20), wide=False, right=right)
        y = 20.0
        for index, height in enumerate(heights):
            model.items[Slot(name, index)] = (0.0, y, 10.0, y + height)
            y += height
        return model

    # Left column 20 + 100 + 300 = 420 px, right 20 + 100 + 50 = 170; header etc. 100 px.
    layout = Layout(
        1,
        520.0,
        400.0,
        [section("agreement", False, [100, 300]), section("questions", True, [100, 50])],
    )
    order = droppable(brief)
    assert order == [Slot("questions", 1), Slot("agreement", 1)]
    result = plan(brief, order, layout, set())
    assert result.fits
    assert result.gone == {Slot("agreement", 1)}  # "d" went first, then came back
    assert result.height == 270.0
    # An item as tall as the page never fits: the plan says so.
    assert not plan(brief, [], layout, set()).fits


@pytest.mark.parametrize("audience", ["executive", "analyst", "press"])
def test_estimate_is_close_to_the_layout(audience: str) -> None:
    from briefing.render.estimate import estimated_layout
    from briefing.render.geometry import geometry
    from briefing.render.pdf import _Renderer

    brief = assemble(crowded_extraction(2), harbour_config(), audience)
    renderer = _Renderer(brief, Templates(_dirs(audience)), 8.0)
    measured = renderer.layout(set(), brief.font_pt, None)
    estimate = estimated_layout(brief, brief.font_pt, geometry("A4"), renderer.wide)
    assert estimate.capacity == pytest.approx(measured.layout.capacity, abs=1.0)
    assert 0.8 <= estimate.used / measured.layout.used <= 1.2


def test_names_and_quotes_have_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    """Romanised names, curly quotes, dashes and accents all render (no .notdef boxes)."""
    text = "Baek Min-seok said “it’s a ‘first’” – Ngũgĩ, Žižek and Ørsted — Straße № 5 …"
    sections = [BriefSection("bottom_line", [BriefItem(text, sources=[1])])]
    brief = Brief("Glyphs: “Zoë’s” café", "2031-03-03", "analyst", "Analyst brief", sections)
    with caplog.at_level(logging.WARNING):
        data = render(brief, ["pdf"], _dirs("analyst"), 8.0)["pdf"]
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    extracted = " ".join(_pdf_pages(data).pages[0].extract_text().split())
    assert "Baek Min-seok said “it’s a ‘first’”" in extracted


# --- growth with the number of sources ----------------------------------------------------


def _many_sources(count: int) -> Brief:
    """An invented brief of `count` sources, of which the 20 facts cite one each (every
    seventh source); the rest are cited by nothing."""
    from briefing.models import BriefSource

    sources = [
        BriefSource(n, f"doc{n}", f"Ferry timetable notice number {n}", "Coast Gazette")
        for n in range(1, count + 1)
    ]
    items = [
        BriefItem(f"Pier {k} reopens to ferries next week.", [7 * k + 1], rank=1.0 / (k + 1))
        for k in range(20)
    ]
    for item in items:
        sources[item.sources[0] - 1].cited = 1
    return Brief(
        "Ferry timetable",
        "2031-01-01",
        "analyst",
        "Analyst brief",
        [BriefSection("agreement", items), BriefSection("sources")],
        sources,
        document_count=count,
        word_budget=300,
    )


def _render_many_sources(count: int) -> tuple[float, str, Brief]:
    """Seconds (best of three) to render the Markdown and run the PDF fitter's pre-trim and
    estimate, with the outputs."""
    from briefing.render.estimate import estimated_layout
    from briefing.render.geometry import geometry
    from briefing.render.pdf import pretrim

    templates = Templates(_dirs("analyst"))
    best = float("inf")
    for _ in range(3):
        brief = _many_sources(count)
        started = time.perf_counter()
        text = render_markdown(brief, templates)
        trimmed = pretrim(brief, 9.5)
        layout = estimated_layout(brief, 9.5, geometry("A4"), ["bottom_line", "sources"])
        best = min(best, time.perf_counter() - started)
    sources = next(s for s in layout.sections if s.name == "sources")
    assert len(sources.items) == count  # the estimate saw every source
    return best, text, trimmed


def _check_many_sources(text: str, trimmed: Brief, count: int) -> None:
    # The Markdown lists the sources its facts still cite (the uncited ones went first, to
    # make room), within the budget.
    listed = [int(n) for n in re.findall(r"^- \[(\d+)\] ", text, re.MULTILINE)]
    cited = {int(n) for n in re.findall(r"Pier \d+ reopens[^\n]*\[(\d+)\]", text)}
    assert len(cited) >= 15
    assert cited <= set(listed)
    assert len(listed) < len(cited) + 5
    assert listed == sorted(listed)
    assert count_words(text) <= 300
    # The pre-trim dropped the uncited sources first and kept every fact and its source.
    assert len(trimmed.sections[0].items) == 20
    assert {7 * k + 1 for k in range(20)} <= {s.number for s in trimmed.sources}
    assert len(trimmed.sources) < count


def test_render_time_grows_linearly_with_sources() -> None:
    # A scan of the source list per source made this quadratic: 4x the sources took 16.5x
    # the time (0.82 s -> 13.5 s); now 0.2 s -> 0.9 s.
    with time_limit(60, "rendering 3,000 and 12,000 sources"):
        small, small_text, small_trimmed = _render_many_sources(3_000)
        large, large_text, large_trimmed = _render_many_sources(12_000)
    _check_many_sources(small_text, small_trimmed, 3_000)
    _check_many_sources(large_text, large_trimmed, 12_000)
    # Linear is 4x (measured 3.8-4.7x on a shared machine), quadratic 16x.
    assert large / small < 10.0, f"{small:.3f} s -> {large:.3f} s for 4x the sources"


def test_pretrim_drops_by_the_estimates_heights_and_no_more() -> None:
    from briefing.render.estimate import page_room_px, slot_heights
    from briefing.render.geometry import geometry
    from briefing.render.pdf import PRETRIM_FACTOR, pretrim

    small = _brief("analyst")
    assert pretrim(small, 9.5) is small  # a brief that can fit is not touched
    brief = _many_sources(600)
    page = geometry(brief.page_size)
    heights = slot_heights(brief, 9.5, page)
    room = PRETRIM_FACTOR * page_room_px(page)
    trimmed = pretrim(brief, 9.5)
    dropped = len(brief.sources) - len(trimmed.sources)
    assert 0 < dropped < 600 - 20 and len(trimmed.sections[0].items) == 20
    # The uncited sources went, lowest first, until the estimate's heights fit the room:
    # one fewer would not have fitted.
    order = droppable(brief)[:dropped]
    assert all(slot.section == "sources" and brief.sources[slot.index].cited == 0 for slot in order)
    left = sum(heights.values()) - sum(heights[slot] for slot in order)
    assert left <= room < left + heights[order[-1]]
    assert sum(slot_heights(trimmed, 9.5, page).values()) == pytest.approx(left)


def test_wide_sections_are_read_from_the_template_not_a_render(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "_base/brief.html.j2" %}\n'
        '{% set wide_sections = ["bottom_line", "timeline", "sources"] %}\n',
        encoding="utf-8",
    )
    templates = Templates([tmp_path, BUILTIN])
    assert templates.wide_sections("brief.html.j2") == ["bottom_line", "timeline", "sources"]
    assert Templates(_dirs("press")).wide_sections("brief.html.j2") == [
        "bottom_line",
        "quotes",
        "sources",
    ]
    # The base's `wide_sections|default([...])` when no child sets it.
    assert Templates(_dirs("analyst")).wide_sections("brief.html.j2") == ["bottom_line", "sources"]
    # The template draws what it declares: the timeline across the page, alone in its group.
    html = render(_brief(), ["html"], [tmp_path, BUILTIN], 8.0)["html"].decode("utf-8")
    wide_groups = re.findall(
        r'<div class="group wide">\s*<div class="col">\s*<section[^>]*id="([^"]+)"', html
    )
    assert "section-timeline" in wide_groups


def test_html_columns_balance_the_estimated_heights() -> None:
    from briefing.render.estimate import column_splits
    from briefing.render.geometry import geometry

    brief = _brief("analyst")
    splits = column_splits(
        brief, brief.font_pt, geometry(brief.page_size), ["bottom_line", "sources"]
    )
    html = _render(brief, "html").decode("utf-8")
    left = html.split('<div class="col col-left">')[1].split('<div class="col col-right">')[0]
    assert left.count('<section class="section') == splits["agreement"]


def test_layout_cache_lays_out_a_known_brief_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A brief fitted before takes one layout and gives the same PDF; a stale answer, or the
    cache turned off, and the fitter searches as before."""
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    brief = assemble(crowded_extraction(4), harbour_config(), "analyst")

    def renders() -> tuple[bytes, int]:
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="briefing"):
            data = render(brief, ["pdf"], _dirs("analyst"), 8.0)["pdf"]
        return data, sum(1 for r in caplog.records if r.getMessage().startswith("pdf: render "))

    searched, first = renders()
    assert first >= 2  # this brief needs a second layout when searched
    assert len(list((tmp_path / "layouts").glob("*.json"))) == 1
    cached, again = renders()
    assert again == 1
    assert cached == searched
    assert len(_pdf_pages(cached).pages) == 1
    # A stored answer that no longer measures right is not used: the search runs again.
    stored = next((tmp_path / "layouts").glob("*.json"))
    stored.write_text('{"gone": [], "splits": {}, "font": 9.0, "fits": true}', encoding="utf-8")
    assert renders() == (searched, first + 1)  # the stale answer's layout, then the search
    assert renders() == (searched, 1)  # and the answer is stored again
    monkeypatch.setenv("BRIEFING_CACHE_DIR", "")
    assert renders() == (searched, first)
    # A cache folder that cannot be made (a file is in the way) is no cache, not an error.
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker))
    assert renders() == (searched, first)


def test_a_long_markdown_pass_is_counted_as_it_is_made_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pass whose text is longer than KEPT_CHARS is only counted, a block of pieces at a
    time (a word cut between blocks counts once), and the text that fits is made again: the
    brief is the one that holding every pass's text gives, and so is its word count."""
    from briefing.render import markdown

    templates = Templates(_dirs("analyst"))
    brief = _many_sources(2_000)
    full = templates.render(templates.markdown, markdown.TEMPLATE, brief=brief)
    counted, kept = markdown._rendered(brief, templates)
    assert (counted, kept) == (count_words(full), full)
    monkeypatch.setattr(markdown, "COUNTED_CHARS", 7)  # blocks that cut words
    assert markdown._rendered(brief, templates) == (counted, full)
    monkeypatch.undo()
    held = render_markdown(brief, templates)
    renders: list[int] = []
    original = Templates.render

    def render(self: Templates, *args: object, **context: object) -> str:
        text = original(self, *args, **context)  # type: ignore[arg-type]
        renders.append(len(text))
        return text

    monkeypatch.setattr(markdown, "KEPT_CHARS", 1_000)
    monkeypatch.setattr(Templates, "render", render)
    assert markdown._rendered(brief, templates) == (counted, None)
    assert render_markdown(brief, templates) == held
    assert renders == [len(held)]  # the one text made whole is the one that fits
    assert markdown._split_last_word("one two\u00a0thr") == ("one two\u00a0", "thr")
    assert markdown._split_last_word("one two ") == ("one two ", "")
    assert markdown._split_last_word("word") == ("", "word")
