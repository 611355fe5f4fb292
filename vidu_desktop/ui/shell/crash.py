"""The crash handler: an exception nobody caught (in a slot, a callback, a background task,
a thread) is logged with its traceback and shown in a non-modal dialog with the last log lines
and a "Copy diagnostics" button; the app keeps running.

The diagnostics (app, Qt, PySide6 and Python versions, platform, the error, the last log lines)
go through the same redaction as the log, so they never carry an API key. The shell passes in
where the log lines come from and the redaction (the UI does not import the shell's logging).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.ui.shell.about import APP_NAME, versions_text

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)

LastLines = Callable[[int], list[str]]
Redact = Callable[[str], str]
SHOWN_LINES = 50


def diagnostics(error: str, lines: list[str], redact: Redact) -> str:
    """The text "Copy diagnostics" puts on the clipboard (redacted)."""
    text = "\n".join([f"{APP_NAME} diagnostics", "", versions_text(), "", "Error:",
                      error.rstrip(), "", f"Last {len(lines)} log lines:", *lines, ""])
    return redact(text)


class CrashDialog(QDialog):
    """Non-modal: the app stays usable. Later errors are added to the same dialog."""

    def __init__(self, last_lines: LastLines, redact: Redact,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crash-dialog")
        self.setWindowTitle(f"{APP_NAME}: something went wrong")
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._last_lines = last_lines
        self._redact = redact
        self.errors: list[str] = []
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        hint = QLabel("The app keeps running, but what it was doing may not have finished. "
                      "“Copy diagnostics” copies the versions and the last log lines (API keys "
                      "removed) for a bug report.", self)
        hint.setWordWrap(True)
        self.log_view = QPlainTextEdit(self)
        self.log_view.setObjectName("crash-log")
        self.log_view.setReadOnly(True)
        self.log_view.setAccessibleName("Last log lines")
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copy_button = QPushButton("Copy diagnostics", self)
        self.copy_button.clicked.connect(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(hint)
        layout.addWidget(self.log_view, 1)
        layout.addWidget(buttons)
        self.resize(760, 460)

    def add_error(self, error: str) -> None:
        self.errors.append(error)
        last = error.strip().splitlines()[-1] if error.strip() else "an unexpected error"
        count = len(self.errors)
        self.summary.setText(self._redact(
            f"An unexpected error: {last}" if count == 1
            else f"{count} unexpected errors; the last: {last}"))
        lines = self._last_lines(SHOWN_LINES)
        self.log_view.setPlainText(self._redact("\n".join(lines)))
        self.log_view.verticalScrollBar().setValue(self.log_view.verticalScrollBar().maximum())

    def diagnostics(self) -> str:
        return diagnostics("\n".join(self.errors), self._last_lines(SHOWN_LINES), self._redact)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.diagnostics())
        self.copy_button.setText("Copied")


class CrashHandler(QObject):
    """Install with :meth:`install`; ``crashed`` carries the formatted traceback (emitted on
    the UI thread even when the error happened in another thread)."""

    crashed = Signal(str)

    def __init__(self, last_lines: LastLines, redact: Redact,
                 parent_window: QWidget | None = None) -> None:
        super().__init__()
        self._last_lines = last_lines
        self._redact = redact
        self._parent_window = parent_window
        self.dialog: CrashDialog | None = None
        self._previous: dict[str, Any] = {}
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._previous = {"sys": sys.excepthook, "threading": threading.excepthook}
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_hook
        if loop is not None:
            self.watch_loop(loop)

    def watch_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """The asyncio loop's unhandled errors too (the app installs the hooks before the
        first paint, and the loop exists only after it)."""
        self._previous["loop"] = (loop, loop.get_exception_handler())
        loop.set_exception_handler(self.loop_exception)

    def uninstall(self) -> None:
        if "sys" in self._previous:
            sys.excepthook = self._previous["sys"]
            threading.excepthook = self._previous["threading"]
        if "loop" in self._previous:
            loop, handler = self._previous["loop"]
            if not loop.is_closed():
                loop.set_exception_handler(handler)
        self._previous = {}

    # -- hooks -------------------------------------------------------------------------------
    def excepthook(self, kind: type[BaseException], value: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.critical("uncaught exception", exc_info=(kind, value, tb))
        self.crashed.emit("".join(traceback.format_exception(kind, value, tb)))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message") or "unhandled error in the event loop")
        exc = context.get("exception")
        if not isinstance(exc, BaseException):
            log.error("event loop: %s", message)
            return
        log.critical("event loop: %s", message, exc_info=(type(exc), exc, exc.__traceback__))
        self.crashed.emit("".join(traceback.format_exception(type(exc), exc,
                                                             exc.__traceback__)))

    # -- the dialog --------------------------------------------------------------------------
    def _show(self, error: str) -> None:
        try:
            if self.dialog is None:
                self.dialog = CrashDialog(self._last_lines, self._redact, self._parent_window)
            self.dialog.add_error(error)
            self.dialog.show()
            self.dialog.raise_()
        except Exception:  # never let the crash handler crash
            log.exception("could not show the crash dialog")

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
