"""The corpus's documents, quotes and reactions in SQLite, so that memory stays flat.

A corpus of 100,000 articles holds about 700,000 quotes: kept as objects they would take
gigabytes. The merge (extract.Merge) writes each document's as it arrives; the Extraction
reads them back as sequences (SpooledRows) that make each object when it is read. A build
keeps the file as OUT/.extraction.sqlite (see README, "Output files"); other commands use a
private temporary database that SQLite deletes when it is closed.

Tables: documents, quotes, reactions, each (n INTEGER PRIMARY KEY, doc TEXT, data TEXT) in
corpus order, `data` being the object's fields as a JSON object. While a merge runs, a fourth,
`waiting`, may hold what waits for the corpus's date (Spool.wait); it is dropped once read.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from ..models import Document, Event, Extraction, Fact, Question, Quote, Reaction, Role, Stance

T = TypeVar("T")

TABLES = ("documents", "quotes", "reactions")
# Rows written at once: so many, or sooner once they hold so many characters (a table of
# articles' texts would otherwise hold some 10 MB of them in memory, at the merge's peak).
_BATCH = 2_000
_BATCH_CHARS = 1_000_000
# Rows read at once: as fast as 1,000 (0.36 s for 100,000 documents either way), and a batch
# of documents is about 0.5 MB, not 5 MB, of garbage between two trims of the heap.
_READ = 100
_WAITING = "waiting"
# A table's row as written: (its document's id, the object's fields as a JSON object).
Row = tuple[str, str]


class Spool:
    """Rows written in corpus order, read back in the same order."""

    def __init__(self, path: Path | None = None, written: bool = False) -> None:
        """A new spool at `path` (a private temporary one without); with `written`, the spool
        at `path` that another process wrote (and committed), opened to be read only."""
        self.path = path
        self.pending: dict[str, list[Row]] = {table: [] for table in TABLES}
        self._pending_chars = dict.fromkeys(TABLES, 0)
        self._waiting: list[tuple[int | None, str | None]] = []
        self._waiting_table = False  # made when something first waits (`wait`)
        if written and path is not None:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            self.counts = {
                table: int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                for table in TABLES
            }
            return
        if path is not None and path.exists():
            path.unlink()
        # "" is a private temporary database, deleted when the connection closes.
        self.db = sqlite3.connect(str(path) if path else "", check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        for table in TABLES:
            self.db.execute(
                f"CREATE TABLE {table} (n INTEGER PRIMARY KEY, doc TEXT NOT NULL, data TEXT)"
            )
        self.counts = dict.fromkeys(TABLES, 0)

    def add(self, doc: Document, quotes: list[Quote], reactions: list[Reaction]) -> None:
        self.add_rows(document_row(doc), rows_of(quotes), rows_of(reactions))

    def add_rows(self, document: Row, quotes: list[Row], reactions: list[Row]) -> None:
        """One document's rows, as document_row and rows_of make them (in a worker process,
        so that the merge's process has no encoding to do)."""
        self._put("documents", [document])
        self._put("quotes", quotes)
        self._put("reactions", reactions)

    def _put(self, table: str, rows: list[Row]) -> None:
        pending = self.pending[table]
        pending += rows
        self.counts[table] += len(rows)
        chars = self._pending_chars[table] + sum(len(data) for _, data in rows)
        self._pending_chars[table] = chars
        if len(pending) >= _BATCH or chars >= _BATCH_CHARS:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else TABLES:
            rows = self.pending[name]
            if rows:
                self.db.executemany(f"INSERT INTO {name} (doc, data) VALUES (?, ?)", rows)
                rows.clear()
                self._pending_chars[name] = 0
        self.db.commit()

    def wait(self, document: int | None = None, event: str | None = None) -> None:
        """Keep, in order, what waits for the corpus's date: a document, by its row's index
        in `documents`, or an event's fields as JSON."""
        self._waiting.append((document, event))
        if len(self._waiting) >= _BATCH:
            self._flush_waiting()

    def _flush_waiting(self) -> None:
        if self._waiting:
            if not self._waiting_table:
                # A document by its row's index, or an event's fields; dropped once read.
                self.db.execute(
                    f"CREATE TABLE {_WAITING} (n INTEGER PRIMARY KEY, document INTEGER, event TEXT)"
                )
                self._waiting_table = True
            self.db.executemany(
                f"INSERT INTO {_WAITING} (document, event) VALUES (?, ?)", self._waiting
            )
            self._waiting.clear()

    def waited(self, documents: bool) -> Iterator[tuple[Document | None, str | None]]:
        """What waited, in order: each document read back (None when not `documents`), or
        an event's JSON; then the table is dropped (the spool a build keeps has its three)."""
        self.flush()
        self._flush_waiting()
        if not self._waiting_table:
            return
        text = "d.data" if documents else "NULL"
        cursor = self.db.execute(
            f"SELECT w.document, {text}, w.event FROM {_WAITING} w "
            "LEFT JOIN documents d ON d.n = w.document + 1 ORDER BY w.n"
        )
        while batch := cursor.fetchmany(_READ):
            for document, data, event in batch:
                if document is None:
                    yield None, event
                elif data is not None:
                    yield Document(**_decode(data)), None
        cursor.close()
        self.db.execute(f"DROP TABLE {_WAITING}")
        self.db.commit()
        self._waiting_table = False

    def rows(self, table: str, make: Callable[..., T]) -> SpooledRows[T]:
        self.flush()
        return SpooledRows(self, table, make, self.counts[table])

    def close(self) -> None:
        self.db.close()


