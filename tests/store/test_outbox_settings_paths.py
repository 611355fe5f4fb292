"""The outbox (FIFO of draft tasks), settings, and the profile's folders."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from vidu_desktop.core.states import TaskState
from vidu_desktop.store.db import transaction
from vidu_desktop.store.errors import StoreError, TaskNotFoundError
from vidu_desktop.store.outbox import Outbox
from vidu_desktop.store.paths import AppPaths
from vidu_desktop.store.settings import Settings
from vidu_desktop.store.tasks import TaskStore

from .conftest import make_request


def test_outbox_is_fifo(conn: sqlite3.Connection, tasks: TaskStore) -> None:
    outbox = Outbox(conn)
    ids = [tasks.create(make_request(f"p{i}"), state=TaskState.DRAFT).local_id
           for i in range(4)]
    for local_id in ids:
        outbox.enqueue(local_id)
    outbox.enqueue(ids[0])  # again: keeps its place
    assert outbox.pending() == ids and len(outbox) == 4 and ids[2] in outbox
    assert outbox.peek() == ids[0]
    assert outbox.dequeue() == ids[0]
    assert outbox.remove(ids[2]) and not outbox.remove(ids[2])
    outbox.enqueue(ids[0])  # re-queued: now last
    assert outbox.pending() == [ids[1], ids[3], ids[0]]
    assert [outbox.dequeue() for _ in range(4)] == [ids[1], ids[3], ids[0], None]


def test_only_draft_tasks_wait_in_the_outbox(conn: sqlite3.Connection, tasks: TaskStore) -> None:
    outbox = Outbox(conn)
    with pytest.raises(StoreError, match="only a draft"):
        outbox.enqueue(tasks.create(make_request()).local_id)
    with pytest.raises(TaskNotFoundError):
        outbox.enqueue("missing")


def test_taking_from_the_outbox_is_atomic_with_the_transition(
        conn: sqlite3.Connection, tasks: TaskStore) -> None:
    outbox = Outbox(conn)
    local_id = tasks.create(make_request(), state=TaskState.DRAFT).local_id
    outbox.enqueue(local_id)
    with pytest.raises(RuntimeError), transaction(conn):
        outbox.remove(local_id)
        tasks.transition(local_id, TaskState.SUBMITTING)
        raise RuntimeError("crash before commit")
    assert outbox.pending() == [local_id]
    assert tasks.get(local_id).state == TaskState.DRAFT  # type: ignore[union-attr]
    with transaction(conn):
        outbox.remove(local_id)
        tasks.transition(local_id, TaskState.SUBMITTING)
    assert outbox.pending() == []
    assert tasks.get(local_id).state == TaskState.SUBMITTING  # type: ignore[union-attr]


def test_settings_round_trip_and_refuse_secrets(conn: sqlite3.Connection) -> None:
    settings = Settings(conn)
    assert settings.get("timeouts", {"connect": 10}) == {"connect": 10}
    settings.set("timeouts", {"connect": 5, "read": 30.5})
    settings.set("base_url.vidu", "http://127.0.0.1:8123")
    settings.set("timeouts", {"connect": 6})
    assert settings.all() == {"base_url.vidu": "http://127.0.0.1:8123",
                              "timeouts": {"connect": 6}}
    for key, value in (("vidu_api_key", "k"), ("hosts", {"vidu": {"token": "k"}})):
        with pytest.raises(ValueError):
            settings.set(key, value)
    settings.delete("timeouts")
    assert settings.get("timeouts") is None


def test_app_paths(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "profile").ensure()
    assert paths.database == tmp_path / "profile" / "library.sqlite3"
    for folder in (paths.media_root, paths.refs_dir, paths.cache_dir, paths.logs_dir):
        assert folder.is_dir() and folder.parent == tmp_path / "profile"
    custom = AppPaths(tmp_path / "p2", media_override=tmp_path / "Videos").ensure()
    assert custom.media_root == tmp_path / "Videos" and custom.media_root.is_dir()
