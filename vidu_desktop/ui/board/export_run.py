"""One export running in a worker thread, its progress and its end as queued Qt signals.

A plain ``threading.Thread``, not a daemon: an export the app is not told to stop finishes
its file rather than leaving a part in the user's folder. The thread emits exactly one of
``succeeded``, ``failed`` or ``cancelled`` as its last act; the receiver may then ``wait()``
for it, which returns at once.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal, SignalInstance

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.ui.board.export_choice import ExportChoice, ExportJob

log = logging.getLogger(__name__)


class ExportRun(QObject):
    progressed = Signal(float)  #: 0..1
    succeeded = Signal(object)  #: list[Path]
    failed = Signal(object)  #: AppError
    cancelled = Signal()

    def __init__(self, job: ExportJob, choice: ExportChoice,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.choice = choice
        self.cancel_flag = threading.Event()
        self.worker = threading.Thread(target=self._run, name="board-export")

    def start(self) -> None:
        self.worker.start()

    def cancel(self) -> None:
        self.cancel_flag.set()

    @property
    def running(self) -> bool:
        return self.worker.is_alive()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Join the thread; True when it has ended."""
        if self.worker.ident is not None:
            self.worker.join(timeout_s)
        return not self.worker.is_alive()

    def _report(self, fraction: float) -> None:
        with contextlib.suppress(RuntimeError):  # the dialog was deleted meanwhile
            self.progressed.emit(float(fraction))

    def _run(self) -> None:
        try:
            written = [Path(p) for p in self.job(self.choice, self._report, self.cancel_flag)]
        except AppError as err:
            if err.kind == ErrorKind.CANCELLED:
                self._emit(self.cancelled)
            else:
                self._emit(self.failed, err)
        except Exception as exc:  # a bug in the job: still an answer the dialog shows
            log.exception("the board export failed")
            self._emit(self.failed, AppError(
                ErrorKind.LOCAL, message=f"The export failed: {exc or type(exc).__name__}.",
                hint="Export again; if it fails again, the log file has the details."))
        else:
            self._emit(self.succeeded, written)

    @staticmethod
    def _emit(signal: SignalInstance, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the dialog was deleted meanwhile
            signal.emit(*args)
