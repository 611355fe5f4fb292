"""Marks the prompt's @mentions: one that names a cast member (or a subjects model's loose
picture) in the accent colour, one that names no one in the draft in the theme's warning
colours (its text and a wavy underline in the warning colour, on the warning background).

A QSyntaxHighlighter formats only the paragraph that changed, so a keystroke costs the length
of its paragraph, not of the prompt. The mention being typed (``typing_end``) is left unmarked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

# the text format's class: made when the first mention is marked
from PySide6 import QtGui
from PySide6.QtGui import QColor, QSyntaxHighlighter

from vidu_desktop.core.mentions import MENTION
from vidu_desktop.ui.common import theme

if TYPE_CHECKING:
    from PySide6.QtGui import QTextCharFormat, QTextDocument


class MentionHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._known: frozenset[str] = frozenset()
        #: where a mention being typed ends (a document position), not to be marked yet
        self.typing_end: Callable[[], int | None] = lambda: None
        #: (known, unknown) in the theme's colours: made when the first mention is marked
        self._formats: tuple[QTextCharFormat, QTextCharFormat] | None = None

    @property
    def known_format(self) -> QTextCharFormat:
        return self._colours()[0]

    @property
    def unknown_format(self) -> QTextCharFormat:
        return self._colours()[1]

    def _colours(self) -> tuple[QTextCharFormat, QTextCharFormat]:
        if self._formats is None:
            colors = theme.colors()
            unknown = QtGui.QTextCharFormat()
            unknown.setUnderlineStyle(QtGui.QTextCharFormat.UnderlineStyle.WaveUnderline)
            unknown.setUnderlineColor(QColor(colors.warning_fg))
            unknown.setBackground(QColor(colors.warning_bg))
            unknown.setForeground(QColor(colors.warning_fg))
            known = QtGui.QTextCharFormat()
            known.setForeground(QColor(colors.accent))
            self._formats = known, unknown
        return self._formats

    def set_known(self, names: Iterable[str]) -> None:
        """The names a mention may use (any case); the whole prompt is marked again."""
        known = frozenset(n.casefold() for n in names)
        if known != self._known:
            self._known = known
            self.rehighlight()

    def recolour(self) -> None:
        """The theme changed (light/dark)."""
        self._formats = None
        self.rehighlight()

    def is_known(self, name: str) -> bool:
        return name.casefold() in self._known

    def highlightBlock(self, text: str) -> None:
        # Qt counts UTF-16 units: convert as the matches go, so the paragraph is read once
        wide = not text.isascii()
        done = units = 0

        def at(index: int) -> int:
            nonlocal done, units
            if wide:
                units += (index - done) + sum(1 for c in text[done:index] if ord(c) > 0xFFFF)
            else:
                units = index
            done = index
            return units

        typing = self.typing_end()
        offset = self.currentBlock().position()
        for match in MENTION.finditer(text):
            start = at(match.start())
            end = at(match.end())
            if match.group(1).casefold() in self._known:
                self.setFormat(start, end - start, self.known_format)
            elif offset + end != typing:
                self.setFormat(start, end - start, self.unknown_format)
