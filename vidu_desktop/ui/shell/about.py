"""Help → About Vidu Studio: what this is, and the versions of the app, Qt, PySide6 and
Python (the same facts the crash report's diagnostics carry)."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

import vidu_desktop

APP_NAME = "Vidu Studio"


def versions() -> dict[str, str]:
    """Name → version of the app and what it runs on."""
    return {
        APP_NAME: vidu_desktop.__version__,
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "Python": platform.python_version(),
        "Platform": platform.platform(),
    }


def versions_text() -> str:
    return "\n".join(f"{name}: {version}" for name, version in versions().items())


class AboutDialog(QDialog):
    """Open it with ``open()`` (window-modal, never ``exec()``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about-dialog")
        self.setWindowTitle(f"About {APP_NAME}")
        title = QLabel(f"<b>{APP_NAME}</b> {vidu_desktop.__version__}", self)
        blurb = QLabel("Reference-to-video with Vidu Q1 on five API hosts, and a built-in "
                       "sandbox that makes placeholder videos at no cost.", self)
        blurb.setWordWrap(True)
        rows = "".join(f"<tr><td>{name}</td><td>&nbsp;&nbsp;{version}</td></tr>"
                       for name, version in versions().items() if name != APP_NAME)
        self.details = QLabel(f"<table>{rows}</table>", self)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
