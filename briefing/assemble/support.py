"""Whether a source carries an item: a source is cited for an item only when it does.

The measure (rules: support): the source holds the item's quote (its first `quote_words`
words, in order), or one of its paragraphs holds at least `min_share` of the item's content
words (words of three letters or more that are not stopwords). A near-copy of the sentence in
another outlet counts; a paragraph on the same topic in other words does not. It is the
measure a reader applies when checking a citation, and the one the project's checker uses.

Each source's paragraphs are read once, when an item first cites it; its own wording of an
item is the sentence of its best paragraph that holds most of the item's words.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import pickle
import re
import tempfile
import unicodedata
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from string import ascii_lowercase, digits
from typing import NamedTuple

from ..memory import release_freed_memory
from ..models import Document

_SENTENCE_END = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"'])")
# Words are the runs of [a-z0-9] of the NFKC-folded, lower-cased text. In UTF-8 every other
# character is bytes that are not those letters: mapping each such byte to a space and
# splitting gives the runs, in C (several times faster than re.findall on the text).
_ALNUM = frozenset((ascii_lowercase + digits).encode())
_RUNS = bytes(b if b in _ALNUM else 0x20 for b in range(256))
# Content words are three letters or more: every shorter word is dropped with the stopwords.
_SHORT = frozenset(
    "".join(letters)
    for size in (1, 2)
    for letters in itertools.product(ascii_lowercase + digits, repeat=size)
)


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).lower()
    return folded.encode("utf-8", "surrogatepass").translate(_RUNS).decode("ascii").split()


# A document's paragraphs are folded in one pass, joined by NUL (kept by this table, so that
# the runs split back into paragraphs): a call of each step per document, not per paragraph,
# with the same words. NUL is no word character, composes with nothing under NFKC, and
# lower() reads it as the end of a text (neither cased nor case-ignorable: a final sigma
# stays final), so each paragraph folds as it would alone.
_RUNS_AND_NUL = bytes(b if b in _ALNUM or b == 0 else 0x20 for b in range(256))


def paragraph_words(paragraphs: list[str]) -> list[list[str]]:
    """words(p) for each paragraph p."""
    joined = "\x00".join(paragraphs)
    if len(paragraphs) < 2 or joined.count("\x00") != len(paragraphs) - 1:
        return [words(p) for p in paragraphs]  # a paragraph holds NUL itself
    folded = unicodedata.normalize("NFKC", joined).lower()
    runs = folded.encode("utf-8", "surrogatepass").translate(_RUNS_AND_NUL).decode("ascii")
    return [run.split() for run in runs.split("\x00")]


class _Source:
    """A document's text as the checks read it: each paragraph's set of words (stopwords
    too, until `settle`), and its words in one string (a quote's opening is looked for in
    it; made when first asked)."""

    __slots__ = ("_flat", "content", "empty", "paragraphs", "tokens")

    def __init__(self, doc: Document) -> None:
        self.empty = not doc.paragraphs
        self.paragraphs = [p for p in doc.paragraphs if p.strip()]
        self.tokens = paragraph_words(self.paragraphs)
        # Every word, stopwords too: what a check asks for has none (Support.content), so
        # its counts are the same, without a second set made per paragraph.
        self.content = list(map(set, self.tokens))
        self._flat: str | None = None

    @property
    def flat(self) -> str:
        # The words of the whole text are those of its paragraphs: a blank one has none.
        if self._flat is None:
            self._flat = " " + " ".join(itertools.chain.from_iterable(self.tokens)) + " "
        return self._flat

    def settle(self, dropped: frozenset[str]) -> _Source:
        """Keep the words only as `flat` and the content sets, without the `dropped` words
        (for a source held in the cache): each word of the lists is a string of its own,
        which for a day of news's 256 cached documents took about 10 MB."""
        _ = self.flat
        self.tokens = []
        self.content = [held.difference(dropped) for held in self.content]
        return self

    def counts(self, want: set[str]) -> list[int]:
        """How many of the words each paragraph holds."""
        return list(map(len, map(want.intersection, self.content)))


class Want:
    """What an item asks of a source: its quote's opening words, and its content words; and
    the words its wording in a source is chosen by (Support.sentence): the quote's, if it
    has one, else the text's."""

    __slots__ = ("content", "opening", "quoted", "worded")

    def __init__(self, support: Support, text: str, quote: str | None) -> None:
        self.opening: str | None = None
        self.quoted: set[str] = set()
        self.content = support.content(text)
        self.worded = self.content
        if quote:
            self.worded = support.content(quote)
            opening = " ".join(words(quote)[: support.quote_words])
            if opening:
                self.opening = f" {opening} "
                self.quoted = self.worded


