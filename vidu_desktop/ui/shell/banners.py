"""The banners at the top of the window: sandbox mode (clearly labelled), and "no key yet"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from vidu_desktop.ui.common import pyside_imports, theme
from vidu_desktop.ui.common.session import SANDBOX_LABEL, Session


class ModeBanner(QFrame):
    """Sandbox on: the label and "Leave sandbox"/"Add a key…". No key and sandbox off: the
    offer to use the sandbox. Hidden otherwise."""

    keys_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("mode-banner")
        self.label = QLabel(self)
        self.label.setObjectName("mode-label")
        self.label.setWordWrap(True)
        self.sandbox_button = QPushButton(self)
        self.sandbox_button.setObjectName("sandbox-toggle")
        self.keys_button = pyside_imports.button("Add an API key…", self)
        self.keys_button.clicked.connect(self.keys_requested)
        self.sandbox_button.clicked.connect(self._toggle)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.keys_button)
        layout.addWidget(self.sandbox_button)
        session.changed.connect(self.refresh)
        self.refresh()

    def _toggle(self) -> None:
        if self.session.sandbox:
            self.session.leave_sandbox()
        else:
            self.session.enter_sandbox()

    def _appear(self) -> None:
        """Shown again after a hide; a new banner is shown with the window (a show() before
        that would polish it, and its children, before it is in its place)."""
        if self.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
            self.show()

    def refresh(self) -> None:
        s = self.session
        if s.sandbox:
            theme.set_role(self, "banner-sandbox")
            self.label.setText(SANDBOX_LABEL + " — every host is the built-in emulator.")
            self.sandbox_button.setText("Leave sandbox")
            self.sandbox_button.setVisible(s.has_any_key())
            self.keys_button.setVisible(not s.has_any_key())
            self._appear()
        elif not s.has_any_key():
            theme.set_role(self, "banner-offline")
            self.label.setText("No API key is configured. Add one, or try the app in the "
                               "sandbox first (placeholder videos, no cost).")
            self.sandbox_button.setText("Use sandbox")
            self.sandbox_button.setVisible(s.can_sandbox)
            self.keys_button.setVisible(True)
            self._appear()
        else:
            self.hide()
