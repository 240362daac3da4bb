"""Plain data passed between the pipeline's stages.

ingest -> Document; extract -> Extraction (quotes, reactions, events, questions, facts);
assemble -> Brief; render reads a Brief; deliver writes what render made.
This module imports nothing of ours so that every stage can depend on it.
"""

from __future__ import annotations

import itertools
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableSequence, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar, overload

T = TypeVar("T")


class Role(StrEnum):
    """The part a quote's speaker plays in the story. A str: JSON and templates show the
    value ("third"), and it equals the plain string."""

    PRINCIPAL = "principal"  # an official of one of the story's principal parties
    THIRD = "third"  # an official of a third country: its words are reactions
    ANALYST = "analyst"
    MEDIA = "media"
    OTHER = "other"


class Stance(StrEnum):
    """What a reaction says of the story (rules/stance.yaml holds the words of each)."""

    CONDEMNS = "condemns"
    CONCERNED = "concerned"
    NEUTRAL = "neutral"
    WELCOMES = "welcomes"
    SUPPORTS = "supports"


@dataclass
class Document:
    """One article, as read from one file (or one feed item)."""

    id: str  # file stem (feed items: stem + "-" + item number)
    path: str
    headline: str | None = None
    subheadlines: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, only when the text gives a full date
    byline: str | None = None
    url: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    content_hash: str = ""  # sha256 of the normalised text: a re-saved file is not new
    # The dateline that opens the body ("PORT ELLAN — "), as ingest recognised it in its first
    # paragraphs: the text keeps it (offsets stay valid), the brief does not show it. Its
    # length is where it ends; its words are kept because the body is dropped once extracted.
    dateline: str = ""

    @property
    def text(self) -> str:
        """The body text that extractors read; offsets in Quote point into it."""
        return "\n\n".join(self.paragraphs)

    def paragraph_offsets(self) -> list[int]:
        """Start offset of each paragraph within `text`."""
        offsets, pos = [], 0
        for para in self.paragraphs:
            offsets.append(pos)
            pos += len(para) + 2
        return offsets


@dataclass
class Quote:
    doc: str
    text: str
    speaker: str | None = None
    speaker_title: str | None = None
    country: str | None = None
    start: int = 0  # character offsets of the quoted words within Document.text
    end: int = 0
    partial: bool = False  # a fragment inside reported speech: described it as a "..."
    affiliation: str | None = None  # "Institute for Maritime Studies" for analysts
    role: Role = Role.OTHER


@dataclass
class Reaction:
    doc: str
    country: str
    actor: str | None
    text: str
    quoted: bool = False
    stance: Stance | None = None
    stance_cues: list[str] = field(default_factory=list)  # the words that carry the stance
    said_on: str | None = None  # YYYY-MM-DD: the date the sentence gives, else the article's
    # The sentence reports an earlier statement that this one replaced ("initially welcomed
    # the visit on the 13th, but later called it ..."): its stance, words and date.
    earlier_stance: Stance | None = None
    earlier_cues: list[str] = field(default_factory=list)
    earlier_on: str | None = None
    felt: bool = False  # a mood the text reports in the country ("concerns in X"), no statement
    point: str | None = None  # the clause carrying the stance, when not the whole sentence


class Numbered(Protocol):
    """Document numbers in a compact form, read back in order (extract's Mentions)."""

    def __len__(self) -> int: ...

    def numbers(self) -> list[int]: ...


class NumbersOf(Protocol):
    """Numbers documents by their ids (assemble's DocumentNumbers), 0 for an id it lacks."""

    def numbers_of(self, docs: Sequence[str]) -> list[int]: ...


