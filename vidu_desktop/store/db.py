"""Opening the SQLite database: WAL, foreign keys, migrations through ``PRAGMA user_version``.

The connection runs in autocommit mode (``isolation_level=None``); writes go through
:func:`transaction`, which commits before it returns, so whatever a store method wrote is on disk
when the caller goes on to show it (persist first).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .errors import DatabaseTooNewError, StoreError
from .migrations import MIGRATIONS, Migration

#: How long a writer waits for another connection's lock before giving up, in milliseconds.
BUSY_TIMEOUT_MS = 5000

_savepoints = itertools.count(1)


def open_database(
    path: str | Path,
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    check_same_thread: bool = True,
    backup_before_migrating: bool = True,
) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    Raises :class:`DatabaseTooNewError` when the file was written by a newer app, and
    :class:`StoreError` when it is not a database. Before migrating an existing database, a copy is
    kept next to it as ``<name>.v<old version>.bak``.

    The connection is meant for one thread (the event loop's); pass ``check_same_thread=False``
    only when the caller serialises access itself.
    """
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=check_same_thread,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    try:
        conn.row_factory = sqlite3.Row
        _configure(conn, path)
        version = schema_version(conn)
        if version > len(migrations):
            raise DatabaseTooNewError(str(path), version, len(migrations))
        if 0 < version < len(migrations) and backup_before_migrating:
            _backup(conn, path.with_name(f"{path.name}.v{version}.bak"))
        migrate(conn, migrations)
    except sqlite3.OperationalError as exc:  # locked, read-only, disk full, a bad migration
        conn.close()
        raise StoreError(f"Could not open the library at {path}: {exc}.") from exc
    except sqlite3.DatabaseError as exc:  # "file is not a database", corruption
        conn.close()
        raise StoreError(
            f"{path} is not a Vidu Studio library or it is damaged ({exc})."
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"could not switch {path} to WAL mode (got {mode!r})")
    # With WAL, NORMAL loses at most the last transactions on power loss, never consistency.
    conn.execute("PRAGMA synchronous = NORMAL")


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the migrations the database lacks, each in its own transaction; return the version."""
    version = schema_version(conn)
    if version > len(migrations):
        raise DatabaseTooNewError("the database", version, len(migrations))
    for target, migration in enumerate(migrations[version:], start=version + 1):
        with transaction(conn):
            for statement in migration.statements:
                conn.execute(statement)
            # user_version is part of the database header: it commits or rolls back with the rest.
            conn.execute(f"PRAGMA user_version = {int(target)}")
    return schema_version(conn)


def _backup(conn: sqlite3.Connection, target: Path) -> None:
    copy = sqlite3.connect(str(target))
    try:
        conn.backup(copy)
    finally:
        copy.close()


@contextmanager
def read_only(database: Path, *, rows: bool = False) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``database`` of the calling thread's own (a worker thread
    reads without touching the writers' connections), closed afterwards. ``rows``: rows as
    ``sqlite3.Row``, as the stores read them (plain tuples are cheaper)."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    if rows:
        conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block in one transaction, committed when it exits, rolled back on an exception.

    Nested use becomes a savepoint, so callers can group several store calls into one atomic
    write (``with transaction(conn): outbox.remove(i); tasks.transition(i, SUBMITTING)``).
    ``BEGIN IMMEDIATE`` takes the write lock at once, so a read-check-write is never interleaved
    with another connection's write.
    """
    if conn.in_transaction:
        name = f"sp_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
