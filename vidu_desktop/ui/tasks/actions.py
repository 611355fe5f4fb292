"""What the user can do with a task, and the words that say what really happened.

Cancel says whether the host stops the task or the app only stops following it; retry asks
first, because it is a new paid submission; delete asks first and removes the files. Every
question is a ``QMessageBox`` shown with ``open()`` and answered through a future, never
``exec()`` (that would block the qasync loop).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, assert_never

# the dialogs' classes (and QUrl's): made when a question or a folder is first shown
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.formatting import excerpt
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import Engine, file_removal
from vidu_desktop.store import ArtifactKind, TaskRecord, sidecar_for, write_sidecar
from vidu_desktop.store.names import safe_file_name
from vidu_desktop.ui.common.background import Background
from vidu_desktop.ui.tasks.texts import host_name

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from vidu_desktop.providers.base import CancelOutcome

log = logging.getLogger(__name__)
_S = TaskState


class TaskAction(StrEnum):
    """What the user can do with one task (the details' buttons, the list's menu). The value
    names the button (``task-<value>``)."""

    PLAY = "play"
    CANCEL = "cancel"
    RETRY = "retry"  # a new paid submission: it asks first
    REUSE = "reuse"
    RERUN_NEW_SEED = "rerun_new_seed"  # a new paid submission with another seed
    REVEAL = "reveal"
    COPY_IDS = "copy_ids"
    EXPORT_SIDECAR = "export_sidecar"
    DELETE = "delete"


def cancel_message(rec: TaskRecord, outcome: CancelOutcome, was_draft: bool) -> str:
    from vidu_desktop.providers.base import CancelOutcome  # at the first cancel, not at start

    host = host_name(rec)
    if was_draft:
        return "Removed from the outbox: nothing was sent, nothing is charged."
    if outcome == CancelOutcome.CANCELLED_ON_SERVER:
        return f"Cancelled on the server: {host} stops the task before it starts; not charged."
    return (f"Stopped tracking only: {host} cannot cancel it now, so it may still finish "
            "the task and charge it.")


def error_text(rec: TaskRecord) -> str:
    """The error as one block to copy: message, hint, trace id, code."""
    err = rec.error
    if err is None:
        return ""
    lines = [err.message]
    if err.hint:
        lines.append(err.hint)
    trace = err.trace_id or rec.trace_id
    if trace:
        lines.append(f"trace id: {trace}")
    if err.code:
        lines.append(f"code: {err.code}")
    lines.append(f"task: {rec.local_id}" + (f" (remote {rec.remote_id})" if rec.remote_id
                                            else ""))
    return "\n".join(lines)


async def _nothing_to_release(_local_id: str) -> None:
    return None


class TaskActions(QObject):
    """``message`` carries what an action did (for the status line); ``deleted`` a local id
    removed from the library; ``submitted`` a new task row (retry, re-run)."""

    message = Signal(str)
    deleted = Signal(str)
    submitted = Signal(object)
    reuse_requested = Signal(object)  # the TaskRecord whose settings to reuse
    rejected_deleted = Signal()  # "Delete all rejected" deleted some tasks

    def __init__(self, engine: Engine, parent: QWidget, *,
                 sandbox: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self.engine = engine
        self.widget = parent
        self.sandbox = sandbox
        self.bg = Background()
        self.dialog: QMessageBox | QFileDialog | None = None  # the question on screen
        #: opens a folder or file in the desktop's file manager (tests replace it)
        self.opener: Callable[[Path], object] = lambda p: QtGui.QDesktopServices.openUrl(
            QtCore.QUrl.fromLocalFile(str(p)))
        #: before a task's files are deleted: whatever shows them lets go (the Review tab)
        self.release: Callable[[str], Awaitable[None]] = _nothing_to_release
        #: removes one file (tests stand in for a file held open by another program)
        self.unlink: file_removal.Unlink = file_removal.unlink
        self.retry_waits: tuple[float, ...] = file_removal.RETRY_WAITS

    def record(self, local_id: str) -> TaskRecord:
        rec = self.engine.task(local_id)
        if rec is None:
            raise AppError(ErrorKind.LOCAL, f"Task {local_id} is no longer in the library.")
        return rec

    def _say(self, text: str) -> str:
        self.message.emit(text)
        return text

    # -- questions ---------------------------------------------------------------------------
    def ask(self, title: str, text: str, ok: str, *, info: str = "") -> asyncio.Future[bool]:
        """Show a question (window-modal, ``open()``); the future is True when ``ok`` was
        chosen."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        message_box = QtWidgets.QMessageBox
        box = message_box(message_box.Icon.Question, title, text,
                          message_box.StandardButton.Cancel, self.widget)
        if info:
            box.setInformativeText(info)
        yes = box.addButton(ok, message_box.ButtonRole.AcceptRole)
        box.setDefaultButton(message_box.StandardButton.Cancel)

        def done(_result: int) -> None:
            if not future.done():
                future.set_result(box.clickedButton() is yes)
            self.dialog = None
            box.deleteLater()

        box.finished.connect(done)
        self.dialog = box
        box.open()
        return future

    # -- the actions -------------------------------------------------------------------------
    async def cancel(self, local_id: str) -> str:
        rec = self.record(local_id)
        try:
            outcome = await self.engine.cancel(local_id)
        except AppError as err:
            return self._say(f"Could not cancel: {err.message}")
        return self._say(cancel_message(rec, outcome, rec.state == _S.DRAFT))

    def cost_words(self, rec: TaskRecord) -> str:
        if self.sandbox():
            return "In sandbox mode it costs nothing."
        try:
            cost = rec.request.spec.cost.describe()
        except KeyError:
            cost = "cost unknown"
        return f"{host_name(rec)} charges it again ({cost})."

    async def retry(self, local_id: str) -> TaskRecord | None:
        rec = self.record(local_id)
        ok = await self.ask(
            "Retry as a new submission",
            "Retrying sends this task again as a new paid submission.",
            "Send again", info=f"{self.cost_words(rec)} The failed task stays in the list.")
        if not ok:
            return None
        return await self._submit(rec, rec.request, "Sent again as a new paid submission.")

    async def rerun_new_seed(self, local_id: str) -> TaskRecord | None:
        rec = self.record(local_id)
        request = rec.request
        try:
            spec = request.spec
        except KeyError:
            return None
        seed = random.Random().randint(1, spec.seed_max) if spec.supports_seed else None
        while seed is not None and seed in (rec.seed, rec.resolved_seed):
            seed = random.Random().randint(1, spec.seed_max)
        text = (f"Sent a new take with seed {seed} (a new submission)." if seed is not None
                else "Sent again (this host picks the seed).")
        return await self._submit(rec, replace(request, seed=seed), text)

    async def _submit(self, rec: TaskRecord, request: GenerationRequest, text: str
                      ) -> TaskRecord | None:
        try:
            new = await self.engine.submit(request, draft_id=rec.draft_id,
                                           group_id=rec.group_id, take_index=rec.take_index)
        except AppError as err:
            self._say(f"Not sent: {err.message}" + (f" {err.hint}" if err.hint else ""))
            return None
        self.submitted.emit(new)
        self._say(text)
        return new

    def reuse(self, local_id: str) -> None:
        """Ask for the task's settings in the composer (the shell connects
        ``reuse_requested`` to it, and tells what was loaded with ``say``)."""
        self.reuse_requested.emit(self.record(local_id))

    def say(self, text: str) -> None:
        """Tell ``text`` where the actions tell what they did."""
        self._say(text)

    def files(self, local_id: str) -> dict[ArtifactKind, Path]:
        return {a.kind: a.path for a in self.engine.files(local_id)}

    def reveal(self, local_id: str) -> Path | None:
        files = self.files(local_id)
        target = files.get(ArtifactKind.VIDEO)
        if target is None or not target.exists():
            rec = self.record(local_id)
            folder = self.engine.media_folder(rec)
            if not folder.exists():
                self._say("This task has no files yet.")
                return None
            target = folder
        # a file manager opens folders; open the folder that holds the video
        folder = target if target.is_dir() else target.parent
        self.opener(folder)
        self._say(f"Opened {folder}")
        return folder

    def copy_ids(self, local_id: str) -> str:
        rec = self.record(local_id)
        lines = [f"task id: {rec.local_id}"]
        if rec.remote_id:
            lines.append(f"{host_name(rec)} task id: {rec.remote_id}")
        trace = rec.trace_id or (rec.error.trace_id if rec.error else "")
        if trace:
            lines.append(f"trace id: {trace}")
        return self.copy("\n".join(lines), "Task ids copied.")

    def copy_error(self, local_id: str) -> str:
        return self.copy(error_text(self.record(local_id)), "Error details copied.")

    def copy(self, text: str, said: str = "Copied.") -> str:
        QGuiApplication.clipboard().setText(text)
        self._say(said)
        return text

    def export_sidecar(self, local_id: str) -> QFileDialog:
        """Ask where to save (non-blocking), then write the sidecar there."""
        rec = self.record(local_id)
        # named after the prompt (made valid on every system) and the task
        name = safe_file_name(f"{excerpt(rec.prompt, 40).rstrip('…')} {rec.local_id[:8]}",
                              ".json")
        dialog = QtWidgets.QFileDialog(self.widget, "Export task details",
                                       str(Path.home() / name), "JSON (*.json)")
        dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(lambda path: self.export_sidecar_to(local_id, Path(path)))
        self.dialog = dialog
        dialog.open()
        return dialog

    def export_sidecar_to(self, local_id: str, path: Path) -> Path:
        rec = self.record(local_id)
        data = sidecar_for(rec, self.engine.files(local_id))
        try:
            write_sidecar(path, data, secrets=self.engine.known_keys())
        except (OSError, ValueError) as exc:
            self._say(f"Could not export: {exc}")
            raise
        self._say(f"Details exported to {path}")
        return path

    async def delete(self, local_id: str) -> bool:
        rec = self.record(local_id)
        running = "" if rec.state.is_terminal or rec.state == _S.DRAFT else (
            f" It is still running: the app stops following it and {host_name(rec)} may still "
            "finish and charge it.")
        ok = await self.ask(
            "Delete task", "Delete this task and its files from this computer?", "Delete",
            info="The video, its cover and the details file are removed. The task on the "
                 "host is not affected." + running)
        if not ok:
            return False
        await self.engine.stop_running(local_id)
        await self.release(local_id)  # the player closes the video first (Windows)
        paths = self.engine.delete(local_id)  # the files: below, tried again while held
        self.deleted.emit(local_id)
        left = await file_removal.remove_files(paths, self.unlink, self.retry_waits)
        self._say(file_removal.left_message(left) if left else
                  "Task deleted from this computer.")
        return True

    async def delete_rejected(self) -> int:
        """"Delete all rejected…": says how many tasks and files go, asks, deletes them
        (the player lets go of a file first). Returns how many tasks were deleted."""
        tasks, files = self.engine.rejected_summary()
        if not tasks:
            self._say("No task is rejected.")
            return 0
        what = "1 rejected task" if tasks == 1 else f"{tasks} rejected tasks"
        ok = await self.ask(
            "Delete all rejected", f"Delete {what} and {files} file{'s' * (files != 1)} "
            "from this computer?", "Delete them",
            info="Their videos, covers and details files are removed. The tasks on the hosts "
                 "are not affected; starred and unmarked tasks stay.")
        if not ok:
            return 0
        done = await self.engine.delete_rejected(release=self.release)
        self.rejected_deleted.emit()
        text = (f"Deleted {done.tasks} rejected task{'s' * (done.tasks != 1)} and "
                f"{done.files} file{'s' * (done.files != 1)}.")
        if done.left:
            text += " " + file_removal.left_message(list(done.left))
        self._say(text)
        return done.tasks

    def ask_delete_rejected(self) -> asyncio.Task[object]:
        return self.bg.spawn(self.delete_rejected(), "delete rejected")

    # -- starting them from a click ----------------------------------------------------------
    def run(self, action: TaskAction, local_id: str) -> asyncio.Task[object] | None:
        """Start ``action`` on the task: the ones that ask or wait for the host run in the
        background (their task is returned), the others at once. Play is the view's."""
        match action:
            case TaskAction.CANCEL:
                return self._spawn(action, local_id, self.cancel(local_id))
            case TaskAction.RETRY:
                return self._spawn(action, local_id, self.retry(local_id))
            case TaskAction.RERUN_NEW_SEED:
                return self._spawn(action, local_id, self.rerun_new_seed(local_id))
            case TaskAction.DELETE:
                return self._spawn(action, local_id, self.delete(local_id))
            case TaskAction.REUSE:
                self.reuse(local_id)
            case TaskAction.REVEAL:
                self.reveal(local_id)
            case TaskAction.COPY_IDS:
                self.copy_ids(local_id)
            case TaskAction.EXPORT_SIDECAR:
                self.export_sidecar(local_id)
            case TaskAction.PLAY:
                raise ValueError("playing a task is the view's: it asks the Review tab")
            case _:
                assert_never(action)
        return None

    def _spawn(self, action: TaskAction, local_id: str, work: Coroutine[Any, Any, object]
               ) -> asyncio.Task[object]:
        return self.bg.spawn(work, f"{action.value} {local_id}")
