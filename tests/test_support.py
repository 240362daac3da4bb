"""The citation check (assemble/support.py): its words, and which paragraph carries an item."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from time_limit import assert_grows_linearly

from briefing.assemble.support import Support, paragraph_words, words
from briefing.models import Document

_WORD = re.compile(r"[a-z0-9]+")


def _regex_words(text: str) -> list[str]:
    """The definition the fast tokeniser must match: runs of [a-z0-9] of the folded text."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def test_words_are_the_ascii_runs_of_the_folded_text() -> None:
    samples = [
        "The Minister’s “firm” reply: 12 ships, 3-4 days.",
        "ＦＵＬＬ width and the \u212a sign, \u0130stanbul, caf\u00e9 na\u00efve",
        "tab\there\nnew line\u00a0no-break\u2009thin",
        "",
        "   ",
        "Ωμέγα ΣΟΦΟΣ 42x",
    ]
    for text in samples:
        assert words(text) == _regex_words(text)
    assert words("\u212aelvin café") == ["kelvin", "caf"]


def test_a_documents_paragraphs_fold_together_as_each_would_alone() -> None:
    paragraphs = [
        "The Minister’s “firm” reply: 12 ships.",
        "ΣΟΦΟΣ",  # no ASCII letter: no word, joined or alone
        "ＦＵＬＬ width \ufb01ne e\u0301t\u00e9 \u0130stanbul",  # NFKC, combining marks
        "",
        "   ",
        "last one",
    ]
    assert paragraph_words(paragraphs) == [
        ["the", "minister", "s", "firm", "reply", "12", "ships"],
        [],
        ["full", "width", "fine", "t", "i", "stanbul"],
        [],
        [],
        ["last", "one"],
    ]
    assert paragraph_words(paragraphs) == [words(p) for p in paragraphs]
    # A combining mark opening a paragraph does not join the word ending the one before.
    assert paragraph_words(["abc e", "\u0301x"]) == [["abc", "e"], ["x"]]
    # A paragraph holding a NUL itself is folded alone, and its words stay its own.
    with_nul = ["one\x00two", "three"]
    assert paragraph_words(with_nul) == [["one", "two"], ["three"]]
    assert paragraph_words(["single"]) == [["single"]] and paragraph_words([]) == []


def _support() -> Support:
    docs = [
        Document(
            id="a",
            path="a.txt",
            paragraphs=[
                "Harbour officials met on Monday.",
                "",
                "The council approved the northern pier budget after a long debate.",
                "The council approved the northern pier budget.",
            ],
        ),
        Document(id="b", path="b.txt", paragraphs=[]),
    ]
    return Support(docs, {"a": 1, "b": 2}, frozenset({"the", "after", "on"}), 0.7, 4)


def test_the_first_paragraph_holding_most_words_carries_the_item() -> None:
    support = _support()
    text = "The council approved the northern pier budget."
    # paragraphs 1 and 2 (of the non-blank ones) hold every word: the first of them counts
    assert support.best_paragraph("a", text) == 1
    assert support.carries("a", text)
    assert not support.carries("a", "Fishing quotas were cut in the southern bay.")
    assert support.carries("b", "Anything at all.")  # no text to check: the extractor's word
    assert not support.carries("missing", text)
    assert (
        support.wording("a", text)
        == "The council approved the northern pier budget after a long debate."
    )


def test_a_quote_is_carried_by_its_opening_words_in_order() -> None:
    support = _support()
    quoted = "council approved the northern pier"
    assert support.best_paragraph("a", "Officials said so.", quote=quoted) == 1
    assert (
        support.best_paragraph("a", "Officials said so.", quote="pier northern the approved")
        is None
    )


class _Counted(list[Document]):
    """Documents that count how often each is read."""

    def __init__(self, docs: list[Document]) -> None:
        super().__init__(docs)
        self.reads: list[str] = []

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        doc = super().__getitem__(index)
        self.reads.append(doc.id)
        return doc


def test_check_all_reads_each_cited_document_once_in_document_order() -> None:
    docs = _Counted(
        [
            Document(id=f"d{n}", path=f"d{n}.txt", paragraphs=[f"The pier opened in week {n}."])
            for n in range(6)
        ]
        + [Document(id="d6", path="d6.txt", paragraphs=["Ferries were cancelled by storms."])]
    )
    support = Support(docs, {d.id: n for n, d in enumerate(docs, start=1)}, frozenset(), 0.7, 4)
    items = [
        (support.want("The pier opened in week four."), ["d4", "d1", "d6"]),
        (support.want("Ferries were cancelled by storms."), ["d6", "d4"]),
    ]
    found, kept = support.check_all(items, keep=2)
    assert found == [bytearray([1, 1, 0]), bytearray([1, 0])]
    # the carrying paragraph of each carrying source among an item's first two
    assert kept == [
        {0: "The pier opened in week 4.", 1: "The pier opened in week 1."},
        {0: "Ferries were cancelled by storms."},
    ]
    assert docs.reads == ["d1", "d4", "d6"]  # the uncited d0, d2, d3, d5 are never read


