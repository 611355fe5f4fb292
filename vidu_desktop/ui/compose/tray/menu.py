"""The context menu of a reference card (built apart from showing it, so tests can use it)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from vidu_desktop.imaging.options import FixMode
from vidu_desktop.ui.compose.tray.item import ItemState
from vidu_desktop.ui.compose.tray.model import TrayModel
from vidu_desktop.ui.compose.tray.view import TrayView


class MenuTray(Protocol):
    """What the menu needs of the tray (``ReferenceTray``)."""

    @property
    def model(self) -> TrayModel: ...
    @property
    def view(self) -> TrayView: ...

    def fix_ratio(self, index: int, how: FixMode) -> None: ...
    def retry(self, index: int) -> None: ...
    def move_selected(self, delta: int) -> None: ...
    def remove_selected(self) -> None: ...


def menu_for(tray: MenuTray, row: int) -> QMenu:
    """Label, ratio fixes, retry, move and remove for image ``row`` (deleted when closed)."""
    item = tray.model.item(row)
    index = tray.model.index(row)
    menu = QMenu(tray if isinstance(tray, QWidget) else None)
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
