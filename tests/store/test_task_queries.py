"""Listing at scale (10,000 tasks), filters, paging, and compact storage of reference images."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import ReferenceImage
from vidu_desktop.core.states import TaskMark, TaskState
from vidu_desktop.store.db import transaction
from vidu_desktop.store.references import REF_URI_PREFIX, ReferenceMeta, ReferenceStore
from vidu_desktop.store.takes import TakeStore
from vidu_desktop.store.task_records import TaskFilter
from vidu_desktop.store.tasks import TaskStore

from .conftest import FakeClock, make_request

S = TaskState
N = 10_000
PROVIDERS = [(ProviderId.VIDU, "viduq1"), (ProviderId.NOVITA, "vidu-q1"),
             (ProviderId.SEGMIND, "vidu-q1"), (ProviderId.VTRIX, "viduq1_reference2video")]


def _fill(conn: sqlite3.Connection, tasks: TaskStore, clock: FakeClock) -> None:
    with transaction(conn):
        for i in range(N):
            clock.advance()
            provider, model = PROVIDERS[i % 4]
            prompt = f"take {i}: " + ("a FOX_runs 100% fast" if i % 100 == 7 else "a quiet sea")
            record = tasks.create(make_request(prompt, provider, model), local_id=f"t{i:05d}")
            if i % 3 == 1:
                tasks.transition(record.local_id, S.QUEUED)
            elif i % 3 == 2:
                tasks.transition(record.local_id, S.FAILED)


def test_ten_thousand_tasks_list_by_page_with_filters(conn: sqlite3.Connection,
                                                      tasks: TaskStore,
                                                      clock: FakeClock) -> None:
    _fill(conn, tasks, clock)
    assert tasks.count() == N

    page = tasks.list_tasks(limit=50)
    assert [r.local_id for r in page] == [f"t{i:05d}" for i in range(N - 1, N - 51, -1)]
    second = tasks.list_tasks(limit=50, offset=50)
    assert second[0].local_id == f"t{N - 51:05d}"

    queued_vidu = TaskFilter.of(states=[S.QUEUED], provider="vidu")
    expected = [i for i in range(N) if i % 3 == 1 and i % 4 == 0]
    assert tasks.count(queued_vidu) == len(expected)
    rows = tasks.list_tasks(queued_vidu, limit=20, offset=10)
    assert [r.local_id for r in rows] == [f"t{i:05d}" for i in sorted(expected)[::-1][10:30]]
    assert all(r.state == S.QUEUED and r.provider == "vidu" for r in rows)

    # text search is case-insensitive and treats % and _ literally
    fox = TaskFilter(text="fox_RUNS 100%")
    fox_ids = [i for i in range(N) if i % 100 == 7]
    assert tasks.count(fox) == len(fox_ids) == 100
    assert tasks.count(TaskFilter(text="fox%runs")) == 0
    both = TaskFilter.of(states=[S.QUEUED, S.FAILED], provider="segmind", text="fox")
    wanted = [i for i in fox_ids if i % 3 != 0 and i % 4 == 2]
    assert [r.local_id for r in tasks.list_tasks(both, limit=1000)] == [
        f"t{i:05d}" for i in sorted(wanted, reverse=True)]
    assert tasks.count(TaskFilter(text="t00042")) == 1  # matches ids too
    assert tasks.count(TaskFilter.of(states=[])) == 0

    counts = tasks.count_by_state()
    assert counts[S.SUBMITTING] + counts[S.QUEUED] + counts[S.FAILED] == N
    assert len(tasks.active()) == counts[S.SUBMITTING] + counts[S.QUEUED]


def test_listing_uses_indexes(conn: sqlite3.Connection) -> None:
    def plan(sql: str, *params: object) -> str:
        return " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))

    assert "tasks_created" in plan("SELECT * FROM tasks WHERE 1 ORDER BY created_at DESC,"
                                   " rowid DESC LIMIT 50")
    assert "INDEX" in plan("SELECT * FROM tasks WHERE state IN (?) ORDER BY created_at DESC"
                           " LIMIT 50", "queued")
    assert "INDEX" in plan("SELECT * FROM tasks WHERE remote_id = ? AND provider = ?", "r", "v")
    # the marked tasks (the task list counts the rejected ones at start): the partial index
    where, params = TaskFilter.of(marks=[TaskMark.REJECT]).where()
    assert "INDEX tasks_mark" in plan(f"SELECT COUNT(*) FROM tasks WHERE {where}", *params)


def test_the_marks_filter_finds_the_unmarked_tasks_too(conn: sqlite3.Connection,
                                                      tasks: TaskStore) -> None:
    made = [tasks.create(make_request(f"take {i}"), local_id=f"t{i}").local_id
            for i in range(4)]
    takes = TakeStore(conn)
    takes.set_mark(made[0], TaskMark.STAR)
    takes.set_mark(made[1], TaskMark.REJECT)

    def ids(*marks: TaskMark) -> set[str]:
        return {r.local_id for r in tasks.list_tasks(TaskFilter.of(marks=list(marks)))}

    assert ids(TaskMark.STAR) == {"t0"} and ids(TaskMark.REJECT) == {"t1"}
    assert ids(TaskMark.NONE) == {"t2", "t3"}
    assert ids(TaskMark.NONE, TaskMark.STAR) == {"t0", "t2", "t3"}
    assert tasks.count(TaskFilter.of(marks=[TaskMark.STAR, TaskMark.REJECT])) == 2


def test_stored_references_are_kept_by_hash_and_rehydrated(
        conn: sqlite3.Connection, tasks: TaskStore, tmp_path: Path) -> None:
    refs = ReferenceStore(conn, tmp_path / "refs")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    sha = refs.put(png, ReferenceMeta("png", 640, 360))
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    unknown = "data:image/png;base64,AAAA"
    request = make_request(images=(ReferenceImage(uri, "the man", sha),
                                   ReferenceImage(unknown, "not stored", "f" * 64),
                                   ReferenceImage("https://example.com/b.png", "url")))
    record = tasks.create(request)
    stored_images = record.request_data["images"]
    assert stored_images[0]["uri"] == REF_URI_PREFIX + sha
    assert stored_images[1]["uri"] == unknown  # not in the store: kept inline
    assert len(conn.execute("SELECT request_json FROM tasks").fetchone()[0]) < len(uri)
    assert refs.rehydrate(record.request) == request
