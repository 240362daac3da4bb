"""The digest's memory: which documents went to which audience, in one SQLite file.

A document is known by its content hash, so a re-saved or moved file is not new. Documents
are recorded only after the SMTP server accepted the message, in one transaction: a failed
run leaves the file as it was and the next run sends the same documents again.

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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import DeliveryError
from ..escape import escaped
from ..models import Document

SCHEMA_VERSION = 1

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


# The columns each table must have (a later schema may add more).
_TABLES: dict[str, tuple[str, ...]] = {
    "documents_seen": ("hash", "doc_id", "path", "first_seen"),
    "digests": ("id", "sent_at", "audience", "recipients", "message_id"),
    "digest_documents": ("digest_id", "hash"),
}


class StateError(sqlite3.Error):
    """The file is readable but is not a digest state this version can use."""


def _refuse_empty(path: Path) -> None:
    """SQLite takes a 0-byte file for a new, empty database, and the run would then send
    every article again as new. An empty file is a truncated or mistaken state: refuse it."""
    try:
        empty = path.stat().st_size == 0
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DeliveryError(f"state file {path}: {exc.strerror or exc}") from exc
    if empty:
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

    def _tables(self) -> list[str]:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return sorted(row[0] for row in self.connection.execute(query))

    def _check_tables(self) -> None:
        missing = [name for name in _TABLES if name not in self._tables()]
        if missing:
            noun = "table" if len(missing) == 1 else "tables"
            raise StateError(f"not a digest state (missing {noun} {', '.join(sorted(missing))})")
        for table, columns in _TABLES.items():
            have = {row[1] for row in self.connection.execute(f"PRAGMA table_info({table})")}
            lacking = [c for c in columns if c not in have]
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
                "JOIN digests d ON d.id = dd.digest_id WHERE d.audience = ?",
                (audience,),
            )
            return {row[0] for row in rows}

    def record(self, digest: SentDigest) -> int:
        """Record a delivered digest and its documents in one transaction; return its id."""
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                digest_id = self._insert(digest)
                self.connection.execute("COMMIT")
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise DeliveryError(
                f"the digest was sent but state file {self.path} could not record it "
                f"({exc}); the next run will send these documents again"
            ) from exc
        return digest_id

    def _insert(self, digest: SentDigest) -> int:
        cursor = self.connection.execute(
            "INSERT INTO digests (sent_at, audience, recipients, message_id) VALUES (?, ?, ?, ?)",
            (digest.sent_at, digest.audience, ", ".join(digest.recipients), digest.message_id),
        )
        digest_id = int(cursor.lastrowid or 0)
        docs = _unique_by_hash(digest.documents)
        self.connection.executemany(
            "INSERT OR IGNORE INTO documents_seen (hash, doc_id, path, first_seen) "
            "VALUES (?, ?, ?, ?)",
            [(d.content_hash, escaped(d.id), escaped(d.path), digest.sent_at) for d in docs],
        )
        self.connection.executemany(
            "INSERT INTO digest_documents (digest_id, hash) VALUES (?, ?)",
            [(digest_id, d.content_hash) for d in docs],
        )
        return digest_id

    def digest_count(self, audience: str | None = None) -> int:
        with _reported(self.path):
            if audience is None:
                return int(self.connection.execute("SELECT COUNT(*) FROM digests").fetchone()[0])
            query = "SELECT COUNT(*) FROM digests WHERE audience = ?"
            return int(self.connection.execute(query, (audience,)).fetchone()[0])


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
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
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
