"""Opening the database: pragmas, migrations through user_version, refusing newer data."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from vidu_desktop.core.states import TaskState
from vidu_desktop.store.db import migrate, open_database, schema_version, transaction
from vidu_desktop.store.errors import DatabaseTooNewError, StoreError
from vidu_desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from vidu_desktop.store.outbox import Outbox
from vidu_desktop.store.tasks import TaskStore

from .conftest import make_request

# The version 1 schema as it shipped, written out by hand: the migration must cope with exactly
# this, whatever later edits happen to migrations.py.
V1_SCHEMA = """
CREATE TABLE tasks (
    local_id TEXT PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT NULL, mode TEXT NOT NULL,
    prompt TEXT NOT NULL DEFAULT '', request_json TEXT NOT NULL,
    client_token TEXT NOT NULL UNIQUE, state TEXT NOT NULL, remote_id TEXT,
    remote_state TEXT NOT NULL DEFAULT '', progress REAL, detail TEXT NOT NULL DEFAULT '',
    draft_id TEXT, group_id TEXT, take_index INTEGER, seed INTEGER, resolved_seed INTEGER,
    estimated_cost REAL, estimated_cost_unit TEXT NOT NULL DEFAULT '', actual_cost REAL,
    actual_cost_unit TEXT NOT NULL DEFAULT '', credits REAL, balance REAL,
    balance_unit TEXT NOT NULL DEFAULT '', error_json TEXT, trace_id TEXT NOT NULL DEFAULT '',
    result_url TEXT NOT NULL DEFAULT '', result_expires_at REAL,
    cover_url TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, updated_at REAL NOT NULL,
    submitted_at REAL, queued_at REAL, started_at REAL, result_at REAL, finished_at REAL,
    submit_attempts INTEGER NOT NULL DEFAULT 0, poll_count INTEGER NOT NULL DEFAULT 0,
    download_attempts INTEGER NOT NULL DEFAULT 0);
CREATE INDEX tasks_created ON tasks (created_at DESC);
CREATE INDEX tasks_state_created ON tasks (state, created_at DESC);
CREATE INDEX tasks_provider_created ON tasks (provider, created_at DESC);
CREATE UNIQUE INDEX tasks_remote ON tasks (remote_id, provider) WHERE remote_id IS NOT NULL;
CREATE INDEX tasks_finished ON tasks (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX tasks_draft ON tasks (draft_id) WHERE draft_id IS NOT NULL;
CREATE TABLE task_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    local_id TEXT NOT NULL REFERENCES tasks (local_id) ON DELETE CASCADE,
    at REAL NOT NULL, old_state TEXT, new_state TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '',
    error_json TEXT);
CREATE INDEX task_events_task ON task_events (local_id, id);
CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    local_id TEXT NOT NULL REFERENCES tasks (local_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('video', 'cover', 'sidecar')), path TEXT NOT NULL,
    bytes INTEGER, sha256 TEXT NOT NULL DEFAULT '', verified INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL, UNIQUE (local_id, kind));
