"""Content words and comparison keys, so that the same point worded slightly differently in
two articles merges into one item (events, open questions, facts)."""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from collections.abc import Iterable, Mapping
from functools import cache
from typing import ClassVar

from mypy_extensions import mypyc_attr

from ..models import DocIds, IdColumn
from ..resources import load_rules

_WORD = re.compile(r"[^\W_]{1,40}(?:['’][^\W_]{1,10})?")


@cache
def stopwords() -> frozenset[str]:
    data = load_rules("stopwords.yaml")
    return frozenset(str(w).lower() for w in data["stopwords"])


def _stem(word: str) -> str:
    """A crude plural/possessive fold: "treaties" ~ "treaty", "Norland's" ~ "norland"."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


# What each word seen so far gives: its stem, or "" for a function word (so that a word seen
# before costs one look-up); bounded so that hostile text cannot grow it without end.
_STEMS: dict[str, str] = {}
_MAX_STEMS = 200_000


def _content_stem(word: str) -> str:
    """The stem of a lower-cased word, "" when the word or its stem is a function word."""
    stop = stopwords()
    stem = _stem(word)
    kept = stem if stem and stem not in stop and word not in stop else ""
    if len(_STEMS) < _MAX_STEMS:
        _STEMS[word] = kept
    return kept


# The content words of the texts seen last: a sentence is often both a fact and an event,
# and an open question's words are read by the extractor and again for the merge. Cleared
# when full, so that it stays small.
_RECENT: dict[str, list[str]] = {}
_MAX_RECENT = 2_000
_MAX_RECENT_CHARS = 2_000


def content_words(text: str) -> list[str]:
    """Lower-cased, folded words of `text` that are not function words, in order."""
    known = _RECENT.get(text)
    if known is not None:
        return list(known)  # a list of its own: callers may keep or change theirs
    words = _content_words(text)
    if len(text) <= _MAX_RECENT_CHARS:  # a hostile megabyte-long "sentence" is not kept
        if len(_RECENT) >= _MAX_RECENT:
            _RECENT.clear()
        _RECENT[text] = words
    return list(words)


# What each whitespace token seen so far gives (its content words, most often one or none):
# _WORD never matches across whitespace, so a text's words are its tokens' words in order,
# and a token seen before costs one look-up instead of a regex scan. Bounded as _STEMS.
_TOKEN_WORDS: dict[str, tuple[str, ...]] = {}


def _content_words(text: str) -> list[str]:
    known = _TOKEN_WORDS
    words: list[str] = []
    for token in text.lower().split():
        found = known.get(token)
        if found is None:
            found = _token_words(token)
        if found:
            words.extend(found)
    return words


def _token_words(token: str) -> tuple[str, ...]:
    stems = _STEMS
    words = []
    for word in _WORD.findall(token):
        stem = stems.get(word)
        if stem is None:
            stem = _content_stem(word)
        if stem:
            words.append(stem)
    found = tuple(words)
    if len(_TOKEN_WORDS) < _MAX_STEMS:
        _TOKEN_WORDS[token] = found
    return found


def has_digit(text: str) -> bool:
    """Ten substring tests (memchr) beat a regex scan for [0-9] several times over."""
    return (
        "0" in text or "1" in text or "2" in text or "3" in text or "4" in text
        or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text
    )  # fmt: skip


def stable_hash(word: str) -> int:
    """A hash that is the same in every process (str hash is salted per process)."""
    return zlib.crc32(word.encode("utf-8"))


# Hashes of the words seen so far (a look-up costs a fifth of a crc32), bounded like _STEMS.
_HASHES: dict[str, int] = {}


def _word_hash(word: str) -> int:
    known = _HASHES.get(word)
    if known is None:
        known = stable_hash(word)
        if len(_HASHES) < _MAX_STEMS:
            _HASHES[word] = known
    return known


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


_NO_NUMBERS: frozenset[str] = frozenset()


def numbers(words: frozenset[str]) -> frozenset[str]:
    """The words of a set that are numbers (start with a digit). Most sets have none: they
    share one empty set, which a pickle then holds once."""
    return frozenset(w for w in words if w[0].isdigit()) or _NO_NUMBERS


def same_numbers(a: frozenset[str], b: frozenset[str]) -> bool:
    """Do two word sets hold the same numbers? "4,000 tonnes" is not "5,000 tonnes", however
    alike the rest of the sentence."""
    return numbers(a) == numbers(b)


def near_duplicates(a: frozenset[str], b: frozenset[str], threshold: float) -> bool:
    return jaccard(a, b) >= threshold and same_numbers(a, b)


# Word hashes in a sketch (see _sketch_keys): the Grouper's default, and what WordSet keeps.
SKETCH = 4


def sketch_hashes(words: frozenset[str], size: int = SKETCH) -> tuple[int, ...]:
    """The `size` smallest word hashes of a set, in order."""
    return tuple(sorted(map(_word_hash, words))[:size])


class WordSet:
    """A word set with what comparing it costs to recompute: its size, its numbers and the
    SKETCH smallest hashes of its words (when computed). The merges' inputs are made in the
    worker processes (extract.ship), so that the merge's process has only the comparisons
    left to do.

    Two sets whose sizes differ too much cannot reach a Jaccard threshold (the intersection
    is at most the smaller, the union at least the larger), so most comparisons end on two
    integers; `near` then gives exactly near_duplicates()."""

    __slots__ = ("numbers", "size", "smallest", "words")

    def __init__(
        self,
        words: frozenset[str],
        numbers: frozenset[str] | None = None,
        smallest: tuple[int, ...] | None = None,
    ) -> None:
        self.words = words
        self.size = len(words)
        self.numbers = _numbers_of(words) if numbers is None else numbers
        self.smallest = smallest

    def state(self) -> tuple[frozenset[str], frozenset[str], tuple[int, ...]]:
        """What WordSet(*state) makes again, with the sketch's hashes (for a pipe)."""
        if self.smallest is None:
            self.smallest = sketch_hashes(self.words)
        return (self.words, self.numbers, self.smallest)

    def near(self, other: WordSet | KeptWords, threshold: float) -> bool:
        """near_duplicates(self.words, frozenset(other.words), threshold) (a kept set's words
        are a tuple), checked cheapest first.
        fl(i / u) <= fl(small / big) as division rounds monotonically, so the size check
        rejects only pairs whose Jaccard is below the threshold too."""
        small, big = self.size, other.size
        if small > big:
            small, big = big, small
        if not small or small / big < threshold:
            return threshold <= 0.0 and self.numbers == other.numbers
        if self.numbers != other.numbers:
            return False
        common = len(self.words.intersection(other.words))
        return common / (self.size + other.size - common) >= threshold

    def kept(self) -> KeptWords:
        return KeptWords(self)


