"""Recent prompts and saved snippets, kept in the profile's settings, and a searchable picker."""

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

from vidu_desktop.store import Settings

RECENT_KEY = "prompts.recent"
SNIPPETS_KEY = "prompts.snippets"
RECENT_LIMIT = 50


class PromptLibrary:
    """Recent prompts (newest first, no duplicates) and named snippets."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def recent(self) -> list[str]:
        values = self._settings.get(RECENT_KEY, [])
        return [str(v) for v in values] if isinstance(values, list) else []

    def remember(self, prompt: str) -> None:
        prompt = prompt.strip()
        if not prompt:
            return
        values = [prompt, *(p for p in self.recent() if p != prompt)]
        self._settings.set(RECENT_KEY, values[:RECENT_LIMIT])

    def snippets(self) -> list[tuple[str, str]]:
        values = self._settings.get(SNIPPETS_KEY, [])
        if not isinstance(values, list):
            return []
        return [(str(v.get("name", "")), str(v.get("text", ""))) for v in values
                if isinstance(v, dict) and v.get("text")]

    def save_snippet(self, name: str, text: str) -> None:
        name = name.strip() or snippet_name(text)
        kept = [(n, t) for n, t in self.snippets() if n != name]
        kept.append((name, text))
        self._settings.set(SNIPPETS_KEY, [{"name": n, "text": t} for n, t in kept])

    def delete_snippet(self, name: str) -> None:
        kept = [(n, t) for n, t in self.snippets() if n != name]
        self._settings.set(SNIPPETS_KEY, [{"name": n, "text": t} for n, t in kept])


def snippet_name(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def one_line(text: str, width: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


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
