"""The cast library's panel beside the tray: every cast member with its first picture, its
name and description, and what can be done with one: add it to the draft (the button, a
double click, Enter), rename it (F2), edit it, delete it (Delete; what uses it is shown
first). It shows what the controller gives it (``set_members``) and asks for the rest through
its signals, each with the member's id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6 import QtGui, QtWidgets  # the style's and pictures' classes: made when painted
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.records import record
from vidu_desktop.ui.common import pyside_imports, theme
from vidu_desktop.ui.common.pyside_imports import own_viewport
from vidu_desktop.ui.compose.tray.groups import pictures_text

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QStyleOptionViewItem

Index = QModelIndex | QPersistentModelIndex
ROW_H = 58
THUMB = 46
EMPTY = ("No cast members yet. Select 1 to 3 pictures of one character, object or place in "
         "the tray, then Make a subject….")


@record
class MemberRow:
    id: str
    name: str
    description: str = ""
    voice_id: str = ""
    pictures: int = 0
    thumbnail: QImage | None = None
    in_draft: bool = False


def row_text(row: MemberRow) -> str:
    """What a screen reader says of a row."""
    parts = [row.name, pictures_text(row.pictures)]
    if row.in_draft:
        parts.append("in this draft")
    if row.description:
        parts.append(row.description)
    return ", ".join(parts)


class CastModel(QAbstractListModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[MemberRow] = []

    def set_rows(self, rows: Sequence[MemberRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_thumbnail(self, member_id: str, image: QImage) -> None:
        for n, row in enumerate(self.rows):
            if row.id == member_id:
                self.rows[n] = replace(row, thumbnail=image)
                self.dataChanged.emit(self.index(n), self.index(n))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return row_text(row)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            lines = [f"{row.name} · {pictures_text(row.pictures)}: the prompt names it "
                     f"@{row.name}"]
            if row.description:
                lines.append(row.description)
            if row.voice_id:
                lines.append(f"Voice: {row.voice_id}")
            lines.append("In this draft" if row.in_draft else
                         "Double-click or Enter adds it to the draft")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


class CastDelegate(QStyledItemDelegate):
    """Picture, name (bold, elided), "2 pictures · in this draft", the description."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, ROW_H)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(Qt.ItemDataRole.UserRole)
        if not isinstance(row, MemberRow):
            return
        style = option.widget.style() if option.widget is not None else None
        if style is not None:  # the selection and focus as the style draws them
            plain = QtWidgets.QStyleOptionViewItem(option)
            self.initStyleOption(plain, index)
            plain.text = ""
            style.drawControl(QtWidgets.QStyle.ControlElement.CE_ItemViewItem, plain, painter,
                              option.widget)
        cell = QRect(option.rect)
        palette = option.palette
        selected = bool(option.state & QtWidgets.QStyle.StateFlag.State_Selected)
        text = palette.color(QPalette.ColorRole.HighlightedText if selected
                             else QPalette.ColorRole.Text)
        muted = QPalette(palette).color(QPalette.ColorRole.PlaceholderText)
        if selected:
            muted = text
        painter.save()
        thumb = QRect(cell.left() + 6, cell.top() + (cell.height() - THUMB) // 2, THUMB, THUMB)
        painter.fillRect(thumb, palette.color(QPalette.ColorRole.Window).darker(110))
        if row.thumbnail is not None and not row.thumbnail.isNull():
            pixmap = QtGui.QPixmap.fromImage(row.thumbnail.scaled(
                thumb.size(), Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation))
            source = QRect((pixmap.width() - THUMB) // 2, (pixmap.height() - THUMB) // 2,
                           THUMB, THUMB)
            painter.drawPixmap(thumb, pixmap, source)
        left = thumb.right() + 10
        width = cell.right() - 6 - left
        font = QFont(option.font)
        bold = QFont(font)
        bold.setBold(True)
        metrics, bold_metrics = QFontMetrics(font), QFontMetrics(bold)
        line = metrics.height()
        y = cell.top() + (cell.height() - 3 * line) // 2
        painter.setFont(bold)
        painter.setPen(text)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRect(left, y, width, line), align,
                         bold_metrics.elidedText(row.name, Qt.TextElideMode.ElideRight, width))
        painter.setFont(font)
        painter.setPen(muted)
        detail = pictures_text(row.pictures) + (" · in this draft" if row.in_draft else "")
        painter.drawText(QRect(left, y + line, width, line), align,
                         metrics.elidedText(detail, Qt.TextElideMode.ElideRight, width))
        painter.setPen(text)
        painter.drawText(QRect(left, y + 2 * line, width, line), align, metrics.elidedText(
            row.description or "no description", Qt.TextElideMode.ElideRight, width))
        painter.restore()