def test_the_check_keeps_each_first_sources_wording_not_its_paragraph() -> None:
    # What an item shows of a source is the sentence of its carrying paragraph that holds
    # most of the item's words (of its quote's, when it quotes): kept from the check, it is
    # what reading the source again gives; the rest of the paragraph is not held.
    docs = [
        Document(
            id="d0",
            path="d0.txt",
            paragraphs=[
                "Rain fell all week. The council approved the northern pier budget on"
                " Tuesday. Dock workers cheered."
            ],
        ),
        Document(
            id="d1",
            path="d1.txt",
            paragraphs=[
                'Officials met. "The pier will open in spring," the mayor said. Then rain.'
            ],
        ),
    ]
    support = Support(docs, {"d0": 1, "d1": 2}, frozenset(), 0.7, 4)
    asked = [
        ("The council approved the northern pier budget.", None, "d0"),
        ("The mayor spoke of the pier.", "The pier will open in spring", "d1"),
    ]
    items = [(support.want(text, quote), [doc]) for text, quote, doc in asked]
    found, kept = support.check_all(items, keep=1)
    assert found == [bytearray([1]), bytearray([1])]
    assert kept == [
        {0: "The council approved the northern pier budget on Tuesday."},
        {0: '"The pier will open in spring," the mayor said.'},
    ]
    assert [support.wording(doc, text, quote) for text, quote, doc in asked] == [
        kept[0][0],
        kept[1][0],
    ]


def _corpus(size: int) -> list[Document]:
    """`size` invented articles of four paragraphs; every third one repeats the wire copy."""
    docs = []
    for n in range(size):
        lede = (
            "The harbour board approved the northern pier budget on Tuesday."
            if n % 3 == 0
            else f"Dock workers in district {n} discussed shift patterns."
        )
        paragraphs = [
            lede,
            f"Ferry timetables for route {n + 1000} change next month, officials said.",
            "Fishing crews reported calmer weather along the coast.",
            f"Cargo volumes rose by {n % 50} percent over the quarter.",
        ]
        docs.append(Document(id=f"d{n}", path=f"d{n}.txt", paragraphs=paragraphs))
    return docs


def test_checking_every_source_of_widely_cited_items_grows_linearly() -> None:
    """Fifty items each cite every article (a wire story reprinted everywhere): the checks
    grow with articles x items, each article read once."""

    def carried_at(size: int) -> int:
        docs = _corpus(size)
        support = Support(docs, {d.id: n for n, d in enumerate(docs, start=1)}, STOP, 0.7, 10)
        ids = [d.id for d in docs]
        items = [(support.want("The harbour board approved the northern pier budget."), ids)]
        items += [(support.want(f"Route {k + 1000} timetables."), ids) for k in range(49)]
        found, _ = support.check_all(items)
        # each reprint carries the first item; the k-th timetable item only its article
        assert sum(found[0]) == len(range(0, size, 3))
        assert all(sum(flags) == 1 for flags in found[1:])
        return sum(map(sum, found))

    assert_grows_linearly(carried_at, 8_000, "citation checks of 50 items x 8,000 articles")


STOP = frozenset({"the", "for", "on", "of", "in", "by", "over", "along"})


def test_check_all_answers_as_the_single_checks_do() -> None:
    """The one pass (which stops a scan at the first paragraph holding enough words past the
    kept sources) gives the answer of `carries` for every item and source."""
    docs = _corpus(30)
    docs[7] = Document(id="d7", path="d7.txt", paragraphs=[])  # no text: carried
    docs[8] = Document(id="d8", path="d8.txt", paragraphs=["", "  "])  # blank paragraphs
    support = Support(docs, {d.id: n for n, d in enumerate(docs, start=1)}, STOP, 0.7, 4)
    ids = [d.id for d in docs]
    asked = [
        ("The harbour board approved the northern pier budget.", None),
        ("Route 1004 timetables.", None),
        ("It is.", None),  # no content words: every source carries it
        ("Officials spoke.", "harbour board approved the northern pier"),
        ("Cargo volumes rose by 12 percent over the quarter.", None),
    ]
    items = [(support.want(text, quote), ids) for text, quote in asked]
    found, _ = support.check_all(items, keep=2)
    for (text, quote), flags in zip(asked, found, strict=True):
        assert list(flags) == [support.carries(d, text, quote) for d in ids]
    assert sum(found[2]) == 30 and found[1][4] == 1 and found[0][8] == 0


