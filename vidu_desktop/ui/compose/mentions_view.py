"""The lines under the prompt about its @mentions: how they reach the model (which picture
numbers each name became, or that they are sent as subjects) and, in the warning style, the
mentions that name no one in the draft."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from vidu_desktop.ui.common import theme


class MentionsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QLabel(self)
        self.form.setObjectName("mention-form")
        theme.set_role(self.form, "muted")
        self.form.setWordWrap(True)
        self.form.setTextFormat(Qt.TextFormat.PlainText)
        self.form.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel(self)
        self.warning.setObjectName("mention-warning")
        theme.set_role(self.warning, "warning")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.form)
        layout.addWidget(self.warning)
        self.show_lines("", "", "")

    def show_lines(self, form: str, form_tip: str, warning: str) -> None:
        for label, text in ((self.form, form), (self.warning, warning)):
            if label.text() != text:
                label.setText(text)
            label.setVisible(bool(text))
        self.form.setToolTip(form_tip)
        self.form.setAccessibleName("How the mentions are sent")
        self.warning.setAccessibleName("Mentions that name no one")
        self.setVisible(bool(form or warning))
