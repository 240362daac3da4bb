"""A worker process that dies outright (a segfault in a library, os._exit, the OOM killer)
does not stop `extract` or `build --jobs 2`: the files it held are read again, one at a time
in a process of their own; a file that kills that process too is skipped with one warning,
and the rest of the corpus comes out (issue 16).

The crash is a hook in the extractor that ends the worker process the way a fault would:
SIGKILL (what the OOM killer sends) or os._exit.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

import briefing.pipeline as pipeline

from .corpus import GOOD_IDS, extracted_ids, run_cli, write_config, write_good

ARTICLE = (
    "Harbour talks go on\n\nTarvos and Quellin met on Monday, officials said, and agreed to "
    "meet again in June.\n"
)


def _crashing_extractor(parent: int, traces: Path, how: str):  # type: ignore[no-untyped-def]
    """extract_document, except in a worker process: "crash-always" ends the process each
    time, "crash-once" only the first time (a worker killed for memory another file took).
    Each crash leaves a file named after the document in `traces`."""
    real = pipeline.extract_document

    def extract(doc, ctx):  # type: ignore[no-untyped-def]
        trace = traces / doc.id
        first_time = doc.id == "crash-once" and not trace.exists()
        if os.getpid() != parent and (doc.id == "crash-always" or first_time):
            trace.touch()
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(70)
        return real(doc, ctx)

    return extract


def _corpus(folder: Path, crash: str) -> Path:
    write_good(folder)
    for name in (f"{crash}.txt", "calm-a.txt", "calm-b.txt"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    return write_config(folder)


READ = sorted([*GOOD_IDS, "calm-a", "calm-b"])


@pytest.mark.parametrize("how", ["kill", "exit"])
@pytest.mark.parametrize("crash", ["crash-always", "crash-once"])
def test_a_worker_that_dies_costs_only_the_file_that_kills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, crash: str
) -> None:
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)  # --jobs 2 really uses two processes
    (tmp_path / "in").mkdir()
    config = _corpus(tmp_path / "in", crash)
    hook = _crashing_extractor(os.getpid(), tmp_path, how)
    monkeypatch.setattr(pipeline, "extract_document", hook)
    run = run_cli(["extract", str(tmp_path / "in"), "--jobs", "2"], config)
    assert run.exit_code == 0
    assert (tmp_path / crash).exists()  # the file did end a worker process
    if crash == "crash-always":
        # It kills every process that reads it: one warning, and the rest is read.
        (warning,) = run.warnings
        assert "crash-always.txt: extraction process crashed on it" in warning
        assert extracted_ids(run) == READ
    else:
        # Its first process died (killed for memory, say): the second try reads it.
        assert run.warnings == []
        assert extracted_ids(run) == sorted([*READ, "crash-once"])


def test_build_goes_on_when_a_worker_dies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    (tmp_path / "in").mkdir()
    config = _corpus(tmp_path / "in", "crash-always")
    hook = _crashing_extractor(os.getpid(), tmp_path, "kill")
    monkeypatch.setattr(pipeline, "extract_document", hook)
    out = tmp_path / "out"
    args = ["build", str(tmp_path / "in"), "--format", "json,md", "--out", str(out), "--jobs", "2"]
    run = run_cli(args, config)
    assert run.exit_code == 0
    assert len(run.warnings) == 1 and "crash-always.txt" in run.warnings[0]
    sources = json.loads((out / "brief.json").read_text(encoding="utf-8"))["brief"]["sources"]
    assert sorted(s["doc"] for s in sources) == READ
    assert "Tarvos" in (out / "brief.md").read_text(encoding="utf-8")
