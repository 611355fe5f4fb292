"""A focus ring that is always visible: a 2 px ring in the accent colour around the control
that has the keyboard focus.

Fusion marks the focus with a 1 px tint inside buttons and fields, and a custom-painted view
(the reference tray) shows none of its own; a ``QFocusFrame`` follows the focus instead (the
same mechanism macOS uses for its focus rings) and is drawn outside the control, so it never
covers its content. Popups (menus, a combo box's list) keep their own highlight.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFocusFrame, QProxyStyle, QStyle, QWidget

from . import theme


class _AboveStyle(QProxyStyle):
    """The ring's own style: drawn above the control, in the window (or the scroll area's
    viewport), so a parent's edge does not cut it (Fusion puts it in the control's parent)."""

    def styleHint(self, hint: QStyle.StyleHint, option: Any = None, widget: Any = None,
                  returned: Any = None) -> int:
        if hint == QStyle.StyleHint.SH_FocusFrame_AboveWidget:
            return 1
        return int(super().styleHint(hint, option, widget, returned))


class FocusRing(QObject):
    """Follows ``QApplication.focusChanged``; ``ring.widget()`` is the control ringed now."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: QFocusFrame | None = None
        self._style = _AboveStyle()
        app.focusChanged.connect(self._moved)

    def _moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.ring is not None and not shiboken6.isValid(self.ring):
            self.ring = None  # its window was closed and deleted
        if new is None or not self._wants_ring(new):
            if self.ring is not None:
                self.ring.setWidget(None)
            return
        if self.ring is None or self.ring.window() is not new.window():
            if self.ring is not None:
                self.ring.deleteLater()
            self.ring = QFocusFrame(new.window())
            self.ring.setObjectName("focus-ring")
            self.ring.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.ring.setStyle(self._style)
        palette = self.ring.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.colors().accent))
        self.ring.setPalette(palette)
        self.ring.setWidget(new)

    @staticmethod
    def _wants_ring(widget: QWidget) -> bool:
        window = widget.window()
        if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return False
        return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


_installed: list[FocusRing] = []


def install(app: QApplication) -> FocusRing:
    """Once per application."""
    if not _installed:
        _installed.append(FocusRing(app))
    return _installed[0]
