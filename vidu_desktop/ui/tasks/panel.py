"""The Tasks area under the parameters: the task list (:class:`.task_view.TaskView`, a Qt
model over the store) fed by the engine's events; and the outbox banner (jobs made while a
host was unreachable, sent when it answers again)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from vidu_desktop.engine import Engine
from vidu_desktop.store import TaskRecord
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.common.bridge import DownloadProgress, EngineBridge
from vidu_desktop.ui.tasks.texts import OUTBOX_TEXT, STATE_TEXT, host_name, state_text
from vidu_desktop.ui.tasks.view import TaskView

OUTBOX_REFRESH_MS = 200

__all__ = ["OUTBOX_TEXT", "STATE_TEXT", "OutboxBanner", "TaskFeed", "TaskList", "host_name",
           "state_text"]


class TaskList(QWidget):
    """"Tasks": the filterable list of every task, newest on top, with the selected task's
    details and actions."""

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        title = QLabel("Tasks", self)
        theme.set_role(title, "section")
        self.view = TaskView(engine, self, sandbox=self._sandbox)
        self.model = self.view.model
        self.task_actions = self.view.task_actions
        self._sandbox_of: Callable[[], bool] = lambda: False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.view, 1)

    def _sandbox(self) -> bool:
        return self._sandbox_of()

    def attach(self, sandbox: Callable[[], bool],
               say: Callable[[str, int], None] | None = None) -> None:
        """``sandbox`` tells whether the list is the sandbox's; action messages also go to
        ``say`` (the window's status bar)."""
        self._sandbox_of = sandbox
        if say is not None:
            self.view.message.connect(lambda text: say(text, 10_000))

    def show_record(self, rec: TaskRecord) -> None:
        self.model.show_record(rec)

    def state_of(self, local_id: str) -> str:
        """The state as the list says it ("" for a task it does not show)."""
        rec = self.model.record_of(local_id)
        if rec is None:
            return ""
        return state_text(rec, self.engine.in_outbox(local_id))

    def shutdown(self) -> None:
        self.view.shutdown()


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
        button.setToolTip("Send what waits in the outbox now")
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
    """Routes the bridge's events to the list (of the engine the bridge follows) and the
    outbox banner (on the UI thread: the engine runs on the same qasync loop). The banner
    re-reads the outbox at most every ``OUTBOX_REFRESH_MS`` (a burst of state changes is one
    query, not one each)."""

    def __init__(self, bridge: EngineBridge, tasks: TaskList, banner: OutboxBanner) -> None:
        engine = self.engine = tasks.engine
        self.bridge = bridge
        self.tasks = tasks
        self.banner = banner
        banner.retry.connect(engine.wake_outbox)
        self._outbox_timer = QTimer(banner)
        self._outbox_timer.setSingleShot(True)
        self._outbox_timer.setInterval(OUTBOX_REFRESH_MS)
        self._outbox_timer.timeout.connect(self.refresh_outbox)
        bridge.state_changed.connect(self._on_state)
        bridge.progress.connect(self._on_progress)
        bridge.download.connect(self._on_download)
        bridge.marked.connect(self._on_marked)
        self._following = True
        self.refresh_outbox()

    def _on_state(self, rec: TaskRecord) -> None:
        self.tasks.model.on_state(rec)
        if not self._outbox_timer.isActive():
            self._outbox_timer.start()

    def _on_progress(self, rec: TaskRecord) -> None:
        self.tasks.model.show_record(rec)

    def _on_marked(self, rec: TaskRecord) -> None:
        self.tasks.model.show_record(rec)  # (the board marks takes too)
        self.tasks.view.marks.refresh()

    def _on_download(self, progress: DownloadProgress) -> None:
        self.tasks.model.on_download(progress)

    def waiting(self) -> list[TaskRecord]:
        return self.engine.waiting_in_outbox()

    def refresh_outbox(self) -> None:
        self.banner.show_waiting(self.waiting())

    def close(self) -> None:
        if self._following:
            self._following = False
            self.bridge.state_changed.disconnect(self._on_state)
            self.bridge.progress.disconnect(self._on_progress)
            self.bridge.download.disconnect(self._on_download)
            self.bridge.marked.disconnect(self._on_marked)
        self._outbox_timer.stop()
        self.tasks.shutdown()
