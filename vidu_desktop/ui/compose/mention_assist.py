"""The prompt editor's help with @mentions, in one place: the completer, the highlighter, the
lines under the editor and the tooltips, all from the draft's cast, its loose pictures and how
the request is sent (``follow``, after each change of the text or the model).

A mention still being typed (what follows its ``@`` is the start of a name it may use, and
the cursor is at its end) is not marked as naming no one until the cursor leaves it: "@mi"
on the way to "@mia" is no mistake yet.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from vidu_desktop.core.mentions import (
    MENTION,
    Mention,
    SentReferences,
    mention_names,
    unknown_mentions,
)
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.ui.compose.mention_completer import MentionCompleter
from vidu_desktop.ui.compose.mention_highlighter import MentionHighlighter
from vidu_desktop.ui.compose.mentions_view import MentionsView
from vidu_desktop.ui.compose.prompt_mentions import (
    form_line,
    known_names,
    mention_tip,
    unknown_message,
)
from vidu_desktop.ui.compose.prompt_text import PromptText, code_point_offset

#: The lines under the editor wait this long after a keystroke (they reflow the layout).
LINES_DELAY_MS = 150


class MentionAssist(QObject):
    def __init__(self, edit: PromptText, view_parent: QWidget) -> None:
        super().__init__(edit)
        self.edit = edit
        self.cast: tuple[str, ...] = ()  # the draft's cast members' names, in order
        self.loose = 0  # how many loose pictures the draft has
        self.sent: SentReferences | None = None  # how the prompt is sent (None: unknown)
        self.model = ""  # whose request it is
        self._known: tuple[str, ...] = ()
        self.highlighter = MentionHighlighter(edit.document())
        self.completer = MentionCompleter(edit)
        self.view = MentionsView(view_parent)
        edit.keys = self.completer
        edit.tooltip_at = self.tooltip_at
        self.highlighter.typing_end = self.completer.typing_end
        self._typing_end: int | None = None
        edit.cursorPositionChanged.connect(self._on_cursor)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(LINES_DELAY_MS)
        self.timer.timeout.connect(self.refresh_lines)

    @property
    def subjects_form(self) -> bool:
        return self.sent is not None and self.sent.form == "subjects"

    def set_cast(self, names: Sequence[str], loose: int) -> None:
        """The names of the draft's cast and how many loose pictures it has (the editor
        calls ``follow`` next)."""
        self.cast = tuple(names)
        self.loose = max(0, loose)

    def follow(self, request: GenerationRequest | None, sent: SentReferences | None) -> None:
        """The request Generate would send and how its prompt is sent (None: not known)."""
        self.sent = sent
        self.model = request.model if request is not None else ""
        self._known = tuple(mention_names(request)) if request is not None else \
            known_names(self.cast, self.loose, False)
        self.highlighter.set_known(self._known)
        # pictures by number (@1, @2…) are accepted, but only names are offered
        self.completer.set_names([n for n in self._known if not n.isdigit()])

    def known(self) -> tuple[str, ...]:
        """The names a mention may use now: the request's (``core.mentions.mention_names``,
        as validation has them), else the cast's."""
        return self._known

    @property
    def pictures(self) -> int:
        """How many pictures go in order (images form; 0 when not known)."""
        return len(self.sent.images) if self.sent is not None else 0

    def unknown(self, text: str) -> list[Mention]:
        """The mentions that name no one, but the one being typed."""
        unknown = unknown_mentions(text, self.known())
        end = self.completer.typing_end()
        if end is None or not unknown:
            return unknown
        typing = code_point_offset(text, end)
        return [m for m in unknown if m.end != typing]

    def refresh_lines(self) -> None:
        """The lines under the editor: how the mentions are sent, and who is unknown."""
        self.timer.stop()
        form, tip = form_line(self.sent, self.cast, self.loose, self.model)
        unknown = [m.name for m in self.unknown(self.edit.toPlainText())]
        warning = unknown_message(unknown, self.cast, self.loose, self.subjects_form,
                                  self.model, self.pictures) if unknown else ""
        self.view.show_lines(form, tip, warning)

    def tooltip_at(self, position: int) -> str:
        """What the mention at the UTF-16 ``position`` of the document names ("" when
        there is none)."""
        block = self.edit.document().findBlock(position)
        text = block.text()
        index = code_point_offset(text, position - block.position())
        for match in MENTION.finditer(text):
            if match.start() <= index <= match.end():
                return mention_tip(match.group(1), self.known(), self.cast, self.loose,
                                   self.sent, self.model)
        return ""

    def _on_cursor(self) -> None:
        """A mention stops being "typed" when the cursor leaves its end: mark it then."""
        end = self.completer.typing_end()
        if end == self._typing_end:
            return
        document = self.edit.document()
        for position in {self._typing_end, end} - {None}:
            assert position is not None
            block = document.findBlock(position)
            if block.isValid():
                self.highlighter.rehighlightBlock(block)
        self._typing_end = end
        self.timer.start()