class DocIds(Sequence[str]):
    """A merged item's documents (ids), in order, as the merge kept them: their numbers in
    a compact form (`numbered`), named by `ids` (the merge's ids by number, one IdColumn for
    all its items) only when read. A day of news's merged items cite millions of documents: a
    list of ids takes 8 bytes for each, the merge's varints about one. Read it as any
    sequence; pickled or copied, it becomes the list of its ids."""

    __slots__ = ("_ids", "_numbered")

    def __init__(self, numbered: Numbered, ids: Sequence[str]) -> None:
        self._numbered = numbered
        self._ids = ids

    def __len__(self) -> int:
        return len(self._numbered)

    @property
    def named_by(self) -> Sequence[str]:
        """The ids it names its documents by (a corpus's merges', shared by their items)."""
        return self._ids

    @property
    def numbered(self) -> Numbered:
        """Its documents' numbers, as the merge kept them."""
        return self._numbered

    def numbers_by(self, numbering: NumbersOf) -> list[int] | None:
        """Its documents' numbers as `numbering` gives them, read by their numbers in its
        column when the column keeps them (IdColumn.number_by); else None."""
        ids = self._ids
        if type(ids) is not IdColumn:
            return None
        return ids.numbers_by(numbering, self._numbered.numbers())

    def _list(self) -> list[str]:
        ids = self._ids
        if type(ids) is IdColumn:  # (read in bulk: an item can name 100,000 documents)
            return ids.named(self._numbered.numbers())
        return [ids[number] for number in self._numbered.numbers()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._list())

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._list()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DocIds | list):
            return self._list() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a list, which has no hash

    def __repr__(self) -> str:
        return repr(self._list())

    def __reduce__(self) -> tuple[type[list[str]], tuple[list[str]]]:
        return list, (self._list(),)


@dataclass
class Event:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    text: str  # the sentence, cut around the date when it is long
    docs: Sequence[str] = field(default_factory=list)  # a list, or a merge's DocIds
    inferred: bool = False  # resolved against story.date or the corpus, not the article's own date
    # The whole sentence that names the date (of a very long one, the words around the date,
    # with "…" where it is cut), and where the date's words are in it: the timeline shows it
    # from a clause start. Not part of the JSON contract (`text` is what the sources say).
    sentence: str = ""
    date_start: int = 0
    date_end: int = 0

    def to_json(self) -> dict[str, Any]:
        """The event in the JSON contract: its sentence and date span are internal."""
        return {
            "date": self.date,
            "text": self.text,
            "docs": list(self.docs),
            "inferred": self.inferred,
        }


@dataclass
class Question:
    text: str
    docs: Sequence[str] = field(default_factory=list)  # a list, or a merge's DocIds


@dataclass
class Fact:
    text: str
    docs: Sequence[str] = field(default_factory=list)  # a list, or a merge's DocIds
    score: float = 0.0
    topic: str = "context"  # agreement | context
    position: float = 1.0  # best (smallest) relative position in its articles, 0 = lede
    # The story's provisions it states and negates (extract/claims.py), for the disputes the
    # brief shows. Not part of the JSON contract.
    states: list[str] = field(default_factory=list)
    negates: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The fact in the JSON contract."""
        return {
            "text": self.text,
            "docs": list(self.docs),
            "score": self.score,
            "topic": self.topic,
            "position": self.position,
        }


@dataclass
class DocumentExtraction:
    """What the extractors found in one document; small enough to keep for 10,000 articles."""

    document: Document
    quotes: list[Quote] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


@dataclass
class Extraction:
    """The whole corpus after extraction and cross-document merging."""

    # Lists, or (a large corpus's build) read-only sequences read from a spool
    # (extract/spool.py): documents, quotes and reactions are only ever iterated.
    documents: Sequence[Document] = field(default_factory=list)
    quotes: Sequence[Quote] = field(default_factory=list)
    reactions: Sequence[Reaction] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    open_questions: list[Question] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The public JSON contract of `briefing extract --format json` (see README)."""
        return {key: list(rows) for key, rows in self.json_parts()}

    def json_parts(self) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
        """The JSON contract's keys in order, each with its rows made one at a time (a large
        corpus's JSON is written a row at a time)."""
        yield "documents", _document_rows(self.documents)
        yield "quotes", _plain_rows(self.quotes)
        yield "reactions", _plain_rows(self.reactions)
        yield "events", (e.to_json() for e in self.events)
        yield "open_questions", map(_flat_json, self.open_questions)
        yield "facts", (f.to_json() for f in self.facts)


