"""A job run in a process of its own (apart.py), and the build's extraction run so."""

from __future__ import annotations

import logging
import os
import pickle
import sys
from pathlib import Path

import pytest

from briefing import pipeline
from briefing.apart import ApartError, run_apart
from briefing.errors import BriefingError, IngestError, NoDocumentsError
from briefing.extract.textkeys import Mentions, Numbering
from briefing.models import DocIds, Event, Fact, IdColumn

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a job runs apart where it forks (Linux)"
)

log = logging.getLogger("briefing.test")


def _pid_and_logs(greeting: str) -> bytes:
    log.warning("%s from %s", greeting, "the\njob")
    log.debug("not shown at this level")
    try:
        raise ValueError("caught")
    except ValueError:
        log.exception("with its traceback")
    return str(os.getpid()).encode()


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_the_job_runs_elsewhere_and_its_records_come_here() -> None:
    kept = _Kept()
    log.addHandler(kept)
    log.setLevel(logging.INFO)
    try:
        pid = int(run_apart("a test", _pid_and_logs, "hello"))
    finally:
        log.removeHandler(kept)
        log.setLevel(logging.NOTSET)
    assert pid != os.getpid()
    records = kept.records  # (handled here: the job's process had its own copy of `kept`)
    assert [r.getMessage() for r in records] == ["hello from the\njob", "with its traceback"]
    assert records[0].args == ("hello", "the\njob")  # (the handler escapes them, as its own)
    assert records[1].exc_text is not None and "ValueError: caught" in records[1].exc_text
    assert records[0].process == pid


def _raises(error: BaseException) -> bytes:
    raise error


def test_its_error_is_raised_here_with_its_exit_code() -> None:
    with pytest.raises(NoDocumentsError, match="no usable document") as raised:
        run_apart("a test", _raises, NoDocumentsError("no usable document"))
    assert raised.value.exit_code == 3
    assert any("in a test's process" in note for note in raised.value.__notes__)
    # A constructor of its own does not unpickle: its message and exit code come through.
    with pytest.raises(BriefingError) as again:
        run_apart("a test", _raises, IngestError("a.txt", "unreadable"))
    assert type(again.value) is BriefingError
    assert str(again.value) == "a.txt: unreadable" and again.value.exit_code == 1


def _dies() -> bytes:
    os._exit(9)


def test_a_job_that_dies_is_an_error_naming_its_exit_code() -> None:
    with pytest.raises(ApartError, match=r"a test's process ended without an answer \(exit code 9"):
        run_apart("a test", _dies)


def _merged(ids: list[str], documents: list[list[str]]) -> list[Fact]:
    """Facts naming `documents`, as a corpus merge makes them: the documents come in order,
    each adding to the facts it reports."""
    numbering = Numbering(ordered=True)
    mentions = [Mentions(ordered=True) for _ in documents]
    for doc in ids:
        for kept, docs in zip(mentions, documents, strict=True):
            if doc in docs:
                kept.add_all([doc], numbering)
    return [
        Fact(f"fact {number}", kept.named(numbering), 0.5) for number, kept in enumerate(mentions)
    ]


def test_merged_items_travel_with_their_documents_as_the_merge_keeps_them() -> None:
    ids = [f"article-{n}" for n in range(400)]
    # Widely reported points: each names most of the documents (a list slot each, as lists).
    documents = [ids[:3], ids[1:], *(ids[n::2] for n in range(30))]
    facts = _merged(ids, documents)
    pickled = pipeline._pickled_merged(([], [], facts))
    sent = pickle.loads(pickled)[2]
    assert [list(f.docs) for f in sent] == documents
    assert all(isinstance(f.docs, DocIds) for f in sent)
    assert sent[0].docs.named_by is sent[1].docs.named_by  # the merges' one column of ids
    assert len(pickled) < len(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
    # Read again, they are what they were; pickled plainly, lists still.
    assert sent == facts
    assert pickle.loads(pickle.dumps(sent[1].docs)) == ids[1:]


def test_the_merged_items_name_their_documents_by_one_column_when_they_come_back() -> None:
    # Items numbered by one Numbering, as extract.Merge's three merges number them, come
    # back naming their documents by one column, sent once (not 100,000 strings).
    ids = [f"article-{n}" for n in range(50)]
    *facts, last = _merged(ids, [ids[:30], ids[10:], ids[5:40]])
    events = [Event("2031-03-03", "An event.", last.docs)]
    loaded_events, _, loaded_facts = pickle.loads(pipeline._pickled_merged((events, [], facts)))
    column = loaded_facts[0].docs.named_by
    assert isinstance(column, IdColumn) and list(column) == ids
    assert loaded_events[0].docs.named_by is column and loaded_facts[1].docs.named_by is column
    assert [list(f.docs) for f in loaded_facts] == [ids[:30], ids[10:]]
    assert list(loaded_events[0].docs) == ids[5:40]


def _built(out: Path, monkeypatch: pytest.MonkeyPatch, apart: bool) -> tuple[bytes, list[int]]:
    from briefing.config import load_config

    harbour = Path(__file__).parent / "fixtures" / "harbour"
    pids = out.parent / f"{out.name}.pids"
    extract = pipeline.run_extract

    def noted(*args: object, **kwargs: object) -> object:
        with pids.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return extract(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "run_extract", noted)
    monkeypatch.setattr(pipeline, "_FORKING", apart)
    config = load_config(harbour / "config.yaml")
    pipeline.build(config, [str(harbour / "articles")], "analyst", ["md", "json"], out, jobs=2)
    return (out / "brief.json").read_bytes(), [int(p) for p in pids.read_text().split()]


def test_the_build_extracts_apart_and_writes_the_same_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apart, apart_pids = _built(tmp_path / "apart", monkeypatch, apart=True)
    here, here_pids = _built(tmp_path / "here", monkeypatch, apart=False)
    assert apart_pids != [os.getpid()] and len(apart_pids) == 1
    assert here_pids == [os.getpid()]
    assert apart == here
    assert (tmp_path / "apart" / pipeline.SPOOL_NAME).is_file()
