"""The task list: filters (state, host, search), the table over :class:`TaskModel`, and the
selected task's details with its actions. Takes of one Generate can be shown alone."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import ProviderId, provider
from vidu_desktop.core.states import ACTIVE, TaskState
from vidu_desktop.engine import Engine
from vidu_desktop.store import TaskFilter, TaskRecord
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.common.covers import THUMB
from vidu_desktop.ui.common.pyside_imports import own_viewport
from vidu_desktop.ui.tasks.actions import TaskAction, TaskActions
from vidu_desktop.ui.tasks.details import ACTIONS, TaskDetails, enabled_actions
from vidu_desktop.ui.tasks.marks import TaskMarks
from vidu_desktop.ui.tasks.model import COST, COVER, STATE, TASK, RecordRole, TaskModel

_S = TaskState
SEARCH_DELAY_MS = 250
ROW_HEIGHT = 48
MIN_LIST_HEIGHT = 200
COMPACT_WIDTH = 560

STATE_FILTERS: tuple[tuple[str, frozenset[TaskState] | None], ...] = (
    ("All states", None),
    ("Running", frozenset(ACTIVE | {_S.OUTCOME_UNKNOWN, _S.DRAFT})),
    ("Done", frozenset({_S.SUCCEEDED})),
    ("Failed", frozenset({_S.FAILED})),
    ("Stopped", frozenset({_S.CANCELLED, _S.UNTRACKED})),
)


class TaskTable(QTableView):
    def __init__(self, model: TaskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        own_viewport(self)  # (before the first viewport(): see own_viewport)
        self.setObjectName("tasks")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setIconSize(THUMB)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        rows.setDefaultSectionSize(ROW_HEIGHT)
        head = self.horizontalHeader()
        head.setHighlightSections(False)
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(COVER, QHeaderView.ResizeMode.Fixed)
        head.setSectionResizeMode(TASK, QHeaderView.ResizeMode.Stretch)
        head.resizeSection(COVER, THUMB.width() + 12)
        head.resizeSection(STATE, 128)
        head.resizeSection(COST, 72)
        head.setMinimumSectionSize(40)
        self.task_model = model

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Narrow (the side panel): the cost moves under the state, the Task column keeps
        the room."""
        super().resizeEvent(event)
        compact = self.width() < COMPACT_WIDTH
        if compact != self.isColumnHidden(COST):
            self.setColumnHidden(COST, compact)
            self.horizontalHeader().resizeSection(STATE, 116 if compact else 128)
            self.task_model.set_compact(compact)


