"""Open questions: question headlines, unquoted questions and cue sentences, and merging.

The sentences are invented (a fisheries accord between two made-up coastal states).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from time_limit import assert_grows_linearly

from briefing.extract.actors import Gazetteer
from briefing.extract.parsed import parse_document
from briefing.extract.questions import extract_questions, merge_questions
from briefing.models import Document, Question


def questions_of(
    *paragraphs: str, headline: str | None = None, subheadlines: tuple[str, ...] = ()
) -> list[str]:
    doc = Document(
        id="d1",
        path="d1.txt",
        headline=headline,
        subheadlines=list(subheadlines),
        paragraphs=list(paragraphs),
    )
    return [q.text for q in extract_questions(parse_document(doc, Gazetteer()))]


def test_question_headlines_and_subheads_give_their_question_part() -> None:
    found = questions_of(
        "The accord was signed in Vessa on Friday.",
        headline="Norland and Estavia Sign Accord... Will the Quotas Hold?",
        subheadlines=("Fishermen Protest on the Quay", "A New Patrol Deal: Who Pays for It?"),
    )
    assert found == ["Will the Quotas Hold?", "A New Patrol Deal: Who Pays for It?"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The accord raises several questions, including whether the quotas will be enforced"
            " or whether the trawlers will be inspected at sea.",
            [
                "Whether the quotas will be enforced?",
                "Whether the trawlers will be inspected at sea?",
            ],
        ),
        (
            "It remains unclear whether the Estavian fleet will return to the bank.",
            ["Whether the Estavian fleet will return to the bank?"],
        ),
        (
            "It is unknown whether the accord covers the coastal shelf, officials in Vessa said.",
            ["Whether the accord covers the coastal shelf?"],
        ),
        (
            "The harbour minister did not say when the joint patrols would start.",
            ["When the joint patrols would start?"],
        ),
        (
            "Mayor Varga, asked whether Vessa would compensate the trawler crews, declined to"
            " give details.",
            ["Whether Vessa would compensate the trawler crews?"],
        ),
        (
            "Asked if the quotas would hold through winter, the minister declined to comment.",
            ["Whether the quotas would hold through winter?"],
        ),
        (
            "It is not yet clear how the harbour council will enforce the new quotas.",
            ["How the harbour council will enforce the new quotas?"],
        ),
        (
            "Officials have not said when the harbour council will publish its first report.",
            ["When the harbour council will publish its first report?"],
        ),
        (
            "Some analysts in Vessa speculate that the quotas may be cut again next spring.",
            ["Whether the quotas may be cut again next spring?"],
        ),
        (
            "However, the cost of the new patrol boats was not disclosed.",
            ["The cost of the new patrol boats was not disclosed."],
        ),
        (
            "Attention is focused on the inspection regime at the northern ports.",
            ["Attention is focused on the inspection regime at the northern ports."],
        ),
        (
            "The minister did not rule out a ban on night trawling, Mayor Ilse Varga added.",
            ["The minister did not rule out a ban on night trawling."],
        ),
        (
            "It remains unclear whether Estavia will sign, and the ministry declined to say"
            " how the quotas would be checked.",
            ["Whether Estavia will sign?", "How the quotas would be checked?"],
        ),
        # a statement is the clause that holds the cue, never a fragment
        (
            "The talks in Vessa went well, although the size of the new quotas was not specified.",
            ["The size of the new quotas was not specified."],
        ),
        (
            "The port will reopen in May, although it is not likely to admit foreign trawlers.",
            ["The port will reopen in May, although it is not likely to admit foreign trawlers."],
        ),
        (
            "The accord has raised worries in both Vessa and Norland, not only over the quotas"
            " but also the prospect of Estavian trawlers fishing the northern shelf all winter.",
            ["The prospect of Estavian trawlers fishing the northern shelf all winter."],
        ),
        (
            "The number of patrol boats will depend on the budget, especially the fuel costs"
            " of the coming winter.",
            ["The number of patrol boats will depend on the budget."],
        ),
        (
            '"The quotas will hold for the cod, although the harbour fees were not disclosed'
            ' to the fishermen," Mayor Ilse Varga added.',
            ["The harbour fees were not disclosed to the fishermen."],
        ),
        (
            " ".join(["The trawlers of the northern fleet sailed from Vessa"] * 6)
            + " and the cost was not disclosed.",
            [],
        ),
        # an unquoted question of the writer counts; a quoted one is speech
        ("So who will pay for the new quay?", ["So who will pay for the new quay?"]),
        ('"Who will pay for the new quay?" asked one fisherman.', []),
        # no cue: no question
        ("The accord sets a quota of 4,000 tonnes of cod a year.", []),
        # an intertitle holding a cue word is no sentence
        ("Unanswered Questions", []),
    ],
)
def test_cue_sentences_become_questions(sentence: str, expected: list[str]) -> None:
    assert questions_of(sentence) == expected


def test_the_same_question_is_kept_once_per_document() -> None:
    found = questions_of(
        "Will the Quotas Hold? The trawlers sailed at dawn.",
        headline="Accord Signed... Will the Quotas Hold?",
    )
    assert found == ["Will the Quotas Hold?"]


def test_merge_unions_the_documents_of_near_duplicates_in_reading_order() -> None:
    merged = merge_questions(
        [
            Question("Whether the quotas will be enforced?", ["a"]),
            Question("Will the patrols start this winter?", ["a"]),
            Question("whether the quotas will be enforced?", ["b"]),
            Question("Whether the quota will really be enforced?", ["c"]),
            Question("Whether the quotas will be enforced?", ["a"]),
        ]
    )
    assert [(q.text, q.docs) for q in merged] == [
        ("Whether the quotas will be enforced?", ["a", "b", "c"]),
        ("Will the patrols start this winter?", ["a"]),
    ]


_MERGE_SCRIPT = """
import json
from briefing.extract.questions import merge_questions
from briefing.models import Question
words = ["quota", "patrol", "trawler", "quay", "harbour", "cod", "shelf", "ban", "fleet"]
items = [Question(f"Whether the {words[i % 9]} and the {words[i * 7 % 9]} will change {i % 13}?",
                  [f"d{i % 17}"]) for i in range(400)]
