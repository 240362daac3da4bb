"""The pipeline's parallel extraction gives exactly the results of one process."""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from briefing import pipeline
from briefing.config import load_config
from briefing.extract.spool import Spool

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


def test_small_corpus_stays_in_one_process(corpus: Path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", None)  # would fail if called
    config = load_config(ROOT / "config.yaml")
    extraction = pipeline.run_extract(config, [str(corpus)], jobs=2)
    assert len(extraction.documents) == 20


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
