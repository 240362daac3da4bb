"""briefing.evaluate: exact metrics on a tiny invented gold, and agreement with the reference
scorer (tests/tools/score.py, copied from the project's shared tools) on the samples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.evaluate import METRICS, score, score_detailed, speaker_ok

HERE = Path(__file__).parent
ROOT = HERE.parent

ARTICLE = (
    "Port accord signed\n\n"
    "Ministers signed the accord on March 3, 2031.\n\n"
    '"We will open the harbour to both fleets," said Minister Ana Duarte.\n\n'
    "Norland's foreign office said it was watching closely.\n"
)

GOLD = {
    "headline": "Port accord signed",
    "publisher": None,
    "published": "2031-03-03",
    "quotes": [
        {"speaker": ["Ana Duarte"], "country": "Brazil", "text": "We will open the harbour"},
        {"speaker": ["Ana Duarte"], "text": "both fleets", "minor": True},
    ],
    "reactions": [{"country": "Norland", "actor": "foreign office", "gist": "watching"}],
    "dates": [{"date": "2031-03-03", "event": "signing"}, {"date": "2030", "event": "talks"}],
}


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    gold_dir, corpus_dir = tmp_path / "gold", tmp_path / "corpus"
    gold_dir.mkdir()
    corpus_dir.mkdir()
    (corpus_dir / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    (gold_dir / "a1.yaml").write_text(json.dumps(GOLD), encoding="utf-8")
    (gold_dir / "brief.yaml").write_text("must_mention: []\n", encoding="utf-8")
    return gold_dir, corpus_dir


def extraction(quotes: list[dict], reactions: list[dict], events: list[dict]) -> dict:
    document = {
        "id": "a1",
        "path": "corpus/a1.txt",
        "headline": "Port Accord Signed",
        "publisher": None,
        "published": "2031-03-03",
    }
    return {"documents": [document], "quotes": quotes, "reactions": reactions, "events": events}


def test_exact_metrics_with_one_wrong_speaker_and_one_stray_reaction(corpus):
    gold_dir, corpus_dir = corpus
    data = extraction(
        quotes=[
            {"doc": "a1", "text": "We will open the harbour to both fleets,", "speaker": "Duarte"},
            {"doc": "a1", "text": "both fleets", "speaker": "Someone Else"},
        ],
        reactions=[
            {"doc": "a1", "country": "Norland", "actor": "foreign office", "text": "..."},
            {"doc": "a1", "country": "Sudland", "actor": None, "text": "..."},
        ],
        events=[{"date": "2031-03-03", "text": "signed", "docs": ["a1"]}],
    )
    metrics, misses = score_detailed(data, gold_dir, corpus_dir, {"Norland": ["Norlandic"]})
    assert metrics["quote_recall"] == 1.0
    assert metrics["attributed_recall"] == 1.0
    assert metrics["quote_precision"] == 0.5  # "both fleets" names the wrong speaker
    assert metrics["reaction_recall"] == 1.0
    assert metrics["reaction_precision"] == 0.5
    assert metrics["date_recall"] == 0.5
    assert metrics["headline_accuracy"] == 1.0  # case-insensitive
    assert metrics["publisher_accuracy"] == 1.0  # the gold has none: nothing to score
    assert metrics["published_accuracy"] == 1.0
    assert "a1: missed date 2030 (talks)" in misses
    assert "a1: reaction not in gold: Sudland" in misses


def test_countries_compare_through_aliases(corpus):
    gold_dir, corpus_dir = corpus
    data = extraction([], [{"doc": "a1", "country": "Norlandic", "text": "x"}], [])
    assert score(data, gold_dir, corpus_dir, {"Norland": ["Norlandic"]})["reaction_recall"] == 1.0
    assert score(data, gold_dir, corpus_dir, {})["reaction_recall"] == 0.0


def test_nothing_extracted_scores_zero_recall(corpus):
    gold_dir, corpus_dir = corpus
    metrics = score(extraction([], [], []), gold_dir, corpus_dir)
    assert (metrics["quote_recall"], metrics["reaction_recall"], metrics["date_recall"]) == (
        0,
        0,
        0,
    )
    assert metrics["quote_precision"] == 1.0  # nothing claimed, nothing wrong


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        ("Duarte", True),
        ("Minister Ana Duarte", True),
        ("Bruno Costa", False),
        ("he", False),
        (None, False),
    ],
)
def test_speaker_names(predicted, expected):
    assert speaker_ok(predicted, ["Ana Duarte"], set()) is expected


def test_agrees_with_reference_scorer_on_the_samples(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "extract", str(ROOT / "seeds"), "--jobs", "1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    extracted = tmp_path / "x.json"
    extracted.write_text(result.stdout, encoding="utf-8")
    reference = subprocess.run(
        [
            sys.executable,
            str(HERE / "tools" / "score.py"),
            "--extracted",
            str(extracted),
            "--gold",
            str(HERE / "gold" / "seeds"),
            "--corpus",
            str(ROOT / "seeds"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = {}
    for line in reference.stdout.splitlines():
        name, _, value = line.partition(": ")
        if value and name in METRICS:
            expected[name] = float(value)
    from briefing.config import load_config

    config = load_config(ROOT / "config.yaml")
    countries = {name: c.aliases for name, c in config.countries.items()}
    ours = score(json.loads(result.stdout), HERE / "gold" / "seeds", ROOT / "seeds", countries)
    assert {k: round(v, 3) for k, v in ours.items()} == expected
