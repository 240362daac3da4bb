"""The digest's memory: which documents went to which audience, in one SQLite file.

A document is known by its content hash, so a re-saved or moved file is not new. A digest
is written as "pending" before it is sent (the run's first write: a state that cannot be
written stops the run here, with nothing sent) and marked "sent" once the SMTP server
accepted it; only sent digests count. A failed send removes the pending row, so the next
run sends the same documents again; a pending row left by a run that died after sending is
removed by the next run, which sends those documents again (at least once, never lost).

Before anything is sent the file is checked: an existing file must be a whole digest state
(not empty, not damaged, a known schema with the expected tables); a missing file is a new
state and is created. Any doubt stops the run with one line and exit 1.

Overlapping runs (cron firing while a slow run still works) are kept apart by an exclusive,
non-blocking `flock` on "<state>.lock": the second run finds the lock held and steps aside.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..errors import DeliveryError
from ..escape import escaped
from ..models import Document

SCHEMA_VERSION = 2

T = TypeVar("T")

# Each entry upgrades the schema from version i to i + 1 (index i); new versions append.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents_seen (
        hash TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL,
        path TEXT NOT NULL,
        first_seen TEXT NOT NULL
    );
    CREATE TABLE digests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sent_at TEXT NOT NULL,
        audience TEXT NOT NULL,
        recipients TEXT NOT NULL,
        message_id TEXT NOT NULL
    );
    CREATE TABLE digest_documents (
        digest_id INTEGER NOT NULL REFERENCES digests(id),
        hash TEXT NOT NULL,
        PRIMARY KEY (digest_id, hash)
    );
    CREATE INDEX digests_by_audience ON digests(audience);
    """,
    # 2: a digest is recorded as "pending" before it is sent and marked "sent" once the
    # server accepted it, so a state that cannot be written stops the run before sending.
    """
    ALTER TABLE digests ADD COLUMN status TEXT NOT NULL DEFAULT 'sent';
    """,
)


class StateBusy(Exception):
    """Another run holds the lock of this state file."""


@dataclass
class SentDigest:
    """What to record once the server accepted a digest."""

    sent_at: str  # ISO 8601, UTC
    audience: str
    recipients: list[str]
    message_id: str
    documents: list[Document]


def lock_path(state_path: Path) -> Path:
    return state_path.with_name(state_path.name + ".lock")