print(json.dumps([[q.text, list(q.docs)] for q in merge_questions(items)]))
"""


def test_merge_is_the_same_in_every_process() -> None:
    """No salted str hash decides anything: two hash seeds give the same merge."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _MERGE_SCRIPT], env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        outputs.append(json.loads(run.stdout))
    assert outputs[0] == outputs[1]
    assert 0 < len(outputs[0]) < 400


@pytest.mark.parametrize(
    "text",
    ["x" * 1_000_000, "7" * 300_000, '"' * 300_000, "It remains unclear whether " * 40_000],
    ids=["1MB-no-spaces", "300k-digits", "300k-quotes", "cue-run"],
)
def test_hostile_text_is_read_in_linear_time(text: str) -> None:
    assert_grows_linearly(
        lambda size: questions_of(text[:size], headline=text[: size // 10]),
        len(text),
        "questions on hostile text",
    )


def test_merge_is_near_linear_and_keeps_the_best_supported_questions() -> None:
    questions = [
        Question(f"Whether port {i % 300} will reopen quay {i % 300} soon?", [f"d{i}"])
        for i in range(20_000)
    ]
    questions.append(Question("Whether the lonely lighthouse will close?", ["d0"]))
    merged = assert_grows_linearly(
        lambda n: merge_questions(questions[: n - 1] + questions[-1:]),
        len(questions),
        "merging 20,000 questions",
    )
    assert len(merged) == 200
    assert merged[0].text == "Whether port 0 will reopen quay 0 soon?"
    assert all(len(q.docs) >= 66 for q in merged)  # the single-source question is dropped


def test_a_fact_asks_a_question_only_from_one_of_its_sources() -> None:
    # A fact holding most of a shown question's words asks it when one of the question's
    # sources is among the fact's documents; the same words from other sources do not. An id
    # that repeats names its last document (as the citer numbers it).
    from briefing.assemble.cite import Citer
    from briefing.assemble.facts import FactItem
    from briefing.assemble.questions import asked_facts
    from briefing.assemble.rules import load_rules
    from briefing.models import BriefItem, Document

    ids = ["a", "b", "c", "d", "b"]  # "b" twice: number 5 is "b", number 2 is not
    docs = [
        Document(id=i, path=f"{n}.txt", paragraphs=["Harbour news."]) for n, i in enumerate(ids)
    ]
    citer = Citer(docs, load_rules())
    text = "The pact raises questions, including whether the northern patrols will begin."
    question = BriefItem(text="Whether the northern patrols will begin?", sources=[3])

    def fact(of: list[str], said: str = text) -> FactItem:
        item = BriefItem(text=said, sources=[])
        return FactItem(item, "context", of, 0.1, said, frozenset(), frozenset())

    from_source, elsewhere, other_words = (
        fact(["a", "c"]),
        fact(["a", "d"]),
        fact(["c"], "Ships dock."),
    )
    asked = asked_facts([from_source, elsewhere, other_words], [question], citer)
    assert asked == {id(from_source.item)}
    first_b, last_b = (
        BriefItem(text=question.text, sources=[2]),
        BriefItem(text=question.text, sources=[5]),
    )
    by_b = fact(["b"])
    assert asked_facts([by_b], [first_b], citer) == set()
    assert asked_facts([by_b], [last_b], citer) == {id(by_b.item)}
    # A document outside the corpus, a source number past it: nothing asked.
    past = BriefItem(text=question.text, sources=[9])
    assert asked_facts([fact(["gone", "c"])], [past], citer) == set()