class Support:
    """Which of an item's sources carry it, for one corpus.

    A document's text is read when an item cites it: `check_all` checks many items in one
    pass over the corpus, in document order; other checks read a document by its number and
    keep the last `cached` documents read (a spooled corpus is never all in memory)."""

    def __init__(
        self,
        documents: Sequence[Document],
        numbers: Mapping[str, int],
        stop: frozenset[str],
        min_share: float,
        quote_words: int,
        cached: int = 256,
        helper: Executor | None = None,
    ) -> None:
        self.documents = documents
        # Where half of a large corpus's checks run meanwhile (check_numbers): a process of
        # the build's (pipeline.build); None: all in this one.
        self.helper = helper
        self.numbers = numbers  # document id -> its number, from 1
        self.stop = stop
        self.dropped = stop | _SHORT
        self.min_share = min_share
        self.quote_words = quote_words
        self.cached = cached
        self._read: OrderedDict[str, _Source] = OrderedDict()

    def release(self) -> None:
        """Let go of the documents read (checks after this read them again)."""
        self._read.clear()

    def _source(self, doc_id: str) -> _Source | None:
        source = self._read.get(doc_id)
        if source is not None:
            self._read.move_to_end(doc_id)
            return source
        number = self.numbers.get(doc_id)
        if number is None:
            return None
        source = _Source(self.documents[number - 1]).settle(self.dropped)
        self._read[doc_id] = source
        if len(self._read) > self.cached:
            self._read.popitem(last=False)
        return source

    def check_all(
        self, items: list[tuple[Want, list[str]]], keep: int = 0
    ) -> tuple[list[bytearray], list[dict[int, str | None]]]:
        """For each item (what it asks, its documents), which of its documents carry it (1)
        and which do not (0, or a document not in the corpus); and, of those among its first
        `keep` documents that carry it, its wording there (`sentence`: of the paragraph that
        carries it; None: the document has no text). Each document is read once, in document
        order."""
        numbered = [
            (want, array("i", [self.numbers.get(doc, 0) for doc in docs])) for want, docs in items
        ]
        return self.check_numbers(numbered, keep)

    def check_numbers(
        self, items: list[tuple[Want, array[int]]], keep: int = 0
    ) -> tuple[list[bytearray], list[dict[int, str | None]]]:
        """check_all, each item's documents given by number (0: not in the corpus)."""
        # (arrays of 4-byte numbers: the helper reads them back so from its file)
        items = [(want, n if n.typecode == "i" else array("i", n)) for want, n in items]
        # The documents some item cites, marked a byte each.
        marked = bytearray(len(self.documents) + 1)
        for _, numbers in items:
            for number in numbers:
                marked[number] = 1
        # Past the sources whose paragraph is kept, an item without a quote only asks whether
        # some paragraph holds enough of its words: the scan stops at the first that does.
        need = [self._need(want) if want.opening is None else 0 for want, _ in items]
        wants = [want for want, _ in items]
        checks = _Checks(wants, need, keep, [numbers for _, numbers in items])
        # (an array: a list would hold an int object per cited document)
        cited = array("i", (n - 1 for n in range(1, len(marked)) if marked[n]))
        split = len(cited) // 2
        other = None
        if split >= SPLIT_FROM:  # the second half is read by another process meanwhile
            other = _in_other_process(self, checks, cited[split:])
        if other is None:
            split = len(cited)
        try:
            found, kept = self._check(self.documents, checks, cited[:split])
        except BaseException:
            if other is not None:
                other.cancel()
            raise
        if other is not None and not _merged_from(other.result(), found, kept):
            # That process failed, or its answers cannot be read: this one reads its half
            # too (merging the same answers twice changes nothing).
            _merge(found, kept, *self._check(self.documents, checks, cited[split:]))
        release_freed_memory()  # the documents read since the pass's last trim are garbage
        return found, kept

    def _check(
        self, documents: Sequence[Document], checks: _Checks, cited: Sequence[int]
    ) -> tuple[list[bytearray], list[dict[int, str | None]]]:
        """The checks of the documents `cited` (ascending indices, every document some item
        cites between the first and the last of them), read in one pass."""
        wants, need, keep, numbers = checks
        found = [bytearray(len(of_item)) for of_item in numbers]
        kept: list[dict[int, str | None]] = [{} for _ in wants]
        due = _Due(numbers, cited[0] + 1 if cited else 1, cited[-1] + 1 if cited else 0)
        for read, (index, document) in enumerate(_documents_at(documents, cited), start=1):
            if read % RELEASE_EVERY == 0:  # the documents read so far are garbage
                release_freed_memory()
            source = _Source(document)
            for item, position in due.at(index + 1):
                want = wants[item]
                if source.empty:  # no text to check: the extractor's word stands
                    found[item][position] = 1
                    if position < keep:
                        kept[item][position] = None
                elif position >= keep and need[item]:
                    held = map(len, map(want.content.intersection, source.content))
                    found[item][position] = any(map(need[item].__le__, held))
                else:
                    at = self.paragraph(source, want)
                    if at is not None:
                        found[item][position] = 1
                        if position < keep:
                            kept[item][position] = (
                                self._sentence(source.paragraphs[at], want.worded)
                                if source.paragraphs
                                else None
                            )
        return found, kept

    def _need(self, want: Want) -> int:
        """How many of the item's words a paragraph must hold to carry it (0: the item has
        no words, which any source carries)."""
        size = len(want.content)
        if not size:
            return 0
        return next((n for n in range(1, size + 1) if n / size >= self.min_share), size + 1)

    def content(self, text: str) -> set[str]:
        return set(words(text)).difference(self.dropped)

    def want(self, text: str, quote: str | None = None) -> Want:
        return Want(self, text, quote)

    def carries(self, doc_id: str, text: str, quote: str | None = None) -> bool:
        """Whether the source holds the item's quote or most of its words in one paragraph.
        A source whose text is not at hand (an extraction read back from JSON) cannot be
        checked: the extractor's word for it stands."""
        return self.carried(doc_id, self.want(text, quote))

    def carried(self, doc_id: str, want: Want) -> bool:
        source = self._source(doc_id)
        return source is not None and self._carried(source, want)

    def _carried(self, source: _Source, want: Want) -> bool:
        return source.empty or self.paragraph(source, want) is not None

    def best_paragraph(self, doc_id: str, text: str, quote: str | None = None) -> int | None:
        """The index of the paragraph that carries the item (None: the source does not)."""
        source = self._source(doc_id)
        return None if source is None else self.paragraph(source, self.want(text, quote))

    def paragraph(self, source: _Source, want: Want) -> int | None:
        if want.opening is not None and want.opening in source.flat:
            return self._paragraph_of(source, want.quoted) or 0
        wanted = want.content
        if not wanted:
            return 0
        size = len(wanted)
        counts = source.counts(wanted)
        most = max(counts, default=0)
        # the first paragraph holding most of the words
        return counts.index(most) if most and most / size >= self.min_share else None

    @staticmethod
    def _paragraph_of(source: _Source, want: set[str]) -> int | None:
        if not want:
            return None
        counts = source.counts(want)
        return counts.index(max(counts)) if counts else None

    def wording(self, doc_id: str, text: str, quote: str | None = None) -> str | None:
        """The source's own sentence for the item: in the paragraph that carries it, the
        sentence holding most of the item's words."""
        index = self.best_paragraph(doc_id, text, quote)
        source = self._source(doc_id)
        if index is None or source is None or not source.paragraphs:
            return None
        return self.sentence(source.paragraphs[index], text, quote)

    def sentence(self, paragraph: str, text: str, quote: str | None = None) -> str:
        """The sentence of the paragraph holding most of the item's words."""
        return self._sentence(paragraph, self.content(quote or text))

    def _sentence(self, paragraph: str, want: set[str]) -> str:
        sentences = _SENTENCE_END.split(paragraph)
        return max(sentences, key=lambda s: len(want & self.content(s))).strip()


