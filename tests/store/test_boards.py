"""Boards and shots in a real SQLite file: kept across a reopen, ordered, moved, deleted;
takes linked to shots and marked, in the library of the tasks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from vidu_desktop.core.errors import AppError, ErrorKind, Promise
from vidu_desktop.core.states import TaskMark
from vidu_desktop.store import (
    BoardStore,
    DraftReference,
    TakeStore,
    TaskFilter,
    TaskStore,
    open_database,
)
from vidu_desktop.store.errors import TaskNotFoundError

from .conftest import FakeClock, make_request

PIC = DraftReference("b" * 64, "the beach", "beach.png")


def prompts(store: BoardStore, board_id: str) -> list[str]:
    board = store.require(board_id)
    assert [s.position for s in board.shots] == list(range(len(board.shots)))  # no gaps
    return [s.prompt for s in board.shots]


def test_a_board_and_its_shots_survive_a_reopen(db_path: Path, clock: FakeClock) -> None:
    conn = open_database(db_path)
    store = BoardStore(conn, clock=clock)
    board = store.create("Beach  day", "vidu", "viduq2", {"duration": 4, "bgm": True})
    assert board.name == "Beach day" and board.shots == ()
    clock.advance()
    one = store.add_shot(board.id, prompt="@mia runs", references=(PIC,),
                         cast=("m1", "m2", "m1"), parameters={"duration": 8})
    two = store.add_shot(board.id, prompt="the sea")
    conn.close()  # as a crash would leave it: every write was committed

    again = open_database(db_path)
    try:
        stored = BoardStore(again).require(board.id)
        assert (stored.name, stored.provider, stored.model, stored.parameters) == (
            "Beach day", "vidu", "viduq2", {"duration": 4, "bgm": True})
        assert [s.id for s in stored.shots] == [one.id, two.id]
        first = stored.shots[0]
        assert (first.number, first.prompt, first.references, first.cast, first.parameters) == (
            1, "@mia runs", (PIC,), ("m1", "m2"), {"duration": 8})
        assert stored.updated_at == clock.now and BoardStore(again).by_name("BEACH DAY") == stored
        [summary] = BoardStore(again).summaries()
        assert (summary.name, summary.shot_count) == ("Beach day", 2)
    finally:
        again.close()


def test_names_are_unique_whatever_their_case(conn: sqlite3.Connection) -> None:
    store = BoardStore(conn)
    first = store.create("Beach day", "vidu", "viduq1")
    store.create("Forest", "vidu", "viduq1")
    for call, words in ((lambda: store.create("BEACH DAY", "vidu", "viduq1"),
                         "already called 'Beach day'"),
                        (lambda: store.update(first.id, name="forest"),
                         "already called 'Forest'"),
                        (lambda: store.create("  ", "vidu", "viduq1"), "needs a name"),
                        (lambda: store.create("x" * 101, "vidu", "viduq1"), "101 characters"),
                        (lambda: store.require("nope"), "No board with id 'nope'")):
        with pytest.raises(AppError) as err:
            call()
        assert err.value.kind == ErrorKind.INVALID_PARAMETER and err.value.hint
        assert err.value.promise == Promise.FIX_INPUT and words in err.value.message
    assert store.update(first.id, name="beach DAY").name == "beach DAY"  # its own name


def test_shots_are_inserted_moved_and_deleted_in_order(conn: sqlite3.Connection) -> None:
    store = BoardStore(conn)
    board = store.create("Order", "vidu", "viduq1")
    ids = {p: store.add_shot(board.id, prompt=p).id for p in "abc"}
    store.add_shot(board.id, prompt="first", position=0)
    store.add_shot(board.id, prompt="mid", position=2)
    store.add_shot(board.id, prompt="last", position=99)
    assert prompts(store, board.id) == ["first", "a", "mid", "b", "c", "last"]

    assert [s.prompt for s in store.move_shot(ids["c"], 0).shots] == [
        "c", "first", "a", "mid", "b", "last"]
    store.move_shot(ids["c"], 99)
    assert prompts(store, board.id) == ["first", "a", "mid", "b", "last", "c"]
    store.move_shot(ids["a"], 3)
    assert prompts(store, board.id) == ["first", "mid", "b", "a", "last", "c"]

    gone = store.delete_shot(ids["b"])
    assert gone.prompt == "b" and store.shot(ids["b"]) is None
    assert prompts(store, board.id) == ["first", "mid", "a", "last", "c"]
    store.update_shot(ids["a"], prompt="A", parameters={"seed": 3})
    shot = store.require_shot(ids["a"])
    assert (shot.prompt, shot.parameters, shot.position) == ("A", {"seed": 3}, 2)

    had = {s.id for s in store.require(board.id).shots}
    assert set(store.delete(board.id)) == had and len(had) == 5
    assert store.get(board.id) is None
    assert conn.execute("SELECT COUNT(*) FROM shots").fetchone()[0] == 0  # cascade


def test_takes_are_linked_and_one_star_per_shot(conn: sqlite3.Connection,
                                                tasks: TaskStore, clock: FakeClock) -> None:
    takes = TakeStore(conn, clock=clock)
    made = []
    for n in range(3):
        rec = tasks.create(make_request(f"take {n}"))
        takes.link(rec.local_id, "shot-1", f"recipe-{n}")
        made.append(rec.local_id)
        clock.advance()
    other = tasks.create(make_request("elsewhere")).local_id
    takes.link(other, "shot-2", "r")
    loose = tasks.create(make_request("a plain task")).local_id

    assert [t.local_id for t in takes.of_shot("shot-1")] == made
    assert [t.recipe for t in takes.of_shot("shot-1")] == ["recipe-0", "recipe-1", "recipe-2"]
    assert takes.of_task(other) is not None and takes.of_task(loose) is None

    takes.set_mark(made[0], TaskMark.STAR)
    takes.set_mark(other, TaskMark.STAR)
    takes.set_mark(made[1], TaskMark.STAR)  # the star moves within shot 1 only
    takes.set_mark(made[2], TaskMark.REJECT)
    takes.set_mark(loose, TaskMark.STAR)  # any task may be starred
    marks = {i: tasks.get(i).mark for i in [*made, other, loose]}  # type: ignore[union-attr]
    assert marks == {made[0]: TaskMark.NONE, made[1]: TaskMark.STAR, made[2]: TaskMark.REJECT,
                     other: TaskMark.STAR, loose: TaskMark.STAR}
    assert tasks.get(made[1]).marked_at == clock.now  # type: ignore[union-attr]
    starred = tasks.list_tasks(TaskFilter.of(marks=[TaskMark.STAR]))
    assert {r.local_id for r in starred} == {made[1], other, loose}
    assert tasks.count(TaskFilter.of(marks=[TaskMark.REJECT])) == 1
    assert tasks.count(TaskFilter.of(marks=[])) == 0
    assert takes.marked(TaskMark.REJECT) == [made[2]]
    with pytest.raises(TaskNotFoundError):
        takes.set_mark("nope", TaskMark.STAR)

    tasks.delete(made[0])  # a deleted task is no take any more
    assert [t.local_id for t in takes.of_shot("shot-1")] == made[1:]
    takes.unlink_shots(["shot-1"])
    assert takes.of_shot("shot-1") == [] and tasks.get(made[1]) is not None
