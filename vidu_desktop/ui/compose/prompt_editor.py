"""The prompt editor: a live "N / limit" counter counted the way the host counts (the prompt
as sent), the part over the limit highlighted, @mentions of the draft's cast (completed,
checked, and how they are sent shown below), recent prompts, snippets, "image N" labels,
undo/redo.

What the composer tells it (see ``set_cast`` and ``set_request_source``): the names of the
draft's cast members and how many loose pictures it has, and how to make the request
Generate would send with a given prompt. From that request it counts the prompt as sent
(``core.mentions.prompt_as_sent``: on a model without subjects the mentions become words, so
the count grows) against the limit of the form it is sent in. Without a request source it
counts the text as typed against ``set_limit``'s limit.

Pasting or dropping pictures, files or image URLs here hands them to the reference tray
(``media_pasted``); text pastes as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

# the classes of the input dialog and of what marks an over-long prompt: made when first used
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import PROMPT_COUNTING
from vidu_desktop.core.mentions import SentReferences, sent_references
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.validation import prompt_length
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.compose.mention_assist import MentionAssist
from vidu_desktop.ui.compose.prompt_library import PromptLibrary, one_line, snippet_name
from vidu_desktop.ui.compose.prompt_mentions import insertable, typed_offset
from vidu_desktop.ui.compose.prompt_text import PromptText, utf16_offset

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QInputDialog, QTextEdit

    from vidu_desktop.ui.compose.prompt_picker import PromptPicker

#: The counter warns from this share of the limit on.
WARN_AT = 0.9
COUNTING_HINT = "Counted as the API counts: " + PROMPT_COUNTING + "."

#: the request Generate would send with a prompt (None: not known yet)
RequestSource = Callable[[str], GenerationRequest | None]


class PromptEditor(QWidget):
    changed = Signal()
    media_pasted = Signal(QMimeData)

    def __init__(self, library: PromptLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.limit = 1500  # in force (the request's model's, else _limit)
        self._limit = 1500  # set_limit's
        self.host_model = ""  # "Vidu viduq1": whose limit it is
        self.references: Callable[[], list[tuple[int, str]]] = list
        self._pickers: list[QDialog] = []
        self.request_source: RequestSource | None = None
        #: the request source's answer, asked again when the cast, pictures or model change:
        #: a keystroke only puts the text in it
        self._template: GenerationRequest | None = None
        self._stale = True
        self._request: GenerationRequest | None = None  # for the text at the last refresh
        self._sent: SentReferences | None = None

        title = QLabel("Prompt", self)
        theme.set_role(title, "section")
        self.text_edit = PromptText(self)
        self.text_edit.setObjectName("prompt")
        self.text_edit.setPlaceholderText(
            "Describe the video: who is in it (@mia for a cast member, or image 1, image 2…), "
            "what they do, the place, the camera.")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setAccessibleName("Prompt")
        self.text_edit.media_pasted.connect(self.media_pasted)
        self.assist = MentionAssist(self.text_edit, self)
        self.highlighter = self.assist.highlighter
        self.completer = self.assist.completer
        self.mentions = self.assist.view
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
        layout.addWidget(self.mentions)
        layout.addWidget(self.over_note)

        self.text_edit.textChanged.connect(self._on_text_changed)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (light/dark) recolours the over-limit highlight."""
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.recolour()
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
            self._refresh_lines()
            return
        cursor = self.text_edit.textCursor()
        cursor.beginEditBlock()
        cursor.select(QtGui.QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.text_edit.setTextCursor(cursor)

    def insert(self, text: str) -> None:
        cursor = self.text_edit.textCursor()
        cursor.insertText(text)
        self.text_edit.setTextCursor(cursor)
        self.text_edit.setFocus()

    def length(self) -> int:
        """The prompt's length as its host counts it: the prompt as sent when the request is
        known, else as typed."""
        if self._sent is not None:
            return prompt_length(self._sent.prompt)
        return prompt_length(self.text())

    def over_by(self) -> int:
        return max(0, self.length() - self.limit)

    def set_limit(self, limit: int, host_model: str = "") -> None:
        """The limit when no request source is set (with one, the limit is the request's
        model's, in the form it is sent in); ``host_model`` ("Vidu viduq1") names it. The
        model may have changed: the request source is asked again."""
        self._limit = limit
        self.host_model = host_model
        self.refresh()

    def set_cast(self, names: Sequence[str], loose: int = 0) -> None:
        """The names of the draft's cast members, in order, and how many loose pictures the
        draft has (on a model with subjects they are mentioned as @image1, @image2, …). Call
        it whenever either changes; ``@`` completes these names and a mention of anyone else
        is marked."""
        self.assist.set_cast(names, loose)
        self.refresh()

    def set_request_source(self, source: RequestSource | None) -> None:
        """How to make the request Generate would send with a given prompt (the draft's
        cast, loose pictures and parameters); the counter counts that request's prompt as
        sent, against its model's limit. It is asked when the cast, the pictures or the
        model change (``set_cast``, ``set_limit``, ``refresh``), not on each keystroke: a
        keystroke puts the text into the request it last gave."""
        self.request_source = source
        self.refresh()

    def refresh(self) -> None:
        """Something the request depends on changed: ask the request source again."""
        self._stale = True
        self._refresh()
        self._refresh_lines()

    @property
    def cast(self) -> tuple[str, ...]:
        return self.assist.cast

    @property
    def loose(self) -> int:
        return self.assist.loose

    def known(self) -> tuple[str, ...]:
        """The names a mention may use now."""
        return self.assist.known()

    def _on_text_changed(self) -> None:
        self._refresh()
        self.assist.timer.start()
        self.changed.emit()

    def _analyse(self, text: str) -> None:
        if self._stale:
            self._stale = False
            source = self.request_source
            self._template = source("") if source is not None else None
        request = replace(self._template, prompt=text) if self._template is not None else None
        self._request = request
        self._sent = None
        self.limit = self._limit
        if request is not None:
            self._sent = sent_references(request)
            self.limit = request.spec.sent_prompt_limit
        self.assist.follow(request, self._sent)
        self._name_image_button(self.assist.subjects_form)

    def _refresh(self) -> None:
        text = self.text()
        self._analyse(text)
        n, limit = self.length(), self.limit
        self.counter.setText(f"{n} / {limit}")
        role = "counter-over" if n > limit else "counter-warn" if n >= WARN_AT * limit \
            else "counter"
        theme.set_role(self.counter, role)
        where = self.host_model
        grown = self._sent is not None and self._sent.prompt != text
        as_sent = (" as sent (the mentions become words: \"@mia\" is sent as \"mia "
                   "(images 1-2)\")") if grown else ""
        tip = f"{n} of {limit} characters allowed" + (f" by {where}" if where else "") + \
            f"{as_sent}. " + COUNTING_HINT
        self.counter.setToolTip(tip)
        selections: list[QTextEdit.ExtraSelection] = []
        if n > limit:
            start = typed_offset(self._request, limit) if self._request is not None else limit
            cursor = QtGui.QTextCursor(self.text_edit.document())
            cursor.setPosition(utf16_offset(text, start))
            cursor.movePosition(QtGui.QTextCursor.MoveOperation.End,
                                QtGui.QTextCursor.MoveMode.KeepAnchor)
            selection = QtWidgets.QTextEdit.ExtraSelection()
            fmt = QtGui.QTextCharFormat()
            fmt.setBackground(QColor(theme.colors().over_limit_bg))
            selection.format = fmt
            selection.cursor = cursor
            selections.append(selection)
            self.over_note.setText(
                f"{n - limit} characters over the limit of {limit}"
                + (f" for {where}" if where else "") + (" as sent" if grown else "")
                + " (highlighted). Shorten the prompt to generate.")
        self.over_note.setVisible(n > limit)
        self.text_edit.setExtraSelections(selections)

    def _refresh_lines(self) -> None:
        self.assist.refresh_lines()

    def highlighted_range(self) -> tuple[int, int] | None:
        """The (start, end) UTF-16 positions highlighted as over the limit, if any."""
        for selection in self.text_edit.extraSelections():
            cursor = selection.cursor
            return cursor.selectionStart(), cursor.selectionEnd()
        return None

    def unknown_spans(self) -> list[tuple[int, int]]:
        """The (start, end) code point spans of the mentions marked as naming no one."""
        return [(m.start, m.end) for m in self.assist.unknown(self.text())]

    def tooltip_at(self, position: int) -> str:
        """What the mention at the UTF-16 ``position`` of the document names ("" when
        there is none)."""
        return self.assist.tooltip_at(position)

    # -- recent prompts and snippets ---------------------------------------------------------
    def open_recent(self) -> PromptPicker:
        from vidu_desktop.ui.compose.prompt_picker import PromptPicker

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
        from vidu_desktop.ui.compose.prompt_picker import PromptPicker

        picker = PromptPicker("Snippets", self.library.snippets(), self, "No snippets yet.")
        picker.chosen.connect(self.insert)
        self._show_picker(picker)
        return picker

    def save_snippet(self) -> QInputDialog | None:
        selected = self.text_edit.textCursor().selectedText().replace("\u2029", "\n")
        text = selected or self.text()
        if not text.strip():
            return None
        dialog = QtWidgets.QInputDialog(self)
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
    def _name_image_button(self, subjects: bool) -> None:
        """On a model with subjects, pictures are mentioned (@mia, @image1), not numbered."""
        text = "Mention" if subjects else "Image N"
        if self.image_button.text() == text:
            return
        self.image_button.setText(text)
        self.image_button.setToolTip(
            "Insert a mention of a cast member or a loose picture (@mia, @image1)" if subjects
            else "Insert \"image N\": refer to a reference picture by its place in the tray")

    def _fill_images(self) -> None:
        self.image_menu.clear()
        if self._sent is not None:
            entries = insertable(self._sent, self.cast)
        else:
            entries = [(f"image {n}", label) for n, label in self.references()]
        for text, label in entries:
            action = self.image_menu.addAction(f"{text} — {one_line(label, 40)}" if label
                                               else text)
            action.triggered.connect(
                lambda _=False, t=text: self.insert(t + " " if t.startswith("@") else t))
        if not entries:
            self.image_menu.addAction("Add reference pictures first").setEnabled(False)

    def focus_text(self) -> None:
        self.text_edit.setFocus()
