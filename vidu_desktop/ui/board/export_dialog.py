"""Export a board: the film, timelines and a contact sheet, written in a worker thread while
the window stays usable.

Export asks first when any file it would write is already there; then the job runs
(``export_run``) with a progress bar and what it writes. Cancel sets the job's flag (the job
removes what it began: "Cancelled: nothing was written"); an error shows its message and hint
and the dialog stays, ready to export again; success lists the files and offers "Show in
folder". Closing while the export runs asks, then cancels and closes once the worker has
ended, so no thread outlives the dialog. Questions are shown with ``open()``, never ``exec()``
(that would nest an event loop under qasync).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.errors import AppError
from vidu_desktop.film.timeline import TimelineFormat
from vidu_desktop.store.names import safe_file_name
from vidu_desktop.ui.board.export_choice import ExportChoice, ExportJob, planned_files
from vidu_desktop.ui.board.export_form import ExportForm
from vidu_desktop.ui.board.export_run import ExportRun
from vidu_desktop.ui.common import theme


def default_folder() -> Path:
    """The user's videos folder, else their home."""
    movies = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation)
    return Path(movies) if movies and Path(movies).is_dir() else Path.home()


def _names(paths: Sequence[Path]) -> str:
    names = [p.name for p in paths]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class ExportDialog(QDialog):
    """See the module docstring. ``run`` is the export in progress (None between runs)."""

    def __init__(self, board_name: str, shot_count: int, job: ExportJob,
                 parent: QWidget | None = None, *, folder: Path | None = None,
                 formats: Sequence[TimelineFormat] | None = None) -> None:
        super().__init__(parent)
        if formats is None:
            from vidu_desktop.film.timeline import timeline_formats

            formats = timeline_formats()
        self.job = job
        self.run: ExportRun | None = None
        self.written: list[Path] = []
        self.question: QMessageBox | None = None  # the question on screen
        #: opens a folder in the desktop's file manager (tests replace it)
        self.opener: Callable[[Path], object] = lambda p: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(p)))
        self._close_when_done = False
        self._shown_folder = Path()  # where "Show in folder" goes
        self.setWindowTitle(f"Export “{board_name}”")
        self.setMinimumWidth(560)

        title = QLabel(f"Export “{board_name}”")
        theme.set_role(title, "section")
        shots = "1 shot" if shot_count == 1 else f"{shot_count} shots"
        about = QLabel(f"{shots}: the chosen take of each, in the board's order.")
        theme.set_role(about, "muted")
        self.form = ExportForm(safe_file_name(board_name, fallback="Board"),
                               folder or default_folder(), formats)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)  # tenths of a percent: the first report is 0.5 %
        self.progress.setFormat("%p %")
        self.progress.setAccessibleName("Export progress")
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_box = QLabel()
        self.error_box.setWordWrap(True)
        self.error_box.setTextFormat(Qt.TextFormat.RichText)
        self.error_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.set_role(self.error_box, "warning")
        self.error_box.hide()
        self.files = QLabel()
        self.files.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_button = QPushButton("Show in folder")
        self.done_box = QFrame()
        done = QHBoxLayout(self.done_box)
        done.setContentsMargins(0, 0, 0, 0)
        done.addWidget(self.files, 1)
        done.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignTop)
        self.done_box.hide()
        self.close_button = QPushButton("Close")
        self.export_button = QPushButton("Export")
        theme.set_role(self.export_button, "primary")
        self.export_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(about)
        layout.addSpacing(4)
        layout.addWidget(self.form)
        layout.addSpacing(4)
        for widget in (self.progress, self.status, self.error_box, self.done_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.form.changed.connect(self._form_changed)
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.close_or_cancel)
        self.show_button.clicked.connect(lambda: self.opener(self._shown_folder))
        self._form_changed()

    # -- starting ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.run is not None

    def export(self) -> None:
        """Check the form, ask before replacing files, then start the job."""
        if self.running:
            return
        problem = self.form.problem()
        if problem:
            self._say(problem, error=True)
            return
        choice = self.form.choice()
        existing = [p for p in planned_files(choice) if p.exists()]
        if not existing:
            self.start(choice)
            return
        one = len(existing) == 1
        self._ask("Replace files?",
                  f"{_names(existing)} {'is' if one else 'are'} already in {choice.folder}.",
                  f"Replace {'it' if one else 'them'}",
                  "Exporting replaces the file" + ("" if one else "s") + " with the new "
                  "export; this cannot be undone. Cancel to choose another name.",
                  lambda: self.start(choice))

    def start(self, choice: ExportChoice) -> ExportRun:
        run = ExportRun(self.job, choice, self)
        run.progressed.connect(self._on_progress)
        run.succeeded.connect(self._on_succeeded)
        run.failed.connect(self._on_failed)
        run.cancelled.connect(self._on_cancelled)
        self.run = run
        self.written = []
        self.form.set_editable(False)
        self.export_button.setEnabled(False)
        self.close_button.setText("Cancel export")
        self.error_box.hide()
        self.done_box.hide()
        self.progress.setValue(0)
        self.progress.show()
        self._say(f"Writing {_names(planned_files(choice))} in {choice.folder}…")
        run.start()
        return run

    # -- stopping ---------------------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the job to stop (it ends at its next check and removes what it began)."""
        if self.run is not None and not self.run.cancel_flag.is_set():
            self.run.cancel()
            self.close_button.setEnabled(False)
            self._say("Cancelling: removing what was begun…")

    def close_or_cancel(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        """Escape, the Close button, the window's close: while running, ask first."""
        if not self.running:
            super().reject()
            return
        if self._close_when_done or self.question is not None:
            return
        self._ask("Stop the export?", "The export is still running.", "Stop and close",
                  "What it has begun is removed: no half-written file is left.",
                  self._stop_and_close, keep="Keep exporting")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            self.reject()
        else:
            super().closeEvent(event)

    def _stop_and_close(self) -> None:
        if not self.running:
            super().reject()
            return
        self._close_when_done = True
        self.cancel()

    def shutdown(self, timeout_s: float = 10.0) -> bool:
        """The app is quitting: cancel and wait for the worker; True when it has ended."""
        if self.run is None:
            return True
        self.run.cancel()
        return self.run.wait(timeout_s)

    # -- the job's answers (queued from the worker thread) ------------------------------------
    def _on_progress(self, fraction: float) -> None:
        self.progress.setValue(round(max(0.0, min(1.0, fraction)) * 1000))

    def _ended(self) -> bool:
        """The worker has sent its last signal: join it, put the form back. True when the
        dialog closes now (the user asked to close while it ran)."""
        if self.run is not None:
            self.run.wait()
            self.run.deleteLater()
        self.run = None
        self.form.set_editable(True)
        self.close_button.setText("Close")
        self.close_button.setEnabled(True)
        self._form_changed()
        if self.question is not None:  # "Stop the export?" is moot now
            self.question.reject()
        if self._close_when_done:
            self._close_when_done = False
            super().reject()
            return True
        return False

    def _on_succeeded(self, written: list[Path]) -> None:
        if self._ended():
            return
        self.written = list(written)
        self.progress.setValue(self.progress.maximum())
        folders = {p.parent for p in self.written}
        self._shown_folder = next(iter(folders)) if len(folders) == 1 else self.form.choice(
            ).folder
        count = len(self.written)
        self._say(f"Done: {count} file{'s' if count != 1 else ''} written in "
                  f"{self._shown_folder}.", ok=True)
        self.files.setText("\n".join(f"• {p.name}" for p in self.written))
        self.files.setToolTip("\n".join(str(p) for p in self.written))
        self.done_box.show()

    def _on_failed(self, err: AppError) -> None:
        if self._ended():
            return
        self.progress.hide()
        self._say("The export stopped: nothing half-written was left.", error=True)
        hint = f"<br>{_html(err.hint)}" if err.hint else ""
        self.error_box.setText(f"<b>{_html(err.message)}</b>{hint}")
        self.error_box.show()

    def _on_cancelled(self) -> None:
        if self._ended():
            return
        self.progress.hide()
        self._say("Cancelled: nothing was written.")

    # -- helpers ----------------------------------------------------------------------------
    def _form_changed(self) -> None:
        if self.running:
            return
        problem = self.form.problem()
        self.export_button.setEnabled(not problem)
        self.export_button.setToolTip(problem)
        if problem:
            self._say(problem, error=True)
        elif self.status.property("role") == "error":
            self._say("")

    def _say(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.status.setText(text)
        theme.set_role(self.status, "error" if error else "ok" if ok else "plain")
        self.status.setVisible(bool(text))

    def _ask(self, title: str, text: str, ok: str, info: str, then: Callable[[], object],
             keep: str = "Cancel") -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(info)
        yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)

        def answered(_result: int) -> None:
            self.question = None
            box.deleteLater()
            if box.clickedButton() is yes:
                then()

        box.finished.connect(answered)
        self.question = box
        box.open()
        return box


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
