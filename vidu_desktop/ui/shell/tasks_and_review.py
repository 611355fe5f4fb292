"""The main window's task side: the task list (of the active library), the Review tab, the
outbox banner and the notifications, attached after the first paint in the places the window
kept for them, and the wiring between them (a task picked, played or compared shows in Review;
"Reuse settings" goes to the composer; another library lists its own tasks).

:class:`TasksAndReview` is a part of :class:`~vidu_desktop.ui.shell.main_window.MainWindow`
(which builds the compose area and the places); it names here what it uses of the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from vidu_desktop.core.states import TaskState
from vidu_desktop.ui.common.accessibility import name_from_labels
from vidu_desktop.ui.common.session import Session
from vidu_desktop.ui.compose.composer import Composer
from vidu_desktop.ui.shell.status import Notifier

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QIcon

    from vidu_desktop.store import TaskRecord
    from vidu_desktop.ui.review.review import ReviewPane
    from vidu_desktop.ui.tasks.panel import OutboxBanner, TaskFeed, TaskList

    _Window = QMainWindow
else:
    _Window = object  # a part of MainWindow, which is the QMainWindow

REVIEW_TOOLTIP = "Play a finished take, or compare two (Ctrl+2)"


class TasksAndReview(_Window):
    """attach(), and the task list's and Review's wiring (the window's methods)."""

    # of the window (main_window.MainWindow)
    session: Session
    composer: Composer
    tabs: QTabWidget
    side_split: QSplitter
    banner_layout: QVBoxLayout
    review_place: QWidget
    tasks_place: QWidget
    icon: QIcon
    attached: bool
    if TYPE_CHECKING:
        attach_finished: SignalInstance

        @property
        def splitters(self) -> tuple[QSplitter, ...]: ...
        def say(self, text: str, ms: int = 10_000) -> None: ...
        def _tab_order(self) -> None: ...
        def attach_board(self) -> None: ...

    # attached after the first paint
    task_list: TaskList
    review: ReviewPane
    outbox_banner: OutboxBanner
    feed: TaskFeed
    notifier: Notifier

    def attach(self) -> None:
        """The task list (of the active library), the Review and Board tabs, the outbox banner
        and the notifications, in the places kept for them (once)."""
        if self.attached:
            return
        from vidu_desktop.ui.review.review import ReviewPane
        from vidu_desktop.ui.tasks.panel import OutboxBanner

        self.attached = True
        sizes = [split.sizes() for split in self.splitters]  # as painted: nothing moves
        self.setUpdatesEnabled(False)  # one repaint with everything in place
        try:
            self.outbox_banner = OutboxBanner(self)  # hidden until a job waits
            self.banner_layout.addWidget(self.outbox_banner)
            # the files of a task: asked of the current list's actions (the library may switch)
            self.review = ReviewPane(
                lambda local_id: self.task_list.task_actions.files(local_id), self)
            self.review.message.connect(
                lambda text: self.statusBar().showMessage(text, 10_000))
            current = self.tabs.currentIndex()
            index = self.tabs.indexOf(self.review_place)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, self.review, "Review")
            self.tabs.setTabToolTip(index, REVIEW_TOOLTIP)
            self.tabs.setCurrentIndex(current)
            self.review_place.deleteLater()
            self._show_icon()
            self.notifier = Notifier(self.session.bridge, self.icon, self)
            self.notifier.notified.connect(
                lambda title, text, _id: self.say(f"{title}: {text}", 15_000))
            self.notifier.clicked.connect(self.play_task)
            self.session.bridge.state_changed.connect(self._on_task_state)
            self._list_tasks(self.tasks_place)
            self.tasks_place.deleteLater()
            self.attach_board()
            name_from_labels(self)
            if self.isVisible():
                for split, were in zip(self.splitters, sizes, strict=True):
                    split.setSizes(were)
        finally:
            self.setUpdatesEnabled(True)
        self.attach_finished.emit()

    def _show_icon(self) -> None:
        """The window's icon (and the app's, when it has none): read after the first paint,
        which it does not change (a taskbar or dock shows it)."""
        from PySide6.QtGui import QGuiApplication

        from vidu_desktop.ui.common.resources import app_icon

        self.icon = app_icon()
        self.setWindowIcon(self.icon)
        if QGuiApplication.windowIcon().isNull():
            QGuiApplication.setWindowIcon(self.icon)

    def _list_tasks(self, old: QWidget) -> None:
        """A task list for the active library's engine in ``old``'s place, fed by its events."""
        from vidu_desktop.ui.tasks.panel import TaskFeed, TaskList

        self.task_list = TaskList(self.session.engine, self)
        self.task_list.setContentsMargins(old.contentsMargins())
        index = self.side_split.indexOf(old)
        self.side_split.replaceWidget(index, self.task_list)
        self.side_split.setStretchFactor(index, 1)  # kept in the widget's size policy
        self.feed = TaskFeed(self.session.bridge, self.task_list, self.outbox_banner)
        self._attach_tasks()
        self._tab_order()

    def _reuse(self, rec: TaskRecord) -> None:
        """"Reuse settings" from the task list: into the composer, and say what came back."""
        notes = self.composer.reuse(rec)
        self.task_list.task_actions.say("Settings, prompt and references loaded into the composer."
                                   + (" " + " ".join(notes) if notes else ""))

    def _attach_tasks(self) -> None:
        """Wire the (current) task list: actions to the composer and the status bar, its
        selection and play/compare requests to the Review tab."""
        tasks = self.task_list
        tasks.attach(lambda: self.session.sandbox, self.statusBar().showMessage)
        tasks.task_actions.reuse_requested.connect(self._reuse)
        view = tasks.view
        view.picked.connect(self._on_picked)
        view.play_requested.connect(self.play_task)
        view.compare_requested.connect(self.compare_tasks)
        view.task_actions.deleted.connect(self.review.forget)
        view.task_actions.release = self.review.release

    def _on_picked(self, records: list[TaskRecord]) -> None:
        """One task selected: its take in Review, ready to play; two finished takes: compared.
        (Read again from the store: the list's copy may be a moment behind the engine.)"""
        engine = self.session.engine
        records = [r for r in (engine.task(r.local_id) for r in records) if r is not None]
        if len(records) == 1:
            self.review.show_take(records[0])
        elif len(records) == 2 and all(r.state == TaskState.SUCCEEDED for r in records):
            self.review.show_compare(*records)

    def _on_task_state(self, rec: TaskRecord) -> None:
        """The selected task's video just arrived: Review shows it, ready to play."""
        if rec.state != TaskState.SUCCEEDED:
            return
        picked = self.task_list.view.selected_records()
        if len(picked) == 1 and picked[0].local_id == rec.local_id:
            self.review.show_take(rec)

    def play_task(self, local_id: str) -> bool:
        """Play a task's video in the Review tab (brought to the front)."""
        rec = self.session.engine.task(local_id) if local_id else None
        if rec is None:
            return False
        self.attach()
        self.tabs.setCurrentWidget(self.review)
        return self.review.show_take(rec, play=True)

    def compare_tasks(self, a_id: str, b_id: str) -> bool:
        engine = self.session.engine
        a, b = engine.task(a_id), engine.task(b_id)
        if a is None or b is None:
            return False
        self.attach()
        self.tabs.setCurrentWidget(self.review)
        return self.review.show_compare(a, b, play=True)

    def _on_engine(self) -> None:
        """Another library is active (sandbox mode entered or left): list its tasks and
        follow its engine's events (the session's bridge follows the new engine)."""
        if not self.attached:  # attach() lists the active library's tasks
            return
        self.feed.close()
        self.outbox_banner.retry.disconnect(self.feed.engine.wake_outbox)
        old = self.task_list
        self._list_tasks(old)
        old.deleteLater()
        self.review.clear()  # the take on screen belongs to the other library

    def close_tasks_and_review(self) -> None:
        """The window closes: stop following the engine, release the players."""
        if self.attached:
            self.session.bridge.state_changed.disconnect(self._on_task_state)
            self.feed.close()
            self.notifier.close()
            self.review.shutdown()
