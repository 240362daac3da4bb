"""The extractors hold the accuracy targets on the sample articles (issue 3's table).

The gold annotations are a copy of the shared ones (tests/gold/seeds); `briefing eval` prints
the same figures with the misses listed: `briefing eval tests/gold/seeds seeds --show-misses`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.evaluate import score
from briefing.pipeline import run_extract

ROOT = Path(__file__).parent.parent

TARGETS = {
    "documents_read": 1.0,
    "attributed_recall": 0.95,
    "quote_precision": 0.95,
    "reaction_recall": 1.0,
    "reaction_precision": 0.9,
    "date_recall": 0.85,
    "headline_accuracy": 1.0,
    "publisher_accuracy": 1.0,
    "published_accuracy": 1.0,
}


@pytest.fixture(scope="module")
def metrics() -> dict[str, float]:
    config = load_config(ROOT / "config.yaml")
    extraction = run_extract(config, [str(ROOT / "seeds")], jobs=1)
    countries = {name: c.aliases for name, c in config.countries.items()}
    return score(extraction.to_json(), ROOT / "tests/gold/seeds", ROOT / "seeds", countries)


@pytest.mark.parametrize("metric", sorted(TARGETS))
def test_sample_accuracy_meets_target(metrics: dict[str, float], metric: str) -> None:
    assert metrics[metric] >= TARGETS[metric], f"{metric} = {metrics[metric]:.3f}"