class KeptWords:
    """A word set as a merge keeps it to compare later ones with (WordSet.near): its words
    in a tuple of shared strings. A merge of a day of news keeps thousands of them, each
    unpickled with strings of its own: at 30,000 articles, the facts' grouper kept 6,124
    frozensets holding 104,398 strings of 485 distinct words, 12.79 MB with their empty
    number sets and sketch hashes; as tuples of interned words, 3.12 MB. (An interned
    string goes when nothing holds it, except on the CPython 3.12 releases that made them
    immortal, cpython#113993: there the words a run keeps stay, its vocabulary at most.)"""

    __slots__ = ("numbers", "size", "words")

    def __init__(self, word_set: WordSet) -> None:
        self.words = tuple(map(sys.intern, word_set.words))  # each word once: counts the same
        self.size = word_set.size
        numbers = word_set.numbers
        self.numbers = frozenset(map(sys.intern, numbers)) if numbers else _NO_NUMBERS


def _numbers_of(words: frozenset[str]) -> frozenset[str]:
    return numbers(words)


def _sketch_keys(words: frozenset[str], size: int) -> list[int]:
    """Blocking keys of a word set: every pair of its `size` smallest word hashes (a bottom-k
    MinHash sketch). Sets that share most words very likely share one such pair."""
    return _pairs(sketch_hashes(words, size))


# A set of one word, or of none, has no pair: its key is its lone hash past every pair's, or
# one of its own (a word's hash is a crc32: under 2**32).
_LONE = 1 << 64
_NO_WORDS = 1 << 65


def _pairs(smallest: tuple[int, ...]) -> list[int]:
    """Each pair of the hashes (a, b), in order, as one int: a << 32 | b. A merge keeps each
    group's keys, for `forget`: as tuples of two ints, 144 bytes each with the ints, 48 as
    one int (at 100,000 articles the facts' and questions' groups kept up to 12,000 of
    them, 6 keys each)."""
    if len(smallest) < 2:
        return [_LONE | smallest[0]] if smallest else [_NO_WORDS]
    return [
        smallest[i] << 32 | smallest[j]
        for i in range(len(smallest))
        for j in range(i + 1, len(smallest))
    ]