class TaskView(QWidget):
    """``message`` carries what an action did, for the window's status line; ``picked`` the
    selected records (Ctrl+click selects a second take to compare); ``play_requested`` a task
    double-clicked, Entered or played from its menu or button; ``compare_requested`` two."""

    message = Signal(str)
    picked = Signal(list)
    play_requested = Signal(str)
    compare_requested = Signal(str, str)

    def __init__(self, engine: Engine, parent: QWidget | None = None, *,
                 sandbox: Any = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.model = TaskModel(engine, self)
        self.task_actions = TaskActions(engine, self, sandbox=sandbox or (lambda: False))
        self.task_actions.message.connect(self._show_message)
        self.task_actions.deleted.connect(self._deleted)

        self.state_filter = QComboBox(self)
        self.state_filter.setObjectName("task-state-filter")
        self.state_filter.setAccessibleName("Show tasks in state")
        for text, states in STATE_FILTERS:
            self.state_filter.addItem(text, states)
        self.host_filter = QComboBox(self)
        self.host_filter.setObjectName("task-host-filter")
        self.host_filter.setAccessibleName("Show tasks of host")
        self.host_filter.addItem("All hosts", "")
        for pid in ProviderId:
            self.host_filter.addItem(provider(pid).display_name, pid.value)
        self.search = QLineEdit(self)
        self.search.setObjectName("task-search")
        self.search.setPlaceholderText("Search prompts and ids")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search tasks")
        self.search.setAccessibleDescription("Finds tasks by words of the prompt or by id")
        self.group_chip = QPushButton(self)
        self.group_chip.setObjectName("task-group-chip")
        self.group_chip.setToolTip("Show every task again")
        self.group_chip.clicked.connect(lambda: self.show_group(None))
        self.group_chip.hide()
        self._group: str | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.state_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.host_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())

        self.table = TaskTable(self.model, self)
        self.table.setAccessibleName("Tasks")
        self.table.setAccessibleDescription(
            "Enter plays the selected task; the menu key opens its actions")
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.marks = TaskMarks(engine, self.selected_records, self)
        self.table.installEventFilter(self.marks)
        self.marks.marked.connect(self.model.show_record)
        self.marks.message.connect(self._show_message)
        self.marks.starred.toggled.connect(lambda _on: self.apply_filter())
        self.marks.delete_rejected.clicked.connect(self.task_actions.ask_delete_rejected)
        self.task_actions.rejected_deleted.connect(self._rejected_deleted)
        self.details = TaskDetails(self.model, self)
        self.details.action.connect(self.run_action)
        self.details.copy_error.connect(self.task_actions.copy_error)
        self.model.dataChanged.connect(self._rows_changed)
        self.model.modelReset.connect(self._after_reset)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.model.rowsRemoved.connect(lambda *_: self._update_count())

        self.count = QLabel(self)
        theme.set_role(self.count, "muted")
        self.empty = QLabel("No tasks yet. Each Generate adds its takes here and follows them "
                            "until the video is downloaded.", self)
        self.empty.setWordWrap(True)
        theme.set_role(self.empty, "muted")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("task-status")
        theme.set_role(self.status, "muted")
        self.status.hide()

        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.host_filter)
        filters.addWidget(self.marks.starred)
        filters.addWidget(self.search, 1)
        chips = QHBoxLayout()
        chips.addWidget(self.count, 1)
        chips.addWidget(self.marks.delete_rejected)
        chips.addWidget(self.group_chip)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        top_layout.addLayout(filters)
        top_layout.addLayout(chips)
        top_layout.addWidget(self.empty)
        top_layout.addWidget(self.table, 1)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.setObjectName("task-split")
        self.split.addWidget(top)
        self.details_scroll = QScrollArea(self)
        self.details_scroll.setObjectName("task-details")
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_scroll.setWidget(self.details)
        self.details_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its buttons take focus
        self.split.addWidget(self.details_scroll)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        self.details_scroll.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.status)
        self._update_count()
        self.marks.refresh()  # tasks rejected before the window opened (the first page is read)

    def focus_order(self) -> list[QWidget]:
        """Filters, the list, then the selected task's actions."""
        return [self.state_filter, self.host_filter, self.marks.starred, self.search,
                self.marks.delete_rejected, self.group_chip, self.table,
                self.details.copy_error_button, *self.details.buttons.values()]

    # -- filters -----------------------------------------------------------------------------

    def current_filter(self) -> TaskFilter:
        states = self.state_filter.currentData()
        return TaskFilter.of(states=states, provider=self.host_filter.currentData() or None,
                             text=self.search.text(), group_id=self._group,
                             marks=self.marks.marks_filter())

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def show_group(self, group_id: str | None) -> None:
        """Only the takes of one Generate (None: every task again)."""
        self._group = group_id
        self.group_chip.setVisible(group_id is not None)
        self.group_chip.setText("Takes of one Generate  ✕")
        self.apply_filter()

    def _after_reset(self) -> None:
        self._update_count()
        self.marks.refresh()
        self._show_details()

    def _update_count(self) -> None:
        total = self.model.total
        filtered = self.model.filter != TaskFilter()
        self.count.setText(f"{total:,} task{'s' if total != 1 else ''}"
                           + (" match" if filtered else ""))
        nothing = total == 0 and not filtered
        self.empty.setVisible(nothing)
        self.table.setVisible(not nothing)

    # -- selection and details ---------------------------------------------------------------
    def selected(self) -> TaskRecord | None:
        """The task whose details show: the current one when selected, else the first."""
        selection = self.table.selectionModel()
        current = selection.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row()):
            return self.model.record(current.row())
        rows = selection.selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def selected_records(self) -> list[TaskRecord]:
        """Every selected task, top to bottom."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [r for r in (self.model.record(row) for row in rows) if r is not None]

    def select(self, local_id: str) -> bool:
        index = self.model.index_of(local_id)
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_details()
        self.picked.emit(self.selected_records())

    def _activated(self, index: QModelIndex) -> None:
        rec = self.model.record(index.row())
        if rec is not None:
            self.run_action(TaskAction.PLAY, rec.local_id)

    def _show_details(self) -> None:
        """The selected task's details below the list (none: the list has all the room)."""
        rec = self.selected()
        self.details.show_record(rec)
        self.details_scroll.setVisible(rec is not None)
        if rec is not None:
            self._fit_details()

    def _fit_details(self) -> None:
        """Give the details the height they need, when the list can spare it."""
        top, bottom = self.split.sizes()
        need = self.details.sizeHint().height()
        if bottom < need and top + bottom > 0:
            keep = max(MIN_LIST_HEIGHT, (top + bottom) // 2)  # the list keeps half at least
            give = min(need - bottom, max(0, top - keep))
            self.split.setSizes([top - give, bottom + give])

    def _rows_changed(self, top: QModelIndex, bottom: QModelIndex, _roles: Any = None) -> None:
        rec = self.selected()
        row = self.model.row_of(rec.local_id) if rec is not None else None
        if row is not None and top.column() <= TASK and top.row() <= row <= bottom.row():
            self.details.show_record(rec)

    # -- actions -----------------------------------------------------------------------------
    def run_action(self, action: TaskAction, local_id: str) -> asyncio.Task[object] | None:
        """Do ``action`` on the task (the ones that ask or wait run in the background: their
        asyncio task is returned)."""
        if not local_id:
            return None
        if action is TaskAction.PLAY:
            self.play_requested.emit(local_id)
            return None
        return self.task_actions.run(action, local_id)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        rec = index.data(RecordRole) if index.isValid() else None
        if not isinstance(rec, TaskRecord):
            return
        if not self.table.selectionModel().isRowSelected(index.row()):
            self.table.selectRow(index.row())
        menu = self.task_menu(rec)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def task_menu(self, rec: TaskRecord) -> QMenu:
        """The menu of ``rec`` (right-click, the menu key): its actions, and with two takes
        selected, comparing them."""
        menu = QMenu(self)
        picked = self.selected_records()
        if len(picked) == 2:
            a, b = picked
            compare = menu.addAction("Compare the two selected takes")
            compare.setEnabled(a.state == b.state == TaskState.SUCCEEDED)
            compare.triggered.connect(
                lambda: self.compare_requested.emit(a.local_id, b.local_id))
            menu.addSeparator()
        allowed = enabled_actions(rec)
        for action, text, tip in ACTIONS:
            item = QAction(text, menu)
            item.setToolTip(tip)
            item.setEnabled(action in allowed)
            item.triggered.connect(
                lambda _=False, a=action, i=rec.local_id: self.run_action(a, i))
            menu.addAction(item)
        self.marks.add_to_menu(menu, rec)
        if rec.group_id:
            menu.addSeparator()
            group = rec.group_id
            menu.addAction("Show the takes of this Generate").triggered.connect(
                lambda: self.show_group(group))
        return menu

    def _show_message(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
        self.message.emit(text)

    def _deleted(self, local_id: str) -> None:
        self.model.remove(local_id)
        self._show_details()

    def _rejected_deleted(self) -> None:
        self.model.reload()
        self._show_details()

    def shutdown(self) -> None:
        self.model.covers.shutdown()
