"""The prompt editor: a live "N / limit" counter counted the way the API counts, the part over
the limit highlighted, recent prompts, snippets, "image N" labels from the tray, undo/redo.

Pasting or dropping pictures, files or image URLs here hands them to the reference tray
(``media_pasted``); text pastes as text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import PROMPT_COUNTING
from vidu_desktop.core.validation import prompt_length
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.compose.prompt_library import (
    PromptLibrary,
    PromptPicker,
    one_line,
    snippet_name,
)

#: The counter warns from this share of the limit on.
WARN_AT = 0.9
COUNTING_HINT = "Counted as the API counts: " + PROMPT_COUNTING + "."


def utf16_offset(text: str, code_points: int) -> int:
    """Qt's text positions are UTF-16 units; the limit is in code points."""
    return len(text[:code_points].encode("utf-16-le")) // 2


class PromptText(QPlainTextEdit):
    """The text area. Images and file/URL lists go to ``media_pasted`` instead of the text."""

    media_pasted = Signal(QMimeData)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasImage() or source.hasUrls():
            self.media_pasted.emit(source)
            return
        super().insertFromMimeData(source)


class PromptEditor(QWidget):
    changed = Signal()
    media_pasted = Signal(QMimeData)

    def __init__(self, library: PromptLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.limit = 1500
        self.host_model = ""  # "Vidu viduq1": whose limit it is
        self.references: Callable[[], list[tuple[int, str]]] = list
        self._pickers: list[QDialog] = []

        title = QLabel("Prompt", self)
        theme.set_role(title, "section")
        self.text_edit = PromptText(self)
        self.text_edit.setObjectName("prompt")
        self.text_edit.setPlaceholderText(
            "Describe the video: who is in it (image 1, image 2…), what they do, the place, "
            "the camera.")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setAccessibleName("Prompt")
        self.text_edit.media_pasted.connect(self.media_pasted)
        self.counter = QLabel(self)
        self.counter.setObjectName("prompt-counter")
        self.counter.setToolTip(COUNTING_HINT)
        self.counting = QLabel("counted in characters as the API counts: an emoji is 1", self)
        theme.set_role(self.counting, "muted")
        self.counting.setToolTip(COUNTING_HINT)
        self.over_note = QLabel(self)
        theme.set_role(self.over_note, "error")
        self.over_note.setWordWrap(True)
        self.over_note.hide()

        self.recent_button = self._tool("Recent…", "Search the prompts you used before")
        self.recent_button.clicked.connect(self.open_recent)
        self.snippet_button = self._tool("Snippets", "Insert or save reusable prompt parts")
        self.snippet_menu = QMenu(self.snippet_button)
        self.snippet_menu.aboutToShow.connect(self._fill_snippets)
        self.snippet_button.setMenu(self.snippet_menu)
        self.snippet_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.image_button = self._tool("Image N", "Insert \"image N\": refer to a reference "
                                       "picture by its place in the tray")
        self.image_menu = QMenu(self.image_button)
        self.image_menu.aboutToShow.connect(self._fill_images)
        self.image_button.setMenu(self.image_menu)
        self.image_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.undo_button = self._tool("↶", "Undo (Ctrl+Z)")
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.clicked.connect(self.text_edit.undo)
        self.redo_button = self._tool("↷", "Redo (Ctrl+Shift+Z)")
        self.redo_button.setAccessibleName("Redo")
        self.redo_button.clicked.connect(self.text_edit.redo)
        self.text_edit.undoAvailable.connect(self.undo_button.setEnabled)
        self.text_edit.redoAvailable.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)

        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        for button in (self.recent_button, self.snippet_button, self.image_button):
            tools.addWidget(button)
        tools.addSpacing(8)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.redo_button)
        tools.addStretch(1)
        tools.addWidget(self.counter)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.counting)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.text_edit, 1)
        layout.addLayout(tools)
        layout.addWidget(self.over_note)

        self.text_edit.textChanged.connect(self._on_text_changed)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (light/dark) recolours the over-limit highlight."""
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh()
        super().changeEvent(event)

    def focus_order(self) -> list[QWidget]:
        return [self.text_edit, self.recent_button, self.snippet_button, self.image_button,
                self.undo_button, self.redo_button]

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    # -- text and limit ----------------------------------------------------------------------
    def text(self) -> str:
        return self.text_edit.toPlainText()

    def set_text(self, text: str, *, undoable: bool = True) -> None:
        """Replace the prompt; an undoable edit unless ``undoable`` is False (drafts)."""
        if not undoable:
            self.text_edit.setPlainText(text)
            return
        cursor = self.text_edit.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.text_edit.setTextCursor(cursor)

    def insert(self, text: str) -> None:
        cursor = self.text_edit.textCursor()
        cursor.insertText(text)
        self.text_edit.setTextCursor(cursor)
        self.text_edit.setFocus()

    def length(self) -> int:
        return prompt_length(self.text())

    def over_by(self) -> int:
        return max(0, self.length() - self.limit)

    def set_limit(self, limit: int, host_model: str = "") -> None:
        self.limit = limit
        self.host_model = host_model
        self._refresh()

    def _on_text_changed(self) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        n, limit = self.length(), self.limit
        self.counter.setText(f"{n} / {limit}")
        role = "counter-over" if n > limit else "counter-warn" if n >= WARN_AT * limit \
            else "counter"
        theme.set_role(self.counter, role)
        where = self.host_model
        tip = f"{n} of {limit} characters allowed" + (f" by {where}" if where else "") + \
            ". " + COUNTING_HINT
        self.counter.setToolTip(tip)
        selections: list[QTextEdit.ExtraSelection] = []
        if n > limit:
            text = self.text()
            cursor = QTextCursor(self.text_edit.document())
            cursor.setPosition(utf16_offset(text, limit))
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(theme.colors().over_limit_bg))
            selection.format = fmt
            selection.cursor = cursor
            selections.append(selection)
            self.over_note.setText(
                f"{n - limit} characters over the limit of {limit}"
                + (f" for {where}" if where else "") + " (highlighted). Shorten the prompt "
                "to generate.")
        self.over_note.setVisible(n > limit)
        self.text_edit.setExtraSelections(selections)

    def highlighted_range(self) -> tuple[int, int] | None:
        """The (start, end) UTF-16 positions highlighted as over the limit, if any."""
        for selection in self.text_edit.extraSelections():
            cursor = selection.cursor
            return cursor.selectionStart(), cursor.selectionEnd()
        return None

    # -- recent prompts and snippets ---------------------------------------------------------
    def open_recent(self) -> PromptPicker:
        entries = [(p, p) for p in self.library.recent()]
        picker = PromptPicker("Recent prompts", entries, self,
                              "No prompts yet: the prompts you generate with appear here.")
        picker.chosen.connect(lambda text: self.set_text(text))
        self._show_picker(picker)
        return picker

    def _fill_snippets(self) -> None:
        self.snippet_menu.clear()
        snippets = self.library.snippets()
        for name, text in snippets:
            action = self.snippet_menu.addAction(one_line(name, 60))
            action.setToolTip(text)
            action.triggered.connect(lambda _=False, t=text: self.insert(t))
        if not snippets:
            self.snippet_menu.addAction("No snippets yet").setEnabled(False)
        self.snippet_menu.addSeparator()
        save = self.snippet_menu.addAction("Save selection or prompt as snippet…")
        save.triggered.connect(self.save_snippet)
        search = self.snippet_menu.addAction("Search snippets…")
        search.triggered.connect(self.open_snippets)
        search.setEnabled(bool(snippets))

    def open_snippets(self) -> PromptPicker:
        picker = PromptPicker("Snippets", self.library.snippets(), self, "No snippets yet.")
        picker.chosen.connect(self.insert)
        self._show_picker(picker)
        return picker

    def save_snippet(self) -> QInputDialog | None:
        selected = self.text_edit.textCursor().selectedText().replace("\u2029", "\n")
        text = selected or self.text()
        if not text.strip():
            return None
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Save snippet")
        dialog.setLabelText("Name of the snippet:")
        dialog.setTextValue(snippet_name(text))
        dialog.textValueSelected.connect(lambda name: self.library.save_snippet(name, text))
        self._show_picker(dialog)
        return dialog

    def _show_picker(self, dialog: QDialog) -> None:
        self._pickers = [p for p in self._pickers if p.isVisible()] + [dialog]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- "image N" ---------------------------------------------------------------------------
    def _fill_images(self) -> None:
        self.image_menu.clear()
        refs = self.references()
        for number, label in refs:
            text = f"image {number}"
            action = self.image_menu.addAction(f"{text} — {one_line(label, 40)}" if label
                                               else text)
            action.triggered.connect(lambda _=False, t=text: self.insert(t))
        if not refs:
            self.image_menu.addAction("Add reference pictures first").setEnabled(False)

    def focus_text(self) -> None:
        self.text_edit.setFocus()
