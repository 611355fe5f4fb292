"""The widgets around the tray's cards: header with the count and "Add…", the message strip.

``TrayChrome`` lays them out inside the ``ReferenceTray`` and owns the non-modal file dialog
(``QFileDialog.open()``; never ``exec()``, which would nest an event loop under qasync).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # the file dialog's class: made when it is first opened
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.ui.compose.tray.delegate import error_color, muted_color
from vidu_desktop.ui.compose.tray.mime import IMAGE_SUFFIXES
from vidu_desktop.ui.compose.tray.model import TrayModel
from vidu_desktop.ui.compose.tray.queue import count_range
from vidu_desktop.ui.compose.tray.view import TrayView

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog

HINT = ("Drag to reorder · double-click to label · select pictures of one character to "
        "make a subject · Delete removes")
#: Messages kept in the strip at once (the newest last).
MAX_MESSAGES = 3


def fitting_hint(metrics: QFontMetrics, width: int) -> str:
    """As many of the hint's phrases as fit ("Drag to reorder · double-click to label")."""
    parts = HINT.split(" · ")
    while parts and metrics.horizontalAdvance(" · ".join(parts)) > width:
        parts.pop()
    return " · ".join(parts)


def set_text_color(label: QLabel, color: QColor) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(palette)


class TrayChrome(QObject):
    files_chosen = Signal(list)  # paths picked in the "Add…" dialog

    def __init__(self, tray: QWidget, model: TrayModel) -> None:
        super().__init__(tray)
        self.tray = tray
        self.title = QLabel("References")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.count = QLabel()
        self.count.setObjectName("trayCount")
        self.count.setAccessibleName("Reference count")
        self.hint = QLabel(HINT)
        self.hint.setObjectName("trayHint")
        self.hint.setToolTip(HINT)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.installEventFilter(self)  # elided to the room left in the header
        self.subject_button = QPushButton("Make a subject…")
        self.subject_button.setObjectName("makeSubject")
        self.subject_button.setAccessibleName("Make a subject from the selected pictures")
        self.set_selection(0)
        self.add_button = QPushButton("Add…")
        self.add_button.setAccessibleName("Add pictures")
        self.add_button.setToolTip("Add pictures from files (or drop them here, or paste)")
        self.view = TrayView(model, tray)
        self.view.setAccessibleName("Reference images")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.messages = QLabel()
        self.messages.setObjectName("trayMessages")
        self.messages.setMinimumWidth(80)
        self.messages.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.messages.installEventFilter(self)
        self.dismiss = QToolButton()
        self.dismiss.setText("✕")
        self.dismiss.setAutoRaise(True)
        self.dismiss.setToolTip("Dismiss")
        self.dismiss.setAccessibleName("Dismiss the tray's messages")
        self.dismiss.clicked.connect(self.clear_messages)
        self.strip = QFrame()
        self.strip.setObjectName("trayMessageStrip")
        self.strip.setFrameShape(QFrame.Shape.StyledPanel)
        strip = QHBoxLayout(self.strip)
        strip.setContentsMargins(8, 4, 4, 4)
        strip.addWidget(self.messages, 1)
        strip.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.strip.hide()
        header = QHBoxLayout()
        header.setContentsMargins(2, 0, 2, 0)
        header.addWidget(self.title)
        header.addWidget(self.count)
        header.addSpacing(12)
        header.addWidget(self.hint, 1)
        header.addWidget(self.subject_button)
        header.addWidget(self.add_button)
        layout = QVBoxLayout(tray)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.strip)
        self._lines: list[str] = []
        self.dialog: QFileDialog | None = None
        self.start_dir = ""
        self.retint()

    def retint(self) -> None:
        palette = self.tray.palette()
        set_text_color(self.hint, muted_color(palette))
        set_text_color(self.messages, error_color(palette))

    def set_selection(self, loose: int) -> None:
        """How many loose pictures are selected: "Make a subject…" says what it would do."""
        self.subject_button.setEnabled(loose > 0)
        self.subject_button.setToolTip(
            "Make a cast member (a named subject the prompt mentions as @name) of the "
            + (f"{loose} selected picture{'s' * (loose != 1)}" if loose else
               "selected pictures: select 1 to 3 pictures of one character, object or place")
            + "; the cast library keeps it for other drafts")

    def refresh(self, rules: ImageRules, count: int) -> None:
        over = count > rules.max_count
        self.count.setText(f"{count} / {rules.max_count}")
        palette = self.tray.palette()
        set_text_color(self.count, error_color(palette) if over
                       else palette.color(QPalette.ColorRole.Text) if count
                       else muted_color(palette))
        font = self.count.font()
        font.setBold(over)
        self.count.setFont(font)
        self.count.setToolTip(f"This model takes {count_range(rules, ' to ')} reference "
                              f"image{'s' * (rules.max_count != 1)}.")
        self.hint.setVisible(count > 0)
        noun = "a reference image" if rules.max_count == 1 else \
            f"{count_range(rules)} reference images"
        self.view.hint = f"Drop {noun} here, paste, or Add…"
        self.view.subhint = ("Files, folders, web links or pictures from the clipboard · "
                             f"at least {rules.min_side} px a side · fixed automatically "
                             "where possible")
        self.view.viewport().update()

    # -- messages ------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        if text in self._lines:
            self._lines.remove(text)
        self._lines.append(text)
        del self._lines[:-MAX_MESSAGES]
        self.messages.setToolTip("\n".join(self._lines))
        self._render()
        self.strip.show()

    def clear_messages(self) -> None:
        self._lines.clear()
        self.messages.clear()
        self.messages.setToolTip("")
        self.strip.hide()

    def _render(self) -> None:
        """One line per message, elided to the strip's width (the tooltip has them whole)."""
        metrics = self.messages.fontMetrics()
        width = max(40, self.messages.width())
        self.messages.setText("\n".join(
            metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
            for line in self._lines))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self.messages and self._lines:
                self._render()
            elif watched is self.hint:
                self.hint.setText(fitting_hint(self.hint.fontMetrics(), self.hint.width()))
        return False

    def message_text(self) -> str:
        return "\n".join(self._lines)

    # -- the "Add…" dialog ---------------------------------------------------------------

    def open_file_dialog(self) -> QFileDialog:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        patterns = " ".join(f"*{s}" for s in sorted(IMAGE_SUFFIXES))
        dialog = QtWidgets.QFileDialog(self.tray, "Add reference images", self.start_dir,
                             f"Pictures ({patterns});;All files (*)")
        dialog.setFileMode(QtWidgets.QFileDialog.FileMode.ExistingFiles)
        dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptOpen)
        dialog.filesSelected.connect(self._chosen)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _chosen(self, files: list[str]) -> None:
        if files:
            dialog = self.dialog
            if dialog is not None:
                self.start_dir = dialog.directory().absolutePath()
            self.files_chosen.emit(list(files))

    def _closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