class _Checks(NamedTuple):
    """One pass's checks (see Support.check_numbers), as Support._check reads them, here or
    in a helper process: each item's want, the words a paragraph needs past its first
    `keep` documents, and its documents' numbers (a check is an item and a position in
    its numbers)."""

    wants: list[Want]
    need: list[int]
    keep: int
    numbers: list[array[int]]


class _Due:
    """The checks of each document in turn, for a pass over documents numbered `low` to
    `high` in ascending order: each item's next document due, in a heap. It holds a few
    numbers per item, where listing each document's checks takes 4 bytes a check (several
    megabytes at 100,000 articles, in the build and in its helper).

    An item's documents mostly come in order (a merged item's, in document order); the
    few items whose numbers do not ascend are walked in the order of their sorted
    positions."""

    def __init__(self, numbers: list[array[int]], low: int, high: int) -> None:
        self.numbers = numbers
        self.high = high
        # (arrays: a list would hold an int object per position)
        self.orders: dict[int, array[int]] = {}
        self.heap: list[tuple[int, int, int]] = []  # (number due, item, cursor)
        for item, of_item in enumerate(numbers):
            if any(a > b for a, b in itertools.pairwise(of_item)):
                order = array("i", sorted(range(len(of_item)), key=of_item.__getitem__))
                self.orders[item] = order
                cursor = bisect_left(order, low, key=of_item.__getitem__)
            else:
                cursor = bisect_left(of_item, low)
            due = self._due(item, cursor)
            if due:
                self.heap.append((due, item, cursor))
        heapq.heapify(self.heap)

    def _due(self, item: int, cursor: int) -> int:
        """The number of the item's document at `cursor` in number order; 0 past its last
        one or past `high`."""
        of_item = self.numbers[item]
        if cursor >= len(of_item):
            return 0
        order = self.orders.get(item)
        number = of_item[cursor if order is None else order[cursor]]
        return number if number <= self.high else 0

    def at(self, number: int) -> Iterator[tuple[int, int]]:
        """The checks (item, position) of document `number`; every number due before it
        is done (the pass goes up through every cited document)."""
        heap = self.heap
        while heap and heap[0][0] <= number:
            due, item, cursor = heap[0]
            order = self.orders.get(item)
            if due == number:
                yield item, cursor if order is None else order[cursor]
            cursor += 1
            following = self._due(item, cursor)
            if following:
                heapq.heapreplace(heap, (following, item, cursor))
            else:
                heapq.heappop(heap)


