"""The context menu of a reference card (built apart from showing it, so tests can use it)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from vidu_desktop.imaging.options import FixMode
from vidu_desktop.ui.compose.tray.groups import TrayGroup
from vidu_desktop.ui.compose.tray.item import ItemState
from vidu_desktop.ui.compose.tray.model import TrayModel
from vidu_desktop.ui.compose.tray.view import TrayView


class MenuCast(Protocol):
    """What the menus need of the tray's cast part (``TrayCast``)."""

    @property
    def model(self) -> TrayModel: ...

    def make_subject(self) -> bool: ...
    def remove_group(self, key: str) -> None: ...
    def request(self, action: str, key: str) -> None: ...


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
    @property
    def cast(self) -> MenuCast: ...


def menu_for(tray: MenuTray, row: int) -> QMenu:
    """Label, ratio fixes, retry, move and remove for image ``row`` (deleted when closed)."""
    item = tray.model.item(row)
    index = tray.model.index(row)
    menu = QMenu(tray if isinstance(tray, QWidget) else None)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if item.group:  # a cast member's picture: the member's actions
        group = tray.model.group(item.group)
        if group is not None:
            _member_actions(menu, tray.cast, group)
        return menu
    menu.addAction("Edit label…", lambda: tray.view.edit(index)).setShortcut(
        QKeySequence(Qt.Key.Key_F2))
    if item.offer is not None and item.state is ItemState.ERROR:
        ratio = item.offer.ratio_text
        crop_w, crop_h = item.offer.crop_size
        pad_w, pad_h = item.offer.pad_size
        menu.addAction(f"Crop to {ratio} ({crop_w}×{crop_h})",
                       lambda: tray.fix_ratio(tray.model.picture_index(item.id), "crop"))
        menu.addAction(f"Pad to {ratio} ({pad_w}×{pad_h})",
                       lambda: tray.fix_ratio(tray.model.picture_index(item.id), "pad"))
    if item.state is ItemState.ERROR:
        menu.addAction("Try again", lambda: tray.retry(tray.model.picture_index(item.id)))
    menu.addSeparator()
    menu.addAction("Make a subject…", tray.cast.make_subject)
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


def header_menu_for(cast: MenuCast, group: TrayGroup, parent: QWidget | None = None) -> QMenu:
    """A group's header: rename, edit, keep in the cast, move, remove from the draft."""
    menu = QMenu(parent)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _member_actions(menu, cast, group)
    keys = [g.key for g in cast.model.groups()]
    place = keys.index(group.key) if group.key in keys else 0
    menu.addSeparator()
    up = menu.addAction("Move up", lambda: cast.model.shift_groups([group.key], -1))
    up.setShortcut(QKeySequence("Alt+Left"))
    up.setEnabled(place > 0)
    down = menu.addAction("Move down", lambda: cast.model.shift_groups([group.key], 1))
    down.setShortcut(QKeySequence("Alt+Right"))
    down.setEnabled(place < len(keys) - 1)
    return menu


def _member_actions(menu: QMenu, cast: MenuCast, group: TrayGroup) -> None:
    if group.in_cast:
        menu.addAction(f"Rename {group.name}…", lambda: cast.request("rename", group.key))
        menu.addAction(f"Edit {group.name}…", lambda: cast.request("edit", group.key))
    else:
        menu.addAction(f"Keep {group.name} in the cast…",
                       lambda: cast.request("keep", group.key))
    menu.addSeparator()
    menu.addAction(f"Remove {group.name} from this draft",
                   lambda: cast.remove_group(group.key)).setShortcut(
        QKeySequence(QKeySequence.StandardKey.Delete))
