"""Takes and marks, in the library the tasks live in.

A take is a task made for a shot of a board: ``shot_takes`` links the task to the shot (by id;
the shot may be in another library: the sandbox's tasks are takes of the profile's shots) with
the recipe it was made from (a hash of what the shot asked for then: see ``engine/boards``).
The link is written in the transaction that writes the task's row, so a crash never leaves a
take unlinked; it goes with the task.

A mark is the user's verdict on any task: starred or rejected (``TaskMark``). A shot has at
most one starred take: starring one takes the star off the others of its shot.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable

from vidu_desktop.core.records import record
from vidu_desktop.core.states import TaskMark

from .db import transaction
from .errors import TaskNotFoundError


@record
class TakeLink:
    local_id: str
    shot_id: str
    recipe: str
    created_at: float


class TakeStore:
    """The links from tasks to shots, and the tasks' marks, of one task library."""

    def __init__(self, conn: sqlite3.Connection, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.conn = conn
        self._clock = clock

    def link(self, local_id: str, shot_id: str, recipe: str) -> None:
        """Record that task ``local_id`` is a take of ``shot_id`` made from ``recipe`` (call
        it inside the transaction that writes the task)."""
        with transaction(self.conn) as conn:
            conn.execute("INSERT OR REPLACE INTO shot_takes (local_id, shot_id, recipe, "
                         "created_at) VALUES (?, ?, ?, ?)",
                         (local_id, shot_id, recipe, self._clock()))

    def of_shot(self, shot_id: str) -> list[TakeLink]:
        """The shot's takes in the order they were made."""
        rows = self.conn.execute(
            "SELECT * FROM shot_takes WHERE shot_id = ? ORDER BY created_at, rowid", (shot_id,))
        return [_link(r) for r in rows]

    def of_task(self, local_id: str) -> TakeLink | None:
        row = self.conn.execute("SELECT * FROM shot_takes WHERE local_id = ?",
                                (local_id,)).fetchone()
        return _link(row) if row else None

    def unlink_shots(self, shot_ids: Iterable[str]) -> None:
        """The shots are gone: their tasks stay, as takes of nothing."""
        with transaction(self.conn) as conn:
            conn.executemany("DELETE FROM shot_takes WHERE shot_id = ?",
                             [(s,) for s in shot_ids])

    def set_mark(self, local_id: str, mark: TaskMark) -> None:
        """Mark the task; a star on a take takes the star off the other takes of its shot."""
        now = self._clock()
        with transaction(self.conn) as conn:
            if conn.execute("UPDATE tasks SET mark = ?, marked_at = ? WHERE local_id = ?",
                            (mark.value, now if mark else None, local_id)).rowcount == 0:
                raise TaskNotFoundError(local_id)
            link = self.of_task(local_id)
            if mark == TaskMark.STAR and link is not None:
                conn.execute(
                    """UPDATE tasks SET mark = '', marked_at = ? WHERE mark = 'star'
                       AND local_id != ? AND local_id IN (
                           SELECT local_id FROM shot_takes WHERE shot_id = ?)""",
                    (now, local_id, link.shot_id))

    def marked(self, mark: TaskMark) -> list[str]:
        """The ids of the tasks with ``mark``, oldest first."""
        return [str(r[0]) for r in self.conn.execute(
            "SELECT local_id FROM tasks WHERE mark = ? ORDER BY created_at, rowid",
            (mark.value,))]


def _link(row: sqlite3.Row) -> TakeLink:
    return TakeLink(str(row["local_id"]), str(row["shot_id"]), str(row["recipe"]),
                    float(row["created_at"]))
