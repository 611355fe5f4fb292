"""The tray's view: a wrapping row of cards that takes drops and reorders by drag or keys.

A ``QListView`` in list mode flowing left to right with wrapping (so keyboard navigation,
selection, scrolling and accessibility come from Qt). Drags inside the tray carry item ids
(``tray_model.ROWS_MIME``); the view computes the insertion point itself, draws the insertion
line, and lets the model move the rows. Drops from outside are read with ``tray_mime`` and
handed to the tray through ``received``. With no items the viewport shows the drop-zone hint.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QRect,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QWidget

from vidu_desktop.ui.common.pyside_imports import own_viewport
from vidu_desktop.ui.compose.tray import header
from vidu_desktop.ui.compose.tray.delegate import CARD, TrayDelegate, muted_color
from vidu_desktop.ui.compose.tray.groups import TrayGroup
from vidu_desktop.ui.compose.tray.item import TrayItem
from vidu_desktop.ui.compose.tray.mime import incoming, may_hold_pictures
from vidu_desktop.ui.compose.tray.model import ROWS_MIME, GroupRole, ItemRole, TrayModel


class TrayView(QListView):
    received = Signal(object)  # tray_mime.Incoming from a drop
    delete_pressed = Signal()
    remove_clicked = Signal(int)  # item id whose remove button was clicked
    group_remove_clicked = Signal(str)  # group key whose header's remove button was clicked
    move_pressed = Signal(int)  # -1 left, +1 right

    def __init__(self, model: TrayModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        own_viewport(self)  # (before the first viewport(): see own_viewport)
        self.tray_model = model
        self.setModel(model)
        self.card_delegate = TrayDelegate(self)
        self.setItemDelegate(self.card_delegate)
        model.rowsRemoved.connect(self._prune)
        model.modelReset.connect(self._prune)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)  # a group's header is narrower than a card
        self.setSpacing(2)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)  # the insertion line is drawn here
        self.setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)  # cards stand out
        self.setMinimumHeight(CARD.height() + 12)
        self.hint = "Drop reference images here, paste (Ctrl+V), or Add…"
        self.subhint = ""
        self._drop_row: int | None = None  # insertion point of an internal drag
        self._drag_over = False  # an external drag with pictures is over the view

    # -- keyboard ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier  # arrows carry it on macOS
        if self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and \
                    mods == Qt.KeyboardModifier.NoModifier:
                self.delete_pressed.emit()
                event.accept()
                return
            if mods == Qt.KeyboardModifier.AltModifier and key in (Qt.Key.Key_Left,
                                                                   Qt.Key.Key_Right):
                self.move_pressed.emit(-1 if key == Qt.Key.Key_Left else 1)
                event.accept()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                event.ignore()  # the tray pastes
                return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            index = self.indexAt(pos)
            item, group = index.data(ItemRole), index.data(GroupRole)
            rect = self.visualRect(index)
            if isinstance(item, TrayItem) and not item.group and \
                    self.card_delegate.close_rect(rect).contains(pos):
                self.remove_clicked.emit(item.id)
                event.accept()
                return
            if isinstance(group, TrayGroup) and header.close_rect(rect).contains(pos):
                self.group_remove_clicked.emit(group.key)
                event.accept()
                return
        super().mousePressEvent(event)

    # -- headers -------------------------------------------------------------------------

    def group_bands(self, key: str) -> list[QRect]:
        """Where the group ``key`` stands: its header and its cards, one rectangle for each
        line of the tray they take (viewport coordinates)."""
        lines: dict[int, QRect] = {}
        model = self.tray_model
        for row in range(model.rowCount()):
            group, item = model.group_at(row), model.item_at(row)
            if (group is not None and group.key == key) or \
                    (item is not None and item.group == key):
                rect = self.visualRect(model.index(row))
                lines[rect.top()] = lines.get(rect.top(), rect).united(rect)
        return [lines[top] for top in sorted(lines)]

    # -- dragging out (reorder) ----------------------------------------------------------

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        rows = sorted(i.row() for i in self.selectedIndexes())
        if not rows:
            return
        mime = self.tray_model.mimeData([self.tray_model.index(r) for r in rows])
        if mime.data(ROWS_MIME).data() == b"[]":
            return  # a cast member's pictures keep their place (its header moves them)
        drag = QDrag(self)
        drag.setMimeData(mime)
        item = self.tray_model.item_at(rows[0])
        if item is not None and item.thumbnail is not None:
            image = item.thumbnail.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation)
            pixmap = QPixmap.fromImage(image)
            drag.setPixmap(pixmap)
            drag.setHotSpot(QPoint(pixmap.width() // 2, pixmap.height() // 2))
        drag.exec(Qt.DropAction.MoveAction)  # the drop moved the rows; nothing to remove

    # -- drops ---------------------------------------------------------------------------

    def insertion_row(self, pos: QPoint) -> int:
        """The row a drop at ``pos`` (viewport coordinates) inserts before."""
        count = self.tray_model.rowCount()
        for row in range(count):
            rect = self.visualRect(self.tray_model.index(row))
            if rect.top() <= pos.y() <= rect.bottom():
                if pos.x() < rect.center().x():
                    return row
            elif pos.y() < rect.top():
                return row
        return count

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(ROWS_MIME):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            self._drop_row = self.insertion_row(event.position().toPoint())
        elif may_hold_pictures(mime):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self._drag_over = True
        else:
            event.ignore()
        self.viewport().update()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(ROWS_MIME):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            row = self.insertion_row(event.position().toPoint())
            if row != self._drop_row:
                self._drop_row = row
                self.viewport().update()
        elif self._drag_over:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._end_drag()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        pos = event.position().toPoint()
        if mime.hasFormat(ROWS_MIME):
            self.tray_model.dropMimeData(mime, Qt.DropAction.MoveAction,
                                         self.insertion_row(pos), 0, QModelIndex())
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            found = incoming(mime)
            if found:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                self.received.emit(found)
            else:
                event.ignore()
        self._end_drag()

    def _end_drag(self) -> None:
        self._drop_row = None
        self._drag_over = False
        self.viewport().update()

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.tray_model.groups():  # behind each group's cards: its band
            bands = QPainter(self.viewport())
            bands.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            bands.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
            bands.setBrush(header.band_color(palette))
            for group in self.tray_model.groups():
                for band in self.group_bands(group.key):
                    bands.drawRoundedRect(QRectF(band).adjusted(1.5, 1.5, -1.5, -1.5), 10, 10)
            bands.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight)
        if self.tray_model.rowCount() == 0:
            self._paint_empty(painter, palette)
        elif self._drag_over:
            painter.setPen(QPen(accent, 2, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(QRectF(self.viewport().rect()).adjusted(2, 2, -2, -2), 8, 8)
        if self._drop_row is not None and self.tray_model.rowCount():
            count = self.tray_model.rowCount()
            row = min(self._drop_row, count - 1)
            rect = self.visualRect(self.tray_model.index(row))
            x = rect.left() + 1 if self._drop_row < count else rect.right() - 1
            painter.setPen(QPen(accent, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(x, rect.top() + 8, x, rect.bottom() - 8)
        painter.end()

    def _paint_empty(self, painter: QPainter, palette: QPalette) -> None:
        zone = QRectF(self.viewport().rect()).adjusted(6, 6, -6, -6)
        color = (palette.color(QPalette.ColorRole.Highlight) if self._drag_over
                 else palette.color(QPalette.ColorRole.Mid))
        painter.setPen(QPen(color, 2 if self._drag_over else 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(zone, 10, 10)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        text_zone = zone.toRect().adjusted(16, 0, -16, 0)
        upper = QRect(text_zone.left(), text_zone.top(), text_zone.width(),
                      text_zone.height() // 2 - 2)
        painter.drawText(upper, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
                         | Qt.TextFlag.TextWordWrap,
                         "Drop to add" if self._drag_over else self.hint)
        font.setPointSizeF(font.pointSizeF() / 1.15)
        painter.setFont(font)
        painter.setPen(muted_color(palette))
        lower = QRect(text_zone.left(), text_zone.center().y() + 6, text_zone.width(),
                      text_zone.height() // 2 - 6)
        painter.drawText(lower, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, self.subhint)

    def select_row(self, row: int) -> None:
        """Make ``row`` current and the only selected card (whatever modifiers are held)."""
        self.selectionModel().setCurrentIndex(
            self.tray_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _prune(self) -> None:
        self.card_delegate.prune({item.id for item in self.tray_model.items()})

    def selected_ids(self) -> list[int]:
        """The selected pictures (ids, in tray order)."""
        rows = sorted(i.row() for i in self.selectedIndexes())
        items = [self.tray_model.index(r).data(ItemRole) for r in rows]
        return [i.id for i in items if isinstance(i, TrayItem)]

    def selected_groups(self) -> list[str]:
        """The groups whose header is selected (keys, in tray order)."""
        rows = sorted(i.row() for i in self.selectedIndexes())
        groups = [self.tray_model.index(r).data(GroupRole) for r in rows]
        return [g.key for g in groups if isinstance(g, TrayGroup)]