# Cited documents in each half below which one process reads them all: a second one costs
# its start and the transfer of the checks and answers (about half a second at 100,000
# articles), and reads 5,000 documents in about 1 s.
SPLIT_FROM = 5_000
# Documents read between two returns of the freed heap to the system (memory.py): each
# costs a few milliseconds, and a pass over 50,000 documents otherwise leaves ~50 MB held.
RELEASE_EVERY = 2_000


class _OtherHalf:
    """The checks of the second half of the cited documents, made by a helper process.
    `spilled`, the file that hands it the checks' arrays, is removed once it answered;
    `answers`, the file it writes its answers to (_spill_answers), made here so that this
    process can remove it whatever happens there, once it is read or not wanted."""

    def __init__(self, job: Future[None], spilled: str, answers: str) -> None:
        self.job = job
        self.spilled = spilled
        self.answers = answers

    def result(self) -> str | None:
        """Its answers' file; None when it failed (then the caller checks them itself)."""
        try:
            self.job.result()
            return self.answers
        except Exception:  # any failure there costs time, not the answers
            _remove(self.answers)
            return None
        except BaseException:  # (interrupted while waiting: its files go once it is done)
            self.cancel()
            raise
        finally:
            _remove(self.spilled)

    def cancel(self) -> None:
        self.job.cancel()
        if self.job.done():
            self._remove_files(self.job)
        else:  # the helper may be reading or writing them: removed once it is done
            self.job.add_done_callback(self._remove_files)

    def _remove_files(self, job: Future[None]) -> None:
        _remove(self.spilled)
        _remove(self.answers)


def _merge(
    found: list[bytearray],
    kept: list[dict[int, str | None]],
    other_found: list[bytearray],
    other_kept: list[dict[int, str | None]],
) -> None:
    """The other half's answers into these. Each check is of one document, so of one half:
    its flag is set in one of them."""
    for mine, theirs in zip(found, other_found, strict=True):
        _or_into(mine, theirs)
    _merge_wordings(kept, other_kept)


def _merge_wordings(
    kept: list[dict[int, str | None]], other_kept: list[dict[int, str | None]]
) -> None:
    for mine_kept, theirs_kept in zip(kept, other_kept, strict=True):
        mine_kept.update(theirs_kept)


def _or_into(mine: bytearray, theirs: bytes | bytearray) -> None:
    merged = int.from_bytes(mine, "little") | int.from_bytes(theirs, "little")
    mine[:] = merged.to_bytes(len(mine), "little")


