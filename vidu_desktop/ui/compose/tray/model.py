"""The tray's list model: the cast members' groups and the loose pictures, in order, and moves.

The pictures are kept in tray order: each group's (in group order), then the loose ones. The
rows the view shows add a header before each group's (``groups.row_keys``); with no group the
rows are the pictures, and row r is "image r+1" in the prompt.

Every change goes through ``_sync``: the rows that left are removed, the ones that stay are
put in their new order as a layout change (selection and the current index follow them), the
new ones are inserted. So a drag, a keyboard move, making a group and the API all keep the
view's selection. The view drags rows with a private MIME type holding item ids (numbers) and
group keys (strings); ``dropMimeData`` turns such a drop into a move.
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

from vidu_desktop.ui.compose.tray.groups import (
    RowKey,
    TrayGroup,
    group_data,
    row_keys,
)
from vidu_desktop.ui.compose.tray.item import TrayItem, badge_text, tooltip_text
from vidu_desktop.ui.compose.tray.rows import sync_rows

#: The MIME type of a drag inside the tray: a JSON list of item ids and group keys.
ROWS_MIME = "application/x-vidu-tray-items"
ItemRole = Qt.ItemDataRole.UserRole + 1  # the TrayItem itself (None on a header)
NumberRole = Qt.ItemDataRole.UserRole + 2  # "image N"
OverLimitRole = Qt.ItemDataRole.UserRole + 3  # True when beyond the model's maximum
GroupRole = Qt.ItemDataRole.UserRole + 4  # the TrayGroup of a group's header
CountRole = Qt.ItemDataRole.UserRole + 5  # pictures under a header
BadgeRole = Qt.ItemDataRole.UserRole + 6  # what the card's badge says: "3", or "@image1"

Index = QModelIndex | QPersistentModelIndex


class TrayModel(QAbstractListModel):
    labelled = Signal(int)  # item id whose label was edited
    reordered = Signal()  # pictures or groups moved

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[TrayItem] = []
        self._groups: list[TrayGroup] = []
        self._keys: list[RowKey] = []
        self.limit = 7  # the model's maximum number of references
        #: number the loose pictures among themselves (@image1, …) and a group's pictures
        #: within it: the subjects form; else every picture in order (image 1, …)
        self.loose_numbers = False

    # -- the pictures ---------------------------------------------------------------------

    def items(self) -> list[TrayItem]:
        """Every picture in tray order (the groups', then the loose ones)."""
        return list(self._items)

    def item(self, row: int) -> TrayItem:
        """The picture in (view) ``row``; raises on a header's row."""
        item = self.item_at(row)
        if item is None:
            raise IndexError(f"row {row} holds no picture")
        return item

    def item_at(self, row: int) -> TrayItem | None:
        if not 0 <= row < len(self._keys):
            return None
        kind, key = self._keys[row]
        return self.find(int(key)) if kind == "item" else None

    def group_at(self, row: int) -> TrayGroup | None:
        if not 0 <= row < len(self._keys):
            return None
        kind, key = self._keys[row]
        return self.group(str(key)) if kind == "group" else None

    def row_of(self, item_id: int) -> int:
        try:
            return self._keys.index(("item", item_id))
        except ValueError:
            return -1

    def picture_index(self, item_id: int) -> int:
        """Its place among the pictures (0-based; ``items()[i]``), -1 when not in the tray."""
        for n, item in enumerate(self._items):
            if item.id == item_id:
                return n
        return -1

    def find(self, item_id: int) -> TrayItem | None:
        for item in self._items:
            if item.id == item_id:
                return item
        return None

    def loose(self) -> list[TrayItem]:
        return [i for i in self._items if not i.group]

    def append(self, items: Sequence[TrayItem]) -> None:
        """Add pictures: loose ones at the end, a group's after its other pictures."""
        if items:
            self._items.extend(items)
            self._sync()

    def remove_ids(self, ids: Iterable[int]) -> list[TrayItem]:
        """Remove these pictures; returns the removed ones (a group left empty goes too)."""
        gone = set(ids)
        removed = [i for i in self._items if i.id in gone]
        if removed:
            self._items = [i for i in self._items if i.id not in gone]
            used = {i.group for i in self._items}
            self._groups = [g for g in self._groups if g.key in used]
            self._sync()
        return removed

    def clear(self) -> None:
        self.beginResetModel()
        self._items.clear()
        self._groups.clear()
        self._keys.clear()
        self.endResetModel()

    def touch(self, item_id: int) -> None:
        """Tell the view an item changed (state, thumbnail, progress, label)."""
        row = self.row_of(item_id)
        if row >= 0:
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def set_limit(self, limit: int) -> None:
        self.limit = limit
        self._all_changed()

    def set_loose_numbers(self, on: bool) -> None:
        if on != self.loose_numbers:
            self.loose_numbers = on
            self._all_changed()

    # -- the groups -----------------------------------------------------------------------

    def groups(self) -> list[TrayGroup]:
        return list(self._groups)

    def group(self, key: str) -> TrayGroup | None:
        return next((g for g in self._groups if g.key == key), None)

    def group_items(self, key: str) -> list[TrayItem]:
        return [i for i in self._items if i.group == key]

    def add_group(self, group: TrayGroup, items: Sequence[TrayItem] = (),
                  take: Sequence[int] = ()) -> None:
        """A group after the others, holding new ``items`` or the loose pictures ``take``
        (ids, kept in their order)."""
        self._groups.append(group)
        taken = set(take)
        for item in self._items:
            if item.id in taken:
                item.group = group.key
        for item in items:
            item.group = group.key
        self._items.extend(items)
        self._sync()

    def replace_group_items(self, key: str, items: Sequence[TrayItem]) -> None:
        """New pictures for the group ``key``, which keeps its place."""
        for item in items:
            item.group = key
        self._items = [i for i in self._items if i.group != key] + list(items)
        self._sync()

    def update_group(self, key: str, group: TrayGroup) -> None:
        """New name, description or voice (or the member it now is in the cast)."""
        for n, old in enumerate(self._groups):
            if old.key == key:
                self._groups[n] = group
                for item in self._items:
                    if item.group == key:
                        item.group = group.key
                break
        else:
            return
        if group.key != key:
            self._sync()
        self._all_changed()

    def remove_group(self, key: str) -> list[TrayItem]:
        """The group and its pictures out of the tray; returns its pictures."""
        removed = [i for i in self._items if i.group == key]
        self._groups = [g for g in self._groups if g.key != key]
        self._items = [i for i in self._items if i.group != key]
        self._sync()
        return removed

    def number(self, item: TrayItem) -> int:
        """The number its card shows (see ``loose_numbers``)."""
        if self.loose_numbers:
            same = [i.id for i in self._items if i.group == item.group]
            return same.index(item.id) + 1
        return self.picture_index(item.id) + 1

    # -- moves ----------------------------------------------------------------------------

    def move_ids(self, ids: Sequence[int | str], row: int) -> bool:
        """Move items so that they stand, in their current order, before ``row`` (a view
        row). Loose pictures move among the loose ones; group keys move their groups; a
        group's pictures keep the cast member's order."""
        row = max(0, min(row, len(self._keys)))
        keys = [k for k in ids if isinstance(k, str) and self.group(k) is not None]
        if keys:
            return self._move_groups(keys, row)
        moving = {i for i in ids if isinstance(i, int)}
        loose = self.loose()
        picked = [i for i in loose if i.id in moving]
        if not picked:
            return False
        before = {int(k) for kind, k in self._keys[:row] if kind == "item"}
        rest = [i for i in loose if i.id not in moving]
        at = sum(1 for i in rest if i.id in before)
        order = rest[:at] + picked + rest[at:]
        if [i.id for i in order] == [i.id for i in loose]:
            return False
        self._items = [i for i in self._items if i.group] + order
        self._sync()
        self.reordered.emit()
        return True

    def move_loose(self, src: int, dst: int) -> bool:
        """Move the picture at ``items()[src]`` to stand at ``items()[dst]`` (both loose)."""
        if not (0 <= src < len(self._items) and 0 <= dst < len(self._items)) or src == dst:
            return False
        if self._items[src].group or self._items[dst].group:
            return False
        item = self._items.pop(src)
        self._items.insert(dst, item)
        self._sync()
        self.reordered.emit()
        return True

    def shift_groups(self, keys: Sequence[str], delta: int) -> bool:
        """Move these groups one place up (-1) or down (+1)."""
        order = [g.key for g in self._groups]
        places = sorted(order.index(k) for k in keys if k in order)
        if not places or (delta < 0 and places[0] == 0) or \
                (delta > 0 and places[-1] == len(order) - 1):
            return False
        for place in places if delta < 0 else reversed(places):
            order[place], order[place + delta] = order[place + delta], order[place]
        return self._order_groups(order)

    def _move_groups(self, keys: Sequence[str], row: int) -> bool:
        before = {str(k) for kind, k in self._keys[:row] if kind == "group"}
        order = [g.key for g in self._groups]
        rest = [k for k in order if k not in keys]
        at = sum(1 for k in rest if k in before)
        moving = [k for k in order if k in keys]
        return self._order_groups(rest[:at] + moving + rest[at:])

    def _order_groups(self, order: list[str]) -> bool:
        if order == [g.key for g in self._groups]:
            return False
        by_key = {g.key: g for g in self._groups}
        self._groups = [by_key[k] for k in order]
        self._sync()
        self.reordered.emit()
        return True

    # -- keeping the rows -----------------------------------------------------------------

    def _sync(self) -> None:
        """Bring the rows in line with the groups and pictures (see the module docstring)."""
        by_group = {g.key: [i for i in self._items if i.group == g.key] for g in self._groups}
        for item in self._items:
            if item.group and item.group not in by_group:
                item.group = ""  # its group has gone: a loose picture
        self._items = [i for g in self._groups for i in by_group[g.key]] + self.loose()
        sync_rows(self, self._keys,
                  row_keys(self._groups, [(i.id, i.group) for i in self._items]))
        self._all_changed(headers_only=True)

    def _all_changed(self, headers_only: bool = False) -> None:
        for row, (kind, _key) in enumerate(self._keys):
            if not headers_only or kind != "item":
                index = self.index(row)
                self.dataChanged.emit(index, index)

    # -- QAbstractItemModel --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        kind, key = self._keys[index.row()]
        if kind == "group":
            group = self.group(str(key))
            count = len(self.group_items(str(key)))
            if role == GroupRole:
                return group
            if role == CountRole:
                return count
            return group_data(group, count, role) if group else None
        item = self.find(int(key))
        if item is None:
            return None
        number = self.number(item)
        group = self.group(item.group) if item.group else None
        member = group.name if group else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return item.label or item.name
        if role == Qt.ItemDataRole.EditRole:
            return item.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(item, number, self.limit, member)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            owner = f"{member}'s picture {number}" if member and self.loose_numbers \
                else f"Image {number}"
            return f"{owner}, {item.label or item.name}: {badge_text(item)}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return tooltip_text(item, number, self.limit, member)
        if role == ItemRole:
            return item
        if role == NumberRole:
            return number
        if role == BadgeRole:
            return f"@image{number}" if self.loose_numbers and not item.group else str(number)
        if role == OverLimitRole:
            return self.picture_index(item.id) + 1 > self.limit
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item_at(index.row()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or item is None or item.group:
            return False  # a cast member's pictures are named by it
        text = " ".join(str(value or "").split())
        if text == item.label:
            return False
        item.label = text
        self.dataChanged.emit(index, index)
        self.labelled.emit(item.id)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return Qt.ItemFlag.ItemIsDropEnabled
        kind, key = self._keys[index.row()]
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        if kind == "group":
            return base | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        item = self.find(int(key))
        if item is not None and item.group:  # the cast member's pictures, in its order
            return base | Qt.ItemFlag.ItemIsSelectable
        return (base | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                | Qt.ItemFlag.ItemIsEditable)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged groups (their keys) or, with none, the dragged loose pictures (ids)."""
        keys = [self._keys[i.row()] for i in sorted(indexes, key=lambda i: i.row())
                if i.isValid() and 0 <= i.row() < len(self._keys)]
        groups = [str(k) for kind, k in keys if kind == "group"]
        ids: list[int | str] = list(groups) if groups else [
            int(k) for kind, k in keys if kind == "item" and self._is_loose(int(k))]
        mime = QMimeData()
        mime.setData(ROWS_MIME, json.dumps(ids).encode())
        return mime

    def _is_loose(self, item_id: int) -> bool:
        item = self.find(item_id)
        return item is not None and not item.group

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return action == Qt.DropAction.MoveAction and data.hasFormat(ROWS_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            ids = [i if isinstance(i, str) else int(i)
                   for i in json.loads(bytes(data.data(ROWS_MIME).data()))]
        except (ValueError, TypeError):
            return False
        return self.move_ids(ids, len(self._keys) if row < 0 else row)
