"""The main window's menus and shortcuts.

On macOS Qt moves the actions with a menu role into the application menu: About, Settings
(here "Keys and hosts…", Cmd+,) and Quit (Cmd+Q) sit where a Mac user looks for them, and the
File and Help menus keep the rest. Every other action has no role, so Qt's guess from the text
("…options", "…setup") never moves one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from vidu_desktop.ui.shell.main_window import MainWindow

APP_TITLE = "Vidu Studio"
_Role = QAction.MenuRole


def install_actions(window: MainWindow) -> None:
    """Build the actions and the menu bar of ``window`` (sets ``window.generate_action``,
    ``paste_action``, ``keys_action``, ``quit_action``, ``log_folder_action``,
    ``about_action``)."""
    def action(text: str, keys: list[QKeySequence], slot: Any, name: str,
               role: QAction.MenuRole = _Role.NoRole) -> QAction:
        act = QAction(text, window)
        act.setObjectName(name)
        act.setShortcuts(keys)
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.setMenuRole(role)
        act.triggered.connect(slot)
        window.addAction(act)
        return act

    ctrl = Qt.KeyboardModifier.ControlModifier
    window.generate_action = action(
        "&Generate", [QKeySequence(ctrl | Qt.Key.Key_Return),
                      QKeySequence(ctrl | Qt.Key.Key_Enter)], window.generate, "generate")
    window.paste_action = action("&Paste pictures", [QKeySequence(
        QKeySequence.StandardKey.Paste)], window.paste, "paste")
    new = action("&New draft", [QKeySequence(QKeySequence.StandardKey.New)],
                 window.drafts.new, "new-draft")
    window.keys_action = action(
        "&Keys and hosts…", [QKeySequence("Ctrl+,")],
        lambda: window.open_host_settings(window.panel.choices().provider), "host-settings",
        _Role.PreferencesRole)
    focus = action("Go to the p&rompt", [QKeySequence("Ctrl+L")], window.editor.focus_text,
                   "focus-prompt")
    add = action("&Add pictures…", [QKeySequence("Ctrl+O")], window.tray.open_add_dialog,
                 "add-pictures")
    window.quit_action = action("&Quit", [QKeySequence("Ctrl+Q")], window.close, "quit",
                                _Role.QuitRole)
    compose_tab = action("&Compose", [QKeySequence("Ctrl+1")],
                         lambda: window.tabs.setCurrentIndex(0), "show-compose")
    review_tab = action("&Review", [QKeySequence("Ctrl+2")],
                        lambda: window.tabs.setCurrentWidget(window.review), "show-review")
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([new, add])
    file_menu.addSeparator()
    file_menu.addAction(window.generate_action)
    file_menu.addSeparator()
    file_menu.addAction(window.keys_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([window.paste_action, focus])
    view_menu = bar.addMenu("&View")
    view_menu.addActions([compose_tab, review_tab])
    help_menu = bar.addMenu("&Help")
    window.log_folder_action = help_menu.addAction("Open &log folder", window.open_log_folder)
    window.log_folder_action.setObjectName("open-log-folder")
    window.log_folder_action.setMenuRole(_Role.NoRole)
    help_menu.addSeparator()
    window.about_action = help_menu.addAction(f"&About {APP_TITLE}", window.open_about)
    window.about_action.setObjectName("about")
    window.about_action.setMenuRole(_Role.AboutRole)