@contextmanager
def exclusive_lock(state_path: Path) -> Iterator[None]:
    """Hold the state's lock for the block; raise StateBusy at once when another run has it.

    The lock file is never deleted: removing it while a waiting run opens it would let two
    runs lock two different files.
    """
    path = lock_path(state_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DeliveryError(f"cannot open lock file {path}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StateBusy(str(path)) from exc
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# The columns each table must have at schema version 1; _COLUMNS_ADDED: in which version a
# column came (a file is checked against its own version before it is upgraded).
_TABLES: dict[str, tuple[str, ...]] = {
    "documents_seen": ("hash", "doc_id", "path", "first_seen"),
    "digests": ("id", "sent_at", "audience", "recipients", "message_id", "status"),
    "digest_documents": ("digest_id", "hash"),
}
_COLUMNS_ADDED = {("digests", "status"): 2}


class StateError(sqlite3.Error):
    """The file is readable but is not a digest state this version can use."""


def _refuse_empty(path: Path) -> None:
    """SQLite takes a 0-byte file for a new, empty database, and the run would then send
    every article again as new. An empty file is a truncated or mistaken state: refuse it,
    and anything that is not a regular file (a FIFO, a device such as /dev/null)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DeliveryError(f"state file {path}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise DeliveryError(f"state file {path} is not a regular file")
    if info.st_size == 0:
        raise DeliveryError(
            f"state file {path} is empty (0 bytes), not a digest state; restore it, or delete "
            "it to start a new one (every article is then new)"
        )


@contextmanager
def _reported(path: Path | str) -> Iterator[None]:
    """Any SQLite or file-system failure becomes one line naming the state file (exit 1)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise DeliveryError(f"state file {path}: {exc}") from exc
    except OSError as exc:
        raise DeliveryError(f"state file {path}: {exc.strerror or exc}") from exc


class State:
    """An open state file. Use `State.open` (read-write) or `State.peek` (read-only).

    Both check the file before anything is sent: not empty, not damaged (SQLite's
    quick_check), a schema version this code knows, and the tables and columns it expects.
    """

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> State:
        """Open the state file read-write and bring its schema up to date; a file that does
        not exist yet is created (a new state: every article is new)."""
        _refuse_empty(path)
        with _reported(path):
            if not path.exists():
                _create(path)
            state = cls(sqlite3.connect(path, timeout=30, isolation_level=None), str(path))
            try:
                state._check()
                if state._version():
                    state._check_tables(state._version())
                state._check_writable()
                state._migrate()
                state._check_tables()
            except BaseException:
                state.close()
                raise
        return state

    @classmethod
    def peek(cls, path: Path) -> State:
        """Read without creating or changing anything (dry runs): a missing file is empty.
        An older schema is upgraded in a copy in memory, never in the file."""
        if not path.exists():
            return cls.open_memory()
        _refuse_empty(path)
        with _reported(path):
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            state = cls(connection, str(path))
            try:
                state._check()
                if state._version() < SCHEMA_VERSION:
                    memory = sqlite3.connect(":memory:", isolation_level=None)
                    connection.backup(memory)
                    connection.close()
                    state.connection = memory
                    state._migrate()
                state._check_tables()
            except BaseException:
                state.close()
                raise
        return state

    @classmethod
    def open_memory(cls) -> State:
        state = cls(sqlite3.connect(":memory:", isolation_level=None), ":memory:")
        state._migrate()
        return state

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def _check(self) -> None:
        """Damage, a newer schema, or someone else's SQLite file: refused before any use."""
        problems = [row[0] for row in self.connection.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise StateError(f"database disk image is malformed ({problems[0]})")
        version = self._version()
        self._check_version(version)
        if version == 0:
            tables = self._tables()
            if tables:
                raise StateError(
                    f"not a digest state (no schema version; holds table {', '.join(tables)})"
                )

    def _check_writable(self) -> None:
        """A write that changes nothing, rolled back: a read-only file (or a folder where
        SQLite cannot make its journal) fails here, before the articles are even read."""
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                self.connection.execute(f"PRAGMA user_version = {self._version()}")
            finally:
                self.connection.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise _not_writable(self.path, exc) from exc

    def _tables(self) -> list[str]:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return sorted(row[0] for row in self.connection.execute(query))

    def _check_tables(self, version: int = SCHEMA_VERSION) -> None:
        """The tables and columns of schema `version` are there (more are allowed)."""
        missing = [name for name in _TABLES if name not in self._tables()]
        if missing:
            noun = "table" if len(missing) == 1 else "tables"
            raise StateError(f"not a digest state (missing {noun} {', '.join(sorted(missing))})")
        for table, columns in _TABLES.items():
            have = {row[1] for row in self.connection.execute(f"PRAGMA table_info({table})")}
            lacking = [
                c for c in columns if c not in have and _COLUMNS_ADDED.get((table, c), 1) <= version
            ]
            if lacking:
                raise StateError(
                    f"not a digest state (table {table} lacks column {', '.join(lacking)})"
                )

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise StateError(
                f"schema version {version} is newer than this briefing knows "
                f"({SCHEMA_VERSION}); written by a newer version?"
            )

    def _migrate(self) -> None:
        version = self._version()
        self._check_version(version)
        if version == SCHEMA_VERSION:
            return
        # BEGIN IMMEDIATE: two first runs on a new file must not both create the tables.
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            version = self._version()
            for step in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self.connection.execute(statement)
            self.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.connection.execute("COMMIT")
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise

    def sent_hashes(self, audience: str) -> set[str]:
        """Content hashes of every document already sent to `audience`."""
        with _reported(self.path):
            rows = self.connection.execute(
                "SELECT DISTINCT dd.hash FROM digest_documents dd "
                "JOIN digests d ON d.id = dd.digest_id "
                "WHERE d.audience = ? AND d.status = 'sent'",
                (audience,),
            )
            return {row[0] for row in rows}

    def _transaction(self, work: Callable[[], T]) -> T:
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            result = work()
            self.connection.execute("COMMIT")
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        return result

    def begin(self, digest: SentDigest) -> tuple[int, list[tuple[str, str]]]:
        """Before sending: record `digest` as pending, in one transaction; return its id and
        the (begun at, Message-ID) of pending digests an earlier run left for the same
        audience (it may have sent them and died before marking them), which it removes.

        This is the run's first real write: if the state cannot take it, nothing is sent.
        """
        try:
            return self._transaction(lambda: self._insert_pending(digest))
        except sqlite3.Error as exc:
            raise _not_writable(self.path, exc) from exc

    def _insert_pending(self, digest: SentDigest) -> tuple[int, list[tuple[str, str]]]:
        query = "SELECT id, sent_at, message_id FROM digests WHERE audience = ? AND status = ?"
        stale = self.connection.execute(query, (digest.audience, "pending")).fetchall()
        for row in stale:
            self._delete(row[0])
        cursor = self.connection.execute(
            "INSERT INTO digests (sent_at, audience, recipients, message_id, status) "
            "VALUES (?, ?, ?, ?, 'pending')",
            (digest.sent_at, digest.audience, ", ".join(digest.recipients), digest.message_id),
        )
        digest_id = int(cursor.lastrowid or 0)
        self.connection.executemany(
            "INSERT INTO digest_documents (digest_id, hash) VALUES (?, ?)",
            [(digest_id, d.content_hash) for d in _unique_by_hash(digest.documents)],
        )
        return digest_id, [(row[1], row[2]) for row in stale]

    def mark_sent(self, digest_id: int, digest: SentDigest) -> None:
        """After the server accepted the message: the pending digest becomes sent (with the
        time and the accepted recipients) and its documents are seen, in one transaction."""

        def work() -> None:
            self.connection.execute(
                "UPDATE digests SET status = 'sent', sent_at = ?, recipients = ? WHERE id = ?",
                (digest.sent_at, ", ".join(digest.recipients), digest_id),
            )
            self.connection.executemany(
                "INSERT OR IGNORE INTO documents_seen (hash, doc_id, path, first_seen) "
                "VALUES (?, ?, ?, ?)",
                [
                    (d.content_hash, escaped(d.id), escaped(d.path), digest.sent_at)
                    for d in _unique_by_hash(digest.documents)
                ],
            )

        try:
            self._transaction(work)
        except sqlite3.Error as exc:
            raise DeliveryError(
                f"the digest was sent but state file {self.path} could not record it "
                f"({exc}); the next run sends it again, with the same Message-ID"
            ) from exc

    def discard(self, digest_id: int) -> None:
        """The send failed: the pending digest goes. Should this fail too, the next run
        removes the row (and says it may have been sent: it cannot know)."""

        with contextlib.suppress(sqlite3.Error):
            self._transaction(lambda: self._delete(digest_id))

    def _delete(self, digest_id: int) -> None:
        self.connection.execute("DELETE FROM digest_documents WHERE digest_id = ?", (digest_id,))
        self.connection.execute("DELETE FROM digests WHERE id = ?", (digest_id,))

    def record(self, digest: SentDigest) -> int:
        """Record a delivered digest at once (pending, then sent); return its id."""
        digest_id, _ = self.begin(digest)
        self.mark_sent(digest_id, digest)
        return digest_id

    def digest_count(self, audience: str | None = None) -> int:
        """Digests sent (to `audience`, or to anyone)."""
        query = "SELECT COUNT(*) FROM digests WHERE status = 'sent'"
        args: tuple[str, ...] = ()
        if audience is not None:
            query, args = query + " AND audience = ?", (audience,)
        with _reported(self.path):
            return int(self.connection.execute(query, args).fetchone()[0])


def _not_writable(path: str, exc: sqlite3.Error) -> DeliveryError:
    return DeliveryError(f"state file {path} cannot be written ({exc}); nothing was sent")


def _create(path: Path) -> None:
    """A new state file, made whole under a temporary name and then linked into place: a run
    killed while creating it leaves no empty or half-made state behind (which the next run
    would refuse). The link fails if another process made the file meanwhile; theirs is kept.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    temporary.unlink(missing_ok=True)
    try:
        state = State(sqlite3.connect(temporary, isolation_level=None), str(temporary))
        try:
            state._migrate()
        finally:
            state.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:
            # A file system without hard links: a rename, which the caller's lock keeps
            # from replacing a state another run made meanwhile.
            if not path.exists():
                os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _unique_by_hash(documents: Iterable[Document]) -> list[Document]:
    seen: set[str] = set()
    unique = []
    for doc in documents:
        if doc.content_hash and doc.content_hash not in seen:
            seen.add(doc.content_hash)
            unique.append(doc)
    return unique
