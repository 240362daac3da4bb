"""Key facts: which sentences are facts, how they score, and merging across articles.

The sentences and the story are invented (a fisheries accord between two made-up states).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from time_limit import assert_grows_linearly

from briefing.config import Story
from briefing.extract.actors import Gazetteer
from briefing.extract.facts import (
    extract_facts,
    merge_facts,
    quoted_share,
    score_sentence,
    story_vocabulary,
)
from briefing.extract.parsed import parse_document
from briefing.models import Document, Fact

STORY = Story(
    title="The Norland-Estavia fisheries accord",
    agreement_terms=["fisheries accord", "joint patrol agreement", "accord"],
    key_terms=["quota", "quotas", "trawlers", "inspection", "coast guard"],
)
VOCABULARY = story_vocabulary(STORY)


def fact(text: str, position: float = 0.5) -> Fact | None:
    return score_sentence(text, position, VOCABULARY)


def test_a_sentence_naming_the_agreement_is_an_agreement_fact() -> None:
    found = fact("Norland and Estavia signed a fisheries accord on Friday in the port of Vessa.")
    assert found is not None
    assert (found.topic, found.docs, found.position) == ("agreement", [], 0.5)
    # agreement terms 0.3 + 0.05 for the second ("accord" inside "fisheries accord" counts
    # apart), cues "signed" and "accord" 0.12, position 0.25 * 0.5; 14 words is a good length
    assert found.score == pytest.approx(0.3 + 0.05 + 0.12 + 0.125)


def test_background_with_key_terms_and_numbers_is_context() -> None:
    found = fact("The coast guard counted 140 trawlers on the disputed bank in 2019.", 0.0)
    assert found is not None
    assert found.topic == "context"
    # key terms: coast guard, trawlers (0.16); number 0.08; position 0.25; no cue word
    assert found.score == pytest.approx(0.16 + 0.08 + 0.25)


def test_earlier_sentences_score_higher() -> None:
    text = "The accord sets a quota of 4,000 tonnes of cod a year for each fleet."
    early, late = fact(text, 0.0), fact(text, 1.0)
    assert early is not None and late is not None
    assert early.score - late.score == pytest.approx(0.25)


def test_hedged_sentences_score_lower() -> None:
    plain = fact("The accord sets a quota of 4,000 tonnes of cod a year for each fleet.")
    hedged = fact("The accord may set a quota of 4,000 tonnes of cod a year for each fleet.")
    assert plain is not None and hedged is not None
    assert hedged.score == pytest.approx(plain.score * 0.7, abs=1e-4)


@pytest.mark.parametrize(
    "text",
    [
        "Will the accord set a quota of 4,000 tonnes of cod a year for each fleet?",
        '"We signed the accord because our trawlers had nowhere left to fish," he said.',
        "© 2025 The Vessa Harbour Post. All rights reserved. Reprints of the accord forbidden.",
        "The accord was signed.",
        "Fishermen in Vessa sang and danced on the quay until late into the night.",
    ],
    ids=["question", "quote", "boilerplate", "too-short", "off-topic"],
)
def test_sentences_that_are_no_facts_are_skipped(text: str) -> None:
    assert fact(text) is None


def test_quoted_share_counts_curly_and_straight_quotes() -> None:
    assert quoted_share("No quotes at all here.") == 0.0
    assert quoted_share("“ab” cd") == pytest.approx(4 / 7)
    assert quoted_share('x "ab" "cd') == pytest.approx((4 + 3) / 10)


def test_extract_facts_keeps_the_best_sentences_with_their_position() -> None:
    doc = Document(
        id="post-1",
        path="post-1.txt",
        paragraphs=[
            "Norland and Estavia signed a fisheries accord on Friday in the port of Vessa.",
            "Fishermen in Vessa sang and danced on the quay until late into the night.",
            "The coast guard counted 140 trawlers on the disputed bank in 2019.",
        ],
    )
    found = extract_facts(parse_document(doc, Gazetteer()), STORY)
    assert [(f.topic, f.docs) for f in found] == [
        ("agreement", ["post-1"]),
        ("context", ["post-1"]),
    ]
    assert found[0].position == 0.0
    assert found[1].position == pytest.approx(
        (len(doc.paragraphs[0]) + len(doc.paragraphs[1]) + 4) / len(doc.text) + 0.0, abs=0.02
    )


def test_merge_unions_documents_and_raises_the_score_with_support() -> None:
    facts = [
        Fact(
            "The accord sets a quota of 4,000 tonnes of cod a year.", ["a"], 0.6, "agreement", 0.2
        ),
        Fact(
            "The accord sets a yearly quota of 4,000 tonnes of cod.", ["b"], 0.5, "agreement", 0.1
        ),
        Fact("The accord sets a quota of 4,000 tonnes of cod a year!", ["c"], 0.55, "context", 0.4),
        Fact("The coast guard counted 140 trawlers on the bank.", ["a"], 0.7, "context", 0.3),
    ]
    merged = merge_facts(facts, n_docs=4)
    assert [(f.text, f.docs, f.topic, f.position) for f in merged] == [
        (
            "The accord sets a quota of 4,000 tonnes of cod a year.",
            ["a", "b", "c"],
            "agreement",
            0.1,
        ),
        ("The coast guard counted 140 trawlers on the bank.", ["a"], "context", 0.3),
    ]
    # three sources of four: 0.15 * log(3) / log(4) on top of the best score
    assert merged[0].score == pytest.approx(0.6 + 0.15 * 0.7925, abs=1e-3)
    assert merged[1].score == 0.7
    assert facts[0].docs == ["a"]  # the input is left as it was


def _synthetic_facts(count: int, seed: int = 3) -> list[Fact]:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(3000)]
    bases = [" ".join(rng.sample(vocabulary, 14)) for _ in range(count // 4)]
    facts = []
    for i in range(count):
        words = bases[i % len(bases)].split()
        if i % 3 == 0:
            words[rng.randrange(len(words))] = rng.choice(vocabulary)  # a near duplicate
        facts.append(
            Fact(" ".join(words) + ".", [f"doc{i * 7 % 499}"], rng.random(), "context", 0.5)
        )
    return facts


def test_merging_20000_facts_is_fast_and_keeps_the_best_200() -> None:
    facts = _synthetic_facts(20_000)
    merged = assert_grows_linearly(
        lambda n: merge_facts(facts[:n], n_docs=500), len(facts), "merging 20,000 facts"
    )
    assert len(merged) == 200
    assert [f.score for f in merged] == sorted((f.score for f in merged), reverse=True)
    assert all(len(f.docs) >= 3 for f in merged[:50])  # each base sentence came 4 times


_MERGE_SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from test_facts import _synthetic_facts
from briefing.extract.facts import merge_facts
merged = merge_facts(_synthetic_facts(2000), 500)
print(json.dumps([[f.text, list(f.docs), f.score] for f in merged]))
"""


def test_merge_is_the_same_in_every_process() -> None:
    """No salted str hash decides anything: two hash seeds give the same merge."""
    script = _MERGE_SCRIPT.format(tests=os.path.dirname(__file__))
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        outputs.append(json.loads(run.stdout))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "text",
    ["x" * 1_000_000, "7" * 300_000, '"' * 300_000, "“quota” " * 120_000],
    ids=["1MB-no-spaces", "300k-digits", "300k-quotes", "quoted-terms"],
)
def test_hostile_text_is_read_in_linear_time(text: str) -> None:
    assert_grows_linearly(
        lambda size: extract_facts(
            parse_document(Document(id="x", path="x.txt", paragraphs=[text[:size]]), Gazetteer()),
            STORY,
        ),
        len(text),
        "facts on hostile text",
    )
