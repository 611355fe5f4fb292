"""Bringing a list model's rows in line with a new list of row keys, keeping the view's
selection and current index: the rows that left are removed (bottom up, a run at a time), the
ones that stay are put in their new order as one layout change (their persistent indexes
follow them), and the new ones are inserted (top down, a run at a time)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex


def sync_rows[K: Hashable](model: QAbstractListModel, keys: list[K], new: Sequence[K]
                           ) -> None:
    """Make ``keys`` (the model's rows, changed in place) equal ``new``, telling the views."""
    wanted = set(new)
    row = len(keys) - 1
    while row >= 0:  # 1. the rows that left
        if keys[row] in wanted:
            row -= 1
            continue
        end = row
        while row > 0 and keys[row - 1] not in wanted:
            row -= 1
        model.beginRemoveRows(QModelIndex(), row, end)
        del keys[row:end + 1]
        model.endRemoveRows()
        row -= 1
    staying = set(keys)
    order = [k for k in new if k in staying]
    if order != keys:  # 2. the ones that stay, in their new order
        model.layoutAboutToBeChanged.emit()
        old = model.persistentIndexList()
        place = {key: n for n, key in enumerate(order)}
        moved = [place[keys[i.row()]] for i in old]
        keys[:] = order
        model.changePersistentIndexList(old, [model.index(r) for r in moved])
        model.layoutChanged.emit()
    at = 0
    while at < len(new):  # 3. the new ones
        if at < len(keys) and keys[at] == new[at]:
            at += 1
            continue
        end = at
        while end < len(new) and new[end] not in staying:
            end += 1
        model.beginInsertRows(QModelIndex(), at, end - 1)
        keys[at:at] = new[at:end]
        model.endInsertRows()
        at = end
