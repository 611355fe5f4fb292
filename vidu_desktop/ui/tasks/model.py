"""The task list's item model: a table over the task store, read a page at a time.

Only the first page is read when the model opens (``canFetchMore``/``fetchMore`` read the next
one as the view scrolls), so a library of 10,000 tasks opens as fast as one of 100. Engine
events update the one row of their task (found by local id), at most a few times a second;
a new task that matches the filter is inserted on top. Filters re-query the store.
Covers are decoded off the UI thread (see :mod:`ui.common.covers`); the words are
:mod:`.texts`'.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor

from vidu_desktop.core.formatting import excerpt
from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import Engine, EngineEvent, EventKind
from vidu_desktop.store import ArtifactKind, TaskFilter, TaskRecord
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.common.bridge import DownloadProgress
from vidu_desktop.ui.common.covers import CoverCache
from vidu_desktop.ui.tasks.texts import (
    cost_text,
    elapsed,
    host_name,
    mark_prefix,
    matches,
    span,
    state_text,
    when,
)

_S = TaskState
#: Rows read at a time: several screens of the list (the view asks for the next page as it
#: is scrolled, ``fetchMore``); the first page is what the start waits for
PAGE = 80
#: The newest rows whose running tasks' elapsed time ticks
CLOCK_ROWS = 400
UPDATE_MS = 150

#: Columns: the cover, the task (prompt; host, model, take), its state (and time), the cost.
COVER, TASK, STATE, COST = range(4)
HEADERS = ("", "Task", "State", "Cost")
RecordRole = Qt.ItemDataRole.UserRole + 1
LocalIdRole = Qt.ItemDataRole.UserRole + 2
ProgressRole = Qt.ItemDataRole.UserRole + 3  # 0-100, or None when not known / not running

Index = QModelIndex | QPersistentModelIndex


def _median(values: list[float]) -> float:
    """The middle value (the mean of the middle two for an even count), as
    ``statistics.median``, whose import (fractions, decimal) the start-up does without."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


