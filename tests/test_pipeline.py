"""The pipeline's parallel extraction gives exactly the results of one process."""

from __future__ import annotations

import gc
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import ClassVar

import pytest

from briefing import pipeline
from briefing.config import load_config
from briefing.extract.spool import Spool
from briefing.ingest import PathQueue

ROOT = Path(__file__).parent.parent


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Twenty files: the samples four times over under other names."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for round_ in range(4):
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            shutil.copy(seed, folder / f"r{round_}_{seed.name}")
    return folder


def test_two_jobs_give_the_same_extraction_as_one(corpus: Path, monkeypatch) -> None:
    config = load_config(ROOT / "config.yaml")
    pools: list[int] = []

    class CountingPool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            pools.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", CountingPool)
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)  # small corpus, yet use the pool
    serial = pipeline.run_extract(config, [str(corpus)], jobs=1).to_json()
    assert pools == []
    parallel = pipeline.run_extract(config, [str(corpus)], jobs=2).to_json()
    assert pools == [1]
    assert len(serial["documents"]) == 20
    assert serial["quotes"]  # something to compare
    assert parallel == serial


class RecordingPool(ProcessPoolExecutor):
    """A pool that notes, in the list `events`, when it starts and what it is given."""

    events: ClassVar[list[str]] = []

    def __init__(self, *args, **kwargs) -> None:
        self.events.append("pool")
        super().__init__(*args, **kwargs)

    def submit(self, fn, /, *args, **kwargs):
        self.events.append(fn.__name__)
        return super().submit(fn, *args, **kwargs)


def test_small_corpus_is_extracted_in_this_process(corpus: Path, monkeypatch) -> None:
    # The workers start before the inputs are listed; a small corpus gives them no file.
    monkeypatch.setattr(RecordingPool, "events", [])
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", RecordingPool)
    config = load_config(ROOT / "config.yaml")
    extraction = pipeline.run_extract(config, [str(corpus)], jobs=2)
    assert len(extraction.documents) == 20
    assert RecordingPool.events == ["pool", "int"]  # started by a first task, then stopped


def test_workers_start_before_the_inputs_are_listed(corpus: Path, monkeypatch) -> None:
    # A fork holds what the build holds by then: the list of a day's files is not in it.
    monkeypatch.setattr(RecordingPool, "events", [])
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    listing = pipeline.iter_input_files

    def listed(*args, **kwargs):
        RecordingPool.events.append("listed")
        return listing(*args, **kwargs)

    monkeypatch.setattr(pipeline, "iter_input_files", listed)
    config = load_config(ROOT / "config.yaml")
    extraction = pipeline.run_extract(config, [str(corpus)], jobs=2)
    assert len(extraction.documents) == 20
    assert RecordingPool.events[:3] == ["pool", "int", "listed"]
    assert set(RecordingPool.events[3:]) == {"_extract_files"}


def test_only_a_merge_apart_from_its_workers_maps_its_large_blocks_apart(
    corpus: Path, monkeypatch
) -> None:
    # The process that only merges while workers extract, and ends with the merge (the
    # build's extraction), maps its large blocks apart (memory.py); a merge without workers,
    # or in a process that goes on (`briefing extract`, the inference), keeps glibc's own.
    monkeypatch.setattr(RecordingPool, "events", [])
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    monkeypatch.setattr(
        pipeline, "keep_large_blocks_apart", lambda: RecordingPool.events.append("apart")
    )
    config = load_config(ROOT / "config.yaml")
    for jobs, apart, expected in ((2, True, 1), (2, False, 0), (1, True, 0)):
        RecordingPool.events.clear()
        extraction = pipeline.run_extract(config, [str(corpus)], jobs, merge_apart=apart)
        assert len(extraction.documents) == 20
        assert RecordingPool.events.count("apart") == expected
        if expected:  # after its workers started, before any file was given them
            first_file = RecordingPool.events.index("_extract_files")
            assert RecordingPool.events.index("int") < RecordingPool.events.index("apart")
            assert RecordingPool.events.index("apart") < first_file


