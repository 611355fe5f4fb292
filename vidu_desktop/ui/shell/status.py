"""Around the window: the status bar's summary (active tasks, today's spend, the account of a
host that has an account endpoint, the remaining balance other hosts report) and a notification
when a task finishes or fails.

Both follow the engine's events; the summary re-reads the store at most a few times a second.
The account (Vidu: "Vidu balance: 992 credits · 2/5 running, 1 queued") comes from
:class:`AccountFeed`, read in the background.
Notifications go through the system tray where the system has one
(``QSystemTrayIcon.isSystemTrayAvailable()``); everywhere the status bar says it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # QSystemTrayIcon: made with the notifier, after the paint
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from vidu_desktop.core.formatting import host_label, money
from vidu_desktop.core.states import ACTIVE, TaskState
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.common.bridge import EngineBridge
from vidu_desktop.ui.shell.account_feed import AccountFeed

if TYPE_CHECKING:  # the engine opens after the first paint; the account facts, later
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QSystemTrayIcon

    from vidu_desktop.engine import AccountInfo, Engine
    from vidu_desktop.store import TaskRecord

REFRESH_MS = 300
NOTHING_RUNNING = "No task running"
PRETEND = " (sandbox: no real cost)"
_S = TaskState


def account_text(host: str, info: AccountInfo) -> str:
    """"Vidu balance: 992 credits · 2/5 running, 1 queued" (the parts the host gave)."""
    parts = []
    if info.balance is not None:
        parts.append(f"{host_label(host)} balance: {money(info.balance, info.unit)}")
    if info.running is not None or info.concurrency_limit is not None:
        limit = f"/{info.concurrency_limit}" if info.concurrency_limit is not None else ""
        load = f"{info.running or 0}{limit} running"
        if info.queued is not None:
            load += f", {info.queued} queued"
        parts.append(load if parts else f"{host_label(host)}: {load}")
    return " · ".join(parts)


class StatusSummary(QWidget):
    """"2 running · Today: 12 credits, $0.40 · Vidu balance: 992 credits · 2/5 running,
    1 queued · Segmind balance: $7.00" on the right of the status bar. In sandbox mode the
    spend is the emulator's pretend cost, and it says so. ``ready``: whether the engine has
    started (before that its hosts are not asked for their accounts). It summarises the library
    of the engine ``bridge`` follows (another one when sandbox mode is switched).

    The engine opens after the window's first paint: until then the summary is empty, with
    the room its usual words ("No task running · Today: nothing") take, so they do not move
    the status bar when they come."""

    def __init__(self, bridge: EngineBridge, sandbox: Callable[[], bool],
                 parent: QWidget | None = None, *,
                 ready: Callable[[], bool] = lambda: True) -> None:
        super().__init__(parent)
        self.setObjectName("status-summary")
        self.sandbox = sandbox
        self.active = QLabel(self)
        self.active.setObjectName("status-active")
        self.spend = QLabel(self)
        self.spend.setObjectName("status-spend")
        self.spend.setToolTip("What the hosts charged for the tasks that finished today")
        self.account = QLabel(self)
        self.account.setObjectName("status-account")
        self.account.setToolTip("The account as the host said when last asked (at start, "
                                "after a task finishes, every minute): the credits left, the "
                                "tasks running of the account's limit and those queued")
        self.account.setVisible(False)
        self.balance = QLabel(self)
        self.balance.setObjectName("status-balance")
        self.balance.setToolTip("The remaining balance each host reported last")
        self.balance.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(14)
        for label in (self.active, self.spend, self.account, self.balance):
            theme.set_role(label, "muted")
            layout.addWidget(label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.bridge = bridge
        self.engine: Engine | None = bridge.engine
        self.accounts = AccountFeed(bridge, ready, self)
        self.accounts.changed.connect(self.show_accounts)
        bridge.state_changed.connect(self._on_state)
        bridge.retargeted.connect(self._retarget)
        self._following = True
        self._reserved_for: bool | None = None  # the mode whose words have their room
        self.refresh()

    def _reserve(self) -> None:
        """The room of the usual words (kept: "1 task running" does not jitter either)."""
        if self._reserved_for is self.sandbox():
            return
        self._reserved_for = self.sandbox()
        pretend = PRETEND if self.sandbox() else ""
        for label, words in ((self.active, NOTHING_RUNNING),
                             (self.spend, f"Today: nothing{pretend}")):
            shown = label.text()
            label.setText(words)
            label.setMinimumWidth(label.sizeHint().width())
            label.setText(shown)

    def _retarget(self) -> None:
        self.engine = self.bridge.engine
        self.refresh()

    def _on_state(self, _rec: TaskRecord) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def refresh(self) -> None:
        self._reserve()
        engine = self.engine
        if engine is None:
            return
        from vidu_desktop.store import TaskFilter

        running = engine.count(TaskFilter.of(states=ACTIVE | {_S.OUTCOME_UNKNOWN}))
        self.active.setText(NOTHING_RUNNING if running == 0
                            else f"{running} task{'s' if running != 1 else ''} running")
        spent = engine.spent_today()
        words = ", ".join(money(amount, unit) for unit, amount in sorted(spent.items())
                          if amount) or "nothing"
        pretend = PRETEND if self.sandbox() else ""
        self.spend.setText(f"Today: {words}{pretend}")
        balances = {pid: value for pid, value in engine.latest_balances().items()
                    if pid not in self.accounts.info}  # an account says it better
        self.balance.setText(" · ".join(
            f"{host_label(pid)} balance: {money(amount, unit)}"
            for pid, (amount, unit) in balances.items()))
        self.balance.setVisible(bool(balances))

    def show_accounts(self) -> None:
        text = " · ".join(filter(None, (account_text(pid, info)
                                        for pid, info in self.accounts.info.items())))
        if text and self.sandbox():  # the emulator's pretend account, not the user's
            text += " (sandbox)"
        self.account.setText(text)
        self.account.setVisible(bool(text))
        self.refresh()

    def close_feed(self) -> None:
        if self._following:
            self._following = False
            self.bridge.state_changed.disconnect(self._on_state)
            self.bridge.retargeted.disconnect(self._retarget)
        self._timer.stop()
        self.accounts.close()


class Notifier(QObject):
    """Says when a task finishes, fails or needs a decision: through the system tray's
    notification where there is one, and always through ``notified(title, text, local_id)``
    (the window shows it in the status bar). ``clicked(local_id)``: the user clicked the
    last notification."""

    notified = Signal(str, str, str)
    clicked = Signal(str)

    def __init__(self, bridge: EngineBridge, icon: QIcon, parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self.tray: QSystemTrayIcon | None = None
        self.last_id = ""
        if QtWidgets.QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QtWidgets.QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Vidu Studio")
            self.tray.messageClicked.connect(lambda: self.clicked.emit(self.last_id))
            self.tray.show()
        self.last_id = ""
        self.bridge = bridge
        bridge.state_changed.connect(self._on_state)
        self._following = True

    def _on_state(self, rec: TaskRecord) -> None:
        said = self.words(rec)
        if said is not None:
            self.notify(*said, rec.local_id)

    @staticmethod
    def words(rec: TaskRecord) -> tuple[str, str] | None:
        """The title and text for a task that just reached ``rec.state`` (None: nothing to
        say)."""
        from vidu_desktop.ui.review.review import take_label  # not needed at start-up

        what = take_label(rec, 50)
        if rec.state == _S.SUCCEEDED:
            return "Video ready", f"{what} is downloaded and ready to play."
        if rec.state == _S.FAILED:
            reason = rec.error.message if rec.error is not None else "the host gave no reason"
            return "Task failed", f"{what}: {reason}"
        if rec.state == _S.OUTCOME_UNKNOWN:
            return ("Was it sent?", f"{what}: the host did not answer the submit; see the task "
                    "to check or send it again.")
        return None

    def notify(self, title: str, text: str, local_id: str) -> None:
        self.last_id = local_id
        icon = (QtWidgets.QSystemTrayIcon.MessageIcon.Warning if title != "Video ready"
                else QtWidgets.QSystemTrayIcon.MessageIcon.Information)
        if self.tray is not None:
            self.tray.showMessage(title, text, icon, 8000)
        self.notified.emit(title, text, local_id)

    def close(self) -> None:
        if self._following:
            self._following = False
            self.bridge.state_changed.disconnect(self._on_state)
        if self.tray is not None:
            self.tray.hide()
