"""The extractors hold their pinned accuracy on the sample articles.

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

# Today's scores, pinned like trafilatura's evaluation gate: a change that lowers any of them
# fails here until the pin is consciously lowered in review. Every metric that reached 1.0
# stays gated at 1.0 (no floor below what the code already does).
PINNED = {
    "documents_read": 1.0,
    "quote_recall": 1.0,
    "attributed_recall": 1.0,
    "quote_precision": 1.0,
    "speaker_accuracy": 1.0,
    "reaction_recall": 1.0,
    "reaction_precision": 1.0,
    "date_recall": 1.0,
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


def test_every_metric_is_pinned(metrics: dict[str, float]) -> None:
    # A metric the scorer gains must be pinned too, or it could fall unnoticed.
    assert sorted(metrics) == sorted(PINNED)


@pytest.mark.parametrize("metric", sorted(PINNED))
def test_sample_accuracy_holds_its_pin(metrics: dict[str, float], metric: str) -> None:
    assert metrics[metric] >= PINNED[metric], f"{metric} = {metrics[metric]:.3f}"
