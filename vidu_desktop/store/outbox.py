"""The outbox: submissions made while offline, sent in order when the network is back.

Each entry is a task in DRAFT state. To send one without a window where it could be lost or sent
twice, remove it and move the task to SUBMITTING in one transaction::

    with transaction(conn):
        outbox.remove(local_id)
        tasks.transition(local_id, TaskState.SUBMITTING)
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from vidu_desktop.core.states import TaskState

from .db import transaction
from .errors import StoreError, TaskNotFoundError


class Outbox:
    def __init__(self, conn: sqlite3.Connection, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock

    def enqueue(self, local_id: str) -> None:
        """Append a DRAFT task to the queue (enqueueing it again keeps its place)."""
        with transaction(self._conn) as conn:
            row = conn.execute("SELECT state FROM tasks WHERE local_id = ?",
                               (local_id,)).fetchone()
            if row is None:
                raise TaskNotFoundError(local_id)
            if row["state"] != TaskState.DRAFT:
                raise StoreError(f"only a draft task can wait in the outbox; "
                                 f"{local_id} is {row['state']}")
            conn.execute("INSERT INTO outbox (local_id, enqueued_at) VALUES (?, ?)"
                         " ON CONFLICT (local_id) DO NOTHING", (local_id, self._clock()))

    def peek(self) -> str | None:
        row = self._conn.execute("SELECT local_id FROM outbox ORDER BY seq LIMIT 1").fetchone()
        return str(row[0]) if row else None

    def dequeue(self) -> str | None:
        """Remove and return the oldest entry, or None when the outbox is empty."""
        with transaction(self._conn) as conn:
            row = conn.execute("SELECT seq, local_id FROM outbox ORDER BY seq LIMIT 1").fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM outbox WHERE seq = ?", (row["seq"],))
            return str(row["local_id"])

    def remove(self, local_id: str) -> bool:
        with transaction(self._conn) as conn:
            return conn.execute("DELETE FROM outbox WHERE local_id = ?",
                                (local_id,)).rowcount > 0

    def pending(self) -> list[str]:
        """Local ids waiting, oldest first."""
        return [str(r[0]) for r in self._conn.execute("SELECT local_id FROM outbox ORDER BY seq")]

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def __contains__(self, local_id: object) -> bool:
        return self._conn.execute("SELECT 1 FROM outbox WHERE local_id = ?",
                                  (local_id,)).fetchone() is not None
