"""Completing ``@name`` in the prompt: typing ``@`` opens a popup of the names a mention may
use (the draft's cast, and a subjects model's loose pictures), filtered as one types (the start
of the name, any case); Enter, Tab or a click inserts ``@name `` and Escape closes it.

Only the text of the cursor's line before the cursor is read on a key, so the cost of a
keystroke does not grow with the prompt. The completer and its popup are made when a name is
first offered (not before the window's first paint).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

# the completer's classes: made when a name is first offered
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit

from vidu_desktop.ui.compose.prompt_mentions import typing_prefix
from vidu_desktop.ui.compose.prompt_text import code_point_offset

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCompleter

#: keys that, while the popup is open, belong to it
_TAKE = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}


class MentionCompleter(QObject):
    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit)
        self.edit = edit
        self._names: list[str] = []
        self._completer: QCompleter | None = None  # made when a name is first offered

    @property
    def completer(self) -> QCompleter:
        if self._completer is None:
            names = QtCore.QStringListModel(self._names, self)
            completer = QtWidgets.QCompleter(names, self)
            completer.setWidget(self.edit)
            completer.setCompletionMode(QtWidgets.QCompleter.CompletionMode.PopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
            completer.setModelSorting(QtWidgets.QCompleter.ModelSorting.UnsortedModel)
            completer.setMaxVisibleItems(8)
            # a click in the popup (its keys come to take_key through the text area)
            completer.activated.connect(self._activated)
            popup = completer.popup()
            assert popup is not None  # QCompleter makes one on first use
            popup.setAccessibleName("Cast members to mention")
            popup.setObjectName("mention-popup")
            self._completer = completer
        return self._completer

    @property
    def popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None  # QCompleter makes one on first use
        return popup

    def set_names(self, names: Sequence[str]) -> None:
        if self._names != list(names):
            self._names = list(names)
            if self._completer is not None:
                model = self._completer.model()
                assert isinstance(model, QtCore.QStringListModel)
                model.setStringList(self._names)
        if self.is_open():
            self.update()

    def offered(self) -> list[str]:
        """The names the popup offers now (filtered by what was typed)."""
        if self._completer is None:
            return []
        model = self._completer.completionModel()
        return [str(model.index(row, 0).data()) for row in range(model.rowCount())]

    def is_open(self) -> bool:
        return self._completer is not None and self.popup.isVisible()

    def _close(self) -> None:
        if self._completer is not None:
            self.popup.hide()

    # -- keys (from PromptText) --------------------------------------------------------------
    def take_key(self, event: QKeyEvent) -> bool:
        if not self.is_open():
            return False
        if event.key() == Qt.Key.Key_Escape:
            self.popup.hide()
            event.accept()
            return True
        if event.key() in _TAKE and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            name = self._current()
            self.popup.hide()
            if name:
                self.insert(name)
            event.accept()
            return True
        return False

    def after_key(self, event: QKeyEvent) -> None:
        if event.text() or event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.update()
        elif self.is_open() and self._prefix() is None:
            self.popup.hide()  # the cursor left the mention (arrows, Home, End)

    # -- the popup ---------------------------------------------------------------------------
    def _prefix(self) -> str | None:
        cursor = self.edit.textCursor()
        if cursor.hasSelection():
            return None
        text = cursor.block().text()
        return typing_prefix(text[:code_point_offset(text, cursor.positionInBlock())])

    def typing_end(self) -> int | None:
        """Where the mention being typed ends (the cursor's position, in UTF-16 units), while
        what was typed after the @ is the start of a name a mention may use (and not yet a
        whole one): such a mention is not marked as naming no one while it is typed."""
        prefix = self._prefix()
        if not prefix:
            return None
        key = prefix.casefold()
        names = [n.casefold() for n in self._names]
        if key in names or not any(n.startswith(key) for n in names):
            return None
        return self.edit.textCursor().position()

    def update(self) -> None:
        """Open, filter or close the popup for the text before the cursor."""
        prefix = self._prefix()
        if prefix is None or not self._names:
            self._close()
            return
        self.completer.setCompletionPrefix(prefix)
        if self.completer.completionCount() == 0:
            self.popup.hide()
            return
        popup = self.popup
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        at = self.edit.textCursor()  # the popup opens under the @, not the cursor
        at.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.MoveAnchor,
                        len(prefix) + 1)
        rect = self.edit.cursorRect(at)
        bar = popup.verticalScrollBar()
        rect.setWidth(popup.sizeHintForColumn(0) + (bar.sizeHint().width() if bar else 0) + 24)
        self.completer.complete(rect)

    def _current(self) -> str:
        index: QModelIndex = self.popup.currentIndex()
        if not index.isValid():
            index = self.completer.completionModel().index(0, 0)
        return str(index.data()) if index.isValid() else ""

    def _activated(self, value: object) -> None:
        if isinstance(value, str) and value:
            self.insert(value)

    def insert(self, name: str) -> None:
        """Replace the ``@`` and the part typed after it with ``@name `` (no second space when
        one follows)."""
        prefix = self._prefix()
        cursor = self.edit.textCursor()
        if prefix is not None:
            cursor.movePosition(QTextCursor.MoveOperation.Left,
                                QTextCursor.MoveMode.KeepAnchor, len(prefix) + 1)
        block = cursor.block().text()
        at = code_point_offset(block, cursor.selectionEnd() - cursor.block().position())
        spaced = at < len(block) and block[at].isspace()
        cursor.insertText(f"@{name}" + ("" if spaced else " "))
        if spaced:
            cursor.movePosition(QTextCursor.MoveOperation.Right)
        self.edit.setTextCursor(cursor)
        self._close()
