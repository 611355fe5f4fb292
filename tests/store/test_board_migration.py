"""A library written before the storyboard (schema 4: the cast, no boards, no marks) opens in
this version: a real SQLite file made with the previous schema, then opened by the new code."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from vidu_desktop.core.states import TaskMark
from vidu_desktop.store import BoardStore, CastStore, DraftReference, TakeStore, TaskFilter
from vidu_desktop.store.db import open_database, schema_version
from vidu_desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION
from vidu_desktop.store.tasks import TaskStore

PREVIOUS = 4  # the schema before the storyboard

REQUEST = {
    "provider": "vidu", "model": "viduq1", "prompt": "@mia walks into the sea",
    "images": [], "mode": "reference2video", "duration": 5, "resolution": "1080p",
    "aspect_ratio": "16:9", "movement_amplitude": "auto", "seed": 3, "bgm": False,
    "payload": "", "off_peak": False, "watermark": False, "callback_url": "", "extra": {},
    "subjects": [{"name": "mia", "images": [{"uri": "ref:sha256:" + "a" * 64, "label": "",
                                             "sha256": "a" * 64}], "voice_id": ""}],
    "audio": False,
}


def old_library(path: Path) -> None:
    """A library file as the previous version left it: a cast member and a task made with it."""
    conn = open_database(path, migrations=MIGRATIONS[:PREVIOUS])
    try:
        assert schema_version(conn) == PREVIOUS
        conn.execute("INSERT INTO cast_members (id, name, name_key, created_at, updated_at) "
                     "VALUES ('m1', 'Mia', 'mia', 1, 1)")
        conn.execute("INSERT INTO cast_pictures (member_id, position, sha256) "
                     "VALUES ('m1', 0, ?)", ("a" * 64,))
        conn.execute(
            "INSERT INTO tasks (local_id, provider, model, mode, prompt, request_json, "
            "client_token, state, created_at, updated_at, seed) VALUES ('t1', 'vidu', "
            "'viduq1', 'reference2video', ?, ?, 'tok-1', 'succeeded', 100, 200, 3)",
            (REQUEST["prompt"], json.dumps(REQUEST)))
        conn.execute("INSERT INTO task_cast (local_id, member_id) VALUES ('t1', 'm1')")
    finally:
        conn.close()


def test_a_library_of_the_previous_schema_migrates(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    old_library(path)
    before = sqlite3.connect(path)
    try:
        tables = {r[0] for r in before.execute("SELECT name FROM sqlite_master")}
        columns = {r[1] for r in before.execute("PRAGMA table_info(tasks)")}
    finally:
        before.close()
    assert "boards" not in tables and "mark" not in columns

    conn = open_database(path)
    try:
        assert schema_version(conn) == SCHEMA_VERSION == PREVIOUS + 1
        assert (tmp_path / f"library.sqlite3.v{PREVIOUS}.bak").is_file()
        tasks = TaskStore(conn)
        [task] = tasks.list_tasks()
        assert task.request_data == REQUEST and task.mark == TaskMark.NONE
        assert task.marked_at is None
        assert CastStore.task_count(conn, "m1") == 1
        assert CastStore(conn).get("m1") is not None

        # the new tables work in the migrated file
        boards = BoardStore(conn)
        board = boards.create("Sea", "vidu", "viduq1", {"duration": 5})
        shot = boards.add_shot(board.id, prompt="@mia walks", cast=("m1",),
                               references=(DraftReference("a" * 64),))
        TakeStore(conn).link("t1", shot.id, "r1")
        TakeStore(conn).set_mark("t1", TaskMark.STAR)
        assert tasks.count(TaskFilter.of(marks=[TaskMark.STAR])) == 1
    finally:
        conn.close()

    again = open_database(path)  # and opens again without migrating twice
    try:
        assert schema_version(again) == SCHEMA_VERSION
        [summary] = BoardStore(again).summaries()
        assert (summary.name, summary.shot_count) == ("Sea", 1)
        assert [t.local_id for t in TakeStore(again).of_shot(shot.id)] == ["t1"]
    finally:
        again.close()
