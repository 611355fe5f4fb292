"""The context menu of a reference card (built apart from showing it, so tests can use it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from vidu_desktop.ui.compose.tray.item import ItemState

if TYPE_CHECKING:
    from vidu_desktop.ui.compose.tray.tray import ReferenceTray


def menu_for(tray: ReferenceTray, row: int) -> QMenu:
    """Label, ratio fixes, retry, move and remove for image ``row`` (deleted when closed)."""
    item = tray.model.item(row)
    index = tray.model.index(row)
    menu = QMenu(tray)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.addAction("Edit label…", lambda: tray.view.edit(index)).setShortcut(
        QKeySequence(Qt.Key.Key_F2))
    if item.offer is not None and item.state is ItemState.ERROR:
        ratio = item.offer.ratio_text
        crop_w, crop_h = item.offer.crop_size
        pad_w, pad_h = item.offer.pad_size
        menu.addAction(f"Crop to {ratio} ({crop_w}×{crop_h})",
                       lambda: tray.fix_ratio(tray.model.row_of(item.id), "crop"))
        menu.addAction(f"Pad to {ratio} ({pad_w}×{pad_h})",
                       lambda: tray.fix_ratio(tray.model.row_of(item.id), "pad"))
    if item.state is ItemState.ERROR:
        menu.addAction("Try again", lambda: tray.retry(tray.model.row_of(item.id)))
    menu.addSeparator()
    first, last = row == 0, row == tray.model.rowCount() - 1
    left = menu.addAction("Move left", lambda: tray.move_selected(-1))
    left.setShortcut(QKeySequence("Alt+Left"))
    left.setEnabled(not first)
    right = menu.addAction("Move right", lambda: tray.move_selected(1))
    right.setShortcut(QKeySequence("Alt+Right"))
    right.setEnabled(not last)
    menu.addAction("Remove", tray.remove_selected).setShortcut(
        QKeySequence(QKeySequence.StandardKey.Delete))
    return menu
