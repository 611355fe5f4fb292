"""The shot list, keyboard first: each row the shot's number, cover, prompt excerpt, state and
chosen take; rows dragged to reorder.

With the list focused: 1–9 picks take N of the current shot (a star), X rejects the current
take, Space plays it, Enter plays the board from this shot, ←/→ (and ↑/↓) go to the previous
or next shot, Delete deletes the shot (asking first when it has takes).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from vidu_desktop.core.formatting import excerpt
from vidu_desktop.ui.board.shot_model import (
    COVER,
    RowRole,
    ShotModel,
    ShotRow,
    chosen_text,
    shot_state,
)
from vidu_desktop.ui.common import theme

ROW_HEIGHT = COVER.height() + 16
NUMBER_W = 34
KEYS_HINT = ("1–9 pick a take · X reject · Space play the take · Enter play the board from "
             "this shot · ←/→ shots · drag to reorder")
LIST_TOOLTIP = ("1–9: pick take N (star) · X: reject the current take · Space: play it\n"
                "Enter: play the board from this shot · ←/→ or ↑/↓: previous / next shot\n"
                "Drag a shot to move it · Delete: delete the shot")


def state_color(row: ShotRow, palette: QPalette) -> QColor:
    c = theme.colors()
    text = shot_state(row)
    if text == "stale":
        return QColor(c.warning_fg)
    if text.startswith("generating"):
        return QColor(c.accent)
    if "failed" in text:
        return QColor(c.error_fg)
    if row.chosen is not None:
        return QColor(c.ok_fg)
    return palette.color(QPalette.ColorRole.PlaceholderText)


class ShotDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(option.rect.width(), 200), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(RowRole)
        if not isinstance(row, ShotRow):
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()  # the cover is drawn below, where it belongs
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        fg = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect: QRect = option.rect
        painter.save()
        number_font = QFont(painter.font())
        number_font.setBold(True)
        number_font.setPointSizeF(number_font.pointSizeF() * 1.25)
        painter.setFont(number_font)
        painter.setPen(fg)
        painter.drawText(QRect(rect.left() + 4, rect.top(), NUMBER_W - 4, rect.height()),
                         Qt.AlignmentFlag.AlignCenter, str(row.shot.number))
        cover = index.data(Qt.ItemDataRole.DecorationRole)
        cover_rect = QRect(rect.left() + NUMBER_W + 4, rect.top() + 8, COVER.width(),
                           COVER.height())
        if cover is not None:
            painter.drawPixmap(cover_rect, cover)
        left = cover_rect.right() + 10
        width = max(20, rect.right() - left - 8)
        painter.setFont(option.font)
        metrics = painter.fontMetrics()
        line = metrics.height()
        top = rect.top() + (rect.height() - 2 * line - 4) // 2
        prompt = metrics.elidedText(excerpt(row.shot.prompt, 200), Qt.TextElideMode.ElideRight,
                                    width)
        painter.drawText(QRect(left, top, width, line), Qt.AlignmentFlag.AlignVCenter, prompt)
        state = shot_state(row)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(fg if selected else state_color(row, pal))
        state_w = painter.fontMetrics().horizontalAdvance(state)
        painter.drawText(QRect(left, top + line + 4, width, line),
                         Qt.AlignmentFlag.AlignVCenter, state)
        chosen = chosen_text(row)
        if chosen and not state.startswith("take"):
            painter.setFont(option.font)
            painter.setPen(fg)
            painter.drawText(QRect(left + state_w + 12, top + line + 4,
                                   max(0, width - state_w - 12), line),
                             Qt.AlignmentFlag.AlignVCenter, chosen)
        painter.restore()


class ShotList(QListView):
    """Signals of the keys (see the module): ``pick(n)``, ``reject()``, ``play_take()``,
    ``play_shot()``, ``delete_shot()``."""

    pick = Signal(int)
    reject = Signal()
    play_take = Signal()
    play_shot = Signal()
    delete_shot = Signal()

    def __init__(self, model: ShotModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-shots")
        self.setModel(model)
        self.shot_model = model
        self.setItemDelegate(ShotDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Shots")
        self.setAccessibleDescription(KEYS_HINT)
        self.setToolTip(LIST_TOOLTIP)
        self.setMinimumWidth(200)

    def current_row(self) -> int:
        return self.currentIndex().row() if self.currentIndex().isValid() else -1

    def go(self, row: int) -> None:
        """Make ``row`` the current, selected shot (clamped to the list)."""
        count = self.shot_model.rowCount()
        if not count:
            return
        index = self.shot_model.index(min(max(0, row), count - 1))
        self.setCurrentIndex(index)  # selects it alone (the selection follows)
        self.scrollTo(index)

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.selectionModel().selectedIndexes())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                          | Qt.KeyboardModifier.AltModifier
                                          | Qt.KeyboardModifier.MetaModifier))
        if plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.pick.emit(key - Qt.Key.Key_0)
        elif plain and key == Qt.Key.Key_X:
            self.reject.emit()
        elif plain and key == Qt.Key.Key_Space:
            self.play_take.emit()
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.play_shot.emit()
        elif plain and key == Qt.Key.Key_Delete:
            self.delete_shot.emit()
        elif plain and key in (Qt.Key.Key_Left, Qt.Key.Key_Up) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.go(self.current_row() - 1)
        elif plain and key in (Qt.Key.Key_Right, Qt.Key.Key_Down) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.go(self.current_row() + 1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()