# A spooled table (extract/spool.py) gives its rows' fields as they were written (`dicts`):
# those of a quote or reaction are what asdict gives, without making the objects.


def _plain_rows(rows: Sequence[Quote] | Sequence[Reaction]) -> Iterator[dict[str, Any]]:
    dicts = getattr(rows, "dicts", None)
    if dicts is not None:
        spooled: Iterator[dict[str, Any]] = dicts()
        return spooled
    return map(_flat_json, rows)


_DOCUMENT_KEYS = (
    "id",
    "path",
    "headline",
    "subheadlines",
    "publisher",
    "published",
    "byline",
    "url",
)


def _document_rows(documents: Sequence[Document]) -> Iterator[dict[str, Any]]:
    dicts = getattr(documents, "dicts", None)
    if dicts is None:
        return (_document_json(d) for d in documents)
    # the texts are not part of the contract: SQLite leaves them out before they are read
    rows: Iterator[dict[str, Any]] = dicts(without=("paragraphs", "captions"))
    return ({key: row.get(key) for key in _DOCUMENT_KEYS} for row in rows)


# Each flat dataclass's field names, in order.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _flat_json(item: Quote | Reaction | Question) -> dict[str, Any]:
    """dataclasses.asdict of a dataclass whose fields hold strings, numbers, enums or lists
    of strings (Quote, Reaction, Question; a merged question's documents are DocIds): the
    same dict at a sixth of the cost (asdict deep-copies every value; here only the lists
    are copied, their strings are immutable)."""
    names = _FIELD_NAMES.get(type(item))
    if names is None:
        names = _FIELD_NAMES[type(item)] = tuple(f.name for f in fields(item))
    row: dict[str, Any] = {}
    for name in names:
        value = getattr(item, name)
        if type(value) is list:
            value = value.copy()
        elif type(value) is DocIds:  # a merged question's documents: their list
            value = list(value)
        row[name] = value
    return row


def _document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "path": doc.path,
        "headline": doc.headline,
        "subheadlines": doc.subheadlines,
        "publisher": doc.publisher,
        "published": doc.published,
        "byline": doc.byline,
        "url": doc.url,
    }


# --- assemble -> render: the brief, a plain data model the templates read ---------------------


@dataclass(slots=True)  # one per article: a day of news lists 100,000 of them
class BriefSource:
    """One article in the brief's source list; items cite it by `number`."""

    number: int  # 1..n in document order
    doc: str  # Document.id
    headline: str  # the first words of the text when the article has no headline
    publisher: str | None = None
    date: str | None = None
    url: str | None = None  # only http(s) addresses
    cited: int = 0  # how many items of the brief cite it (the fitter drops uncited ones first)


# A text column's strings are packed in chunks of this many bytes: built an entry at a
# time, one growing buffer moves in the heap each time it outgrows its place, and the places
# it leaves are held (a day of news's source list left 17 MB so, until the heap was trimmed).
_CHUNK = 1 << 16
_NO_TEXT = (1 << 24) - 1  # the size that marks a None


