"""The board's shot list as a Qt model: one row a shot with its takes, in the board's order.

A row knows what the list shows: the shot's number, its cover (the chosen take's, else the
latest finished take's), a prompt excerpt, its state ("no take", "generating 1 of 2", "3 takes",
"take 2 chosen", "stale") and the chosen take. Rows are dragged to another place: the model
does not move them itself, it asks (``move_requested``) and the board reloads from the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)

from vidu_desktop.core.formatting import excerpt
from vidu_desktop.core.records import record
from vidu_desktop.core.states import TaskMark, TaskState
from vidu_desktop.engine import Engine
from vidu_desktop.engine.board_plan import ShotTake
from vidu_desktop.store import ArtifactKind, Shot
from vidu_desktop.ui.common.covers import CoverCache

SHOT_MIME = "application/x-vidu-shot"
COVER = QSize(96, 54)
RowRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@record
class ShotRow:
    """A shot and its takes (in the order they were made)."""

    shot: Shot
    takes: tuple[ShotTake, ...] = ()

    @property
    def chosen(self) -> ShotTake | None:
        return next((t for t in self.takes if t.mark == TaskMark.STAR), None)

    @property
    def running(self) -> int:
        return sum(1 for t in self.takes if not t.record.state.is_terminal)

    def take(self, number: int) -> ShotTake | None:
        return next((t for t in self.takes if t.number == number), None)

    def cover_take(self) -> ShotTake | None:
        """The chosen take, else the latest that finished."""
        chosen = self.chosen
        if chosen is not None and chosen.record.state == TaskState.SUCCEEDED:
            return chosen
        done = [t for t in self.takes if t.record.state == TaskState.SUCCEEDED]
        return done[-1] if done else None

    @property
    def stale(self) -> bool:
        """The take that counts (the chosen one, else the latest) was made before the shot
        changed."""
        ref = self.chosen or (self.takes[-1] if self.takes else None)
        return ref is not None and ref.stale


def shot_state(row: ShotRow) -> str:
    """"no take", "generating 1 of 2", "stale", "take 2 chosen", "3 takes"."""
    takes = row.takes
    if not takes:
        return "no take"
    if row.running:
        return f"generating {row.running} of {len(takes)}"
    if row.stale:
        return "stale"
    chosen = row.chosen
    if chosen is not None:
        return f"take {chosen.number} chosen"
    failed = sum(1 for t in takes if t.record.state == TaskState.FAILED)
    if failed == len(takes):
        return "failed" if failed == 1 else f"{failed} takes failed"
    words = "1 take" if len(takes) == 1 else f"{len(takes)} takes"
    return words + (f" ({failed} failed)" if failed else "")


def chosen_text(row: ShotRow) -> str:
    chosen = row.chosen
    return f"★ take {chosen.number}" if chosen is not None else ""


class ShotModel(QAbstractListModel):
    """``move_requested(shot_id, position)``: a row was dropped at ``position`` (0-based)."""

    move_requested = Signal(str, int)

    def __init__(self, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.rows: list[ShotRow] = []
        self.covers = CoverCache(self, thumb=COVER)
        self.covers.ready.connect(self._cover_ready)

    def set_rows(self, rows: Sequence[ShotRow]) -> None:
        """The board's rows anew (the same shots in the same order: only the changed ones
        are repainted, so the selection and the scroll position stay)."""
        rows = list(rows)
        same = [r.shot.id for r in rows] == [r.shot.id for r in self.rows]
        if not same:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
            return
        old, self.rows = self.rows, rows
        for i, (was, now) in enumerate(zip(old, rows, strict=True)):
            if was != now:
                self._forget_covers(was, now)
                self.dataChanged.emit(self.index(i), self.index(i))

    def set_row(self, row: ShotRow) -> None:
        i = self.row_of(row.shot.id)
        if i is not None and self.rows[i] != row:
            was, self.rows[i] = self.rows[i], row
            self._forget_covers(was, row)
            self.dataChanged.emit(self.index(i), self.index(i))

    def _forget_covers(self, was: ShotRow, now: ShotRow) -> None:
        """A take that just finished has a cover now: read it when asked."""
        done = {t.local_id for t in was.takes if t.record.state == TaskState.SUCCEEDED}
        for take in now.takes:
            if take.record.state == TaskState.SUCCEEDED and take.local_id not in done:
                self.covers.forget(take.local_id)

    def row_of(self, shot_id: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.shot.id == shot_id), None)

    def row(self, i: int) -> ShotRow | None:
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def take_ids(self) -> set[str]:
        return {t.local_id for r in self.rows for t in r.takes}

    # -- covers ------------------------------------------------------------------------------
    def cover(self, row: ShotRow) -> Any:
        take = row.cover_take()
        if take is None:
            return self.covers.placeholder()
        local_id = take.local_id
        return self.covers.get(local_id, lambda: self._cover_path(local_id))

    def _cover_path(self, local_id: str) -> str:
        found = self.engine.file(local_id, ArtifactKind.COVER)
        return str(found.path) if found is not None else ""

    def _cover_ready(self, local_id: str) -> None:
        for i, row in enumerate(self.rows):
            take = row.cover_take()
            if take is not None and take.local_id == local_id:
                self.dataChanged.emit(self.index(i), self.index(i))

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Shot {row.shot.number}: {excerpt(row.shot.prompt, 60)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self.cover(row)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            lines = [f"Shot {row.shot.number}, {shot_state(row)}",
                     row.shot.prompt or "(no prompt)"]
            return "\n".join(lines) if role == Qt.ItemDataRole.ToolTipRole else ", ".join(
                lines)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled  # between rows

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [SHOT_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = [self.row(i.row()) for i in indexes if i.isValid()]
        ids = [r.shot.id for r in rows if r is not None]
        if ids:
            mime.setData(SHOT_MIME, QByteArray(ids[0].encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return data.hasFormat(SHOT_MIME) and action == Qt.DropAction.MoveAction

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        shot_id = bytes(data.data(SHOT_MIME).data()).decode()
        at = row if row >= 0 else (parent.row() if parent.isValid() else len(self.rows))
        source = self.row_of(shot_id)
        if source is None:
            return False
        position = at - 1 if at > source else at  # the row leaves its place first
        if position != source:
            self.move_requested.emit(shot_id, position)
        return False  # the engine moves it; the board reloads (no row removed by the view)

    def shutdown(self) -> None:
        self.covers.shutdown()
