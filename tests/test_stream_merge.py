"""The corpus merge as a stream: bounded groups, a spool, and the same results as before."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import random
import shutil
from pathlib import Path

import pytest

from briefing import pipeline
from briefing.config import load_config
from briefing.extract import ExtractContext, Merge, _fields, extract_document
from briefing.extract.events import EventMerge
from briefing.extract.facts import FactMerge, merge_facts
from briefing.extract.questions import QuestionMerge, merge_questions
from briefing.extract.spool import Spool, SpooledRows
from briefing.extract.textkeys import (
    Grouper,
    KeptWords,
    Mentions,
    Numbering,
    WordSet,
    content_words,
    near_duplicate_groups,
    near_duplicates,
    sketch_hashes,
)
from briefing.models import (
    DocIds,
    Document,
    Event,
    Extraction,
    Fact,
    IdColumn,
    Question,
    Quote,
    Role,
    _TextColumn,
)

ROOT = Path(__file__).parent.parent


def _words(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def test_grouper_forgets_a_group_and_its_memory() -> None:
    grouper = Grouper(threshold=0.6)
    first = _words("harbour pilots strike over night shifts in the northern port")
    near = _words("harbour pilots strike over night shifts in the northern port today")
    assert grouper.owner(first) == 0
    assert grouper.owner(near) == 0
    grouper.forget(0)
    assert grouper.buckets == {} and grouper.representative == {}
    assert grouper.owner(near) == 2  # a group of its own now: its number in the stream


def test_grouper_gives_the_owners_of_the_batch_function() -> None:
    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(400)]
    bases = [rng.sample(vocabulary, 10) for _ in range(60)]
    sets = []
    for i in range(600):
        words = list(bases[i % 60])
        if i % 2:
            words[rng.randrange(10)] = rng.choice(vocabulary)
        sets.append(frozenset(words))
    grouper = Grouper(threshold=0.6)
    streamed = [grouper.owner(words) for words in sets]
    assert streamed == near_duplicate_groups(sets, threshold=0.6)
    assert len(set(streamed)) < 600  # near duplicates did merge


def test_bounded_fact_merge_keeps_the_widely_reported_facts() -> None:
    # Ten facts each reported by twenty documents, among 3,000 one-off facts: a merge that
    # keeps at most 2 x 200 groups still ends with the ten, with all their documents.
    facts: list[Fact] = []
    for i in range(3000):
        facts.append(Fact(f"one off point number{i} about item{i} and thing{i}.", [f"d{i}"], 0.5))
        if i % 15 == 0:
            n = (i // 15) % 10
            facts.append(Fact(f"shared point topic{n} about subject{n} here.", [f"d{i}"], 0.5))
    bounded = FactMerge(capacity=200)
    for number, fact in enumerate(facts):
        bounded.seen = number + 1
        bounded.add(fact, _words(fact.text))
    assert len(bounded.groups) <= 400
    kept = bounded.result(3000)[:10]
    whole = merge_facts(facts, 3000)[:10]
    assert [(f.text, f.docs, f.score) for f in kept] == [(f.text, f.docs, f.score) for f in whole]
    assert all(len(f.docs) == 20 for f in kept)


def test_bounded_question_merge_keeps_the_widely_asked_questions() -> None:
    # Five questions each asked by thirty documents, first once the merge is full (from the
    # 500th one-off question on), among 2,000 one-off questions: a merge of capacity 100
    # holds at most twice that and still ends with the five, each with all its documents,
    # as the merge that keeps everything does (an eviction that kept the older of two
    # questions asked once dropped their first mentions).
    questions: list[Question] = []
    for i in range(2000):
        questions.append(Question(f"Will thing{i} happen to item{i} in place{i}?", [f"d{i}"]))
        if i >= 500 and i % 10 == 0 and i < 500 + 150 * 10:
            n = (i // 10) % 5
            questions.append(Question(f"Who will pay for project{n} in region{n}?", [f"d{i}"]))
    bounded = QuestionMerge(capacity=100)
    most = 0
    for question in questions:
        bounded.add(question, _words(question.text))
        most = max(most, len(bounded.merged))
    assert most == 200
    kept = [(q.text, list(q.docs)) for q in bounded.result() if len(q.docs) > 1]
    whole = [(q.text, list(q.docs)) for q in merge_questions(questions) if len(q.docs) > 1]
    assert kept == whole
    assert len(kept) == 5 and all(len(docs) == 30 for _, docs in kept)


def test_spool_reads_back_what_was_written(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "x.sqlite")
    quotes = [Quote("a", f"words {i}", "Ana Ruiz", role=Role.ANALYST, start=i) for i in range(5)]
    spool.add(pipeline.Document("a", "a.txt", headline="A"), quotes, [])
    rows = spool.rows("quotes", lambda **fields: Quote(**fields))
    assert isinstance(rows, SpooledRows) and len(rows) == 5
    assert [q.start for q in rows] == [0, 1, 2, 3, 4]
    assert rows[-1].text == "words 4" and rows[1:3][0].start == 1
    spool.close()


def test_spool_writes_long_rows_before_it_holds_a_megabyte_of_them(tmp_path: Path) -> None:
    # A day of news's texts: the rows waiting to be written are bounded by their size too,
    # not only by their number (2,000 articles' texts would be about 10 MB in memory).
    spool = Spool(tmp_path / "x.sqlite")
    text = "word " * 80_000  # a 400,000-character article
    for number in range(3):
        spool.add(pipeline.Document(f"d{number}", f"d{number}.txt", paragraphs=[text]), [], [])
        waiting = len(spool.pending["documents"])
        assert waiting == (0 if number == 2 else number + 1)
    written = spool.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert written == 3  # the third made them 1.2 MB: all three written at once
    spool.add(pipeline.Document("d3", "d3.txt", paragraphs=["short"]), [], [])
    assert len(spool.pending["documents"]) == 1  # a short row waits for the next batch
    assert [d.id for d in spool.rows("documents", lambda **f: Document(**f))] == [
        "d0",
        "d1",
        "d2",
        "d3",
    ]
    spool.close()


def test_a_spooled_extraction_equals_the_one_in_memory(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)
    config = load_config(ROOT / "config.yaml")
    in_memory = pipeline.run_extract(config, [str(corpus)], jobs=1).to_json()
    spool = Spool(tmp_path / "spool.sqlite")
    spooled = pipeline.run_extract(config, [str(corpus)], jobs=1, spool=spool).to_json()
    assert spooled == in_memory
    assert len(spooled["documents"]) == 5 and spooled["quotes"]
    tables = spool.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    assert sorted(name for (name,) in tables) == ["documents", "quotes", "reactions"]


def test_word_set_near_is_near_duplicates() -> None:
    # The size and numbers checks only skip work: every pair gets near_duplicates' answer,
    # at the thresholds the merges use and at the edges (empty sets, a zero threshold).
    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(30)] + ["12", "4,000", "2026"]
    sets = [frozenset(rng.sample(vocabulary, rng.randrange(0, 12))) for _ in range(300)]
    answers = set()
    for threshold in (0.0, 0.5, 0.6, 0.75, 1.0):
        for a, b in zip(sets, sets[1:] + sets[:1], strict=True):
            expected = near_duplicates(a, b, threshold)
            assert WordSet(a).near(WordSet(b), threshold) == expected, (a, b, threshold)
            # (as a merge keeps the earlier set)
            assert WordSet(a).near(WordSet(b).kept(), threshold) == expected, (a, b, threshold)
            answers.add(expected)
    assert answers == {True, False}


def test_kept_word_sets_share_their_words_and_their_empty_numbers() -> None:
    # Two sets unpickled apart hold strings of their own; as a merge keeps them, equal words
    # are one string, and sets without numbers share one empty set.
    first, second = (
        pickle.loads(pickle.dumps(frozenset(["accord", "signed", "12"]))) for _ in "ab"
    )
    kept = [WordSet(words).kept() for words in (first, second)]
    assert sorted(kept[0].words) == ["12", "accord", "signed"] and kept[0].size == 3
    by_word = [{word: word for word in k.words} for k in kept]
    assert all(by_word[0][word] is by_word[1][word] for word in by_word[0])
    assert kept[0].numbers == frozenset(["12"]) and next(iter(kept[0].numbers)) is by_word[0]["12"]
    bare = [WordSet(frozenset(w)).kept() for w in (["a", "b"], ["c"])]
    assert bare[0].numbers == frozenset() and bare[0].numbers is bare[1].numbers
    assert isinstance(bare[0], KeptWords)
    # What the merges keep is the kept form.
    grouper = Grouper(threshold=0.6)
    grouper.owner(first)
    assert isinstance(grouper.representative[0], KeptWords)
    merging = EventMerge(capacity=None)
    merging.add(Event("2031-04-02", "Talks end.", ["d1"]), ["talks", "end"])
    assert [type(kept) for kept, _ in merging.compared[("2031-04-02", frozenset())]] == [KeptWords]


def test_a_merged_event_keeps_its_date_and_sentence_once() -> None:
    # Unpickled, an event's date and its sentence equal to its text are strings of their own.
    events = [
        pickle.loads(pickle.dumps(Event("2031-04-02", f"Talks end {n}.", ["d1"]))) for n in (1, 2)
    ]
    for event in events:
        event.sentence = event.text[:-1] + "."  # equal, not the same string
    merging = EventMerge(capacity=None)
    for event in events:
        merging.add(event, content_words(event.text))
    kept = list(merging.merged.values())
    assert [e.text for e in kept] == ["Talks end 1.", "Talks end 2."]
    assert all(e.sentence is e.text for e in kept)
    assert kept[0].date == "2031-04-02" and kept[0].date is kept[1].date


def test_shipped_items_are_made_again_field_for_field() -> None:
    # Facts, events and questions cross to the merge as their fields (extract._fields): the
    # class called with them must give the same object, whatever fields the models gain.
    fact = Fact("a point", ["d1"], 0.7, "agreement", 0.25, ["p1"], ["p2"])
    event = Event("2031-04-02", "a date", ["d1"], True, "the sentence of a date", 4, 10)
    question = Question("will it hold?", ["d2"])
    for item in (fact, event, question):
        assert type(item)(*_fields(item)) == item


def _traced_growth(add: object, first: int, then: int) -> float:
    """Bytes traced per call of `add(i)` between call `first` and call `then`."""
    import tracemalloc

    assert callable(add)
    tracemalloc.start()
    try:
        for i in range(first):
            add(i)
        before = tracemalloc.get_traced_memory()[0]
        for i in range(first, then):
            add(i)
        return (tracemalloc.get_traced_memory()[0] - before) / (then - first)
    finally:
        tracemalloc.stop()


def test_a_group_that_keeps_growing_does_not_keep_each_members_words() -> None:
    # 12,000 distinct near-copies of one sentence (one word apart): one group. The grouper
    # remembers each copy by its hash (tens of bytes), not its twenty words (over a kilobyte).
    grouper = Grouper(threshold=0.6)
    base = [f"word{i}" for i in range(20)]
    per_member = _traced_growth(lambda i: grouper.owner(frozenset([*base, f"x{i}"])), 2_000, 12_000)
    assert set(grouper.exact.recent.values()) == {0} and len(grouper.exact) == 12_000
    assert per_member < 400, per_member  # kept as the set: about 1,500 bytes each


def test_a_bounded_grouper_remembers_the_last_keys_only() -> None:
    # A corpus merge's grouper remembers 1,000 to 2,000 keys: past that its memory stops
    # growing, and a copy it has forgotten still joins its group, by its words.
    grouper = Grouper(threshold=0.6, remembered=1_000)
    base = [f"word{i}" for i in range(20)]

    def member(i: int) -> frozenset[str]:  # 30,000 distinct sets of 320 words in all
        return frozenset([*base, f"x{i % 200}", f"y{i // 200}"])

    sketch_hashes(frozenset(w for i in range(30_000) for w in member(i)))  # words' hashes memo
    per_member = _traced_growth(lambda i: grouper.owner(member(i)), 4_000, 24_000)
    assert 1_000 <= len(grouper.exact) < 2_000
    assert per_member < 2, per_member
    assert grouper.exact.get(hash(member(5))) is None  # forgotten
    assert grouper.owner(member(5)) == 0
    # What recurs is kept: a key found again is put among the newest.
    recurring = hash(member(23_999))
    for i in range(24_000, 27_000):
        assert grouper.exact.get(recurring) == 0
        grouper.owner(member(i))


def test_merged_documents_in_corpus_order_are_each_listed_once() -> None:
    def fact(doc: str) -> Fact:
        return Fact("Harbour pilots will strike on Monday over night shifts", [doc], 0.5, "x", 0.1)

    words = _words("Harbour pilots will strike on Monday over night shifts")
    ordered = FactMerge(capacity=None, ordered=True)
    for doc in ["a", "a", "b", "c", "c"]:  # a document's facts come together
        ordered.add(fact(doc), words)
    assert ordered.result(3)[0].docs == ["a", "b", "c"]
    anyhow = FactMerge(capacity=None)
    for doc in ["b", "a", "b", "c", "a"]:
        anyhow.add(fact(doc), words)
    assert anyhow.result(3)[0].docs == ["b", "a", "c"]
    # An ordered merge's groups keep no set of their documents: a number in an array each,
    # and the id once (here the new id string itself); a dict or set entry more would add
    # about 50 bytes.
    per_report = _traced_growth(lambda i: ordered.add(fact(f"d{i}"), words), 2_000, 12_000)
    assert per_report < 80, per_report


def test_a_merged_mention_of_a_nearby_document_takes_one_byte() -> None:
    # Twenty points each reported by every document: 20 mentions a document, each its
    # number's difference from the one before in its group (a byte), the document's id
    # listed once. An array of numbers took 4 bytes a mention, a list of ids 9.
    texts = [" ".join(f"word{k}x{j}" for j in range(8)) for k in range(20)]
    words = [_words(text) for text in texts]
    ids = [f"doc{i}" for i in range(12_000)]
    merge = FactMerge(capacity=None, ordered=True)

    def add(i: int) -> None:
        for text, text_words in zip(texts, words, strict=True):
            merge.add(Fact(text, [ids[i]], 0.5, "context", 0.1), text_words)

    per_mention = _traced_growth(add, 2_000, 12_000) / len(texts)
    assert len(merge.groups) == 20
    assert per_mention < 2.5, per_mention
    assert merge.result(12_000)[0].docs == ids


def test_mentions_give_back_their_numbers_in_order_whatever_the_gaps() -> None:
    # Several items' mentions numbered by one Numbering, as a merge's are: each item's next
    # document a few numbers on, or, in a merge in any order, back; ids as they were added.
    rng = random.Random(3)
    for ordered in (True, False):
        numbering = Numbering(ordered)
        items = [Mentions(ordered) for _ in range(5)]
        expected: list[list[str]] = [[] for _ in items]
        docs = [f"d{n}" for n in sorted(rng.sample(range(10**6), 3_000))]
        if not ordered:
            docs += rng.choices(docs, k=1_000)  # seen before: listed once
            rng.shuffle(docs)
        for doc in docs:
            for item, listed in zip(items, expected, strict=True):
                if rng.random() < 0.3:
                    item.add_all([doc], numbering)
                    if doc not in listed:
                        listed.append(doc)
        for item, listed in zip(items, expected, strict=True):
            named = item.named(numbering)
            assert list(named) == listed and len(named) == len(item) == len(listed)
            assert named[0] == listed[0] and named[-2:] == listed[-2:] and named == listed
            item.add_all(["later"], numbering)  # a result is left as it was
            assert list(named) == listed and len(named) == len(listed)
    # Each number as it was added, whatever the difference: of either sign, one to five bytes.
    numbers = [rng.randrange(2**31) >> rng.randrange(31) for _ in range(2_000)]
    stored = Mentions(False)
    for number in numbers:
        stored._append(number)
    assert stored.numbers() == numbers
    widest = Mentions(False)
    for number in [2**31 - 1, 0, 2**31 - 1]:
        widest._append(number)
    assert widest.numbers() == [2**31 - 1, 0, 2**31 - 1] and len(widest.deltas) == 15


def test_two_documents_of_one_id_count_once_in_an_ordered_merge() -> None:
    # Ids are meant to be unique; where two documents share one (a feed's item and a file),
    # a merged item cites that id once, as it did when its documents were a list of ids.
    def fact(text: str, doc: str) -> Fact:
        return Fact(text, [doc], 0.5, "context", 0.1)

    one = "Harbour pilots will strike on Monday over night shifts"
    other = "The grain corridor reopened for river barges after the floods"
    merge = FactMerge(capacity=None, ordered=True)
    for text, doc in [(one, "x-1"), (other, "b"), (one, "x-1")]:
        merge.add(fact(text, doc), _words(text))
    by_text = {f.text: f.docs for f in merge.result(3)}
    assert by_text == {one: ["x-1"], other: ["b"]}


def test_a_spooled_undated_document_waits_as_its_row_and_gets_its_events(tmp_path: Path) -> None:
    # With no story date, an undated article's events are read once the corpus's date is
    # known (Merge.finish). A spooled merge holds only its row's index meanwhile, not its
    # text, and finds the same events as a merge in memory.
    config = load_config(ROOT / "config.yaml")
    config.story = dataclasses.replace(config.story, date=None)
    ctx = ExtractContext.from_config(config)
    said = "The two ministers met in the capital on Monday to sign the fishing accord."
    docs = [
        Document(
            "dated-1",
            "dated-1.txt",
            headline="Accord",
            published="2031-04-02",
            paragraphs=["Officials said the accord was signed on April 1, 2031."],
        ),
        Document("undated", "undated.txt", headline="Talks", paragraphs=[said]),
        Document(
            "dated-2",
            "dated-2.txt",
            headline="Accord",
            published="2031-04-02",
            paragraphs=["The fishing accord takes effect on May 1, 2031, officials said."],
        ),
    ]
    spooled = Merge(ctx, spool=Spool(tmp_path / "spool.sqlite"))
    in_memory = Merge(ctx)
    for doc in docs:
        spooled.add(extract_document(dataclasses.replace(doc), ctx))
        in_memory.add(extract_document(dataclasses.replace(doc), ctx))
    # the undated document and the event after it wait in the spool, none in memory
    assert spooled.pending == [] and spooled.waiting == 2
    assert isinstance(in_memory.pending[0], Document) and in_memory.waiting == 2
    events = [(e.date, e.text, e.docs) for e in spooled.finish().events]
    assert events == [(e.date, e.text, e.docs) for e in in_memory.finish().events]
    assert spooled.spool is not None  # what waited is gone from the spool a build keeps
    tables = spooled.spool.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    assert sorted(name for (name,) in tables) == ["documents", "quotes", "reactions"]
    assert ("2031-03-31", said, ["undated"]) in events  # Monday, before April 2


def test_a_merged_items_documents_read_write_and_compare_as_the_list_of_their_ids() -> None:
    numbering = Numbering(True)
    mentions = Mentions(True)
    mentions.add_all(["a", "b", "b", "c"], numbering)
    docs = mentions.named(numbering)
    assert isinstance(docs, DocIds) and docs == ["a", "b", "c"]
    assert ["a", "b", "c"] == docs  # noqa: SIM300 (a list on the left: the reflected test)
    assert (
        docs != ["a", "b"] and "b" in docs and "z" not in docs and repr(docs) == "['a', 'b', 'c']"
    )
    # Pickled or copied (a brief's deep copies), it is the plain list.
    for same in (pickle.loads(pickle.dumps(docs)), copy.deepcopy(docs), copy.copy(docs)):
        assert type(same) is list and same == ["a", "b", "c"]
    # The JSON contract shows the ids.
    extraction = Extraction(
        events=[Event("2031-04-02", "Talks end.", docs)],
        open_questions=[Question("Who signs?", docs)],
        facts=[Fact("Talks ended.", docs)],
    )
    rows = json.loads(json.dumps(extraction.to_json()))
    assert [row["docs"] for key in ("events", "open_questions", "facts") for row in rows[key]] == [
        ["a", "b", "c"]
    ] * 3


def test_an_id_column_gives_back_its_ids_as_they_were_added() -> None:
    # Across chunks (64 KB), with empty, non-ASCII and surrogate-escaped ids (a file name
    # that is not UTF-8), read by number from either end, and pickled.
    rng = random.Random(5)
    ids = ["", "é-wire", "bad\udcff", *(f"doc-{rng.randrange(10**9)}" * 3 for _ in range(4_000))]
    column = IdColumn(ids)
    assert len(column) == len(ids) and list(column) == ids and column == ids
    assert column[-1] == ids[-1] and column[1:3] == ids[1:3] and column[::-1] == ids[::-1]
    with pytest.raises(IndexError):
        column[len(ids)]
    again = pickle.loads(pickle.dumps(column, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(again) is IdColumn and again == ids
    again.append("later")
    assert again[-1] == "later" and column == ids
    # Shared: each id is the string given for it, read, appended to and pickled the same.
    own = {doc: "".join(doc) for doc in ids}
    column.share(own.__getitem__)
    assert column == ids and all(column[n] is own[doc] for n, doc in enumerate(ids))
    assert pickle.loads(pickle.dumps(column)) == ids
    assert column[-1] == ids[-1] and column[1:3] == ids[1:3] and column[::-1] == ids[::-1]
    with pytest.raises(IndexError):
        column[len(ids)]
    # A copy has a column of its own: appending to one leaves the other as it was.
    for copied in (copy.copy(column), copy.deepcopy(column)):
        copied.append("later")
        assert copied[-1] == "later" and len(copied) == len(ids) + 1 and column == ids
    column.append("later")
    assert column[-1] == "later" and len(column) == len(ids) + 1
    # Read in bulk, a text column gives what each entry holds, None too (a source's URL).
    texts = _TextColumn()
    for text in [None, *ids, None]:
        texts.append(text)
    assert texts.read([0, len(ids) + 1, 3, 1]) == [None, None, ids[2], ids[0]]
    assert texts.read(range(1, len(ids) + 1)) == ids


def test_a_document_named_twice_apart_is_listed_once_where_it_was_last() -> None:
    # In document order, a document is numbered anew when it is not the last one: an item
    # whose last document has the same id (two files of one name, read apart) counts it once,
    # as before the ids were packed, and an item that has it further back lists it again.
    numbering = Numbering(True)
    first, second = Mentions(True), Mentions(True)
    first.add_all(["a"], numbering)
    second.add_all(["a"], numbering)
    second.add_all(["b"], numbering)
    first.add_all(["a"], numbering)  # its last one: skipped (by the id's hash, then the id)
    second.add_all(["a"], numbering)  # "a" again, after "b": a number of its own
    assert list(numbering.ids) == ["a", "b", "a"]
    assert numbering.names(0, "a") and numbering.names(2, "a") and not numbering.names(0, "b")
    # A hash that matches is checked against the id itself.
    numbering.hashes[1] = hash("a") & 0xFFFFFFFF
    assert not numbering.names(1, "a")
    assert list(first.named(numbering)) == ["a"]
    assert list(second.named(numbering)) == ["a", "b", "a"]


def test_a_corpus_merge_names_all_its_items_documents_by_one_column() -> None:
    config = load_config(Path(__file__).parent / "fixtures" / "harbour" / "config.yaml")
    extraction = pipeline.run_extract(config, [str(Path(__file__).parent / "fixtures" / "harbour")])
    merged = [*extraction.facts, *extraction.events, *extraction.open_questions]
    columns = {id(item.docs.named_by) for item in merged if isinstance(item.docs, DocIds)}
    assert len(columns) == 1 and extraction.events and extraction.open_questions
