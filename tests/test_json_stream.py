"""The JSON brief is written a piece at a time; its bytes stay those of one json.dumps."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

import pytest
from brief_fixture import harbour_config, harbour_extraction

from briefing.assemble import assemble
from briefing.extract.spool import (
    Spool,
    SpooledRows,
    spooled_documents,
    spooled_quotes,
    spooled_reactions,
)
from briefing.extract.spool import document_row as spool_document_row
from briefing.models import Document, Extraction
from briefing.render.json import _encode, _write_value, json_writer, write_brief, write_json

ROOT = Path(__file__).resolve().parent.parent


def test_encoder_matches_json_dumps_on_awkward_values() -> None:
    value = {
        "text": 'line\nbreak "quoted" é \u2028 \x00',
        "numbers": [0, -3, 2.5, 1e-7, 10**20, -0.0, float("inf")],
        "flags": [True, False, None],
        "empty": [[], {}, ""],
        7: {"nested": [{"deeper": [[1]]}]},
    }
    assert _encode(value, "") == json.dumps(value, ensure_ascii=False, indent=2)


def test_long_lists_written_a_piece_at_a_time_are_one_dumps() -> None:
    docs = [f"d{n}.txt" for n in range(2_500)]
    value = {"text": "Ü \u2028", "docs": docs, "in": {"a": [], "b": {}, "c": [[1, 2.5]] * 1_200}}
    for pad in ("", "    "):
        piecewise = io.StringIO()
        _write_value(piecewise, value, pad)
        assert piecewise.getvalue() == _encode(value, pad)
    assert _encode(value, "") == json.dumps(value, ensure_ascii=False, indent=2)
    # A whole extraction: an event every article reports, its documents listed.
    extraction = harbour_extraction()
    extraction.events[0].docs = docs
    text = io.StringIO()
    write_json(text, None, extraction)
    assert text.getvalue() == json.dumps(extraction.to_json(), ensure_ascii=False, indent=2) + "\n"
    assert docs[-1] in text.getvalue()


def test_spool_rows_are_json_dumps_of_the_fields() -> None:
    document = Document(
        id="a/b.txt",
        path="a/b.txt",
        headline='The "Accord" \u2014 signed',
        paragraphs=["line\nbreak \\ é \u2028 \x00", ""],
        captions=[],
    )
    doc_id, data = spool_document_row(document)
    assert doc_id == "a/b.txt"
    assert data == json.dumps(vars(document), ensure_ascii=False)


def test_streamed_brief_is_byte_identical_to_one_dump() -> None:
    config = harbour_config()
    extraction = harbour_extraction()
    brief = assemble(extraction, config, "analyst")
    whole = extraction.to_json()
    # (the source list as a list: assemble's SourceList holds it as columns)
    whole["brief"] = asdict(dataclasses.replace(brief, sources=list(brief.sources)))
    del whole["brief"]["theme"]
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    binary = io.BytesIO()
    json_writer(brief, extraction)(binary)
    assert binary.getvalue().decode("utf-8") == expected
    assert len(json.loads(expected)["quotes"]) == len(extraction.quotes) > 0


def test_extraction_alone_ends_without_a_brief() -> None:
    extraction = harbour_extraction()
    text = io.StringIO()
    write_json(text, None, extraction)
    expected = json.dumps(extraction.to_json(), ensure_ascii=False, indent=2) + "\n"
    assert text.getvalue() == expected


def _spooled(extraction: Extraction, path: Path) -> Extraction:
    """The extraction with its documents, quotes and reactions in a spool, as a build has it."""
    spool = Spool(path)
    for doc in extraction.documents:
        quotes = [q for q in extraction.quotes if q.doc == doc.id]
        reactions = [r for r in extraction.reactions if r.doc == doc.id]
        spool.add(doc, quotes, reactions)
    return dataclasses.replace(
        extraction,
        documents=spooled_documents(spool),
        quotes=spooled_quotes(spool),
        reactions=spooled_reactions(spool),
    )


def test_a_spooled_extraction_writes_the_same_bytes_from_its_rows(tmp_path: Path) -> None:
    config = harbour_config()
    extraction = harbour_extraction()
    # awkward strings: each must come back from SQLite's row (and its JSON functions) as is
    awkward = 'a "quoted" line\nbreak\ttab \\ back é \u2028 \x01 \U0001f600'
    first = extraction.documents[0]
    first.headline, first.byline, first.subheadlines = awkward, awkward, [awkward, ""]
    extraction.quotes[0].speaker = awkward
    # in corpus order, as a spool holds them
    order = {doc.id: n for n, doc in enumerate(extraction.documents)}
    extraction.quotes = sorted(extraction.quotes, key=lambda q: order[q.doc])
    extraction.reactions = sorted(extraction.reactions, key=lambda r: order[r.doc])
    brief = assemble(extraction, config, "analyst")
    spooled = _spooled(extraction, tmp_path / "spool.sqlite")
    assert isinstance(spooled.quotes, SpooledRows)
    assert assemble(spooled, config, "analyst") == brief
    expected = io.BytesIO()
    json_writer(brief, extraction)(expected)
    written = io.BytesIO()
    json_writer(brief, spooled)(written)
    assert written.getvalue() == expected.getvalue()
    assert awkward in json.loads(written.getvalue())["documents"][0]["subheadlines"]


def test_assemble_reads_the_text_of_cited_documents_only(tmp_path: Path) -> None:
    config = harbour_config()
    extraction = harbour_extraction()
    uncited = Document(
        id="zz-uncited",
        path="zz-uncited.txt",
        headline="Tide tables for the winter season",
        paragraphs=["Tide tables for the winter season were published on Monday."],
    )
    extraction.documents = [*extraction.documents, uncited]
    spooled = _spooled(extraction, tmp_path / "spool.sqlite")
    documents = spooled.documents
    assert isinstance(documents, SpooledRows)
    made: list[str] = []
    make = documents.make

    def counted(**fields: Any) -> Document:
        doc: Document = make(**fields)
        made.append(doc.id)
        return doc

    # The constructor each row is given to (an attribute, so that this works on the compiled
    # build too: compiled code calls its own methods, not a replacement set on the instance).
    documents.make = counted
    brief = assemble(spooled, config, "analyst")
    cited = {n for section in brief.sections for item in section.items for n in item.sources}
    assert brief.sources[-1].doc == "zz-uncited" and brief.sources[-1].cited == 0
    assert "zz-uncited" not in made  # its text is never read, its source line is from fields
    assert {brief.sources[n - 1].doc for n in cited} <= set(made)
    # each cited document read in the one pass, and again at most for a bottom-line check
    assert max(made.count(doc) for doc in set(made)) <= 3


HARBOUR = Path(__file__).parent / "fixtures" / "harbour"


def _built_json(out: Path, jobs: int) -> bytes:
    from briefing import pipeline
    from briefing.config import load_config

    config = load_config(HARBOUR / "config.yaml")
    pipeline.build(config, [str(HARBOUR / "articles")], "analyst", ["md", "json"], out, jobs=jobs)
    assert not list(out.glob("*.json.tmp"))  # the worker's file is gone
    return (out / "brief.json").read_bytes()


def test_the_second_process_writes_the_same_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --jobs 2: the extraction's JSON comes from the worker's file (its process wrote it while
    # this one assembled), and brief.json is byte for byte what one process writes.
    from briefing import helpers

    made: list[Path] = []
    written = helpers.BuildHelpers.written

    def spy(worker: helpers.BuildHelpers) -> Path | None:
        path = written(worker)
        if path is not None:
            made.append(path)
        return path

    monkeypatch.setattr(helpers, "SMALLEST", 1)  # the fixture's few articles too
    helpers.BuildHelpers.written = spy  # type: ignore[method-assign]
    try:
        pooled = _built_json(tmp_path / "two", jobs=2)
    finally:
        helpers.BuildHelpers.written = written  # type: ignore[method-assign]
    alone = _built_json(tmp_path / "one", jobs=1)
    assert made and made[0].parent == tmp_path / "two"
    assert pooled == alone
    assert json.loads(pooled)["documents"] and json.loads(pooled)["brief"]["sources"]


def test_a_failing_second_process_costs_nothing_but_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from briefing import helpers

    caplog.set_level(logging.INFO, logger="briefing")
    # Patched before the build forks its worker: the worker runs this, and fails.
    monkeypatch.setattr(helpers, "_write", _disk_full)
    monkeypatch.setattr(helpers, "SMALLEST", 1)
    assert _built_json(tmp_path / "two", jobs=2) == _built_json(tmp_path / "one", jobs=1)
    assert "the extraction's JSON is written here instead (disk full)" in caplog.text


def _disk_full(*args: object) -> None:
    raise OSError("disk full")


def test_the_briefs_sources_are_written_as_they_are_read() -> None:
    # A day of news lists 100,000 sources: each row is made as it is written, not all first
    # (compiled with mypyc, a generator expression would be made into a list: 27 MB).
    brief = assemble(harbour_extraction(), harbour_config(), "analyst")
    stream = io.StringIO()
    written_before: list[int] = []

    class Sources(list):  # type: ignore[type-arg]
        def __iter__(self):  # type: ignore[no-untyped-def]
            for source in list.__iter__(self):
                written_before.append(len(stream.getvalue()))
                yield source

    sources = brief.sources
    assert len(sources) >= 3
    write_brief(stream, dataclasses.replace(brief, sources=Sources(sources)))
    assert len(written_before) == len(sources)
    assert all(a < b for a, b in itertools.pairwise(written_before))
    whole = json.loads("{" + stream.getvalue().replace('  "brief": ', '"brief": ', 1))
    assert [s["number"] for s in whole["brief"]["sources"]] == [s.number for s in sources]


class _CountingRaw(io.RawIOBase):
    """An unbuffered stdout's bytes stream (as under `python -u`): counts its writes."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.writes = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.writes += 1
        self.data += bytes(b)
        return len(b)