class _TextColumn:
    """Strings (or None), kept as UTF-8 in chunks of _CHUNK bytes: a day of news's 100,000
    headlines take a byte a character, not an object each (49 bytes more, and the object's
    place in an arena). Each entry is a 64-bit word: its chunk (24 bits), its start in
    the chunk (16) and its size (24; a string longer than a chunk has a chunk of its own)."""

    __slots__ = ("_chunks", "_count", "_entries", "_open")

    def __init__(self, expected: int = 0) -> None:
        self._chunks: list[bytes] = []
        self._open = bytearray()  # the chunk being filled
        self._entries = array("Q", bytes(8 * expected))
        self._count = 0

    def append(self, text: str | None) -> None:
        if text is None:
            entry = _NO_TEXT
        else:
            data = text.encode("utf-8", "surrogatepass")
            if len(data) >= _NO_TEXT:
                raise ValueError(f"a text of {len(data)} bytes is too long for a column")
            # (a full chunk is closed even for an empty string: a start must fit 16 bits)
            if len(self._open) >= _CHUNK or (self._open and len(self._open) + len(data) > _CHUNK):
                self._chunks.append(bytes(self._open))
                self._open = bytearray()
            entry = (len(self._chunks) << 40) | (len(self._open) << 24) | len(data)
            self._open += data
        _put(self._entries, self._count, entry)
        self._count += 1

    def __getitem__(self, index: int) -> str | None:
        entry = self._entries[index]
        size = entry & _NO_TEXT
        if size == _NO_TEXT:
            return None
        number, start = entry >> 40, (entry >> 24) & 0xFFFF
        chunk = self._chunks[number] if number < len(self._chunks) else self._open
        return chunk[start : start + size].decode("utf-8", "surrogatepass")

    def read(self, indexes: Iterable[int]) -> list[str | None]:
        """The entries at `indexes` (each in range), read in one loop: [self[i] for i in
        indexes] without a call for each (a corpus's merged items name 1.5 M ids)."""
        entries, chunks, last = self._entries, self._chunks, self._open
        closed = len(chunks)
        found: list[str | None] = []
        for index in indexes:
            entry = entries[index]
            size = entry & _NO_TEXT
            if size == _NO_TEXT:
                found.append(None)
                continue
            number, start = entry >> 40, (entry >> 24) & 0xFFFF
            chunk = chunks[number] if number < closed else last
            found.append(chunk[start : start + size].decode("utf-8", "surrogatepass"))
        return found


def _put(column: MutableSequence[Any], at: int, value: Any) -> None:
    """`value` at `at` of a column made at its expected length, or past it."""
    if at < len(column):
        column[at] = value
    else:
        column.append(value)


class CodedColumn(Generic[T]):
    """A value for each entry, in order: each distinct value kept once, and an entry's as
    its index in them, in an array (a list took 8 bytes an entry: 0.8 MB at 100,000 articles
    for each of the citer's columns, the source list's publishers and dates). `expected`:
    how many entries it will hold, when that is known (made at that length, the array does
    not move as it grows)."""

    __slots__ = ("_codes", "_count", "_of", "values")

    def __init__(self, expected: int = 0) -> None:
        self.values: list[T] = []  # each distinct value, in order of first appearance
        self._codes: dict[T, int] = {}
        self._of: array[int] = array("I", bytes(4 * expected))
        self._count = 0

    def append(self, value: T) -> None:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self.values)
            self.values.append(value)
        _put(self._of, self._count, code)
        self._count += 1

    def __getitem__(self, at: int) -> T:
        if not 0 <= at < self._count:
            raise IndexError("entry out of range")
        return self.values[self._of[at]]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return map(self.values.__getitem__, itertools.islice(self._of, self._count))