def near_duplicate_groups(
    word_sets: list[frozenset[str]],
    threshold: float = 0.6,
    sketch: int = 4,
    max_compared: int = 8,
) -> list[int]:
    """For each word set, the index of the first earlier set it nearly duplicates (Jaccard
    >= threshold, the same numbers), or its own index (see Grouper)."""
    grouper = Grouper(threshold, sketch, max_compared)
    return [grouper.owner(words) for words in word_sets]


class Numbering:
    """Numbers for the documents a merge meets, and their ids back. In document order (a
    corpus merge: `ordered`), a document is new when it is not the last one, and no table
    from id to number is kept: one would cost memory for each of a day's hundreds of
    thousands of documents, and the ids are kept packed (IdColumn). A corpus's three merges
    share one (extract.Merge), so that its items name their documents by one column."""

    def __init__(self, ordered: bool) -> None:
        self.ids = IdColumn()  # by number
        # len(self.ids), kept here: compiled, this module would call the column's __len__,
        # a Python method, for every mention a merge adds.
        self.count = 0
        self.last: str | None = None  # the last id numbered (in document order)
        # Each id's hash (its low 32 bits), so that `names` reads an id back only when it
        # is very likely the one asked for.
        self.hashes = array("I")
        self.numbers: dict[str, int] | None = None if ordered else {}

    def number(self, doc: str) -> int:
        if self.numbers is None:
            if self.last != doc:
                self._append(doc)
                self.last = doc
            return self.count - 1
        number = self.numbers.get(doc)
        if number is None:
            number = self.numbers[doc] = self.count
            self._append(doc)
        return number

    def _append(self, doc: str) -> None:
        self.ids.append(doc)
        if self.numbers is None:  # (`names` reads them in document order only)
            self.hashes.append(hash(doc) & 0xFFFFFFFF)
        self.count += 1

    def names(self, number: int, doc: str) -> bool:
        """Whether the document numbered `number` has the id `doc`."""
        if self.numbers is not None:
            return self.numbers.get(doc) == number
        if number == self.count - 1:
            return self.last == doc
        return self.hashes[number] == hash(doc) & 0xFFFFFFFF and self.ids[number] == doc


class Mentions:
    """A merged item's documents, in order of first mention, each once: their numbers (see
    Numbering), each stored as its difference from the one before, in a varint of one byte
    for a difference under 64 (LEB128 of the zigzag difference). In a corpus merge the
    documents come in order, and a widely reported item's next one is a few numbers on: one
    byte each where an array of numbers takes four (a day's merge holds millions, the
    memory that grows with the corpus while it is read). A set of them is kept only when
    they may come in any order; in document order, a document already there is the last
    one."""

    __slots__ = ("count", "deltas", "last", "seen")

    def __init__(self, ordered: bool) -> None:
        self.deltas = bytearray()
        self.count = 0
        self.last = -1  # the last number added (-1: none yet)
        self.seen: set[int] | None = None if ordered else set()

    def add_all(self, docs: Iterable[str], numbering: Numbering) -> None:
        """Add the documents `docs` (ids), numbered by `numbering`. The last one is known by
        its id: two documents that share an id count once, as a citation of it would."""
        for doc in docs:
            if self.count and numbering.names(self.last, doc):
                continue
            number = numbering.number(doc)
            if self.seen is not None:
                if number in self.seen:
                    continue
                self.seen.add(number)
            self._append(number)

    def _append(self, number: int) -> None:
        difference = number - self.last
        # zigzag: a difference of any sign as a natural number (the last bit its sign)
        left = difference * 2 if difference >= 0 else -difference * 2 - 1
        deltas = self.deltas
        while left >= 0x80:
            deltas.append((left & 0x7F) | 0x80)
            left >>= 7
        deltas.append(left)
        self.last = number
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def numbers(self) -> list[int]:
        """The numbers, in the order they were added."""
        found: list[int] = []
        number, left, shift = -1, 0, 0
        deltas = self.deltas
        for at in range(len(deltas)):  # (mypyc compiles no for loop over a bytearray)
            byte = deltas[at]
            left |= (byte & 0x7F) << shift
            if byte & 0x80:
                shift += 7
                continue
            number += left // 2 if left % 2 == 0 else -(left // 2) - 1
            found.append(number)
            left, shift = 0, 0
        return found

    def named(self, numbering: Numbering) -> DocIds:
        """The documents, by id when read: a merged item's result. It holds a copy of these
        numbers (later additions leave it as it is) and the numbering's ids, which only grow."""
        kept = Mentions(True)
        kept.deltas = bytearray(self.deltas)  # (exactly sized: the merge's grew by steps)
        kept.count, kept.last = self.count, self.last
        return DocIds(kept, numbering.ids)


