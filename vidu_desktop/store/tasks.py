"""The task table: every generation, written before it is sent and after every change.

Persist first, in order:

1. :meth:`TaskStore.create` writes the row (state SUBMITTING, or DRAFT for the outbox) before any
   request leaves; reference images already in the reference store are kept as
   ``ref:sha256:<hex>`` (``ReferenceStore.rehydrate`` restores them before a resend);
2. :meth:`TaskStore.record_submit_attempt` counts the submit request just before it is sent, so
   after a crash ``submit_attempts == 0`` proves the request never left, and ``>= 1`` with no
   remote id means the outcome is unknown (reconcile by ``client_token``; never resend silently);
3. :meth:`TaskStore.set_remote_id` stores the host's id the moment the answer arrives;
4. :meth:`TaskStore.transition` validates each state change with the core state machine and
   writes it, with a history entry, in one committed transaction before the caller shows it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from vidu_desktop.core.capabilities import Cost
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.ids import new_id
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import ACTIVE, TaskState, check_transition

from .db import transaction
from .errors import StoreError, TaskNotFoundError
from .references import compact_request_data
from .task_records import TaskEvent, TaskFilter, TaskRecord, error_to_json

Clock = Callable[[], float]

#: States to pick up again when the app starts: work in flight, and submits to reconcile.
RESUMABLE = frozenset(ACTIVE | {TaskState.OUTCOME_UNKNOWN})

# Timing columns set the first time a task enters a state.
_FIRST_ENTERED = {
    TaskState.QUEUED: "queued_at",
    TaskState.PROCESSING: "started_at",
    TaskState.DOWNLOADING: "result_at",
}


class TaskStore:
    def __init__(self, conn: sqlite3.Connection, *, clock: Clock = time.time) -> None:
        self._conn = conn
        self._clock = clock

    # -- writing ------------------------------------------------------------------------------

    def create(
        self,
        request: GenerationRequest,
        *,
        state: TaskState = TaskState.SUBMITTING,
        draft_id: str | None = None,
        group_id: str | None = None,
        take_index: int | None = None,
        estimate: Cost | None = None,
        local_id: str | None = None,
        client_token: str | None = None,
        detail: str = "",
    ) -> TaskRecord:
        """Write a new task row (and its first history entry) and return it.

        ``state`` is SUBMITTING for a task about to be sent, DRAFT for one waiting in the outbox.
        ``estimate`` defaults to the capability table's cost for the model, when known.
        """
        if state not in (TaskState.SUBMITTING, TaskState.DRAFT):
            raise ValueError(f"a new task starts as draft or submitting, not {state}")
        if estimate is None:
            try:
                estimate = request.spec.cost
            except KeyError:
                estimate = None
        now = self._clock()
        local_id = local_id or new_id()
        client_token = client_token or new_id()
        with transaction(self._conn) as conn:
            request_json = _dumps(compact_request_data(request.to_dict(), conn))
            conn.execute(
                """INSERT INTO tasks (local_id, provider, model, mode, prompt, request_json,
                       client_token, state, detail, draft_id, group_id, take_index, seed,
                       estimated_cost, estimated_cost_unit, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (local_id, str(request.provider), request.model, str(request.mode),
                 request.prompt, request_json, client_token, state.value, detail,
                 draft_id, group_id, take_index, request.seed,
                 estimate.amount if estimate else None, estimate.unit if estimate else "",
                 now, now),
            )
            self._append_event(local_id, now, None, state, detail, None)
        return self._require(local_id)

    def record_submit_attempt(self, local_id: str, *, resend: bool = False) -> int:
        """Count one submit request, just before it is sent; return the new count.

        The task must be SUBMITTING. A second request for the same task costs money twice, so
        it needs ``resend=True`` (the user chose to resend, or the first is known not to have
        reached the host).
        """
        with transaction(self._conn) as conn:
            row = self._row(local_id, "state, submit_attempts")
            if row["state"] != TaskState.SUBMITTING:
                raise StoreError(f"task {local_id} is {row['state']}, not submitting")
            if row["submit_attempts"] > 0 and not resend:
                raise StoreError(
                    f"task {local_id} was already submitted {row['submit_attempts']} time(s); "
                    "sending it again needs an explicit resend"
                )
            now = self._clock()
            conn.execute(
                """UPDATE tasks SET submit_attempts = submit_attempts + 1, updated_at = ?,
                       submitted_at = COALESCE(submitted_at, ?) WHERE local_id = ?""",
                (now, now, local_id),
            )
            return int(row["submit_attempts"]) + 1

    def undo_submit_attempt(self, local_id: str) -> int:
        """Take back the count of a submit request known never to have left (the connection
        was refused), so that a crash afterwards does not make it look possibly sent."""
        with transaction(self._conn) as conn:
            row = self._row(local_id, "state, submit_attempts")
            if row["state"] != TaskState.SUBMITTING:
                raise StoreError(f"task {local_id} is {row['state']}, not submitting")
            count = max(0, int(row["submit_attempts"]) - 1)
            conn.execute("UPDATE tasks SET submit_attempts = ?, updated_at = ? "
                         "WHERE local_id = ?", (count, self._clock(), local_id))
            return count

    def set_remote_id(self, local_id: str, remote_id: str, *, trace_id: str = "",
                      remote_state: str = "", resolved_seed: int | None = None) -> None:
        """Store the host's task id (write it the moment the submit answer arrives), with the
        seed the host chose when its answer says."""
        if not remote_id:
            raise ValueError("empty remote id")
        try:
            self._update(local_id, remote_id=remote_id,
                         **_non_empty(trace_id=trace_id, remote_state=remote_state,
                                      resolved_seed=resolved_seed))
        except sqlite3.IntegrityError as exc:
            other = self.by_remote_id(remote_id, self._require(local_id).provider)
            raise StoreError(f"remote id {remote_id} already belongs to task "
                             f"{other.local_id if other else '?'}") from exc

    def transition(
        self,
        local_id: str,
        new_state: TaskState,
        *,
        detail: str = "",
        progress: float | None = None,
        error: AppError | None = None,
        remote_state: str | None = None,
    ) -> TaskRecord:
        """Move a task to ``new_state`` and return the stored row.

        Raises :class:`~vidu_desktop.core.states.InvalidTransition` for a change the state
        machine forbids. Staying in the same state is allowed (to update progress or detail).
        A history entry is written when the state changes or an error is recorded. An error's
        trace id is copied to the task. Committed before this returns.
        """
        with transaction(self._conn) as conn:
            row = self._row(local_id, "state")
            old = TaskState(row["state"])
            check_transition(old, new_state)
            now = self._clock()
            values: dict[str, object] = {"state": new_state.value, "updated_at": now}
            if detail:
                values["detail"] = detail
            if progress is not None:
                values["progress"] = progress
            if remote_state is not None:
                values["remote_state"] = remote_state
            if error is not None:
                values["error_json"] = error_to_json(error)
                if error.trace_id:
                    values["trace_id"] = error.trace_id
            if new_state != old:
                column = _FIRST_ENTERED.get(new_state)
                assignments = [f"{column} = COALESCE({column}, :now)"] if column else []
                if new_state.is_terminal:
                    values["finished_at"] = now
                elif old.is_terminal:
                    values["finished_at"] = None  # resumed or retried
                if new_state == TaskState.SUCCEEDED:
                    values["error_json"] = None
                    values["progress"] = 100.0
                self._update_in(conn, local_id, values, assignments, now)
            else:
                self._update_in(conn, local_id, values, [], now)
            if new_state != old or error is not None:
                self._append_event(local_id, now, old, new_state, detail, error)
        return self._require(local_id)

    def record_poll(self, local_id: str, *, remote_state: str | None = None,
                    progress: float | None = None) -> None:
        """Count one status request and keep what it said (no history entry)."""
        with transaction(self._conn) as conn:
            self._row(local_id, "state")
            conn.execute(
                """UPDATE tasks SET poll_count = poll_count + 1, updated_at = ?,
                       remote_state = COALESCE(?, remote_state),
                       progress = COALESCE(?, progress) WHERE local_id = ?""",
                (self._clock(), remote_state, progress, local_id),
            )

    def record_download_attempt(self, local_id: str) -> int:
        with transaction(self._conn) as conn:
            row = self._row(local_id, "download_attempts")
            conn.execute(
                "UPDATE tasks SET download_attempts = download_attempts + 1, updated_at = ?"
                " WHERE local_id = ?", (self._clock(), local_id),
            )
            return int(row["download_attempts"]) + 1

    def set_result(self, local_id: str, *, url: str, expires_at: float | None = None,
                   cover_url: str = "", resolved_seed: int | None = None) -> None:
        """Keep the result URL (and when it expires), the cover URL and the seed the host used."""
        self._update(local_id, result_url=url, result_expires_at=expires_at,
                     **_non_empty(cover_url=cover_url, resolved_seed=resolved_seed))

    def set_cost(self, local_id: str, amount: float, unit: str) -> None:
        """The actual cost, as the host reported it."""
        self._update(local_id, actual_cost=amount, actual_cost_unit=unit)

    def set_billing(self, local_id: str, *, credits: float | None = None,
                    balance: float | None = None, balance_unit: str = "") -> None:
        """Credits consumed and remaining balance, where the host reports them."""
        self._update(local_id, **_non_empty(credits=credits, balance=balance,
                                            balance_unit=balance_unit))

    def set_trace_id(self, local_id: str, trace_id: str) -> None:
        self._update(local_id, trace_id=trace_id)

    def delete(self, local_id: str, *, remove_files: bool = False,
               media_root: Path | None = None) -> list[Path]:
        """Delete a task with its history, artifact rows and outbox entry.

        Returns the paths of its artifacts (relative ones resolved against ``media_root``).
        With ``remove_files`` those files, and a leftover ``.part`` next to each, are deleted
        too; paths that stay relative (no ``media_root``) are not touched.
        """
        with transaction(self._conn) as conn:
            self._row(local_id, "local_id")
            paths = [Path(r[0]) for r in conn.execute(
                "SELECT path FROM artifacts WHERE local_id = ? ORDER BY id", (local_id,))]
            conn.execute("DELETE FROM tasks WHERE local_id = ?", (local_id,))
        if media_root is not None:
            paths = [p if p.is_absolute() else media_root / p for p in paths]
        if remove_files:
            for path in paths:
                if path.is_absolute():
                    path.unlink(missing_ok=True)
                    path.with_name(path.name + ".part").unlink(missing_ok=True)
        return paths

    # -- reading ------------------------------------------------------------------------------

    def get(self, local_id: str) -> TaskRecord | None:
        row = self._conn.execute("SELECT * FROM tasks WHERE local_id = ?", (local_id,)).fetchone()
        return TaskRecord.from_row(row) if row else None

    def by_remote_id(self, remote_id: str, provider: str | None = None) -> TaskRecord | None:
        sql = "SELECT * FROM tasks WHERE remote_id = ?"
        params: list[object] = [remote_id]
        if provider:
            sql += " AND provider = ?"
            params.append(str(provider))
        row = self._conn.execute(sql + " ORDER BY created_at DESC LIMIT 1", params).fetchone()
        return TaskRecord.from_row(row) if row else None

    def by_client_token(self, client_token: str) -> TaskRecord | None:
        row = self._conn.execute(
            "SELECT * FROM tasks WHERE client_token = ?", (client_token,)).fetchone()
        return TaskRecord.from_row(row) if row else None

    def list_tasks(self, task_filter: TaskFilter | None = None, *, limit: int = 100,
                   offset: int = 0) -> list[TaskRecord]:
        """Tasks matching the filter, newest first, one page at a time."""
        where, params = (task_filter or TaskFilter()).where()
        rows = self._conn.execute(
            f"SELECT * FROM tasks WHERE {where} ORDER BY created_at DESC, rowid DESC"
            " LIMIT ? OFFSET ?", [*params, int(limit), int(offset)],
        )
        return [TaskRecord.from_row(r) for r in rows]

    def count(self, task_filter: TaskFilter | None = None) -> int:
        where, params = (task_filter or TaskFilter()).where()
        return int(self._conn.execute(f"SELECT COUNT(*) FROM tasks WHERE {where}",
                                      params).fetchone()[0])

    def active(self) -> list[TaskRecord]:
        """Tasks to resume at start (ACTIVE states and OUTCOME_UNKNOWN), oldest first."""
        return self._by_states(RESUMABLE)

    def in_states(self, states: Iterable[TaskState]) -> list[TaskRecord]:
        return self._by_states(frozenset(states))

    def count_by_state(self) -> dict[TaskState, int]:
        counts = dict.fromkeys(TaskState, 0)
        for state, n in self._conn.execute("SELECT state, COUNT(*) FROM tasks GROUP BY state"):
            counts[TaskState(state)] = int(n)
        return counts

    def events(self, local_id: str) -> list[TaskEvent]:
        """The state history of a task, oldest first."""
        rows = self._conn.execute(
            "SELECT * FROM task_events WHERE local_id = ? ORDER BY id", (local_id,))
        return [TaskEvent.from_row(r) for r in rows]

    def spend_since(self, since: float) -> dict[str, float]:
        """Actual cost per unit of the tasks finished at or after ``since`` (epoch seconds)."""
        rows = self._conn.execute(
            """SELECT actual_cost_unit, SUM(actual_cost) FROM tasks
               WHERE finished_at >= ? AND actual_cost IS NOT NULL
               GROUP BY actual_cost_unit ORDER BY actual_cost_unit""", (since,))
        return {unit: float(total) for unit, total in rows}

    def spend_today(self, now: float | None = None) -> dict[str, float]:
        """Actual cost per unit ("credits", "USD") of the tasks finished today, local time."""
        moment = datetime.fromtimestamp(self._clock() if now is None else now)
        midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return self.spend_since(midnight.timestamp())

    def latest_balances(self) -> dict[str, tuple[float, str]]:
        """The remaining balance each host reported last (``provider -> (amount, unit)``),
        for the hosts that report one."""
        rows = self._conn.execute(
            """SELECT provider, balance, balance_unit FROM tasks AS t
               WHERE balance IS NOT NULL AND updated_at = (
                   SELECT MAX(updated_at) FROM tasks
                   WHERE provider = t.provider AND balance IS NOT NULL)
               ORDER BY provider""")
        return {str(p): (float(b), str(u)) for p, b, u in rows}

    # -- helpers ------------------------------------------------------------------------------

    def _by_states(self, states: frozenset[TaskState]) -> list[TaskRecord]:
        where, params = TaskFilter(states=states).where()
        rows = self._conn.execute(
            f"SELECT * FROM tasks WHERE {where} ORDER BY created_at, rowid", params)
        return [TaskRecord.from_row(r) for r in rows]

    def _require(self, local_id: str) -> TaskRecord:
        record = self.get(local_id)
        if record is None:
            raise TaskNotFoundError(local_id)
        return record

    def _row(self, local_id: str, columns: str) -> sqlite3.Row:
        row: sqlite3.Row | None = self._conn.execute(
            f"SELECT {columns} FROM tasks WHERE local_id = ?", (local_id,)).fetchone()
        if row is None:
            raise TaskNotFoundError(local_id)
        return row

    def _update(self, local_id: str, **values: object) -> None:
        with transaction(self._conn) as conn:
            self._row(local_id, "local_id")
            now = self._clock()
            self._update_in(conn, local_id, {**values, "updated_at": now}, [], now)

    @staticmethod
    def _update_in(conn: sqlite3.Connection, local_id: str, values: dict[str, object],
                   assignments: list[str], now: float) -> None:
        # Column names come from this module only, never from callers' data.
        sets = [f"{name} = :{name}" for name in values] + assignments
        conn.execute(f"UPDATE tasks SET {', '.join(sets)} WHERE local_id = :local_id",
                     {**values, "now": now, "local_id": local_id})

    def _append_event(self, local_id: str, at: float, old: TaskState | None, new: TaskState,
                      detail: str, error: AppError | None) -> None:
        self._conn.execute(
            """INSERT INTO task_events (local_id, at, old_state, new_state, detail, error_json)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (local_id, at, old.value if old else None, new.value, detail, error_to_json(error)),
        )


def _non_empty(**values: object) -> dict[str, object]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