def _spill_answers(path: str, found: list[bytearray], kept: list[dict[int, str | None]]) -> None:
    """The helper's answers written to `path`, for the build to read once its own half is
    checked: its flags one item after the other, then its wordings, pickled. Sent back as
    the job's result, a day of news's answers were unpickled in the build's process while
    it was still reading its half, at its peak: 6 MB more, with the pickle's bytes."""
    with open(path, "wb") as answers:
        for flags in found:
            answers.write(flags)
        pickle.dump(kept, answers, protocol=pickle.HIGHEST_PROTOCOL)


def _merged_from(
    path: str | None, found: list[bytearray], kept: list[dict[int, str | None]]
) -> bool:
    """The helper's answers (_spill_answers) merged into these, an item at a time; False
    when there are none or they cannot be read whole. The file is removed."""
    if path is None:
        return False
    try:
        with open(path, "rb") as answers:
            for mine in found:
                theirs = answers.read(len(mine))
                if len(theirs) != len(mine):
                    return False
                _or_into(mine, theirs)
            other_kept = pickle.load(answers)
        _merge_wordings(kept, other_kept)
    except Exception:  # (a file cut short, whatever the unpickling then says)
        return False
    finally:
        _remove(path)
    return True


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):  # gone already
        os.unlink(path)


def _spill(checks: _Checks) -> tuple[_Checks, str, list[int]]:
    """The checks without their items' numbers, the temporary file holding those (one
    array after the other), and their lengths: pickled with the job, the arrays (7 MB at
    100,000 articles) would be copied once more in this process's memory, at its peak."""
    handle, path = tempfile.mkstemp(prefix="briefing-checks-")
    try:
        with os.fdopen(handle, "wb") as spilled:
            for numbers in checks.numbers:
                numbers.tofile(spilled)
    except BaseException:
        _remove(path)
        raise
    sizes = [len(numbers) for numbers in checks.numbers]
    return checks._replace(numbers=[]), path, sizes


def _unspilled(checks: _Checks, path: str, sizes: list[int]) -> _Checks:
    """The checks with their items' numbers read back from `path` (see _spill)."""
    numbers = []
    with open(path, "rb") as spilled:
        for size in sizes:
            read: array[int] = array("i")
            read.fromfile(spilled, size)
            numbers.append(read)
    return checks._replace(numbers=numbers)


def _in_other_process(support: Support, checks: _Checks, cited: Sequence[int]) -> _OtherHalf | None:
    """The checks of the documents `cited`, started on the build's helper process (forked
    when the build started, while it was small: a fork of this one, a day of news's build,
    would count its memory twice), when the documents are spooled in a file it can read
    (`reopener`); None where that cannot be. The checks' arrays go through a temporary
    file (about 7 MB at 100,000 articles), the rest with the job."""
    documents = support.documents
    reopener = getattr(documents, "reopener", None)
    if support.helper is None or reopener is None or not getattr(documents, "reopenable", False):
        return None
    rules = (support.stop, support.min_share, support.quote_words)
    try:
        light, spilled, sizes = _spill(checks)
    except OSError:  # no room for the file: this process checks both halves
        return None
    try:
        handle, answers = tempfile.mkstemp(prefix="briefing-answers-")
        os.close(handle)
    except OSError:
        _remove(spilled)
        return None
    try:
        job = support.helper.submit(
            _check_there, reopener(), rules, light, cited, spilled, sizes, answers
        )
    except BaseException as exc:
        _remove(spilled)
        _remove(answers)
        # A pool broken by an earlier job (its process killed: out of memory, a signal)
        # costs time only: this process checks both halves.
        if isinstance(exc, Exception):
            return None
        raise
    return _OtherHalf(job, spilled, answers)


def _check_there(
    reopen: Callable[[], Sequence[Document]],
    rules: tuple[frozenset[str], float, int],
    checks: _Checks,
    cited: Sequence[int],
    spilled: str,
    sizes: list[int],
    answers: str,
) -> None:
    # A connection of its own: the build reads its half through its one meanwhile.
    documents = reopen()
    whole = _unspilled(checks, spilled, sizes)
    _remove(spilled)  # read: the build removes it too, should this process fail first
    _spill_answers(answers, *Support(documents, {}, *rules)._check(documents, whole, cited))


def _documents_at(
    documents: Sequence[Document], indices: Sequence[int]
) -> Iterator[tuple[int, Document]]:
    """The documents at `indices` (ascending), with their index; a spooled corpus reads
    them in one pass."""
    read = getattr(documents, "read_at", None)
    if read is not None:
        yield from read(indices)
    else:
        for index in indices:
            yield index, documents[index]