CREATE TABLE drafts (
    id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', data_json TEXT NOT NULL,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, opened_at REAL);
CREATE INDEX drafts_updated ON drafts (updated_at DESC);
PRAGMA user_version = 1;
"""


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _write_v1(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.executescript(V1_SCHEMA)
    request = make_request("a v1 task").to_dict()
    raw.execute(
        "INSERT INTO tasks (local_id, provider, model, mode, prompt, request_json, client_token,"
        " state, remote_id, created_at, updated_at, submit_attempts)"
        " VALUES ('t1', 'vidu', 'viduq1', 'reference2video', 'a v1 task', ?, 'tok1',"
        " 'processing', 'r-1', 1.0, 2.0, 1)", (json.dumps(request),))
    raw.execute("INSERT INTO task_events (local_id, at, old_state, new_state)"
                " VALUES ('t1', 1.0, NULL, 'submitting')")
    raw.execute("INSERT INTO drafts (id, name, data_json, created_at, updated_at)"
                " VALUES ('d1', 'old draft', '{\"prompt\": \"hi\"}', 1.0, 1.0)")
    raw.commit()
    raw.close()


def test_fresh_database_is_current_with_wal_and_foreign_keys(db_path: Path) -> None:
    conn = open_database(db_path)
    assert schema_version(conn) == SCHEMA_VERSION == len(MIGRATIONS) >= 2
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert {"tasks", "task_events", "artifacts", "drafts", "prepared_references", "outbox",
            "settings"} <= _tables(conn)
    assert isinstance(conn.execute("SELECT 1 AS one").fetchone()["one"], int)  # row factory
    conn.close()
    again = open_database(db_path)  # opening a current database changes nothing
    assert schema_version(again) == SCHEMA_VERSION
    again.close()
    assert not list(db_path.parent.glob("*.bak"))


def test_v1_database_migrates_to_current_and_keeps_its_data(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    _write_v1(db_path)
    conn = open_database(db_path)
    assert schema_version(conn) == SCHEMA_VERSION
    assert {"prepared_references", "outbox", "settings"} <= _tables(conn)
    record = TaskStore(conn).get("t1")
    assert record is not None
    assert record.state == TaskState.PROCESSING
    assert record.remote_id == "r-1"
    assert record.request.prompt == "a v1 task"
    assert conn.execute("SELECT name FROM drafts").fetchone()[0] == "old draft"
    # the new tables work, with foreign keys onto the old ones
    draft = TaskStore(conn).create(make_request("offline"), state=TaskState.DRAFT)
    Outbox(conn).enqueue(draft.local_id)
    assert Outbox(conn).pending() == [draft.local_id]
    conn.close()
    backup = db_path.with_name(db_path.name + ".v1.bak")
    assert backup.is_file()
    with sqlite3.connect(backup) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()


def test_database_from_a_newer_app_is_refused_untouched(db_path: Path) -> None:
    conn = open_database(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(DatabaseTooNewError) as info:
        open_database(db_path)
    message = str(info.value)
    assert "newer version" in message and "older than the data" in message
    assert str(db_path) in message
    assert info.value.found == SCHEMA_VERSION + 5
    assert isinstance(info.value, StoreError)
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    raw.close()


def test_failing_migration_rolls_back_and_leaves_the_version(db_path: Path) -> None:
    open_database(db_path).close()
    broken = (*MIGRATIONS, Migration("broken", ["CREATE TABLE half_done (a)",
                                                "INSERT INTO no_such_table VALUES (1)"]))
    with pytest.raises(StoreError):
        open_database(db_path, migrations=broken)
    conn = open_database(db_path)
    assert schema_version(conn) == SCHEMA_VERSION
    assert "half_done" not in _tables(conn)
    conn.close()


def test_the_migration_list_extends_by_appending(db_path: Path) -> None:
    open_database(db_path).close()
    extended = (*MIGRATIONS, Migration("notes", ["ALTER TABLE tasks ADD COLUMN note TEXT"]))
    conn = open_database(db_path, migrations=extended)
    assert schema_version(conn) == SCHEMA_VERSION + 1
    assert "note" in {r["name"] for r in conn.execute("PRAGMA table_info(tasks)")}
    assert migrate(conn, extended) == SCHEMA_VERSION + 1  # idempotent
    conn.close()


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a Vidu Studio library"):
        open_database(path)


def test_nested_transactions_are_savepoints(conn: sqlite3.Connection) -> None:
    def value(key: str) -> object:
        row = conn.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    with transaction(conn):
        conn.execute("INSERT INTO settings VALUES ('outer', '1', 0)")
        with pytest.raises(RuntimeError), transaction(conn):
            conn.execute("INSERT INTO settings VALUES ('inner', '2', 0)")
            raise RuntimeError("inner fails")
        assert value("inner") is None
        assert value("outer") == "1"
    assert not conn.in_transaction
    assert value("outer") == "1"

    with pytest.raises(RuntimeError), transaction(conn):
        conn.execute("INSERT INTO settings VALUES ('lost', '3', 0)")
        raise RuntimeError("outer fails")
    assert value("lost") is None
    assert not conn.in_transaction