class CastList(QListView):
    """Enter adds the current member to the draft, Delete deletes it, F2 renames it.
    ``known``: whether the library's members have been read (an empty list says so only
    then)."""

    activated_key = Signal(str)  # "add", "delete", "rename"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        own_viewport(self)  # (before the first viewport(): see own_viewport)
        self.known = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = {Qt.Key.Key_Return: "add", Qt.Key.Key_Enter: "add",
                Qt.Key.Key_Delete: "delete", Qt.Key.Key_F2: "rename"}
        action = keys.get(Qt.Key(event.key()))
        if action and self.currentIndex().isValid() and \
                event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier):
            self.activated_key.emit(action)
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if self.known and self.model() is not None and self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect().adjusted(12, 12, -12, -12),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, EMPTY)
            painter.end()


class CastPanel(QWidget):
    """The signals carry the member's id."""

    add_requested = Signal(str)
    rename_requested = Signal(str)
    edit_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cast-panel")
        self.title = QLabel("Cast", self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.count = QLabel(self)
        theme.set_role(self.count, "muted")
        self.model = CastModel(self)
        self.list = CastList(self)
        self.list.setObjectName("cast-list")
        self.list.setModel(self.model)
        self.list.setItemDelegate(CastDelegate(self.list))
        self.list.setAccessibleName("Cast members")
        self.list.setAccessibleDescription("Enter adds to the draft, F2 renames, Delete deletes")
        self.list.setToolTip("The cast library: named subjects to reuse in every draft. "
                             "Double-click or Enter adds one to this draft.")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.add_button = self._button("Add to draft", "Add the selected cast member to this "
                                       "draft (double-click or Enter does too)", "add")
        self.rename_button = self._button("Rename…", "Rename the selected cast member (F2)",
                                          "rename")
        self.edit_button = self._button("Edit…", "Change its description, voice or pictures",
                                        "edit")
        self.delete_button = self._button("Delete…", "Delete it from the cast library "
                                          "(what uses it is shown first)", "delete")
        header = QHBoxLayout()
        header.setContentsMargins(2, 0, 2, 0)
        header.addWidget(self.title)
        header.addWidget(self.count)
        header.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(4)
        buttons.addWidget(self.add_button, 1)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.edit_button)
        more = QHBoxLayout()
        more.setContentsMargins(0, 0, 0, 0)
        more.addStretch(1)
        more.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addLayout(more)
        self.list.doubleClicked.connect(lambda _index: self._emit("add"))
        self.list.activated_key.connect(self._emit)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._buttons_state())
        self.setMinimumWidth(220)
        self._buttons_state()  # (no member yet: the list is known once set_members runs)

    def _button(self, text: str, tip: str, action: str) -> QPushButton:
        button = pyside_imports.button(text, self)
        button.setToolTip(tip)
        button.clicked.connect(lambda: self._emit(action))
        return button

    def focus_order(self) -> list[QWidget]:
        return [self.list, self.add_button, self.rename_button, self.edit_button,
                self.delete_button]

    # -- what it shows -------------------------------------------------------------------

    def set_members(self, rows: Sequence[MemberRow]) -> None:
        """The library's members (the selection stays on the same member)."""
        current = self.current()
        self.list.known = True
        self.model.set_rows(rows)
        self.count.setText(str(len(rows)) if rows else "")
        self.select(current.id if current else (rows[0].id if rows else ""))
        self._buttons_state()

    def select(self, member_id: str) -> bool:
        for n, row in enumerate(self.model.rows):
            if row.id == member_id:
                self.list.setCurrentIndex(self.model.index(n))
                return True
        return False

    def current(self) -> MemberRow | None:
        row = self.list.currentIndex().data(Qt.ItemDataRole.UserRole)
        return row if isinstance(row, MemberRow) else None

    def _buttons_state(self) -> None:
        row = self.current()
        for button in (self.rename_button, self.edit_button, self.delete_button):
            button.setEnabled(row is not None)
        self.add_button.setEnabled(row is not None and not row.in_draft)
        self.add_button.setText("In this draft" if row is not None and row.in_draft
                                else "Add to draft")

    def _emit(self, action: str) -> None:
        row = self.current()
        if row is None:
            return
        if action == "add" and row.in_draft:
            return
        {"add": self.add_requested, "rename": self.rename_requested,
         "edit": self.edit_requested, "delete": self.delete_requested}[action].emit(row.id)
