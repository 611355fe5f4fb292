"""How a group's header is drawn in the tray: a tile before the cast member's cards with its
name, its picture count, its voice and description, how the prompt names it, and the button
that takes it out of the draft. The view paints a band behind the tile and the cards (each
line of the tray they take), so a group reads as one."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QTextLayout

from vidu_desktop.ui.compose.tray.groups import TrayGroup, pictures_text

TILE_W = 150  # the header's width (its height is a card's)
MARGIN = 4  # as a card's
PAD = 9
CLOSE = 22


def tile_rect(cell: QRect) -> QRect:
    return cell.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)


def close_rect(cell: QRect) -> QRect:
    """The header's "remove from this draft" button, at its top right."""
    tile = tile_rect(cell)
    return QRect(tile.right() - CLOSE - 4, tile.top() + 5, CLOSE, CLOSE)


def band_color(palette: QPalette) -> QColor:
    """The tint behind a group (its header and its cards), on light and dark."""
    window = palette.color(QPalette.ColorRole.Window)
    return window.darker(108) if window.lightness() >= 128 else window.lighter(140)


def paint_group(painter: QPainter, cell: QRect, palette: QPalette, group: TrayGroup,
                count: int, *, selected: bool, focused: bool, hover: bool,
                muted: QColor, warn: QColor) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    tile = tile_rect(cell)
    accent = palette.color(QPalette.ColorRole.Highlight)
    if selected or focused:
        painter.setPen(QPen(accent, 2.5 if selected else 1.0,
                            Qt.PenStyle.SolidLine if selected else Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(tile).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
    area = tile.adjusted(PAD, PAD, -PAD, -PAD)
    base = QFont(painter.font())
    metrics = QFontMetrics(base)
    line_h = metrics.height() + 2
    title = QFont(base)
    title.setBold(True)
    title.setPointSizeF(base.pointSizeF() * 1.15)
    title_metrics = QFontMetrics(title)
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    y = area.top()
    name_w = area.width() - (CLOSE + 2 if hover or selected else 0)
    painter.setFont(title)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    painter.drawText(QRect(area.left(), y, name_w, title_metrics.height()), left,
                     title_metrics.elidedText(group.name, Qt.TextElideMode.ElideRight, name_w))
    y += title_metrics.height() + 2
    painter.setFont(base)
    lines = [(pictures_text(count), muted)]
    if group.voice_id:
        lines.append((f"voice: {group.voice_id}", muted))
    if not group.in_cast:
        lines.append(("not in the cast", warn))
    for text, color in lines:
        painter.setPen(color)
        painter.drawText(QRect(area.left(), y, area.width(), line_h), left,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, area.width()))
        y += line_h
    mention = QRect(area.left(), area.bottom() - line_h, area.width(), line_h)
    said = mention.translated(0, -line_h)
    if group.description:
        y += 4
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        wrapped(painter, group.description, QRect(area.left(), y, area.width(),
                                                  said.top() - y - 4), base)
    painter.setPen(muted)
    painter.drawText(said, left, "in the prompt:")
    painter.setPen(accent)
    painter.drawText(mention, left, metrics.elidedText(
        f"@{group.name}", Qt.TextElideMode.ElideRight, area.width()))
    if hover or selected:
        paint_close(painter, close_rect(cell), palette)
    painter.restore()


def wrapped(painter: QPainter, text: str, area: QRect, font: QFont) -> None:
    """Word-wrapped lines within ``area``; the last one that fits elided."""
    metrics = QFontMetrics(font)
    step = metrics.height()
    room = area.height() // step
    if room <= 0:
        return
    layout = QTextLayout(text, font)
    layout.beginLayout()
    spans: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(area.width())
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    for n, (start, length) in enumerate(spans[:room]):
        chunk = text[start:start + length].rstrip()
        if n == room - 1 and n < len(spans) - 1:
            chunk = metrics.elidedText(text[start:], Qt.TextElideMode.ElideRight, area.width())
        painter.drawText(QRect(area.left(), area.top() + n * step, area.width(), step),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, chunk)


def paint_close(painter: QPainter, rect: QRect, palette: QPalette) -> None:
    button = QRectF(rect)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(palette.color(QPalette.ColorRole.Mid))
    painter.drawEllipse(button)
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1.6, Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.RoundCap))
    inner = button.adjusted(7, 7, -7, -7)
    painter.drawLine(inner.topLeft(), inner.bottomRight())
    painter.drawLine(inner.topRight(), inner.bottomLeft())