def test_workers_give_files_of_one_name_their_own_ids(tmp_path: Path, monkeypatch) -> None:
    # Ids of files whose name an earlier file has ("name~2", ingest.document_ids) are made
    # once every input is listed, after the workers started: each chunk carries its own.
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for seed in seeds:
            shutil.copy(seed, tmp_path / folder / seed.name)
    config = load_config(ROOT / "config.yaml")
    inputs = [str(tmp_path / "a"), str(tmp_path / "b")]
    serial = pipeline.run_extract(config, inputs, jobs=1).to_json()
    parallel = pipeline.run_extract(config, inputs, jobs=2).to_json()
    ids = [doc["id"] for doc in parallel["documents"]]
    assert ids == [seed.stem for seed in seeds] + [f"{seed.stem}~2" for seed in seeds]
    assert parallel == serial


def test_two_jobs_spooling_give_the_same_extraction_as_one_in_memory(
    corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    # Spooling, the workers send the spool's rows already encoded (extract.ship): read back,
    # they are the objects a merge in memory keeps.
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    config = load_config(ROOT / "config.yaml")
    serial = pipeline.run_extract(config, [str(corpus)], jobs=1).to_json()
    spool = Spool(tmp_path / "spool.sqlite")
    parallel = pipeline.run_extract(config, [str(corpus)], jobs=2, spool=spool).to_json()
    spool.close()
    assert len(serial["documents"]) == 20 and serial["facts"] and serial["events"]
    assert parallel == serial


def test_files_are_taken_out_of_the_queue_chunk_by_chunk() -> None:
    # The paths of a day's files are not all held to the end of extraction.
    files = PathQueue(f"f{i}.txt" for i in range(7))
    chunks = pipeline._taken_in_chunks(files, 3)
    assert next(chunks) == ["f0.txt", "f1.txt", "f2.txt"]
    assert len(files) == 4
    assert list(chunks) == [["f3.txt", "f4.txt", "f5.txt"], ["f6.txt"]]
    assert len(files) == 0
    assert list(files) == []


def test_workers_extract_with_fewer_collections() -> None:
    # Forked before the build raises its collection thresholds, they raise their own.
    config = load_config(ROOT / "config.yaml")
    ctx = pipeline.ExtractContext.from_config(config)
    settings = pipeline._WorkerSettings(ctx, 1_000_000, os.getpid(), False, True)
    workers = pipeline._Workers(1, settings)
    try:
        thresholds = workers.pool.submit(gc.get_threshold).result()
    finally:
        workers.close()
    assert thresholds == pipeline._EXTRACTION_GC_THRESHOLD


def test_workers_that_cannot_start_leave_the_extraction_to_this_process(
    corpus: Path, monkeypatch, caplog
) -> None:
    class RefusedPool(ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            raise BlockingIOError("fork refused")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", RefusedPool)
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    config = load_config(ROOT / "config.yaml")
    with caplog.at_level("WARNING", logger="briefing"):
        extraction = pipeline.run_extract(config, [str(corpus)], jobs=2)
    assert len(extraction.documents) == 20
    assert "worker processes could not start (fork refused)" in caplog.text


def test_workers_started_before_a_failure_are_stopped(corpus: Path, monkeypatch) -> None:
    started: list[object] = []

    class HalfStartedPool(ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            super().submit(fn, *args, **kwargs)  # forks every process
            started.extend(self._processes.values())
            raise BlockingIOError("no more processes")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", HalfStartedPool)
    monkeypatch.setattr(pipeline, "_POOL_MIN_BYTES", 0)
    config = load_config(ROOT / "config.yaml")
    extraction = pipeline.run_extract(config, [str(corpus)], jobs=2)
    assert len(extraction.documents) == 20
    assert len(started) == 2
    assert not any(process.is_alive() for process in started)
