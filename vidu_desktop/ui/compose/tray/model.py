"""The tray's list model: the references in order, their labels, and moves.

Row r is "image r+1" in the prompt. The view drags rows with a private MIME type holding item
ids; ``dropMimeData`` turns such a drop into ``moveRows``, so a drag, a keyboard move and the
API all reorder through the same ``beginMoveRows``/``endMoveRows`` path (selection and the
current index follow the moved items).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from vidu_desktop.ui.compose.tray.item import TrayItem, badge_text, tooltip_text

#: The MIME type of a drag inside the tray: a JSON list of item ids.
ROWS_MIME = "application/x-vidu-tray-items"
ItemRole = Qt.ItemDataRole.UserRole + 1  # the TrayItem itself
NumberRole = Qt.ItemDataRole.UserRole + 2  # "image N"
OverLimitRole = Qt.ItemDataRole.UserRole + 3  # True when beyond the model's maximum

Index = QModelIndex | QPersistentModelIndex


class TrayModel(QAbstractListModel):
    labelled = Signal(int)  # item id whose label was edited

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[TrayItem] = []
        self.limit = 7  # the model's maximum number of references

    # -- the list ------------------------------------------------------------------------

    def items(self) -> list[TrayItem]:
        return list(self._items)

    def item(self, row: int) -> TrayItem:
        return self._items[row]

    def row_of(self, item_id: int) -> int:
        for row, item in enumerate(self._items):
            if item.id == item_id:
                return row
        return -1

    def find(self, item_id: int) -> TrayItem | None:
        row = self.row_of(item_id)
        return self._items[row] if row >= 0 else None

    def append(self, items: Sequence[TrayItem]) -> None:
        if not items:
            return
        first = len(self._items)
        self.beginInsertRows(QModelIndex(), first, first + len(items) - 1)
        self._items.extend(items)
        self.endInsertRows()

    def remove_ids(self, ids: Iterable[int]) -> list[TrayItem]:
        """Remove these items (bottom up, one row at a time); returns the removed ones."""
        removed: list[TrayItem] = []
        rows = sorted((r for r in (self.row_of(i) for i in set(ids)) if r >= 0), reverse=True)
        for row in rows:
            self.beginRemoveRows(QModelIndex(), row, row)
            removed.append(self._items.pop(row))
            self.endRemoveRows()
        removed.reverse()
        return removed

    def clear(self) -> None:
        self.beginResetModel()
        self._items.clear()
        self.endResetModel()

    def touch(self, item_id: int) -> None:
        """Tell the view an item changed (state, thumbnail, progress, label)."""
        row = self.row_of(item_id)
        if row >= 0:
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def set_limit(self, limit: int) -> None:
        self.limit = limit
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))

    def move_ids(self, ids: Sequence[int], row: int) -> bool:
        """Move items so that they stand, in their current order, before ``row``."""
        target = max(0, min(row, len(self._items)))
        moving = sorted(r for r in (self.row_of(i) for i in ids) if r >= 0)
        moved = False
        for item_id in [self._items[r].id for r in moving]:
            current = self.row_of(item_id)
            if target not in (current, current + 1):
                moved = self.moveRow(QModelIndex(), current, QModelIndex(), target) or moved
            target = self.row_of(item_id) + 1
        return moved

    # -- QAbstractItemModel --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        number = index.row() + 1
        if role == Qt.ItemDataRole.DisplayRole:
            return item.label or item.name
        if role == Qt.ItemDataRole.EditRole:
            return item.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(item, number, self.limit)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Image {number}, {item.label or item.name}: {badge_text(item)}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return tooltip_text(item, number, self.limit)
        if role == ItemRole:
            return item
        if role == NumberRole:
            return number
        if role == OverLimitRole:
            return number > self.limit
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        item = self._items[index.row()]
        text = " ".join(str(value or "").split())
        if text == item.label:
            return False
        item.label = text
        self.dataChanged.emit(index, index)
        self.labelled.emit(item.id)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsEditable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def moveRows(self, sourceParent: Index, sourceRow: int, count: int,
                 destinationParent: Index, destinationChild: int) -> bool:
        if sourceParent.isValid() or destinationParent.isValid() or count <= 0:
            return False
        if sourceRow < 0 or sourceRow + count > len(self._items):
            return False
        if not 0 <= destinationChild <= len(self._items):
            return False
        if sourceRow <= destinationChild <= sourceRow + count:
            return False  # onto itself
        if not self.beginMoveRows(QModelIndex(), sourceRow, sourceRow + count - 1,
                                  QModelIndex(), destinationChild):
            return False
        block = self._items[sourceRow:sourceRow + count]
        del self._items[sourceRow:sourceRow + count]
        at = destinationChild - count if destinationChild > sourceRow else destinationChild
        self._items[at:at] = block
        self.endMoveRows()
        return True

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = [self._items[i.row()].id for i in sorted(indexes, key=lambda i: i.row())
               if i.isValid()]
        mime.setData(ROWS_MIME, json.dumps(ids).encode())
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return action == Qt.DropAction.MoveAction and data.hasFormat(ROWS_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            ids = [int(i) for i in json.loads(bytes(data.data(ROWS_MIME).data()))]
        except (ValueError, TypeError):
            return False
        return self.move_ids(ids, len(self._items) if row < 0 else row)

