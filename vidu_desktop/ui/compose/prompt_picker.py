"""A searchable picker of recent prompts or snippets (``prompt_library.py`` keeps them): its
module is imported when a picker first opens, so its classes are not made before the window's
first paint."""

from __future__ import annotations

from PySide6 import QtWidgets  # its class: made when a picker first opens
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.ui.compose.prompt_library import one_line


class PromptPicker(QDialog):
    """Pick one of ``entries`` ((title, text) pairs), filtered as the user types.

    Opened with ``open()``; ``chosen`` carries the text when the user picks one.
    """

    chosen = Signal(str)

    def __init__(self, title: str, entries: list[tuple[str, str]], parent: QWidget,
                 empty_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 420)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {title.lower().rstrip('.…')}")
        self.list = QListWidget(self)
        self.list.setAccessibleName(title.rstrip(".…"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for name, text in entries:
            item = QListWidgetItem(one_line(name) if name != text else one_line(text))
            item.setData(Qt.ItemDataRole.UserRole, text)
            item.setToolTip(text)
            self.list.addItem(item)
        self.empty = QLabel(empty_text, self)
        self.empty.setVisible(not entries)
        standard = QtWidgets.QDialogButtonBox.StandardButton
        buttons = QtWidgets.QDialogButtonBox(standard.Ok | standard.Cancel, self)
        buttons.button(standard.Ok).setText("Use")
        buttons.accepted.connect(self._accept_current)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._accept_current)
        self.list.itemActivated.connect(lambda _item: self._accept_current())
        if self.list.count():
            self.list.setCurrentRow(0)

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hay = (item.text() + " " + str(item.data(Qt.ItemDataRole.UserRole))).casefold()
            hidden = bool(needle) and needle not in hay
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def visible_texts(self) -> list[str]:
        return [str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def _accept_current(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return
        self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()