class IdColumn(Sequence[str]):
    """Document ids by number, packed (a _TextColumn), for a corpus merge's items to name
    their documents by (DocIds): a day of news's 100,000 ids as strings, shared by three
    lists, took 8.7 MB in the extraction's process; packed, 2.1 MB. A build that reads its
    items' documents many times names them by strings it holds already (`share`). Pickled
    with protocol 2 or later (a _TextColumn has slots and no state of its own)."""

    __slots__ = ("_count", "_numbers", "_shared", "_texts")

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._texts: _TextColumn | None = _TextColumn()
        self._shared: list[str] | None = None
        self._count = 0
        # What numbered its ids (number_by; held weakly: a build's citer is let go after
        # assemble, with the tables it numbers by), and each id's number, by its own.
        self._numbers: tuple[weakref.ref[NumbersOf], array[int]] | None = None
        for doc in ids:
            self.append(doc)

    def append(self, doc: str) -> None:
        if self._shared is not None:
            self._shared.append(doc)
        else:
            assert self._texts is not None
            self._texts.append(doc)
        self._count += 1

    def share(self, own: Callable[[str], str]) -> None:
        """From now on, each id is the string `own` gives for it (the citer's, which the
        build holds anyway): read a string at a time, the items' lists of documents would
        each hold strings of their own (at 100,000 articles, 23 MB more at the build's
        peak)."""
        if self._shared is None:
            self._shared = [own(doc) for doc in self]
            self._texts = None

    def number_by(self, numbering: NumbersOf) -> None:
        """Keep each id's number as `numbering` gives it, for DocIds.numbers_by: a build
        numbers its items' documents (at 100,000 articles, over a million, 1 s as a look-up
        of each id) where each is an index here (4 bytes an id)."""
        self._numbers = (weakref.ref(numbering), array("i", numbering.numbers_of(list(self))))

    def forget_numbers(self) -> None:
        """Let go of the numbers number_by kept (4 bytes an id)."""
        self._numbers = None

    def numbers_by(self, numbering: NumbersOf, numbers: Iterable[int]) -> list[int] | None:
        """The numbers `numbering` gives the ids of `numbers` (each in range): None unless
        it numbered the column as it is now (number_by)."""
        if self._numbers is None or self._numbers[0]() is not numbering:
            return None
        table = self._numbers[1]
        if len(table) != self._count:  # grown since
            return None
        return [table[number] for number in numbers]

    def named(self, numbers: Iterable[int]) -> list[str]:
        """The ids of `numbers` (each in range), read in bulk."""
        if self._shared is not None:
            shared = self._shared
            return [shared[number] for number in numbers]
        assert self._texts is not None
        return self._texts.read(numbers)  # type: ignore[return-value]  # (no None appended)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        return iter(self.named(range(self._count)))

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return self.named(range(*index.indices(self._count)))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("id number out of range")
        if self._shared is not None:
            return self._shared[index]
        assert self._texts is not None
        doc = self._texts[index]
        assert doc is not None
        return doc

    def __copy__(self) -> IdColumn:
        return IdColumn(self)  # (columns of its own: appending to one leaves the other)

    def __deepcopy__(self, memo: dict[int, Any]) -> IdColumn:
        return self.__copy__()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdColumn | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a list, which has no hash

    def __repr__(self) -> str:
        return f"IdColumn({list(self)!r})"

    def __getstate__(self) -> tuple[_TextColumn | None, list[str] | None, int]:
        return self._texts, self._shared, self._count

    def __setstate__(self, state: tuple[_TextColumn | None, list[str] | None, int]) -> None:
        self._texts, self._shared, self._count = state
        self._numbers = None  # (what numbered it stays in its process)


class _SourcesRead(Sequence[BriefSource]):
    """What a SourceList and its slices share: sources read by position, and equality with
    any sequence of the same sources (a list of them included)."""

    def _positions(self) -> tuple[SourceList, range]:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._positions()[1])

    @overload
    def __getitem__(self, index: int) -> BriefSource: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[BriefSource]: ...

    def __getitem__(self, index: int | slice) -> BriefSource | Sequence[BriefSource]:
        sources, positions = self._positions()
        if isinstance(index, slice):
            # A view: a template's halves of a day of news's list are not made all at once.
            return _SourceSlice(sources, positions[index])
        return sources._source(positions[index])

    def __iter__(self) -> Iterator[BriefSource]:
        sources, positions = self._positions()
        for at in positions:
            yield sources._source(at)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, list | _SourcesRead):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # (mutable, as a list)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<{len(self)} sources>)"