class TaskModel(QAbstractTableModel):
    def __init__(self, engine: Engine, parent: QObject | None = None, *,
                 page_size: int = PAGE) -> None:
        super().__init__(parent)
        self.engine = engine
        self.page_size = page_size
        self.filter = TaskFilter()
        self._rows: list[TaskRecord] = []
        self._row_of: dict[str, int] = {}
        self._total = 0
        self._bytes: dict[str, tuple[int, int | None]] = {}
        self._typical: dict[str, float] = {}
        self._group_sizes: dict[str, int] = {}
        self._dirty: set[str] = set()
        self.compact = False  # narrow view: the cost is shown under the state
        self.covers = CoverCache(self)
        self.covers.ready.connect(self._cover_ready)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UPDATE_MS)
        self._timer.timeout.connect(self._flush)
        self._clock = QTimer(self)  # running tasks' elapsed time ticks once a second
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self.reload()

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            if self._rows:
                self.dataChanged.emit(self.index(0, STATE),
                                      self.index(len(self._rows) - 1, STATE))

    # -- reading the store -------------------------------------------------------------------
    def set_filter(self, task_filter: TaskFilter) -> None:
        if task_filter != self.filter:
            self.filter = task_filter
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._total = self.engine.count(self.filter)
        self._rows = self.engine.tasks_page(self.filter, limit=self.page_size)
        self._reindex()
        self._learn(self._rows)
        self.endResetModel()
        self._update_clock()

    @property
    def total(self) -> int:
        """How many tasks match the filter (loaded or not)."""
        return self._total

    @property
    def loaded(self) -> int:
        return len(self._rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self.engine.tasks_page(self.filter, offset=len(self._rows),
                                      limit=self.page_size)
        page = [r for r in page if r.local_id not in self._row_of]
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        for i, rec in enumerate(page, first):
            self._row_of[rec.local_id] = i
        self._learn(page)
        self.endInsertRows()

    def _reindex(self) -> None:
        self._row_of = {rec.local_id: i for i, rec in enumerate(self._rows)}

    def _learn(self, records: list[TaskRecord]) -> None:
        """Typical run time per host (from finished tasks seen) and the size of each group."""
        spans: dict[str, list[float]] = {}
        for rec in records:
            if rec.group_id:
                self._group_sizes[rec.group_id] = max(self._group_sizes.get(rec.group_id, 0),
                                                      (rec.take_index or 0) + 1)
            if rec.state == _S.SUCCEEDED and rec.finished_at:
                spans.setdefault(rec.provider, []).append(elapsed(rec, rec.finished_at))
        for host, values in spans.items():
            self._typical[host] = _median(values)

    # -- rows --------------------------------------------------------------------------------
    def record(self, row: int) -> TaskRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, local_id: str) -> int | None:
        return self._row_of.get(local_id)

    def record_of(self, local_id: str) -> TaskRecord | None:
        row = self._row_of.get(local_id)
        return self._rows[row] if row is not None else None

    def index_of(self, local_id: str, column: int = TASK) -> QModelIndex:
        row = self._row_of.get(local_id)
        return self.index(row, column) if row is not None else QModelIndex()

    def remove(self, local_id: str) -> None:
        row = self._row_of.get(local_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._total = max(0, self._total - 1)
        self._reindex()
        self.endRemoveRows()

    # -- engine events -----------------------------------------------------------------------
    def on_event(self, event: EngineEvent) -> None:
        """One engine event (the bridge's signals reach the three verbs below)."""
        if event.kind == EventKind.DOWNLOAD and event.bytes_done is not None:
            self.on_download(DownloadProgress(event.record, event.bytes_done,
                                              event.bytes_total))
        elif event.kind == EventKind.STATE:
            self.on_state(event.record)
        else:
            self.show_record(event.record)

    def on_state(self, rec: TaskRecord) -> None:
        self.show_record(rec)
        self._bytes.pop(rec.local_id, None)

    def on_download(self, progress: DownloadProgress) -> None:
        self.show_record(progress.record)
        self._bytes[progress.local_id] = (progress.done, progress.total)

    def show_record(self, rec: TaskRecord) -> None:
        row = self._row_of.get(rec.local_id)
        if row is None:
            if matches(self.filter, rec) and rec.local_id not in self._row_of:
                self.beginInsertRows(QModelIndex(), 0, 0)
                self._rows.insert(0, rec)
                self._total += 1
                self._reindex()
                self._learn([rec])
                self.endInsertRows()
                self._update_clock()
            return
        self._rows[row] = rec
        if rec.state == _S.SUCCEEDED:
            self.covers.forget(rec.local_id)
            self._learn([rec])
        self._dirty.add(rec.local_id)
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        rows = sorted(r for r in (self._row_of.get(i) for i in self._dirty) if r is not None)
        self._dirty.clear()
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        self._update_clock()

    def _tick(self) -> None:
        for row, rec in enumerate(self._rows[:CLOCK_ROWS]):
            if not rec.state.is_terminal:
                self.dataChanged.emit(self.index(row, STATE), self.index(row, STATE))

    def _update_clock(self) -> None:
        running = any(not r.state.is_terminal for r in self._rows[:CLOCK_ROWS])
        if running and not self._clock.isActive():
            self._clock.start()
        elif not running:
            self._clock.stop()

    def _cover_ready(self, local_id: str) -> None:
        row = self._row_of.get(local_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, COVER), self.index(row, COVER))

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        rec = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(rec, col)
        if role == RecordRole:
            return rec
        if role == LocalIdRole:
            return rec.local_id
        if role == ProgressRole:
            return self.progress(rec)
        if role == Qt.ItemDataRole.DecorationRole and col == COVER:
            return self.covers.get(rec.local_id, lambda: self._cover_path(rec))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(rec)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.spoken(rec, col)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return self.tooltip(rec)
        if role == Qt.ItemDataRole.ForegroundRole and col == STATE:
            return self._state_color(rec)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COST:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def spoken(self, rec: TaskRecord, col: int) -> str:
        """A cell as a screen reader reads it: the cover picture by what it shows, the
        other cells' lines joined."""
        if col == COVER:
            return (f"Cover of {excerpt(rec.prompt, 40)}" if self._cover_path(rec)
                    else "No cover")
        if col == COST:
            return cost_text(rec) or "No cost"
        return ", ".join(line for line in self.display(rec, col).split("\n") if line)

    def display(self, rec: TaskRecord, col: int) -> str:
        if col == TASK:
            return (f"{mark_prefix(rec)}{excerpt(rec.prompt, 70)}\n{host_name(rec)} {rec.model}"
                    f"{self.take_text(rec)}")
        if col == STATE:
            second = self.time_text(rec)
            if self.compact:
                cost = cost_text(rec)
                second += f" · {cost}" if cost else ""
            return f"{self.state_line(rec)}\n{second}"
        if col == COST:
            return cost_text(rec)
        return ""

    def take_text(self, rec: TaskRecord) -> str:
        if rec.group_id is None or rec.take_index is None:
            return ""
        size = self._group_sizes.get(rec.group_id)
        return f" · take {rec.take_index + 1}" + (f" of {size}" if size and size > 1 else "")

    def state_line(self, rec: TaskRecord) -> str:
        text = state_text(rec, self.engine.in_outbox(rec.local_id)
                          if rec.state == _S.DRAFT else False)
        if rec.state == _S.FAILED:
            return "failed"
        done = self._bytes.get(rec.local_id)
        if rec.state == _S.DOWNLOADING and done and done[1]:
            text += f" {100 * done[0] / done[1]:.0f}%"
        return text

    def time_text(self, rec: TaskRecord, now: float | None = None) -> str:
        now = time.time() if now is None else now
        took = span(elapsed(rec, now))
        if rec.state.is_terminal or rec.state == _S.DRAFT:
            return took if rec.state == _S.SUCCEEDED else when(rec.created_at, now)
        typical = self._typical.get(rec.provider)
        return f"{took} of ~{span(typical)}" if typical else took

    def progress(self, rec: TaskRecord) -> float | None:
        if rec.state == _S.PROCESSING:
            return rec.progress
        if rec.state == _S.DOWNLOADING:
            done = self._bytes.get(rec.local_id)
            return 100 * done[0] / done[1] if done and done[1] else None
        return None

    def tooltip(self, rec: TaskRecord) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(rec.created_at))
        lines = [rec.prompt, "", f"{host_name(rec)} {rec.model}, created {when}",
                 state_text(rec, self.engine.in_outbox(rec.local_id))]
        if rec.detail:
            lines.append(rec.detail)
        return "\n".join(lines)

    def _state_color(self, rec: TaskRecord) -> QColor | None:
        c = theme.colors()
        if rec.state == _S.FAILED or rec.state == _S.OUTCOME_UNKNOWN:
            return QColor(c.error_fg)
        if rec.state == _S.SUCCEEDED:
            return QColor(c.ok_fg)
        if rec.state in (_S.CANCELLED, _S.UNTRACKED):
            return QColor(c.muted)
        return None

    def _cover_path(self, rec: TaskRecord) -> str:
        if rec.state != _S.SUCCEEDED:
            return ""
        cover = self.engine.file(rec.local_id, ArtifactKind.COVER)
        return str(cover.path) if cover is not None else ""
