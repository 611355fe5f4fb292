"""A focus ring that is always visible: a 2 px ring in the accent colour around the control
that has the keyboard focus.

Fusion marks the focus with a 1 px tint inside buttons and fields, and a custom-painted view
(the reference tray) shows none of its own. So each window gets one ring, a child of the window
drawn above the controls (so a parent's edge never cuts it) that follows the focused control:
it watches the control and its parents for moves, resizes and hiding (scrolling, splitters).
The ring lets every click through, takes no focus and is never touched once its window closes.
Popups (menus, a combo box's list) keep their own highlight. (``QFocusFrame`` would need a
style of our own to be drawn above the controls, and a style that dies before a widget using
it crashes the app at exit.)
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QWidget

from vidu_desktop.ui.common import theme

RING_NAME = "focus-ring"
WIDTH = 2
GAP = 1  # between the control and the ring
_WATCHED = {QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide,
            QEvent.Type.ParentChange}


class Ring(QWidget):
    """The ring of one window. ``target`` is the control it surrounds (None: hidden)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName(RING_NAME)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.target: QWidget | None = None
        self._watched: list[QWidget] = []
        self.hide()

    def follow(self, target: QWidget | None) -> None:
        for watched in self._watched:
            if shiboken6.isValid(watched):
                watched.removeEventFilter(self)
        if self.target is not None and shiboken6.isValid(self.target):
            self.target.destroyed.disconnect(self._gone)
        self._watched = []
        self.target = target
        if target is not None:
            target.destroyed.connect(self._gone)
            widget: QWidget | None = target
            while widget is not None and widget is not self.parentWidget():
                widget.installEventFilter(self)
                self._watched.append(widget)
                widget = widget.parentWidget()
        self.place()

    def _gone(self) -> None:
        self._watched = []
        self.target = None
        self.hide()

    def place(self) -> None:
        window = self.parentWidget()
        target = self.target
        if target is None or window is None or not target.isVisible():
            self.hide()
            return
        seen = visible_rect(target, window)  # the part not scrolled out of sight
        if seen.isEmpty():
            self.hide()
            return
        pad = WIDTH + GAP
        self.setGeometry(seen.adjusted(-pad, -pad, pad, pad))
        self.raise_()
        self.show()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _WATCHED:
            self.place()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(theme.colors().accent), WIDTH))
        inset = WIDTH / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset),
                                4, 4)
        painter.end()


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """``widget``'s rectangle in ``window``'s coordinates, cut to each parent's (a field
    scrolled half out of a scroll area is ringed where it is seen)."""
    rect = QRect(QPoint(0, 0), widget.size())
    current = widget
    while current is not window:
        parent = current.parentWidget()
        if parent is None:
            return QRect()
        rect = rect.translated(current.pos()).intersected(QRect(QPoint(0, 0), parent.size()))
        current = parent
    return rect


class FocusRing(QObject):
    """Follows ``QApplication.focusChanged``: the ring of the window that takes the focus goes
    to the focused control (made on that window's first focus, deleted with the window)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        app.focusChanged.connect(self._moved)

    @staticmethod
    def ring_of(window: QWidget) -> Ring | None:
        for child in window.children():
            if isinstance(child, Ring):
                return child
        return None

    def _moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self._wants_ring(new):  # focus left the app, or a popup has it
            return
        window = new.window()
        if new is window:
            return
        ring = self.ring_of(window) or Ring(window)
        ring.follow(new)

    @staticmethod
    def _wants_ring(widget: QWidget) -> bool:
        if widget.window().windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return False
        return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


_installed: list[FocusRing] = []


def install(app: QApplication) -> FocusRing:
    """Once per application."""
    if not _installed:
        _installed.append(FocusRing(app))
    return _installed[0]


def ring_rect(ring: Ring, window: QWidget) -> QRect:
    """Where the ring is, in ``window``'s coordinates (tests)."""
    return QRect(ring.mapTo(window, QPoint(0, 0)), ring.size())
