"""The prompt's text area: pictures and file or URL lists pasted or dropped go to the tray
(``media_pasted``), keys the @-completer takes while its popup is open go to it, and a tooltip
over a mention says what it names.

Qt's text positions are UTF-16 units; the prompt is counted in code points
(``core.capabilities.PROMPT_COUNTING``): ``utf16_offset`` and ``code_point_offset`` convert.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget


def utf16_offset(text: str, code_points: int) -> int:
    """Qt's text positions are UTF-16 units; the limit is in code points."""
    return len(text[:code_points].encode("utf-16-le")) // 2


def code_point_offset(text: str, units: int) -> int:
    """The code point index of the UTF-16 position ``units`` in ``text``."""
    if text.isascii():
        return min(units, len(text))
    seen = 0
    for index, char in enumerate(text):
        if seen >= units:
            return index
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class KeyTaker(Protocol):
    """What the text area asks of the @-completer."""

    def take_key(self, event: QKeyEvent) -> bool:
        """Handle a key the open popup owns (Enter, Tab, Escape); True when it did."""

    def after_key(self, event: QKeyEvent) -> None:
        """The text area handled ``event``: open, filter or close the popup."""


class PromptText(QPlainTextEdit):
    """The text area. Images and file/URL lists go to ``media_pasted`` instead of the text."""

    media_pasted = Signal(QMimeData)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys: KeyTaker | None = None
        #: the tooltip at a UTF-16 position of the document ("" for none)
        self.tooltip_at: Callable[[int], str] = lambda _position: ""

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasImage() or source.hasUrls():
            self.media_pasted.emit(source)
            return
        super().insertFromMimeData(source)

    def event(self, event: QEvent) -> bool:
        # Tab moves the focus (tabChangesFocus) before keyPressEvent sees it: while the
        # completer's popup is open, Tab completes instead
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Tab and self.keys is not None
                and self.keys.take_key(event)):
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.keys is not None and self.keys.take_key(event):
            return
        super().keyPressEvent(event)
        if self.keys is not None:
            self.keys.after_key(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.cursorForPosition(event.pos()).position()
            tip = self.tooltip_at(position)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)
