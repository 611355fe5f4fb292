"""How one reference card is drawn: thumbnail, number, state, badge lines, label editor.

Thumbnails are scaled once per size and device pixel ratio (sharp on high-DPI screens) and
cached by item id. Colours come from the palette, with a red that reads on light and dark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # QStyle and its options: made when an item is first painted
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate, QWidget

from vidu_desktop.ui.compose.tray import header
from vidu_desktop.ui.compose.tray.groups import TrayGroup
from vidu_desktop.ui.compose.tray.item import (
    ItemState,
    TrayItem,
    display_name,
    fixes_text,
    size_text,
)
from vidu_desktop.ui.compose.tray.model import (
    BadgeRole,
    CountRole,
    GroupRole,
    ItemRole,
    OverLimitRole,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

CARD = QSize(180, 206)  # the whole cell, margins included
MARGIN = 4  # around the card
PAD = 7  # inside the card
THUMB_H = 112
LINE_GAP = 2

Index = QModelIndex | QPersistentModelIndex

#: The error card's headline, by imaging.ProblemKind.
KIND_TEXT = {
    "not_image": "Not a picture", "corrupt": "Damaged file", "empty": "Empty file",
    "too_small": "Too small", "ratio": "Too wide or too tall", "bomb": "Too many pixels",
    "unreadable": "Cannot be read", "url_failed": "Download failed",
    "too_large": "File too large", "budget": "Too large to send",
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_color(palette: QPalette) -> QColor:
    return QColor("#ef6b6b") if is_dark(palette) else QColor("#c62828")


def muted_color(palette: QPalette) -> QColor:
    color = palette.color(QPalette.ColorRole.Text)
    color.setAlphaF(0.62)
    return color


def states(state: QtWidgets.QStyle.StateFlag) -> tuple[bool, bool, bool]:
    """Selected, focused, under the mouse."""
    flag = QtWidgets.QStyle.StateFlag
    return (bool(state & flag.State_Selected), bool(state & flag.State_HasFocus),
            bool(state & flag.State_MouseOver))


class TrayDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: dict[int, tuple[tuple[int, int, float, int], QPixmap]] = {}
        self._cards: dict[int, tuple[tuple[object, ...], QPixmap]] = {}

    def prune(self, live: set[int]) -> None:
        """Drop the cached pixmaps of removed items."""
        for cache in (self._pixmaps, self._cards):
            for item_id in [i for i in cache if i not in live]:
                del cache[item_id]

    # -- geometry ------------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        if isinstance(index.data(GroupRole), TrayGroup):
            return QSize(header.TILE_W, CARD.height())
        return QSize(CARD)

    @staticmethod
    def card_rect(cell: QRect) -> QRect:
        return cell.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)

    @staticmethod
    def thumb_rect(cell: QRect) -> QRect:
        card = TrayDelegate.card_rect(cell)
        return QRect(card.left() + PAD, card.top() + PAD, card.width() - 2 * PAD, THUMB_H)

    @staticmethod
    def close_rect(cell: QRect) -> QRect:
        """The card's remove button (top right of the thumbnail; shown on hover or selection)."""
        area = TrayDelegate.thumb_rect(cell)
        return QRect(area.right() - 27, area.top() + 5, 22, 22)

    def text_rect(self, cell: QRect) -> QRect:
        card = self.card_rect(cell)
        top = self.thumb_rect(cell).bottom() + 6
        return QRect(card.left() + PAD, top, card.width() - 2 * PAD, card.bottom() - top - 4)

    # -- painting ------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw the card from a cached pixmap, rendered again only when something shown changed.

        Few Qt calls per paint matter: while workers prepare pictures, each call that releases
        the GIL may wait for it, so a full render can take tens of milliseconds.
        """
        item = index.data(ItemRole)
        if not isinstance(item, TrayItem):
            self._paint_header(painter, option, index)
            return
        cell = QRect(option.rect)
        dpr = painter.device().devicePixelRatioF()
        state = option.state
        flags = states(state)
        key = (cell.width(), cell.height(), dpr, flags, index.data(BadgeRole),
               index.data(OverLimitRole), option.palette.cacheKey(),
               option.font.key(), item.state, round(item.progress, 2),
               item.label, item.name, item.error, item.sha256, item.group,
               item.thumbnail.cacheKey() if item.thumbnail is not None else 0)
        cached = self._cards.get(item.id)
        if cached is None or cached[0] != key:
            pixmap = QPixmap(round(cell.width() * dpr), round(cell.height() * dpr))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            canvas = QPainter(pixmap)
            canvas.setFont(option.font)
            local = QtWidgets.QStyleOptionViewItem(option)
            local.rect = QRect(0, 0, cell.width(), cell.height())
            self._render(canvas, local, item, str(index.data(BadgeRole)),
                         bool(index.data(OverLimitRole)))
            canvas.end()
            cached = (key, pixmap)
            self._cards[item.id] = cached
        painter.drawPixmap(cell.topLeft(), cached[1])

    def _render(self, painter: QPainter, option: QStyleOptionViewItem, item: TrayItem,
                number: str, over: bool) -> None:
        palette = option.palette
        cell = QRect(option.rect)
        state = option.state
        selected, focused, hover = states(state)
        red = error_color(palette)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        card = QRectF(self.card_rect(cell)).adjusted(0.5, 0.5, -0.5, -0.5)
        background = palette.color(QPalette.ColorRole.Base)
        if hover and not selected:
            background = palette.color(QPalette.ColorRole.AlternateBase)
        border = palette.color(QPalette.ColorRole.Mid)
        width = 1.0
        if item.state is ItemState.ERROR or over:
            border, width = red, 1.5
        if selected:
            border, width = palette.color(QPalette.ColorRole.Highlight), 2.5
        painter.setPen(QPen(border, width))
        painter.setBrush(background)
        painter.drawRoundedRect(card, 8, 8)
        if focused and not selected:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(card.adjusted(2, 2, -2, -2), 6, 6)
        self._paint_thumb(painter, item, cell, palette, over, red)
        self._paint_number(painter, number, cell, palette, over or item.state is ItemState.ERROR,
                           red)
        self._paint_text(painter, item, cell, palette, red)
        if (hover or selected) and not item.group:  # a cast member's pictures stay together
            self._paint_close(painter, cell)
        painter.restore()

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem,
                      index: Index) -> None:
        group = index.data(GroupRole)
        if not isinstance(group, TrayGroup):
            return
        selected, focused, hover = states(option.state)
        painter.save()
        painter.setFont(option.font)
        header.paint_group(
            painter, QRect(option.rect), option.palette, group, int(index.data(CountRole) or 0),
            selected=selected, focused=focused, hover=hover,
            muted=muted_color(option.palette), warn=error_color(option.palette))
        painter.restore()

    def _paint_close(self, painter: QPainter, cell: QRect) -> None:
        button = QRectF(self.close_rect(cell))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 150))
        painter.drawEllipse(button)
        painter.setPen(QPen(QColor("white"), 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        inner = button.adjusted(7, 7, -7, -7)
        painter.drawLine(inner.topLeft(), inner.bottomRight())
        painter.drawLine(inner.topRight(), inner.bottomLeft())

    def _paint_thumb(self, painter: QPainter, item: TrayItem, cell: QRect, palette: QPalette,
                     over: bool, red: QColor) -> None:
        area = self.thumb_rect(cell)
        clip = QPainterPath()
        clip.addRoundedRect(QRectF(area), 5, 5)
        painter.save()
        painter.setClipPath(clip)
        shade = palette.color(QPalette.ColorRole.Window).darker(108 if not is_dark(palette)
                                                                else 80)
        painter.fillRect(area, shade)
        if item.thumbnail is not None:
            pixmap = self._pixmap(item, area.size(), painter.device().devicePixelRatioF())
            size = pixmap.deviceIndependentSize().toSize()
            x = area.left() + (area.width() - size.width()) // 2
            y = area.top() + (area.height() - size.height()) // 2
            if item.state is ItemState.PREPARING:
                painter.setOpacity(0.35)
            painter.drawPixmap(x, y, pixmap)
            painter.setOpacity(1.0)
        elif item.state is ItemState.ERROR:
            normal = QFont(painter.font())
            glyph = QFont(normal)
            glyph.setPixelSize(40)
            glyph.setBold(True)
            painter.setFont(glyph)
            painter.setPen(red)
            painter.drawText(area.adjusted(0, 0, 0, -18), Qt.AlignmentFlag.AlignCenter, "!")
            painter.setFont(normal)
            painter.drawText(area.adjusted(4, 44, -4, 0), Qt.AlignmentFlag.AlignCenter,
                             KIND_TEXT.get(item.error_kind, "Cannot be used"))
        if item.state is ItemState.PREPARING:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(area.adjusted(0, 0, 0, -10), Qt.AlignmentFlag.AlignCenter,
                             "Preparing…")
            bar = QRect(area.left() + 16, area.bottom() - 18, area.width() - 32, 5)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Mid))
            painter.drawRoundedRect(bar, 2, 2)
            done = QRect(bar)
            done.setWidth(max(5, round(bar.width() * min(1.0, max(0.05, item.progress)))))
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(done, 2, 2)
        if over:
            band = QRect(area.left(), area.bottom() - 21, area.width(), 22)
            painter.fillRect(band, red)
            painter.setPen(QColor("white"))
            painter.drawText(band, Qt.AlignmentFlag.AlignCenter, "Over the model's limit")
        painter.restore()

    def _pixmap(self, item: TrayItem, size: QSize, dpr: float) -> QPixmap:
        image = item.thumbnail
        assert image is not None
        key = (size.width(), size.height(), dpr, image.cacheKey())
        cached = self._pixmaps.get(item.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        scaled = image.scaled(QSize(round(size.width() * dpr), round(size.height() * dpr)),
                              Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(dpr)
        self._pixmaps[item.id] = (key, pixmap)
        return pixmap

    def _paint_number(self, painter: QPainter, number: str, cell: QRect, palette: QPalette,
                      alarm: bool, red: QColor) -> None:
        """The card's number ("3"), or how the prompt names it ("@image1")."""
        area = self.thumb_rect(cell)
        font = QFont(painter.font())
        font.setBold(True)
        width = max(24, QFontMetrics(font).horizontalAdvance(number) + 14)
        badge = QRectF(area.left() + 5, area.top() + 5, min(width, area.width() - 40), 24)
        painter.setPen(QPen(QColor(255, 255, 255, 200), 1.5))
        painter.setBrush(red if alarm else palette.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(badge, 12, 12)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText) if not alarm
                       else QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(number))

    def _paint_text(self, painter: QPainter, item: TrayItem, cell: QRect, palette: QPalette,
                    red: QColor) -> None:
        area = self.text_rect(cell)
        base = QFont(painter.font())
        base.setBold(False)
        metrics = QFontMetrics(base)
        line_h = metrics.height() + LINE_GAP
        y = area.top()
        title = QFont(base)
        title.setBold(bool(item.label))
        title.setItalic(False)
        painter.setFont(title)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        head = f"“{item.label}”" if item.label else display_name(item)
        elide = Qt.TextElideMode.ElideRight if item.label else Qt.TextElideMode.ElideMiddle
        painter.drawText(QRect(area.left(), y, area.width(), line_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(title).elidedText(head, elide, area.width()))
        y += line_h
        painter.setFont(base)
        if item.state is ItemState.ERROR:
            painter.setPen(red)
            header.wrapped(painter, item.error, QRect(area.left(), y, area.width(),
                                                     area.bottom() - y), base)
            return
        lines: list[tuple[str, QColor]] = []
        if item.state is ItemState.PREPARING:
            lines.append((f"Preparing… {round(item.progress * 100)}%", muted_color(palette)))
        else:
            lines.append((size_text(item), palette.color(QPalette.ColorRole.Text)))
            fixes = fixes_text(item.fixes)
            lines.append((fixes or "no changes needed", muted_color(palette)))
        if item.label:
            lines.append((display_name(item), muted_color(palette)))
        for text, color in lines:
            if y + line_h > area.bottom() + 2:
                break
            painter.setPen(color)
            painter.drawText(QRect(area.left(), y, area.width(), line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                area.width()))
            y += line_h

    # -- label editor --------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setPlaceholderText("Label, e.g. the man in the red coat")
        editor.setClearButtonEnabled(True)
        return editor

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: Index) -> None:
        area = self.text_rect(QRect(option.rect))
        editor.setGeometry(area.left() - 3, area.top() - 3, area.width() + 6,
                           max(editor.sizeHint().height(), 24))

