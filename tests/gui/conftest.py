"""GUI fixtures: a qasync loop per test, a trap that fails a test on unexpected Qt warnings,
and a factory for the real main window (real engine, real SQLite under tmp_path).

The loop is a ``qasync.QEventLoop(app, already_running=True)``, so ``qtbot.waitUntil`` and
``qtbot.waitSignal`` drive asyncio tasks; ``run(coro)`` waits for a coroutine the same way.
The fixture never calls ``loop.stop()`` or ``app.quit()`` (that breaks later ``waitSignal``s):
it cancels what is left, waits for it by processing events, then closes the loop.
"""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import QEvent, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from vidu_desktop.engine import EngineSettings
from vidu_desktop.ui.common import theme

T = TypeVar("T")

#: Qt messages that are expected and harmless here (each with why).
IGNORED_QT_MESSAGES = [
    # offscreen has no window manager: these are informational on that platform
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    # QtMultimedia (the player in the Review tab), once per process on a machine like CI's:
    # optional hardware-decoding (VA-API) and PipeWire libraries are not installed, so FFmpeg
    # decodes in software; no audio server or device, so audio is dropped and video plays;
    # offscreen has no GPU, so frames are converted on the CPU
    r"^Couldn't (load|resolve) (va|pipewire)",
    r"^PulseAudioService: pa_context_connect\(\) failed",
    r"^No audio device detected",
    r"No RHI backend\. Using CPU conversion",
]


@pytest.fixture(autouse=True)
def qt_warnings() -> Iterator[list[str]]:
    """Fail the test (at teardown) on any Qt warning or critical message not ignored above."""
    seen: list[str] = []
    previous: Any = None

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) \
                and not any(re.search(p, message) for p in IGNORED_QT_MESSAGES):
            seen.append(f"{kind.name}: {message}")
        if previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)
    assert not seen, "unexpected Qt warnings:\n" + "\n".join(seen)


#: A GUI test still running after this many seconds is stuck: see ``native_watchdog``.
STUCK_S = 300


@pytest.fixture(autouse=True)
def native_watchdog() -> Iterator[None]:
    """pytest-timeout needs the GIL to fire; a test stuck in native code that holds it (a
    multimedia deadlock, say) would hang the run until CI's limit. faulthandler's watchdog is a
    C thread: after ``STUCK_S`` it prints every thread's Python stack and ends the process, so
    the run fails with the place it stuck."""
    import faulthandler

    faulthandler.dump_traceback_later(STUCK_S, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="session", autouse=True)