def test_the_pass_answers_every_check_whatever_the_order_of_an_items_documents() -> None:
    """Items cite documents in order, out of order, twice, or not in the corpus (0): each
    check gets the answer of `carries`, and the wordings of the first `keep` positions are
    those the single checks give."""
    import random
    from array import array

    docs = _corpus(40)
    docs[5] = Document(id="d5", path="d5.txt", paragraphs=[])  # no text: carried
    support = Support(docs, {d.id: n for n, d in enumerate(docs, start=1)}, STOP, 0.7, 4)
    texts = [
        ("The harbour board approved the northern pier budget.", None),
        ("Route 1004 timetables.", None),
        ("Officials spoke.", "harbour board approved the northern pier"),
    ]
    rng = random.Random(7)
    asked = []
    for n in range(60):
        numbers = sorted(rng.sample(range(1, 41), rng.randrange(0, 12)))
        if n % 3 == 1:
            rng.shuffle(numbers)
        if n % 5 == 2:
            numbers += [*rng.choices(numbers or [0], k=2), 0]  # twice, and not in the corpus
        if n % 7 == 3:  # in order, after documents not in the corpus, some twice
            numbers = sorted([0, 0, *numbers, *numbers[:2]])
        asked.append((texts[n % 3], numbers))
    items = [(support.want(text, quote), array("i", numbers)) for (text, quote), numbers in asked]
    found, kept = support.check_numbers(items, keep=2)
    for ((text, quote), numbers), flags, wordings in zip(asked, found, kept, strict=True):
        expected = [bool(n) and support.carries(f"d{n - 1}", text, quote) for n in numbers]
        assert [bool(flag) for flag in flags] == expected
        assert wordings == {
            at: support.wording(f"d{numbers[at] - 1}", text, quote)
            for at in range(min(2, len(numbers)))
            if expected[at]
        }


def _spooled(docs: list[Document], tmp_path: Path) -> tuple[Any, Any]:
    """The documents in a spool's file, and read back from it (what a helper can reopen)."""
    from briefing.extract.spool import Spool, spooled_documents

    spool = Spool(tmp_path / "s.sqlite")
    for doc in docs:
        spool.add(doc, [], [])
    return spool, spooled_documents(spool)


