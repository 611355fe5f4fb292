"""The main window's menus and shortcuts.

On macOS Qt moves the actions with a menu role into the application menu: About, Settings
(here "Keys and hosts…", Cmd+,) and Quit (Cmd+Q) sit where a Mac user looks for them, and the
File and Help menus keep the rest. Every other action has no role, so Qt's guess from the text
("…options", "…setup") never moves one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from vidu_desktop.ui.common import pyside_imports

APP_TITLE = "Vidu Studio"
_Role = QAction.MenuRole
Slot = Callable[[], object]


class MenuSlots(NamedTuple):
    """What the menus' actions do (the window's methods). (Named tuples: a dataclass's made
    methods cost about half a millisecond each before the first paint.)"""

    generate: Slot
    paste: Slot
    new_draft: Slot
    host_settings: Slot
    focus_prompt: Slot
    add_pictures: Slot
    quit: Slot
    show_compose: Slot
    show_review: Slot
    show_board: Slot
    open_log_folder: Slot
    about: Slot


class MenuActions(NamedTuple):
    """The actions others refer to (enabled, triggered or checked by the window and tests)."""

    generate: QAction
    paste: QAction
    keys: QAction
    quit: QAction
    log_folder: QAction
    about: QAction


def install_actions(window: QMainWindow, slots: MenuSlots) -> MenuActions:
    """Build the actions and the menu bar of ``window``."""
    def action(text: str, keys: list[QKeySequence], slot: Any, name: str,
               role: QAction.MenuRole = _Role.NoRole) -> QAction:
        act = pyside_imports.action(text, window)
        act.setObjectName(name)
        act.setShortcuts(keys)
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.setMenuRole(role)
        act.triggered.connect(slot)
        window.addAction(act)
        return act

    ctrl = Qt.KeyboardModifier.ControlModifier
    generate_action = action(
        "&Generate", [QKeySequence(ctrl | Qt.Key.Key_Return),
                      QKeySequence(ctrl | Qt.Key.Key_Enter)], slots.generate, "generate")
    paste_action = action("&Paste pictures", [QKeySequence(
        QKeySequence.StandardKey.Paste)], slots.paste, "paste")
    new = action("&New draft", [QKeySequence(QKeySequence.StandardKey.New)],
                 slots.new_draft, "new-draft")
    keys_action = action(
        "&Keys and hosts…", [QKeySequence("Ctrl+,")],
        slots.host_settings, "host-settings",
        _Role.PreferencesRole)
    focus = action("Go to the p&rompt", [QKeySequence("Ctrl+L")], slots.focus_prompt,
                   "focus-prompt")
    add = action("&Add pictures…", [QKeySequence("Ctrl+O")], slots.add_pictures,
                 "add-pictures")
    quit_action = action("&Quit", [QKeySequence("Ctrl+Q")], slots.quit, "quit",
                                _Role.QuitRole)
    compose_tab = action("&Compose", [QKeySequence("Ctrl+1")],
                         slots.show_compose, "show-compose")
    review_tab = action("&Review", [QKeySequence("Ctrl+2")],
                        slots.show_review, "show-review")
    board_tab = action("&Board", [QKeySequence("Ctrl+3")], slots.show_board, "show-board")
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([new, add])
    file_menu.addSeparator()
    file_menu.addAction(generate_action)
    file_menu.addSeparator()
    file_menu.addAction(keys_action)
    file_menu.addSeparator()
    file_menu.addAction(quit_action)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([paste_action, focus])
    view_menu = bar.addMenu("&View")
    view_menu.addActions([compose_tab, review_tab, board_tab])
    help_menu = bar.addMenu("&Help")
    log_folder_action = help_menu.addAction("Open &log folder", slots.open_log_folder)
    log_folder_action.setObjectName("open-log-folder")
    log_folder_action.setMenuRole(_Role.NoRole)
    help_menu.addSeparator()
    about_action = help_menu.addAction(f"&About {APP_TITLE}", slots.about)
    about_action.setObjectName("about")
    about_action.setMenuRole(_Role.AboutRole)
    return MenuActions(generate_action, paste_action, keys_action, quit_action,
                       log_folder_action, about_action)