def gc_on_the_main_thread() -> Iterator[None]:
    """Python's cyclic GC runs in whatever thread happens to allocate: a worker thread (the
    tray's pool, the emulator) may then free a widget left over from an earlier test, and a
    QObject destroyed off its own thread leaves its timers registered ("Timers cannot be
    stopped from another thread", then a segfault). So the automatic GC is off in these tests
    and ``collect_garbage`` runs it after each test, on the main thread."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_garbage(qapp: QApplication) -> Iterator[None]:
    yield
    # pytest-qt has closed and deleteLater()ed the test's widgets: delete them now, here
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True)
def light_theme(qapp: QApplication) -> Iterator[theme.Theme]:
    yield theme.install(qapp, "light")
    theme.install(qapp, "light")


#: Every test's loop, kept alive to the end of the session. A closed loop that Python frees
#: later may be collected on a worker thread; its timer QObject then dies off its own thread,
#: its Qt timers stay registered and the next one fires on freed memory (a segfault seen with
#: PySide6 >= 6.8, see qasync issue #154 / PYSIDE-3165).
_LOOPS: list[qasync.QEventLoop] = []


@pytest.fixture
def loop(qapp: QApplication, qtbot: Any) -> Iterator[qasync.QEventLoop]:
    ev = qasync.QEventLoop(qapp, already_running=True)
    _LOOPS.append(ev)
    yield ev
    pending = [t for t in asyncio.all_tasks(ev) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=10_000)
    asyncio.events._set_running_loop(None)
    qapp.aboutToQuit.disconnect(ev._after_run_forever)
    ev._QEventLoop__is_running = False  # type: ignore[attr-defined]  # never stop() (see above)
    ev.close()


@pytest.fixture
def run(loop: qasync.QEventLoop, qtbot: Any) -> Callable[..., Any]:
    """``run(coro, timeout=20)``: run a coroutine on the test's loop and return its result."""
    def go(coro: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
        task = loop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
        return task.result()
    return go


def fast_engine() -> EngineSettings:
    return EngineSettings(poll_initial_s=0.05, poll_max_s=0.2, outbox_probe_s=0.2,
                          retry_base_s=0.05, retry_max_s=0.5, http_backoff_s=0.01,
                          http_attempts=2, reconcile_delay_s=0.05, connect_timeout_s=2.0,
                          read_timeout_s=5.0, progress_interval_s=0.05)


class Windows:
    """Makes main windows on a profile folder; closes them and their engines at the end."""

    def __init__(self, qtbot: Any, run: Callable[..., Any], tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.run = run
        self.profile = tmp_path / "profile"
        self.made: list[tuple[Any, Any]] = []

    def __call__(self, *, sandbox: bool | None = False, sandbox_url: str = "",
                 sandbox_starter: Callable[[], str] | None = None, lazy_sandbox: bool = False,
                 profile: Path | None = None, size: tuple[int, int] = (1280, 800),
                 show: bool = True, progressive: bool = False) -> Any:
        """``sandbox_url``: the emulator's; or ``sandbox_starter`` gives it when asked.
        ``progressive``: built as the app builds it (paint first, attach after), not shown:
        the test shows it (``Startup.show`` or ``window.show``)."""
        from vidu_desktop.app import build

        starter = sandbox_starter or ((lambda: sandbox_url) if sandbox_url else None)
        session, window = build(profile or self.profile, sandbox=sandbox,
                                sandbox_starter=starter, engine_settings=fast_engine(),
                                lazy_sandbox=lazy_sandbox, progressive=progressive)
        self.qtbot.addWidget(window)
        self.made.append((session, window))
        window.resize(*size)
        if show and not progressive:
            window.show()
            self.qtbot.waitExposed(window)
            window.activateWindow()  # shortcuts of the window need it active
            self.qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        return window

    def close(self, window: Any) -> None:
        """Close the window and its engine, as the app does at shutdown."""
        for session, made in self.made:
            if made is window:
                if window.isVisible():
                    window.close()
                self.run(window.composer.bg.close())
                self.run(session.close())
                self.made.remove((session, made))
                return

    def close_all(self) -> None:
        for _session, window in list(self.made):
            self.close(window)


@pytest.fixture
def windows(qtbot: Any, run: Callable[..., Any], tmp_path: Path) -> Iterator[Windows]:
    made = Windows(qtbot, run, tmp_path)
    yield made
    made.close_all()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go (a temp dir, not committed); VIDU_SHOTS overrides it."""
    import os

    folder = Path(os.environ.get("VIDU_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# -- helpers the tests share -----------------------------------------------------------------

def drop_files(target: Any, paths: list[Path], pos: tuple[int, int] | None = None) -> bool:
    """Drop files on ``target`` as a file manager does: a QDragEnterEvent, a QDragMoveEvent,
    then a QDropEvent carrying ``QMimeData.setUrls``. Returns whether the drop was accepted."""
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    x, y = pos or (target.width() // 2, target.height() // 2)
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPointF(x, y), action, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(QPointF(x, y), action, mime, buttons, mods)
    QApplication.sendEvent(target, move)
    drop = QDropEvent(QPointF(x, y), action, mime, buttons, mods)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def commit_text(widget: Any, text: str) -> None:
    """Type ``text`` as an input method commits it (how emoji pickers enter an emoji)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def submissions(server: Any, host: str = "vidu") -> int:
    import httpx

    counts = httpx.get(f"{server.url}/_emulator/counters").json()["submissions"]
    return sum(counts.get(host, {}).values())


def write_images(folder: Path, count: int, size: tuple[int, int] = (640, 360)) -> list[Path]:
    from conftest import make_image  # the suite's root conftest

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    colors = [(200, 80, 40), (40, 120, 200), (60, 160, 90), (180, 160, 40)]
    for i in range(count):
        path = folder / f"ref {i + 1}.png"
        path.write_bytes(make_image(*size, color=colors[i % len(colors)]))
        paths.append(path)
    return paths
