"""Start-up in steps, so the window that appears first is the real one and usable at once:

1. show the window as built (``attach=False``): the compose area (tray, prompt, parameters,
   Generate bar), menus, banners and the status bar, with places of the final size for the
   task list and the Review tab; typing a prompt and adding pictures work from here on. The
   app paints it before any asyncio loop exists (:meth:`Startup.paint`: Qt's own event
   processing, user input held in Qt's queue), then imports asyncio and qasync and runs the
   loop (:meth:`Startup.go`);
2. after its first paint (``painted``): open the engine of the mode the session chose (its
   library; the draft's pictures and cast come in then, before any input is handled), and in
   the next event-loop turn attach the task list (the first page of the library), Review, the
   outbox banner and the notifications;
3. then read the keychain on a worker thread (:meth:`Session.confirm_keys`): the mode started
   as the last look-up left it; when the keychain says otherwise the session switches and the
   status bar says so;
4. then start the active engine (resume its tasks and outbox; in sandbox mode the emulator
   starts first).

``ready`` fires when the keys are known, the engine has started and the task list has painted
its first page (what ``bench/startup.py`` times, with ``painted``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, Signal

from vidu_desktop.ui.common import gc_hold
from vidu_desktop.ui.common.session import Session
from vidu_desktop.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, Any], str], Any]
#: How long :meth:`Startup.paint` waits for a first paint (a window that does not paint, e.g.
#: restored minimised, must not hold up the start)
PAINT_WAIT_MS = 5_000
#: the most threads the loop's default executor runs at once (as many as qasync's own)
WORKERS = 10


def _lazy_workers() -> None:
    """The running loop's default executor (``run_in_executor(None, ...)``, ``to_thread``):
    threads made as the work comes, up to :data:`WORKERS`. qasync's own makes all ten of its
    QThreads at its first use (the keychain's read, at start-up), some 10 threads started and
    waiting before the window is ready."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(WORKERS, thread_name_prefix="vidu-worker"))


class _FirstPaint(QObject):
    """Calls ``then`` once, after the first paint event of the widget it watches."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self._then = then
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # after this paint, not inside it
        return False


class Startup(QObject):
    """Shows the window, then attaches the rest, reads the keys and starts the engine."""

    painted = Signal()  # the window's first paint
    attached = Signal()  # the task list and Review are in
    ready = Signal()  # keys known, engine started, the first page of tasks painted

    def __init__(self, window: MainWindow, session: Session, spawn: Spawn) -> None:
        super().__init__()
        self.window = window
        self.session = session
        self._spawn = spawn
        self._window_paint = _FirstPaint(self._on_painted)
        self._list_paint: _FirstPaint | None = None
        self._pending = {"list", "engine"}
        self.is_ready = False
        self.message = ""  # what the keychain's answer changed, if anything
        self._held = False  # paint(): the attach waits for go() (an asyncio loop)
        self._attach_due = False

    def show(self) -> None:
        self.window.installEventFilter(self._window_paint)
        self.window.show()

    def paint(self) -> None:
        """Show the window and process Qt's events until its first paint pass is over (or
        the window closed, or ``PAINT_WAIT_MS``), with no asyncio loop: user input stays in
        Qt's queue until the loop runs (nothing typed or clicked is lost). The attach and
        the rest wait for :meth:`go`."""
        self._held = True
        waiting = QEventLoop()
        self.painted.connect(waiting.quit)
        self.window.closed.connect(waiting.quit)
        QTimer.singleShot(PAINT_WAIT_MS, waiting.quit)
        self.show()
        if not self._attach_due:  # (not painted already)
            waiting.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.painted.disconnect(waiting.quit)
        self.window.closed.disconnect(waiting.quit)

    def go(self) -> None:
        """The asyncio loop runs (after :meth:`paint`): attach, then keys and engine."""
        self._held = False
        _lazy_workers()
        if self._attach_due:
            self.session.open_engine()  # before the loop hands over the input held meanwhile
            QTimer.singleShot(0, self._attach)

    def _on_painted(self) -> None:
        QTimer.singleShot(gc_hold.LONGEST_HOLD_MS, gc_hold.release)  # ready or not
        self.painted.emit()
        if self._held:
            self._attach_due = True
        else:
            QTimer.singleShot(0, self._attach)  # a turn of the loop for input typed meanwhile

    def _attach(self) -> None:
        if not self.window.isVisible():  # closed before its first turn: the app ends
            gc_hold.release()
            return
        self.session.open_engine()  # (open already after paint())
        self.window.attach()
        self._watch_list()
        self.attached.emit()
        self._spawn(self._keys_then_engine(), "start-up: keys and engine")

    def _watch_list(self) -> None:
        """``ready`` waits for the (current) task list's first paint (its rows, or the words
        of an empty library, are painted in the same pass)."""
        self._pending.add("list")
        self._list_paint = _FirstPaint(lambda: self._step("list"))
        self.window.task_list.installEventFilter(self._list_paint)

    async def _keys_then_engine(self) -> None:
        self.message = await self.session.confirm_keys()
        if self.message:  # another mode, another library: its list is painted anew
            self._watch_list()
            self.window.say(self.message, 20_000)
        await self.session.start()
        self._step("engine")

    def _step(self, done: str) -> None:
        self._pending.discard(done)
        if not self._pending and not self.is_ready:
            self.is_ready = True
            gc_hold.release()  # the start's objects frozen, the collector on again
            log.info("ready (%s)", "sandbox" if self.session.sandbox else "hosts")
            self.ready.emit()