# How many keys a bounded corpus merge remembers (RecentKeys): at about 100 bytes each, up
# to 2 x this many per merge, whatever the size of the corpus.
REMEMBERED_KEYS = 16_384


class RecentKeys:
    """Keys (hashes) seen, each with its group: all of them (`size` None), or the last `size`
    to 2 x `size` put or found, so that a merge fed a day of news keeps a bounded memory of
    them. Two generations: when the newer holds `size` keys it becomes the older, and the
    older goes; a key found in the older one is put again, so that what recurs stays."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size
        self.recent: dict[int, int] = {}
        self.older: dict[int, int] = {}

    def get(self, key: int) -> int | None:
        found = self.recent.get(key)
        if found is None and self.older:
            found = self.older.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key: int, value: int) -> None:
        self.recent[key] = value
        if self.size is not None and len(self.recent) >= self.size:
            self.older = self.recent
            self.recent = {}

    def __len__(self) -> int:
        return len(self.recent) + len(self.older)


class Grouper:
    """Near-duplicate grouping as a stream: each word set added gets the number of the first
    earlier set it nearly duplicates (Jaccard >= threshold, the same numbers), or a number of
    its own (its position in the stream). Candidates come from shared sketch keys, never from
    all pairs, and each bucket holds at most `max_compared` representatives: near-linear
    time. `forget` drops a group, so that a corpus merge can keep a bounded number of them:
    what it held no longer matches anything, and its memory goes."""

    def __init__(
        self,
        threshold: float = 0.6,
        sketch: int = 4,
        max_compared: int = 8,
        remembered: int | None = None,
    ) -> None:
        self.threshold = threshold
        self.sketch = sketch
        self.max_compared = max_compared
        self.count = 0
        self.buckets: dict[int, list[int]] = {}
        # A word set seen before goes where it went then, while it is remembered (see
        # RecentKeys: a corpus merge remembers the last `remembered`, so that its memory
        # does not grow with the corpus; one forgotten is grouped again by its words).
        self.exact = RecentKeys(remembered)
        self.representative: dict[int, KeptWords] = {}
        # Each group's bucket keys, for forget().
        self.keys: dict[int, list[int]] = {}

    def owner(self, words: frozenset[str] | WordSet) -> int:
        index = self.count
        self.count += 1
        word_set = words if isinstance(words, WordSet) else None
        if word_set is not None:
            words = word_set.words
        assert isinstance(words, frozenset)
        exact_key = hash(words)
        known = self.exact.get(exact_key)
        # A key of a forgotten group stays until it ages out: it no longer matches.
        if known is not None and known in self.representative:
            return known
        if word_set is None:
            word_set = WordSet(words)
        keys = self._keys(word_set)
        match = self._first_similar(word_set, keys)
        if match is None:
            match = index
            self.representative[index] = word_set.kept()
            placed = []
            for key in keys:
                bucket = self.buckets.setdefault(key, [])
                if len(bucket) < self.max_compared:
                    bucket.append(index)
                    placed.append(key)
            self.keys[index] = placed
        self.exact.put(exact_key, match)
        return match

    def _keys(self, words: WordSet) -> list[int]:
        if not words.size:
            return []
        if words.smallest is not None and self.sketch <= SKETCH:
            return _pairs(words.smallest[: self.sketch])
        return _sketch_keys(words.words, self.sketch)

    def _first_similar(self, words: WordSet, keys: list[int]) -> int | None:
        """The first candidate, in bucket order, that `words` nearly duplicates. A group in
        several of its buckets is compared once: the answer would not change. Most candidates
        differ in their numbers, which near() would check too: compared here, they cost no
        call."""
        tried: set[int] = set()
        threshold = self.threshold
        numbers = words.numbers
        for key in keys:
            for candidate in self.buckets.get(key, ()):
                if candidate in tried:
                    continue
                tried.add(candidate)
                other = self.representative[candidate]
                if other.numbers == numbers and words.near(other, threshold):
                    return candidate
        return None

    def forget(self, group: int) -> None:
        del self.representative[group]
        for key in self.keys.pop(group):
            bucket = self.buckets[key]
            bucket.remove(group)
            if not bucket:
                del self.buckets[key]


# Punctuation that clings to words in running text. A sentence is tokenised with str.split()
# (fast) and its tokens looked up in a table of each vocabulary word with these attached:
# set look-ups in C instead of one regex alternation per sentence, which is ~20x slower.
_OPENERS = ("", "'", "‘", "“", '"', "(", "[", "«")
_CLOSERS = (
    "",
    ",",
    ".",
    ";",
    ":",
    "?",
    "!",
    "'s",
    "’s",
    "'",
    "’",
    "”",
    '"',
    ")",
    "]",
    "»",
    ".”",
    ",”",
    ".'",
    ",'",
    ".’",
    ",’",
    '."',
    ',"',
    "...",
    "…",
    "),",
    ").",
)


# (opener, closer) pairs: word.join(pair) is the word between them.
_AFFIX_PAIRS = tuple((opener, closer) for opener in _OPENERS for closer in _CLOSERS)


def spellings(word: str) -> list[str]:
    """Every spelling of `word` as a whitespace token (made by map, in C: the tables of the
    extractors hold tens of thousands, made when the first document is read)."""
    return list(map(word.join, _AFFIX_PAIRS))


def token_table(words: Iterable[str]) -> dict[str, str]:
    """Every spelling of each (lower-case) word as a whitespace token -> the word."""
    tokens: list[str] = []
    owners: list[str] = []
    for word in words:
        word = str(word).lower()
        tokens += spellings(word)
        owners += [word] * len(_AFFIX_PAIRS)
    # Built backwards, so that a spelling of two words goes to the first (as setdefault).
    return dict(zip(reversed(tokens), reversed(owners), strict=True))


# Compiled with mypyc (see hatch_build.py), a list subclass must stay a Python class.
@mypyc_attr(native_class=False)
class Words(list[str]):
    """The whitespace tokens of a lower-cased sentence (its split()), as the shared sentence
    split hands them to every extractor, with a memo of which of them are in any of the word
    tables the extractors look them up in.

    Dates, questions and facts each look up every word of every sentence in a table of their
    own. The first look-up of a word pays for its hash, and each one walks the whole sentence:
    with the memo, the sentence is walked once, against all the tables merged (_MergedTables),
    and each table then sees only the few words found. Never modified after it is made."""

    __slots__ = ("_hits", "_version")

    def hits(self) -> set[str]:
        """The tokens that some registered table holds."""
        merged = _MERGED
        if getattr(self, "_version", -1) != merged.version:
            self._hits = merged.keys.intersection(self)
            self._version = merged.version
        return self._hits


class _MergedTables:
    """The keys of every table looked up through Words, in one set. Tables are the
    extractors' cached rule tables (a handful), registered when first used; a table that grew
    since is registered again. The set only grows, so a table's tokens are always in it."""

    MAX_TABLES: ClassVar[int] = (
        16  # past this many tables (tests building their own), look up directly
    )

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.sizes: dict[int, tuple[Mapping[str, object], int]] = {}  # id -> (table, size)
        self.version = 0

    def holds(self, table: Mapping[str, object]) -> bool:
        """Register `table` if it is new (or grew); False when there is no room for it."""
        known = self.sizes.get(id(table))
        if known is not None and known[1] == len(table):
            return True
        if known is None and len(self.sizes) >= self.MAX_TABLES:
            return False
        self.keys.update(table)
        self.sizes[id(table)] = (table, len(table))  # the table is kept: its id stays its own
        self.version += 1
        return True


_MERGED = _MergedTables()


def tokens_in(table: Mapping[str, object], tokens: list[str]) -> set[str] | list[str]:
    """The tokens (of a lower-cased sentence) that are keys of `table`."""
    if type(tokens) is Words and _MERGED.holds(table):
        return [t for t in tokens.hits() if t in table]
    # dict_keys & list walks the list and probes the dict: linear in the tokens.
    return table.keys() & tokens


def words_in(table: dict[str, str], tokens: list[str]) -> set[str]:
    """The table's words among the tokens (of a lower-cased sentence)."""
    return {table[t] for t in tokens_in(table, tokens)}
