"""Star and reject in the task list: S stars the selected tasks (again: unstars), X rejects
them (again: clears it), their menu does the same; the mark shows before the prompt. A
"★ Starred" button beside the filters lists the starred tasks only, and "Delete all
rejected…" (shown while some are) deletes them with their files after saying how many go."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from vidu_desktop.core.errors import AppError
from vidu_desktop.core.states import TaskMark
from vidu_desktop.engine import Engine
from vidu_desktop.store import TaskFilter, TaskRecord

STARRED_TIP = "Show only the starred tasks (S stars the selected task)"
KEYS = {Qt.Key.Key_S: TaskMark.STAR, Qt.Key.Key_X: TaskMark.REJECT}


def toggled(records: list[TaskRecord], mark: TaskMark) -> TaskMark:
    """The mark a key gives: ``mark``, or none when every record has it already."""
    return TaskMark.NONE if records and all(r.mark == mark for r in records) else mark


class TaskMarks(QObject):
    """``marked(TaskRecord)``: a task's new mark is stored; ``message`` what was done."""

    marked = Signal(object)
    message = Signal(str)

    def __init__(self, engine: Engine, selected: Callable[[], list[TaskRecord]],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.engine = engine
        self.selected = selected
        self.starred = QPushButton("★ Starred", parent)
        self.starred.setObjectName("task-starred-filter")
        self.starred.setCheckable(True)
        self.starred.setToolTip(STARRED_TIP)
        self.starred.setAccessibleName("Show starred tasks only")
        self.delete_rejected = QPushButton("Delete all rejected…", parent)
        self.delete_rejected.setObjectName("task-delete-rejected")
        self.delete_rejected.setToolTip("Delete every rejected task and its files from this "
                                        "computer (it asks first, saying how many go)")
        self.delete_rejected.hide()

    def marks_filter(self) -> list[TaskMark] | None:
        return [TaskMark.STAR] if self.starred.isChecked() else None

    def refresh(self) -> None:
        """The delete button shows while some task is rejected."""
        n = self.engine.count(TaskFilter.of(marks=[TaskMark.REJECT]))
        self.delete_rejected.setVisible(n > 0)
        self.delete_rejected.setText(f"Delete all rejected ({n})…")

    def mark(self, mark: TaskMark, records: list[TaskRecord] | None = None) -> list[TaskRecord]:
        """Give the selected tasks (or ``records``) ``mark``; returns them as stored."""
        records = self.selected() if records is None else records
        done: list[TaskRecord] = []
        for rec in records:
            try:
                done.append(self.engine.mark_task(rec.local_id, mark))
            except AppError as err:
                self.message.emit(f"Not marked: {err.message}")
        for rec in done:
            self.marked.emit(rec)
        if done:
            n = len(done)
            what = "1 task" if n == 1 else f"{n} tasks"
            self.message.emit({TaskMark.STAR: f"{what} starred.",
                               TaskMark.REJECT: f"{what} rejected."}.get(
                                   mark, f"Mark taken off {what}."))
        self.refresh()
        return done

    def add_to_menu(self, menu: QMenu, rec: TaskRecord) -> None:
        menu.addSeparator()
        star = menu.addAction("Unstar\tS" if rec.mark == TaskMark.STAR else "Star\tS")
        star.setObjectName("task-star")
        star.triggered.connect(lambda: self.mark(toggled(self.selected(), TaskMark.STAR)))
        reject = menu.addAction("Not rejected\tX" if rec.mark == TaskMark.REJECT
                                else "Reject\tX")
        reject.setObjectName("task-reject")
        reject.triggered.connect(lambda: self.mark(toggled(self.selected(), TaskMark.REJECT)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """S and X on the list (no modifier)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            mark = KEYS.get(Qt.Key(event.key()))
            if mark is not None and event.modifiers() in (
                    Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                records = self.selected()
                if records:
                    self.mark(toggled(records, mark), records)
                    return True
        return False
