"""The task list's words: a task's state, times, cost and mark as the list writes them, and
whether a task belongs in a filtered list (as the store's SQL says). Pure: no Qt."""

from __future__ import annotations

import time

from vidu_desktop.core.formatting import host_label, money
from vidu_desktop.core.states import TaskMark, TaskState
from vidu_desktop.store import TaskFilter, TaskRecord

_S = TaskState

STATE_TEXT = {
    _S.DRAFT: "draft", _S.SUBMITTING: "sending…", _S.OUTCOME_UNKNOWN: "sent? checking the host",
    _S.QUEUED: "queued", _S.PROCESSING: "processing", _S.DOWNLOADING: "downloading",
    _S.SUCCEEDED: "done", _S.FAILED: "failed", _S.CANCELLED: "cancelled",
    _S.UNTRACKED: "not tracked",
}
OUTBOX_TEXT = "waiting in the outbox"

def host_name(rec: TaskRecord) -> str:
    return host_label(rec.provider)


def state_text(rec: TaskRecord, in_outbox: bool = False) -> str:
    """"processing 42%", "failed: <message>", "waiting in the outbox"..."""
    if rec.state == _S.DRAFT and in_outbox:
        return OUTBOX_TEXT
    if rec.state == _S.SUBMITTING and rec.detail.startswith("waiting for "):
        # a busy host: "rate limited, next try in 12 s" (the host is in the Task column; the
        # details say "waiting for Vidu: …")
        return rec.detail.partition(": ")[2] or rec.detail
    text = STATE_TEXT[rec.state]
    if rec.state == _S.PROCESSING and rec.progress is not None:
        text += f" {rec.progress:.0f}%"
    if rec.state == _S.FAILED and rec.error is not None:
        text += f": {rec.error.message}"
    return text


def span(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


def when(moment: float, now: float) -> str:
    """"at 14:05" today, "3 Nov" before."""
    at, today = time.localtime(moment), time.localtime(now)
    same_day = (at.tm_year, at.tm_yday) == (today.tm_year, today.tm_yday)
    return time.strftime("at %H:%M", at) if same_day else time.strftime("%d %b", at).lstrip("0")


def elapsed(rec: TaskRecord, now: float) -> float:
    start = rec.submitted_at or rec.created_at
    return (rec.finished_at or now) - start


def cost_text(rec: TaskRecord) -> str:
    if rec.cost is None:
        return ""
    amount, unit, estimated = rec.cost
    return ("~" if estimated else "") + money(amount, unit)


def matches(task_filter: TaskFilter, rec: TaskRecord) -> bool:
    """Whether ``rec`` belongs in a list made with ``task_filter`` (as the store's SQL says)."""
    f = task_filter
    if f.states is not None and rec.state not in f.states:
        return False
    if f.provider and rec.provider != str(f.provider):
        return False
    if f.group_id is not None and rec.group_id != f.group_id:
        return False
    if f.draft_id is not None and rec.draft_id != f.draft_id:
        return False
    if f.marks is not None and rec.mark not in f.marks:
        return False
    text = f.text.strip().lower()
    return not text or any(text in (v or "").lower()
                           for v in (rec.prompt, rec.remote_id, rec.local_id))



def mark_prefix(rec: TaskRecord) -> str:
    """"★ " for a starred task, "✕ " for a rejected one."""
    return {TaskMark.STAR: "★ ", TaskMark.REJECT: "✕ "}.get(rec.mark, "")


def mark_words(rec: TaskRecord) -> str:
    return {TaskMark.STAR: "starred", TaskMark.REJECT: "rejected"}.get(rec.mark, "")
