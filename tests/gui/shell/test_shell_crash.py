"""The crash handler: an exception in a slot or an asyncio callback is logged and shown in a
non-modal dialog with the last log lines; "Copy diagnostics" never carries a key; the app keeps
running."""

from __future__ import annotations

import gc
import logging
import sys

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal, qVersion
from PySide6.QtGui import QGuiApplication

from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.logs import setup_logging
from vidu_desktop.ui.shell.crash import CrashHandler

REAL_KEY = "vk-planted-secret-0123456789"


@pytest.fixture
def crash(tmp_path, loop):
    setup = setup_logging(tmp_path / "logs", "info", keys=lambda: [REAL_KEY],
                          extra_keys=[DEMO_KEY], console=False)
    handler = CrashHandler(setup.last_lines, setup.redactor.redact)
    handler.install(loop)
    yield handler, setup
    handler.uninstall()
    handler.close()
    setup.remove()


class Emitter(QObject):
    poke = Signal()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_dialog_and_the_app_goes_on(crash, qtbot):
    handler, setup = crash
    log = logging.getLogger("vidu_desktop.test")
    log.info("working with key %s", REAL_KEY)  # planted: redaction must catch it
    log.info("and the demo key %s", DEMO_KEY)

    def broken() -> None:
        raise ValueError(f"the slot failed near {REAL_KEY}")

    emitter = Emitter()
    emitter.poke.connect(broken)
    QTimer.singleShot(0, emitter.poke.emit)  # from the event loop, as a click would
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(),
                    timeout=5000)
    dialog = handler.dialog
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    assert "ValueError" in dialog.summary.text() and REAL_KEY not in dialog.summary.text()
    shown = dialog.log_view.toPlainText()
    assert "working with key ***" in shown and "uncaught exception" in shown
    assert REAL_KEY not in shown and DEMO_KEY not in shown
    assert "CRITICAL" in setup.file.read_text() and REAL_KEY not in setup.file.read_text()

    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert REAL_KEY not in copied and DEMO_KEY not in copied
    assert "Vidu Studio diagnostics" in copied and "working with key ***" in copied
    assert f"Qt: {qVersion()}" in copied and sys.version.split()[0] in copied
    assert "ValueError: the slot failed near ***" in copied

    # the app goes on: the event loop still runs timers and slots
    ran: list[bool] = []
    QTimer.singleShot(0, lambda: ran.append(True))
    qtbot.waitUntil(lambda: ran == [True], timeout=5000)
    QTimer.singleShot(0, emitter.poke.emit)  # a second error: the same dialog, counted
    qtbot.waitUntil(lambda: len(dialog.errors) == 2, timeout=5000)
    assert handler.dialog is dialog and dialog.summary.text().startswith("2 unexpected errors")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_an_asyncio_callback_is_reported(crash, qtbot, loop):
    handler, _setup = crash

    async def fails() -> None:
        raise RuntimeError("background work failed")

    def callback() -> None:
        raise KeyError("in a loop callback")

    loop.call_soon(callback)
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(),
                    timeout=5000)
    assert "KeyError" in handler.dialog.summary.text()
    task = loop.create_task(fails())
    qtbot.waitUntil(task.done)
    del task  # its exception never retrieved: the loop reports it when the task is collected
    gc.collect()
    qtbot.waitUntil(lambda: len(handler.dialog.errors) == 2, timeout=5000)
    assert "background work failed" in handler.dialog.errors[-1]
