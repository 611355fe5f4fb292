"""The cut's seek bar: the shots as named blocks over one groove for the whole film.

The upper row has a block per take, as wide as the take is long, the one playing highlighted; a
click on a block plays that shot from its start. The groove under it spans the whole cut with
a tick at every shot boundary; a click or a drag there plays from that exact time, in whichever
take it falls. The bar only shows and asks (``shot_requested``, ``seek_requested``); the cut
player owns the media. Keys are left to the player (Space, Left and Right reach it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from vidu_desktop.ui.common import theme
from vidu_desktop.ui.review.controls import format_ms
from vidu_desktop.ui.review.cut_model import CutTimeline

MARGIN = 8  # px left and right: the playhead's knob stays inside
BLOCKS_H = 24  # the shots' row
GAP = 6  # between the row and the groove
GROOVE_H = 6
KNOB_R = 6


class CutBar(QWidget):
    """See the module docstring. ``set_timeline`` then ``set_position`` (seconds)."""

    seek_requested = Signal(float)  #: seconds into the cut
    shot_requested = Signal(int)  #: a span's index: play it from its start

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: CutTimeline | None = None
        self.position = 0.0
        self.current = -1  # the span playing
        self._dragging = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Cut position")
        self.setAccessibleDescription("The shots of the cut in order: click a shot to play it "
                                      "from its start, or the line under them to play from "
                                      "there. Left and Right go to the previous or next shot.")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(160)

    def sizeHint(self) -> QSize:
        return QSize(480, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self._height())

    @staticmethod
    def _height() -> int:
        return BLOCKS_H + GAP + max(GROOVE_H, 2 * KNOB_R) + 4

    # -- state ------------------------------------------------------------------------------
    def set_timeline(self, timeline: CutTimeline | None) -> None:
        self.timeline = timeline
        self.position, self.current = 0.0, 0 if timeline and timeline.spans else -1
        self.update()

    def set_position(self, seconds: float, current: int) -> None:
        if self._dragging:
            return  # the hand wins over the playback clock while it drags
        self.position, self.current = seconds, current
        self.update()

    # -- geometry (tests use it too) ---------------------------------------------------------
    def x_of(self, seconds: float) -> float:
        total = self.timeline.total if self.timeline else 0.0
        width = max(1, self.width() - 2 * MARGIN)
        return MARGIN + (width * seconds / total if total > 0 else 0.0)

    def time_at(self, x: float) -> float:
        total = self.timeline.total if self.timeline else 0.0
        width = max(1, self.width() - 2 * MARGIN)
        return min(max(0.0, (x - MARGIN) / width * total), total)

    def block_rect(self, index: int) -> QRect:
        """The shot's block in the upper row (1 px apart from its neighbours)."""
        assert self.timeline is not None
        span = self.timeline.spans[index]
        left, right = self.x_of(span.start), self.x_of(span.end)
        return QRectF(left + 1, 2, max(2.0, right - left - 2), BLOCKS_H - 2).toRect()

    def groove_y(self) -> int:
        return BLOCKS_H + GAP + max(GROOVE_H, 2 * KNOB_R) // 2

    def _block_at(self, x: float, y: float) -> int:
        if self.timeline is None or y > BLOCKS_H:
            return -1
        t = self.time_at(x)
        return self.timeline.locate(t)[0] if self.timeline.spans else -1

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        c = theme.colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        timeline = self.timeline
        gy = self.groove_y()
        groove = QRectF(MARGIN, gy - GROOVE_H / 2, self.width() - 2 * MARGIN, GROOVE_H)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(c.border))
        painter.drawRoundedRect(groove, 3, 3)
        if timeline is None or not timeline.spans:
            painter.end()
            return
        enabled = self.isEnabled()
        accent = QColor(c.accent if enabled else c.muted)
        played = QRectF(groove)
        played.setRight(self.x_of(self.position))
        painter.setBrush(accent)
        painter.drawRoundedRect(played, 3, 3)
        metrics = self.fontMetrics()
        for index, span in enumerate(timeline.spans):
            rect = self.block_rect(index)
            on = index == self.current
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent if on else QColor(c.button))
            painter.drawRoundedRect(QRectF(rect), 4, 4)
            text = span.item.label or f"Take {span.number}"
            room = rect.width() - 8
            if metrics.horizontalAdvance(text) > room:
                text = str(span.number)  # a narrow block keeps at least its number
            if metrics.horizontalAdvance(text) <= room:
                painter.setPen(QColor(c.accent_text if on else c.text))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            if index:  # a boundary: a tick across the groove
                x = self.x_of(span.start)
                painter.setPen(QPen(QColor(c.text), 2))
                painter.drawLine(QPointF(x, gy - GROOVE_H), QPointF(x, gy + GROOVE_H))
        painter.setPen(QPen(QColor(c.base), 2))
        painter.setBrush(accent)
        painter.drawEllipse(QPointF(self.x_of(self.position), gy), KNOB_R, KNOB_R)
        if self.hasFocus():
            painter.setPen(QPen(QColor(c.accent), 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.end()

    # -- the mouse ---------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._playable():
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        block = self._block_at(pos.x(), pos.y())
        if block >= 0:
            self.shot_requested.emit(block)
        else:
            self._dragging = True
            self._drag_to(pos.x())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._drag_to(event.position().x())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._drag_to(event.position().x())
            self._dragging = False
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def _drag_to(self, x: float) -> None:
        assert self.timeline is not None
        t = self.time_at(x)
        self.position, self.current = t, self.timeline.locate(t)[0]
        self.update()
        self.seek_requested.emit(t)

    def _playable(self) -> bool:
        return self.isEnabled() and self.timeline is not None and bool(self.timeline.spans)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self._tip(event.pos().x(), event.pos().y())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _tip(self, x: float, y: float) -> str:
        if not self._playable():
            return ""
        assert self.timeline is not None
        block = self._block_at(x, y)
        if block >= 0:
            span = self.timeline.spans[block]
            return (f"{span.item.label or f'Take {span.number}'} · "
                    f"{format_ms(round(span.start * 1000))}–{format_ms(round(span.end * 1000))}"
                    f"\n{span.item.path.name}\nClick to play this shot from its start")
        return f"Click to play from {format_ms(round(self.time_at(x) * 1000))}"
