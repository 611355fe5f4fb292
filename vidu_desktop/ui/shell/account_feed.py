"""The hosts' account info for the status bar (Vidu's balance, concurrency and queue), asked
of the engine in the background.

It asks when told to (``ask``: the window does once the library's engine has started, so the
first request never starts the sandbox emulator on the UI thread), after a task finishes, and
every ``every_s`` seconds; never more often than once every ``min_gap_s`` seconds (asks in
between are folded into one, made when the gap has passed) and never two at once. The loop is
never blocked: the requests run as asyncio tasks. A failure is logged, not shown: the last
info stays until the host says otherwise.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError
from vidu_desktop.ui.common.background import Background
from vidu_desktop.ui.common.bridge import EngineBridge

if TYPE_CHECKING:  # the engine opens after the first paint; the account facts, later
    from vidu_desktop.engine import AccountInfo, Engine
    from vidu_desktop.store import TaskRecord

log = logging.getLogger(__name__)

EVERY_S = 60.0
MIN_GAP_S = 5.0


class AccountFeed(QObject):
    """``info``: host id -> its account now, for the hosts that have one. ``changed`` fires
    when it was read again (or cleared for another library). It asks the engine the bridge
    follows (another one when sandbox mode is switched)."""

    changed = Signal()

    def __init__(self, bridge: EngineBridge, ready: Callable[[], bool],
                 parent: QObject | None = None, *, every_s: float = EVERY_S,
                 min_gap_s: float = MIN_GAP_S) -> None:
        super().__init__(parent)
        self.ready = ready
        self.min_gap_s = min_gap_s
        self.info: dict[str, AccountInfo] = {}
        self.asked = 0  # how many times the hosts were asked
        self._bg = Background()
        self._busy = False
        self._again = False
        self._last = -float("inf")
        self._closed = False
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self._fetch)
        self._every = QTimer(self)
        self._every.setInterval(int(every_s * 1000))
        self._every.timeout.connect(self.ask)
        self._every.start()
        self.bridge = bridge
        self.engine: Engine | None = bridge.engine
        bridge.state_changed.connect(self._on_state)
        bridge.retargeted.connect(self._retarget)

    def _retarget(self) -> None:
        """Ask the bridge's engine from now on (another library: what the last one said is
        dropped)."""
        self.engine = self.bridge.engine
        if self.info:
            self.info = {}
            self.changed.emit()

    @property
    def busy(self) -> bool:
        """Whether a read is under way."""
        return self._busy

    def _on_state(self, rec: TaskRecord) -> None:
        if rec.state.is_terminal:
            self.ask()

    def ask(self) -> None:
        """Read the accounts again, as soon as the gap since the last read allows."""
        if self._closed or self.engine is None or not self.ready():
            return
        if self._busy:
            self._again = True
            return
        if not self._soon.isActive():
            wait = max(0.0, self._last + self.min_gap_s - time.monotonic())
            self._soon.start(int(wait * 1000))

    def _fetch(self) -> None:
        if self.engine is None or self._closed:
            return
        try:
            self._bg.spawn(self._read(self.engine), "account info")
        except RuntimeError:  # no running loop (shutting down): the next ask tries again
            log.debug("account info not asked: no running event loop")
            return
        self._busy = True

    async def _read(self, engine: Engine) -> None:
        import asyncio

        self._last = time.monotonic()
        self.asked += 1
        try:
            found: dict[str, AccountInfo | None] = {}
            for pid in ProviderId:
                try:
                    found[pid.value] = await engine.account_info(pid.value)
                except AppError as err:
                    log.info("account info from %s not read: %s", pid.value, err)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("account info from %s failed", pid.value)
            if engine is self.engine:
                info = dict(self.info)
                for host, value in found.items():
                    if value is None:
                        info.pop(host, None)
                    else:
                        info[host] = value
                self.info = info
                self.changed.emit()
        finally:
            self._busy = False
            if self._again:
                self._again = False
                self.ask()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.bridge.state_changed.disconnect(self._on_state)
        self.bridge.retargeted.disconnect(self._retarget)
        self._soon.stop()
        self._every.stop()
        for task in self._bg.pending:
            task.cancel()