class SourceList(_SourcesRead):
    """A brief's source list held as columns, read as BriefSource objects made as they are
    read: a day of news lists 100,000 sources, which as objects took 26 MB (a headline
    string, the object and its number: 329 bytes each) at the build's peak. A source read
    is a copy: `set_cited` sets the counts. It equals a list of the same sources; a slice
    is a view of it; `dataclasses.asdict` leaves it as it is (`list()` it first).
    `expected`: how many sources it will hold, when that is known: its columns are made at
    their full length (grown an entry at a time, they too would move and leave holes)."""

    def __init__(self, sources: Iterable[BriefSource] = (), expected: int = 0) -> None:
        self._count = 0
        # None while each source's number is its position + 1 (a brief's list of its
        # corpus, numbered in input order): 8 bytes a source that say nothing.
        self._numbers: array[int] | None = None
        self._docs: list[str] = [""] * expected
        self._headlines = _TextColumn(expected)
        # (a day of news has a few hundred publishers and dates: each is kept once)
        self._publishers: CodedColumn[str | None] = CodedColumn(expected)
        self._dates: CodedColumn[str | None] = CodedColumn(expected)
        self._urls = _TextColumn(expected)
        self._cited = array("I", bytes(4 * expected))
        for source in sources:
            self.append(source)

    def append(self, source: BriefSource) -> None:
        at = self._count
        # First the column that can refuse its value (a count past 4 bytes): a source
        # refused leaves no column a source longer than the others.
        _put(self._cited, at, source.cited)
        if self._numbers is None and source.number != at + 1:
            self._numbers = array("q", range(1, at + 1))
        if self._numbers is not None:
            self._numbers.append(source.number)
        _put(self._docs, at, source.doc)
        self._headlines.append(source.headline)
        self._publishers.append(source.publisher)
        self._dates.append(source.date)
        self._urls.append(source.url)
        self._count += 1

    def _number(self, at: int) -> int:
        return at + 1 if self._numbers is None else self._numbers[at]

    def set_cited(self, counts: Mapping[int, int]) -> None:
        """Each source's `cited`: its count by number (0 when it has none)."""
        for at in range(self._count):
            self._cited[at] = counts.get(self._number(at), 0)

    def _source(self, at: int) -> BriefSource:
        headline = self._headlines[at]
        assert headline is not None
        return BriefSource(
            self._number(at),
            self._docs[at],
            headline,
            self._publishers[at],
            self._dates[at],
            self._urls[at],
            self._cited[at],
        )

    def _positions(self) -> tuple[SourceList, range]:
        return self, range(self._count)

    def __copy__(self) -> SourceList:
        return SourceList(self, expected=len(self))  # (columns of its own: they grow)

    def __deepcopy__(self, memo: dict[int, Any]) -> SourceList:
        return self.__copy__()  # (a source's fields are numbers and strings)


class _SourceSlice(_SourcesRead):
    """Some of a SourceList's sources, read from it as they are asked for."""

    def __init__(self, sources: SourceList, positions: range) -> None:
        self.sources = sources
        self.positions = positions

    def _positions(self) -> tuple[SourceList, range]:
        return self.sources, self.positions


def set_cited(sources: Sequence[BriefSource], counts: Mapping[int, int]) -> None:
    """Each source's `cited` count, from the counts by number, in a list or a SourceList."""
    if isinstance(sources, SourceList):
        sources.set_cited(counts)
        return
    for source in sources:
        source.cited = counts.get(source.number, 0)


@dataclass
class SourceWording:
    """How one source words an item that several sources carry."""

    source: int  # BriefSource.number
    text: str


@dataclass
class BriefItem:
    """One line of a section: a fact, a reaction, a quote, an event or a question.

    Only the fields that make sense for the section are set; templates test them.
    """

    text: str
    sources: list[int] = field(default_factory=list)  # citation numbers, ascending
    rank: float = 0.0  # higher is more important; the one-page fitter drops the lowest first
    support: int = 1  # how many sources report it
    coverage: str | None = None  # "4 of 5 sources" when more than one source reports it
    date: str | None = None  # timeline: YYYY, YYYY-MM or YYYY-MM-DD
    inferred: bool = False  # timeline: date resolved against the story or corpus date
    speaker: str | None = None  # quotes; reactions: who said it
    speaker_title: str | None = None  # title or affiliation of the speaker
    country: str | None = None  # reactions: the country's label
    stance: Stance | None = None  # reactions
    stance_label: str | None = None  # reactions: the stance in words, for one line
    stance_cues: list[str] = field(default_factory=list)  # words that gave the stance
    stance_shift: str | None = None  # reactions: "Welcomed on 13 June, then called it ..."
    quote: str | None = None  # reactions: the best direct quote of the country
    counterpoint: BriefItem | None = None  # a source that says otherwise, shown beside it
    # A line made of parts, each cited on its own (the bottom line's reactions); its own
    # sources are then empty.
    parts: list[BriefItem] = field(default_factory=list)
    # Items several sources carry: each source's own sentence for it (its number, its words).
    wordings: list[SourceWording] = field(default_factory=list)


