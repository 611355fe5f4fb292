"""What the task store hands out: a task row, one entry of its state history, a list filter."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.records import made_from, record
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskMark, TaskState


@record
class TaskRecord:
    """One task as stored. Times are epoch seconds; ``progress`` is a percentage (0-100)."""

    local_id: str
    provider: str
    model: str
    mode: str
    prompt: str
    request_data: dict[str, Any]  # GenerationRequest.to_dict() as submitted
    client_token: str  # sent in Vidu's ``payload`` to find the task again after a lost answer
    state: TaskState
    remote_id: str | None
    remote_state: str  # the host's own word for the state, as last seen
    progress: float | None
    detail: str  # the last human-readable note ("queued, position 3", "retrying in 8 s")
    draft_id: str | None
    group_id: str | None  # takes of one "generate N" share a group
    take_index: int | None
    seed: int | None  # as requested (None or 0: the host picks)
    resolved_seed: int | None  # as reported by the host
    estimated_cost: float | None
    estimated_cost_unit: str
    actual_cost: float | None  # as reported by the host
    actual_cost_unit: str
    credits: float | None  # credits the host says the task consumed
    balance: float | None  # remaining balance, where the host reports it
    balance_unit: str
    error: AppError | None
    trace_id: str
    result_url: str
    result_expires_at: float | None
    cover_url: str
    created_at: float
    updated_at: float
    submitted_at: float | None  # the first submit request was about to leave
    queued_at: float | None
    started_at: float | None
    result_at: float | None  # the host reported success
    finished_at: float | None  # the task reached a terminal state
    submit_attempts: int  # submit requests sent (1 for a normal task)
    poll_count: int
    download_attempts: int
    mark: TaskMark = TaskMark.NONE  # the user's verdict: starred, rejected or none
    marked_at: float | None = None

    @property
    def request(self) -> GenerationRequest:
        return GenerationRequest.from_dict(self.request_data)

    @property
    def provider_id(self) -> ProviderId | None:
        try:
            return ProviderId(self.provider)
        except ValueError:
            return None

    @property
    def is_terminal(self) -> bool:
        return self.state.is_terminal

    @property
    def cost(self) -> tuple[float, str, bool] | None:
        """What the task costs, best known first: the host's reported cost, else the credits
        it says the task consumed, else the estimate; as (amount, unit, estimated), or None."""
        if self.actual_cost is not None:
            return self.actual_cost, self.actual_cost_unit, False
        if self.credits is not None:
            return self.credits, "credits", False
        if self.estimated_cost is not None:
            return self.estimated_cost, self.estimated_cost_unit, True
        return None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> TaskRecord:
        data = dict(zip(row.keys(), row, strict=True))  # one pass; Row lookups by name are slow
        values = {name: data[name] for name in _COLUMN_FIELDS}
        values["state"] = TaskState(data["state"])
        values["request_data"] = json.loads(data["request_json"])
        values["error"] = error_from_json(data["error_json"])
        values["mark"] = TaskMark(data.get("mark") or "")
        return made_from(cls, values)  # (every field is a column: as cls(**values), faster)


# Fields read straight from the column of the same name (the others are decoded above).
_COLUMN_FIELDS = tuple(f for f in TaskRecord.__dataclass_fields__
                       if f not in ("state", "request_data", "error", "mark"))


@record
class TaskEvent:
    """One entry of a task's history. ``old_state`` is None for the entry that created it."""

    id: int
    local_id: str
    at: float
    old_state: TaskState | None
    new_state: TaskState
    detail: str
    error: AppError | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> TaskEvent:
        old = row["old_state"]
        return cls(
            id=int(row["id"]), local_id=row["local_id"], at=float(row["at"]),
            old_state=TaskState(old) if old is not None else None,
            new_state=TaskState(row["new_state"]), detail=row["detail"],
            error=error_from_json(row["error_json"]),
        )


@record
class TaskFilter:
    """Which tasks to list. Empty fields do not filter. ``text`` matches the prompt, the remote
    id or the local id (case-insensitive for ASCII letters); ``marks``: the tasks with any of
    these marks (the task list's "Starred" filter)."""

    states: frozenset[TaskState] | None = None
    provider: str | None = None
    text: str = ""
    group_id: str | None = None
    draft_id: str | None = None
    marks: frozenset[TaskMark] | None = None

    @classmethod
    def of(cls, states: Iterable[TaskState] | None = None, provider: str | None = None,
           text: str = "", group_id: str | None = None,
           draft_id: str | None = None, marks: Iterable[TaskMark] | None = None
           ) -> TaskFilter:
        return cls(frozenset(states) if states is not None else None, provider, text,
                   group_id, draft_id, frozenset(marks) if marks is not None else None)

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition (never empty) and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        if self.states is not None:
            if not self.states:
                return "0", []
            clauses.append(f"state IN ({', '.join('?' * len(self.states))})")
            params.extend(sorted(s.value for s in self.states))
        if self.marks is not None:
            if not self.marks:
                return "0", []
            clauses.append(f"mark IN ({', '.join('?' * len(self.marks))})")
            params.extend(sorted(m.value for m in self.marks))
            if TaskMark.NONE not in self.marks:  # what lets SQLite use the partial index of
                clauses.append("mark != ''")  # the marked tasks (else: every row is read)
        if self.provider:
            clauses.append("provider = ?")
            params.append(str(self.provider))
        if self.group_id is not None:
            clauses.append("group_id = ?")
            params.append(self.group_id)
        if self.draft_id is not None:
            clauses.append("draft_id = ?")
            params.append(self.draft_id)
        if self.text.strip():
            pattern = "%" + _escape_like(self.text.strip()) + "%"
            clauses.append("(prompt LIKE ? ESCAPE '\\' OR remote_id LIKE ? ESCAPE '\\'"
                           " OR local_id LIKE ? ESCAPE '\\')")
            params.extend([pattern, pattern, pattern])
        return (" AND ".join(clauses) or "1"), params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def error_to_json(error: AppError | None) -> str | None:
    return json.dumps(error.to_dict(), ensure_ascii=False) if error is not None else None


def error_from_json(text: str | None) -> AppError | None:
    if not text:
        return None
    data = json.loads(text)
    return AppError.from_dict(data) if isinstance(data, dict) else None
