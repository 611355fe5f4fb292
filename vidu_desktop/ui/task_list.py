"""The Tasks list: submitted tasks and their states, fed by the engine's events; and the outbox
banner (jobs made while a host was unreachable, sent when it answers again). Minimal: the full
task list and the player are a later issue."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import provider
from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import Engine, EngineEvent
from vidu_desktop.store import TaskRecord

from . import theme

_S = TaskState
OUTBOX_TEXT = "waiting in the outbox"

STATE_TEXT = {
    _S.DRAFT: "draft", _S.SUBMITTING: "sending…", _S.OUTCOME_UNKNOWN: "sent? checking the host",
    _S.QUEUED: "queued", _S.PROCESSING: "processing", _S.DOWNLOADING: "downloading",
    _S.SUCCEEDED: "done", _S.FAILED: "failed", _S.CANCELLED: "cancelled",
    _S.UNTRACKED: "not tracked",
}


def state_text(rec: TaskRecord, in_outbox: bool) -> str:
    if rec.state == _S.DRAFT and in_outbox:
        return OUTBOX_TEXT
    text = STATE_TEXT[rec.state]
    if rec.state == _S.PROCESSING and rec.progress is not None:
        text += f" {rec.progress:.0f}%"
    if rec.state == _S.FAILED and rec.error is not None:
        text += f": {rec.error.message}"
    return text


def host_name(rec: TaskRecord) -> str:
    try:
        return provider(rec.provider).display_name
    except KeyError:
        return rec.provider


class TaskList(QWidget):
    """"Tasks": one two-line row per task (prompt; host, model and state), newest on top."""

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        title = QLabel("Tasks", self)
        theme.set_role(title, "section")
        self.list = QListWidget(self)
        self.list.setObjectName("tasks")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setUniformItemSizes(True)
        self.empty = QLabel("No tasks yet. Each Generate adds its takes here and follows them "
                            "until the video is downloaded.", self)
        self.empty.setWordWrap(True)
        theme.set_role(self.empty, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addStretch(0)
        self._rows: dict[str, QListWidgetItem] = {}
        self._states: dict[str, str] = {}
        for rec in reversed(engine.tasks.list_tasks(limit=50)):
            self.show_record(rec)
        self._update_empty()

    def _update_empty(self) -> None:
        self.empty.setVisible(not self._rows)
        self.list.setVisible(bool(self._rows))

    def show_record(self, rec: TaskRecord) -> QListWidgetItem:
        item = self._rows.get(rec.local_id)
        if item is None:
            item = QListWidgetItem()
            self.list.insertItem(0, item)
            self._rows[rec.local_id] = item
            self._update_empty()
        take = f"take {rec.take_index + 1} · " if rec.take_index is not None else ""
        prompt = " ".join(rec.prompt.split()) or "(no prompt)"
        state = state_text(rec, rec.local_id in self.engine.outbox)
        self._states[rec.local_id] = state
        short = prompt if len(prompt) <= 60 else prompt[:59] + "…"
        item.setText(f"{short}\n{take}{host_name(rec)} {rec.model} — {state}")
        when = time.strftime("%H:%M", time.localtime(rec.created_at))
        detail = f"\n{rec.detail}" if rec.detail else ""
        item.setToolTip(f"{rec.prompt}\n\n{host_name(rec)} {rec.model}, created {when}: "
                        f"{state}{detail}")
        item.setData(Qt.ItemDataRole.UserRole, rec.local_id)
        return item

    def state_of(self, local_id: str) -> str:
        return self._states.get(local_id, "")


class OutboxBanner(QFrame):
    """"Offline: 1 job waits in the outbox…" with a "Try now" button; hidden when empty."""

    retry = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outbox-banner")
        theme.set_role(self, "banner-offline")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        button = QPushButton("Try now", self)
        button.clicked.connect(self.retry)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(button)
        self.hide()

    def show_waiting(self, records: list[TaskRecord]) -> None:
        if not records:
            self.hide()
            return
        hosts = sorted({host_name(r) for r in records})
        n = len(records)
        jobs = "1 job waits" if n == 1 else f"{n} jobs wait"
        self.label.setText(f"Offline: {jobs} in the outbox. They send themselves when "
                           f"{' and '.join(hosts)} can be reached again.")
        self.show()


class TaskFeed:
    """Routes engine events to the list and the outbox banner (on the UI thread: the engine
    runs on the same qasync loop)."""

    def __init__(self, engine: Engine, tasks: TaskList, banner: OutboxBanner) -> None:
        self.engine = engine
        self.tasks = tasks
        self.banner = banner
        banner.retry.connect(engine.wake_outbox)
        self._unsubscribe = engine.bus.subscribe(self._on_event)
        self.refresh_outbox()

    def _on_event(self, event: EngineEvent) -> None:
        self.tasks.show_record(event.record)
        if event.kind == "state":
            self.refresh_outbox()

    def waiting(self) -> list[TaskRecord]:
        records = (self.engine.tasks.get(i) for i in self.engine.outbox.pending())
        return [r for r in records if r is not None]

    def refresh_outbox(self) -> None:
        self.banner.show_waiting(self.waiting())

    def close(self) -> None:
        self._unsubscribe()