def _run_extract(stdout: IO[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing import cli

    monkeypatch.setattr(cli.sys, "stdout", stdout)
    args = ["extract", str(ROOT / "seeds"), "--config", str(ROOT / "config.yaml"), "--jobs", "1"]
    with pytest.raises(SystemExit) as ended:
        cli.cli.main(args)
    assert ended.value.code == 0
    stdout.flush()


def test_extract_writes_an_unbuffered_stdout_in_few_large_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _CountingRaw()
    _run_extract(io.TextIOWrapper(raw, encoding="utf-8", write_through=True), monkeypatch)
    plain = io.StringIO()  # a text stream with no bytes beneath, written to as it comes
    _run_extract(plain, monkeypatch)
    assert raw.data.decode("utf-8") == plain.getvalue()  # the same JSON
    written = json.loads(plain.getvalue())
    assert len(written["documents"]) == len(list((ROOT / "seeds").glob("*.txt")))
    assert written["quotes"]
    # Before: one write per piece of the JSON (about 200 bytes each).
    assert raw.writes <= len(raw.data) // 4096 + 2


def test_what_was_written_before_a_failure_still_reaches_stdout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefing import cli

    stdout = io.StringIO()
    monkeypatch.setattr(cli.sys, "stdout", stdout)
    with pytest.raises(RuntimeError), cli._gathered_stdout() as out:
        out.write('{\n  "documents": [')
        raise RuntimeError("an extraction failed half-way")
    assert stdout.getvalue() == '{\n  "documents": ['
    assert not stdout.closed