@dataclass
class BriefStance:
    """One third country's stance, for the at-a-glance strip: every country stays on it even
    when the page has no room for its reaction's details."""

    country: str  # the country's label
    stance: Stance | None = None
    stance_label: str | None = None
    stance_cues: list[str] = field(default_factory=list)
    stance_shift: str | None = None  # how the stance changed, when it did


@dataclass
class StanceChange:
    """A third country whose stance is not what the last digest said."""

    country: str
    before: str | None  # the stance label then (None: no reaction then)
    after: str | None
    item: BriefItem | None = None  # its reaction now, as the brief shows it


@dataclass
class Changes:
    """What a digest leads with: what is new since the last one."""

    # points only new articles carry, with the section each stands in
    items: list[tuple[str, BriefItem]] = field(default_factory=list)
    stances: list[StanceChange] = field(default_factory=list)
    answered: list[BriefItem] = field(default_factory=list)  # questions a new article answered


@dataclass
class BriefSection:
    name: str  # one of config.SECTION_NAMES
    items: list[BriefItem] = field(default_factory=list)


# The stance scale's colours, left (condemns) to right (supports).
DEFAULT_STANCE_COLOURS: dict[str, str] = {
    Stance.CONDEMNS: "#a4161a",
    Stance.CONCERNED: "#c8611a",
    Stance.NEUTRAL: "#7a828c",
    Stance.WELCOMES: "#4f9a63",
    Stance.SUPPORTS: "#1f6f43",
}


@dataclass
class Theme:
    """Colours, fonts and the logo of every format (the config's `theme`): the HTML and the
    PDF get them as CSS custom properties (and the SVG graphics as values), the e-mail as
    inlined CSS. Colours are #rgb or #rrggbb."""

    # Headings, rules, bullets, the timeline's dots and years, source numbers; the e-mail's
    # headings and links.
    accent: str = "#13315c"
    # Body text.
    text: str = "#1b1f24"
    # Citations and other secondary text.
    muted: str = "#5b6673"
    # Thin rules under headings and the stance scale's line.
    rule: str = "#c5ccd6"
    # Background of the bottom line's box.
    shade: str = "#f0f3f8"
    # Background of the "n of m sources" badge.
    tint: str = "#e6ecf4"
    # The sans-serif and serif font stacks (CSS font-family lists).
    sans: str = (
        '"DejaVu Sans", "Bitstream Vera Sans", "Noto Sans CJK KR", "Noto Sans CJK SC", '
        "Verdana, sans-serif"
    )
    serif: str = '"DejaVu Serif", Georgia, serif'
    # An image (PNG, JPEG, GIF or SVG; relative to the config file) shown in the masthead.
    logo: str | None = None
    # The stance scale's colours, by stance (condemns, concerned, neutral, welcomes,
    # supports); stances not given keep their defaults.
    stance_colours: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_STANCE_COLOURS))

    def stance_colour(self, stance: str) -> str:
        return self.stance_colours.get(stance) or DEFAULT_STANCE_COLOURS[stance]


@dataclass
class Brief:
    """What the templates render: the story, the audience and its sections, in order."""

    title: str
    date: str | None  # YYYY-MM-DD: the story's date, else the newest article's
    audience: str
    audience_title: str
    sections: list[BriefSection] = field(default_factory=list)
    sources: Sequence[BriefSource] = field(default_factory=list)  # a SourceList, from assemble
    stances: list[BriefStance] = field(default_factory=list)  # one per third country
    # Open questions of the sources that a report of the event answers: the question, cited
    # by the sources that answer it (left out of the questions section).
    answered: list[BriefItem] = field(default_factory=list)
    document_count: int = 0
    font_pt: float = 9.5
    page_size: str = "A4"
    word_budget: int = 700
    theme: Theme = field(default_factory=Theme)  # presentation only: not in brief.json

    def section(self, name: str) -> BriefSection | None:
        return next((s for s in self.sections if s.name == name), None)