def test_two_processes_answer_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spooled corpus's cited documents are read half here, half on the build's helper
    process (past SPLIT_FROM in each half): the answers are those of one process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from briefing.assemble import support as support_module

    docs = _corpus(60)
    spool, spooled = _spooled(docs, tmp_path)
    numbers = {d.id: n for n, d in enumerate(docs, start=1)}
    ids = [d.id for d in docs]
    asked = [
        ("The harbour board approved the northern pier budget.", None, ids),
        ("Route 1031 timetables.", None, ids[::-1]),
        ("Officials spoke.", "harbour board approved the northern pier", ids),
        # out of order, twice, and not in the corpus, across both halves
        ("Route 1040 timetables.", None, [ids[50], "gone", ids[2], ids[2], *ids[30:45], "gone"]),
        ("Dock workers discussed shift patterns.", None, ["gone", *ids[10:58:3], ids[11]]),
    ]

    def answers(support: Support) -> Any:
        items = [(support.want(text, quote), of) for text, quote, of in asked]
        return support.check_all(items, keep=4)

    alone = answers(Support(spooled, numbers, STOP, 0.7, 4))
    halves = []
    started = support_module._in_other_process
    check_there = support_module._check_there

    def counted(*args: Any) -> Any:
        halves.append(started(*args))
        return halves[-1]

    monkeypatch.setattr(support_module, "SPLIT_FROM", 10)
    monkeypatch.setattr(support_module, "_in_other_process", counted)
    temporary = tmp_path / "temporary"  # (both processes' temporary files, forked after)
    temporary.mkdir()
    monkeypatch.setattr(support_module.tempfile, "tempdir", str(temporary))
    check_here = Support._check
    checked_here: list[int] = []

    def counting(self: Support, *args: Any) -> Any:
        checked_here.append(1)  # (the helper's own count stays in its process)
        return check_here(self, *args)

    monkeypatch.setattr(Support, "_check", counting)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as helper:
        split = answers(Support(spooled, numbers, STOP, 0.7, 4, helper=helper))
        assert halves and halves[0] is not None and halves[0].job.exception() is None
        assert split == alone and len(checked_here) == 1  # the other half read there only
        # The arrays went through a temporary file, removed once the helper answered, and
        # the answers through another, removed once read.
        assert halves[0].spilled and not os.path.exists(halves[0].spilled)
        assert Path(halves[0].answers).name.startswith("briefing-answers-")
        assert list(temporary.iterdir()) == []
        # Answers that cannot be read whole cost time only, as a helper that fails: this
        # process checks both halves (a helper forked once the answers' writing is cut):
        # cut in the flags, or in the wordings' pickle (its last byte).
        spill_answers = support_module._spill_answers
        for cut_to in (lambda size: size // 2, lambda size: size - 1):

            def truncated(path: str, *args: Any, cut_to: Any = cut_to) -> None:
                spill_answers(path, *args)
                os.truncate(path, cut_to(os.path.getsize(path)))

            checked_here.clear()
            monkeypatch.setattr(support_module, "_spill_answers", truncated)
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as cut:
                assert answers(Support(spooled, numbers, STOP, 0.7, 4, helper=cut)) == alone
            assert len(checked_here) == 2 and list(temporary.iterdir()) == []
        monkeypatch.setattr(support_module, "_spill_answers", spill_answers)
        monkeypatch.setattr(Support, "_check", check_here)
        # A helper that fails costs time only: this process reads the other half too.
        monkeypatch.setattr(support_module, "_check_there", _helper_fails)
        assert answers(Support(spooled, numbers, STOP, 0.7, 4, helper=helper)) == alone
        assert isinstance(halves[-1].job.exception(), OSError)
        assert not os.path.exists(halves[-1].spilled)
        # No room for the arrays' file: no helper, and the same answers.
        monkeypatch.setattr(support_module, "_check_there", check_there)

        def no_room(*args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(support_module.tempfile, "mkstemp", no_room)
        assert answers(Support(spooled, numbers, STOP, 0.7, 4, helper=helper)) == alone
        assert halves[-1] is None
    found, kept = alone
    assert sum(found[0]) == 20 and found[1][59 - 31] == 1 and sum(found[1]) == 1
    assert kept[0] == {0: docs[0].paragraphs[0], 3: docs[3].paragraphs[0]}
    spool.close()


def _helper_fails(*args: object) -> None:
    raise OSError("helper gone")


def test_freed_heap_memory_goes_back_where_the_c_library_can() -> None:
    """glibc's malloc_trim is called where it exists (Linux with glibc); elsewhere the call
    does nothing and says so."""
    import platform

    from briefing.memory import release_freed_memory

    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert release_freed_memory() is glibc


_PIER_SENTENCE = "The council approved the northern pier budget on Monday."


def _pier_documents() -> list[Document]:
    """Three documents that carry _PIER_SENTENCE in their second paragraph, and one that
    does not."""
    docs = [
        Document(id=f"d{i}", path=f"d{i}.txt", paragraphs=["Harbour news.", _PIER_SENTENCE])
        for i in range(3)
    ]
    docs.append(Document(id="d3", path="d3.txt", paragraphs=["Nothing of the pier."]))
    return docs


def test_a_citer_released_gives_the_same_items_reading_again() -> None:
    # Once every item is made, the checks' answers go (the source list is made next); an
    # item asked for after that is checked again, with the same answer.
    from briefing.assemble.cite import Citer, Draft
    from briefing.assemble.rules import load_rules

    sentence, docs = _PIER_SENTENCE, _pier_documents()
    citer = Citer(docs, load_rules())
    draft = Draft(sentence, ["d0", "d1", "d2", "d3"], 0.5)
    citer.prefetch([draft])
    made = citer.draft_item(draft)
    assert made.sources == [1, 2, 3] and made.support == 3 and len(made.wordings) == 3
    assert citer.item("Harbour news.", ["d0"], 0.1).sources == [1]  # not drafted: read now
    assert citer._carried and citer.support._read
    citer.release()
    assert not citer._carried and not citer.support._read
    assert citer.draft_item(draft) == made
    # An item made for the last time lets its answer go at once (a day of news's quotes).
    citer.prefetch([draft])
    assert len(citer._carried) == 1
    assert citer.draft_item(draft, last=True) == made
    assert not citer._carried
    assert citer.draft_item(draft) == made


def test_a_prefetched_draft_is_made_without_numbering_its_documents_again() -> None:
    # The check numbered the draft's documents already (at 100,000 articles, some 1.7
    # million ids): making its item finds the answer by the key the check kept on the
    # draft, whose text is the one shown (here without the article's dateline).
    from briefing.assemble.cite import Citer, Draft
    from briefing.assemble.rules import load_rules

    sentence, docs = _PIER_SENTENCE, _pier_documents()
    for doc in docs:
        doc.dateline = "PIERTOWN, June 3 -"
    said = f"PIERTOWN, June 3 - {sentence}"
    asked: list[int] = []
    citer = Citer(docs, load_rules())
    numbers_of = citer.numbers.numbers_of

    def counted(ids: list[str]) -> list[int]:
        asked.append(len(ids))
        return numbers_of(ids)

    citer.numbers.numbers_of = counted  # type: ignore[method-assign]
    unchecked = Citer(docs, load_rules()).item(said, ["d2", "x", "d0", "d3", "d1"], 0.5)
    draft = Draft(said, ["d2", "x", "d0", "d3", "d1"], 0.5)
    citer.prefetch([draft])
    assert asked == [5]  # each document once (the one out of the corpus too)
    assert citer.draft_item(draft) == unchecked
    assert asked == [5]
    assert unchecked.sources == [1, 2, 3] and unchecked.support == 3
    assert unchecked.text == sentence
    # Let go (`release`): it is numbered and read again, with the same answer.
    citer.release()
    assert citer.draft_item(draft) == unchecked and asked == [5, 5]


def test_items_without_documents_or_out_of_the_corpus_are_checked_in_place() -> None:
    # Checks are numbered through the items in turn; an item with no documents (or one not
    # in the corpus, number 0) between others leaves the others' answers in their places.
    from array import array

    support = _support()
    want = support.want("The council approved the northern pier budget.")
    other = support.want("Harbour officials met on Monday.")
    items = [
        (want, array("i", [1, 0, 2])),
        (other, array("i")),
        (other, array("i", [0, 1])),
        (want, array("i")),
        (want, array("i", [2, 1])),
    ]
    found, kept = support.check_numbers(items, keep=1)
    assert [list(flags) for flags in found] == [[1, 0, 1], [], [0, 1], [], [1, 1]]
    assert kept[0] == {0: "The council approved the northern pier budget after a long debate."}
    assert kept[4] == {0: None}  # document 2 has no text: the extractor's word stands


def test_the_other_halfs_files_go_however_its_job_ends(tmp_path: Path) -> None:
    """The checks' file and the answers' file are removed when the job is cancelled before
    it starts, once it ends when it is running, and when it fails."""
    from concurrent.futures import Future

    from briefing.assemble.support import _OtherHalf

    def files(name: str) -> tuple[str, str]:
        spilled, answers = tmp_path / f"{name}.checks", tmp_path / f"{name}.answers"
        spilled.write_bytes(b"1")
        answers.write_bytes(b"2")
        return str(spilled), str(answers)

    pending: Future[None] = Future()
    _OtherHalf(pending, *files("pending")).cancel()
    assert pending.cancelled() and list(tmp_path.iterdir()) == []

    running: Future[None] = Future()
    assert running.set_running_or_notify_cancel()
    _OtherHalf(running, *files("running")).cancel()
    assert len(list(tmp_path.iterdir())) == 2  # the helper may still be at them
    running.set_result(None)
    assert list(tmp_path.iterdir()) == []

    failed: Future[None] = Future()
    failed.set_exception(OSError("helper gone"))
    assert _OtherHalf(failed, *files("failed")).result() is None
    assert list(tmp_path.iterdir()) == []


def test_a_helper_broken_by_an_earlier_job_costs_time_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's helper pool whose process died in an earlier job (out of memory, a signal)
    is broken: the citation check is then made here, whole, with the same answers."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from briefing.assemble import support as support_module

    docs = _corpus(60)
    spool, spooled = _spooled(docs, tmp_path)
    numbers = {d.id: n for n, d in enumerate(docs, start=1)}
    ids = [d.id for d in docs]

    def answers(support: Support) -> Any:
        items = [(support.want("The harbour board approved the northern pier budget."), ids)]
        return support.check_all(items, keep=4)

    alone = answers(Support(spooled, numbers, STOP, 0.7, 4))
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as broken:
        with pytest.raises(BrokenProcessPool):
            broken.submit(os._exit, 1).result()
        monkeypatch.setattr(support_module, "SPLIT_FROM", 10)
        assert answers(Support(spooled, numbers, STOP, 0.7, 4, helper=broken)) == alone
    assert sum(alone[0][0]) == 20
    spool.close()