# The C scanner of json.loads, without its checks of surrounding whitespace (a row's data is
# one JSON object as json.dumps wrote it): most rows are small, where those checks cost most.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _decode(data: str) -> dict[str, Any]:
    fields: dict[str, Any] = _SCAN(data, 0)[0]
    return fields


def _row_encoder() -> Callable[[Any], str]:
    """json.dumps(fields, ensure_ascii=False) in one C call. Given a keyword, json.dumps
    makes a JSONEncoder and then a C encoder for each row (1.7x the time of a row's
    encoding); this makes the C encoder once, with json.dumps's settings except its check
    of circular references (a row's fields are plain values: none can hold itself; and an
    encoder with no such state is safe to share between threads). Where this Python's C
    encoder is missing or encodes otherwise (checked on a sample), json.dumps it is."""
    plain: Callable[[Any], str] = functools.partial(json.dumps, ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return plain
    sample = {"text": '\u201ca\u201d \\ "b"\n', "n": [1, 2.5, None, True, False], "d": {}}
    try:
        encoder = make(
            None, json.JSONEncoder().default, json.encoder.encode_basestring,
            None, ": ", ", ", False, False, True,
        )  # fmt: skip
        if "".join(encoder(sample, 0)) != plain(sample):
            return plain
    except Exception:  # another signature: the public way
        return plain
    return lambda fields: "".join(encoder(fields, 0))


_ENCODE_ROW = _row_encoder()


def _dumps(row: Document | Quote | Reaction) -> str:
    return _ENCODE_ROW(vars(row))


def document_row(doc: Document) -> Row:
    return (doc.id, _dumps(doc))


def rows_of(items: Sequence[Quote | Reaction]) -> list[Row]:
    """The rows of a document's quotes or reactions."""
    return [(item.doc, _dumps(item)) for item in items]


def read_document(row: Row) -> Document:
    """The Document a documents row holds."""
    return Document(**json.loads(row[1]))


class SpooledRows(Sequence[T], Generic[T]):
    """A read-only sequence of one spool table's rows, each made when it is read."""

    def __init__(self, spool: Spool, table: str, make: Callable[..., T], size: int) -> None:
        self.spool = spool
        self.table = table
        self.make = make
        self.size = size

    def __len__(self) -> int:
        return self.size

    @property
    def reopenable(self) -> bool:
        """Whether another process can read these rows (`reopener`): the spool is a file."""
        return self.spool.path is not None

    def reopener(self) -> Callable[[], SpooledRows[T]]:
        """What another process calls to read the same rows, read-only, through a connection
        of its own (it pickles: the spool's path, the table, how rows are made)."""
        assert self.spool.path is not None
        return functools.partial(reopen_rows, self.spool.path, self.table, self.make, self.size)

    def __iter__(self) -> Iterator[T]:
        cursor = self.spool.db.execute(f"SELECT data FROM {self.table} ORDER BY n")
        while batch := cursor.fetchmany(_READ):
            for (data,) in batch:
                yield self._make(data)

    def _make(self, data: str) -> T:
        return self.make(**_decode(data))

    def read_at(self, indices: Iterable[int]) -> Generator[tuple[int, T], None, None]:
        """The rows at `indices` (ascending), each with its index, read in one pass."""
        wanted = iter(indices)
        next_index = next(wanted, None)
        if next_index is None:
            return
        cursor = self.spool.db.execute(
            f"SELECT n, data FROM {self.table} WHERE n > ? ORDER BY n", (next_index,)
        )
        while batch := cursor.fetchmany(_READ):
            for n, data in batch:
                if n - 1 == next_index:
                    yield next_index, self._make(data)
                    next_index = next(wanted, None)
                    if next_index is None:
                        return

    def dicts(self, without: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
        """Each row's fields as written (a dict of plain values), in order, but those named
        in `without` (SQLite drops them before Python reads the row)."""
        data = "data"
        if without:
            data = "json_remove(data, " + ", ".join(f"'$.{name}'" for name in without) + ")"
        cursor = self.spool.db.execute(f"SELECT {data} FROM {self.table} ORDER BY n")
        while batch := cursor.fetchmany(_READ):
            for (row,) in batch:
                yield _decode(row)

    def where(self, name: str, value: str) -> Iterator[T]:
        """The rows whose plain field `name` is `value`, in order (SQLite reads the field;
        only the matching rows are made)."""
        cursor = self.spool.db.execute(
            f"SELECT data FROM {self.table} WHERE json_extract(data, '$.{name}') = ? ORDER BY n",
            (value,),
        )
        while batch := cursor.fetchmany(_READ):
            for (data,) in batch:
                yield self._make(data)

    def where_lean(
        self, name: str, value: str, blank: Mapping[str, str | None]
    ) -> Iterator[tuple[int, T]]:
        """The rows of `where`, each with its index (`self[index]` is the whole row), made
        with the fields of `blank` set to their values there (the long texts stay in SQLite),
        one string for each repeated text value (a country's, a stance's, a day's) and one
        list for each repeated list of texts (a stance's cues; no earlier ones): rows to be
        read, not changed. A day of news has some 40,000 reactions of a country, 500 bytes
        each with a list of their own for each list field, 330 with shared ones."""
        edits = ", ".join(f"'$.{field}', ?" for field in blank)
        cursor = self.spool.db.execute(
            f"SELECT n, json_set(data, {edits}) FROM {self.table} "
            f"WHERE json_extract(data, '$.{name}') = ? ORDER BY n",
            (*blank.values(), value),
        )
        shared: dict[str, str] = {}
        lists: dict[tuple[str, ...], list[str]] = {}
        while batch := cursor.fetchmany(_READ):
            for n, data in batch:
                fields = _decode(data)
                for key, held in fields.items():
                    if isinstance(held, str):
                        fields[key] = shared.setdefault(held, held)
                    elif isinstance(held, list) and all(isinstance(item, str) for item in held):
                        texts = [shared.setdefault(item, item) for item in held]
                        fields[key] = lists.setdefault(tuple(texts), texts)
                yield n - 1, self.make(**fields)

    def fields(self, *names: str) -> Iterator[tuple[Any, ...]]:
        """Some plain fields (str, number, bool or null) of each row, in order, without
        reading the rest of the row (a document's text): "id" of a document or "doc" of
        another row is its `doc` column."""
        columns = ", ".join(
            "doc" if name in ("id", "doc") else f"json_extract(data, '$.{name}')" for name in names
        )
        cursor = self.spool.db.execute(f"SELECT {columns} FROM {self.table} ORDER BY n")
        while batch := cursor.fetchmany(_READ):
            yield from batch

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(index)
        row = self.spool.db.execute(
            f"SELECT data FROM {self.table} WHERE n = ?", (index + 1,)
        ).fetchone()
        return self._make(row[0])

    def __bool__(self) -> bool:
        return self.size > 0


def reopen_rows(path: Path, table: str, make: Callable[..., T], size: int) -> SpooledRows[T]:
    return SpooledRows(Spool(path, written=True), table, make, size)


def spooled_documents(spool: Spool) -> SpooledRows[Document]:
    return spool.rows("documents", Document)


def _quote(role: str = Role.OTHER, **fields: Any) -> Quote:
    return Quote(role=Role(role), **fields)


def _reaction(
    stance: str | None = None, earlier_stance: str | None = None, **fields: Any
) -> Reaction:
    return Reaction(
        stance=Stance(stance) if stance is not None else None,
        earlier_stance=Stance(earlier_stance) if earlier_stance is not None else None,
        **fields,
    )


def spooled_quotes(spool: Spool) -> SpooledRows[Quote]:
    return spool.rows("quotes", _quote)


def spooled_reactions(spool: Spool) -> SpooledRows[Reaction]:
    return spool.rows("reactions", _reaction)


def spooled_extraction(
    spool: Spool, events: list[Event], questions: list[Question], facts: list[Fact]
) -> Extraction:
    """The extraction whose documents, quotes and reactions `spool` holds, with the merged
    items (held in memory)."""
    return Extraction(
        documents=spooled_documents(spool),
        quotes=spooled_quotes(spool),
        reactions=spooled_reactions(spool),
        events=events,
        open_questions=questions,
        facts=facts,
    )
