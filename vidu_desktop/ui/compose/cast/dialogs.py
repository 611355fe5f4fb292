"""The dialogs of the cast: make a cast member (from the tray's pictures), rename it, edit it
(name, description, voice, pictures), and the confirmation before deleting one.

Each dialog is opened with ``open()`` (never ``exec()``, which would nest an event loop under
qasync). "Make a subject", "Rename" and "Save" do not close the dialog: they emit ``submitted``
with the values; the controller asks the library and then calls ``finish()``, or
``show_problem(message)`` when the library refused (the dialog stays open, the values kept).
The name is checked as it is typed (``core.mentions.name_problem``, and against the names the
cast has already), the message shown under the field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.mentions import NAME_MAX, name_problem
from vidu_desktop.core.records import record
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.compose.tray.groups import MEMBER_PICTURES_MAX, MEMBER_PICTURES_MIN

DESCRIPTION_MAX = 300
VOICE_MAX = 128
THUMB = QSize(88, 88)


@record
class Picture:
    """A picture the dialog shows: ``key`` names it for the caller (a hash, a tray item)."""

    key: str
    name: str
    thumbnail: QImage | None = None


@record
class MemberValues:
    name: str
    description: str
    voice_id: str
    pictures: tuple[str, ...]  # the keys of the pictures kept, in order


def pictures_rule() -> str:
    return f"a cast member has {MEMBER_PICTURES_MIN} to {MEMBER_PICTURES_MAX} pictures"


class MemberDialog(QDialog):
    """Name, description, voice id and pictures of one cast member.

    ``taken(name)`` says whether another cast member has that name already. ``fields`` picks
    what is shown ("rename" shows the name only). With ``more_pictures`` the pictures can be
    reordered and removed, and "Add the tray's selection" adds the pictures it gives."""

    submitted = Signal(object)  # MemberValues

    def __init__(self, parent: QWidget | None, *, title: str, action: str,
                 taken: Callable[[str], bool], name: str = "", description: str = "",
                 voice_id: str = "", pictures: Sequence[Picture] = (),
                 name_only: bool = False, editable_pictures: bool = False,
                 more_pictures: Callable[[], list[Picture]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("cast-member-dialog")
        self.taken = taken
        self.original = name
        self.more_pictures = more_pictures
        self.name = QLineEdit(name, self)
        self.name.setMaxLength(NAME_MAX + 8)  # a little over, so the message can say why
        self.name.setPlaceholderText("e.g. mia, red_bicycle, the-harbour")
        self.name.setAccessibleName("Name")
        self.name.setToolTip("The prompt mentions this cast member as @name: letters, digits, "
                             f"'_' and '-', at most {NAME_MAX} characters")
        self.problem = QLabel(self)
        self.problem.setObjectName("cast-name-problem")
        self.problem.setWordWrap(True)
        theme.set_role(self.problem, "error")
        self.description = QLineEdit(description, self)
        self.description.setMaxLength(DESCRIPTION_MAX)
        self.description.setPlaceholderText("optional: a girl of ten in a yellow raincoat")
        self.description.setAccessibleName("Description")
        self.voice = QLineEdit(voice_id, self)
        self.voice.setMaxLength(VOICE_MAX)
        self.voice.setPlaceholderText("optional: the host's voice id, for speech")
        self.voice.setAccessibleName("Voice id")
        self.voice.setToolTip("Models that make audio speak this cast member's lines in this "
                              "voice; leave it empty for the model's own choice")
        self.pictures = QListWidget(self)
        self.pictures.setObjectName("cast-pictures")
        self.pictures.setAccessibleName("Pictures")
        self.pictures.setViewMode(QListView.ViewMode.IconMode)
        self.pictures.setFlow(QListView.Flow.LeftToRight)
        self.pictures.setWrapping(False)
        self.pictures.setMovement(QListView.Movement.Static)
        self.pictures.setIconSize(THUMB)
        self.pictures.setFixedHeight(THUMB.height() + 44)
        self.pictures.setToolTip(f"The pictures the host is sent of it; {pictures_rule()}")
        for picture in pictures:
            self._add_picture(picture)
        self.count = QLabel(self)
        theme.set_role(self.count, "muted")
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("", self.problem)
        self.picture_tools: list[QPushButton] = []
        if not name_only:
            form.addRow("&Description:", self.description)
            form.addRow("&Voice id:", self.voice)
            holder = QWidget(self)
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(self.pictures)
            if editable_pictures:
                column.addLayout(self._picture_tools())
            column.addWidget(self.count)
            form.addRow("Pictures:", holder)
        else:
            self.description.hide()
            self.voice.hide()
            self.pictures.hide()
            self.count.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self.check)
        self.pictures.model().rowsInserted.connect(self.check)
        self.pictures.model().rowsRemoved.connect(self.check)
        self.pictures.model().rowsMoved.connect(self.check)
        self.pictures.currentRowChanged.connect(lambda _row: self._tools_state())
        self.name_only = name_only
        self.setMinimumWidth(460)
        self.check()
        self.name.setFocus()
        self.name.selectAll()

    # -- pictures ------------------------------------------------------------------------

    def _picture_tools(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot, tip in (
                ("Move left", lambda: self._move(-1), "Send this picture earlier"),
                ("Move right", lambda: self._move(1), "Send this picture later"),
                ("Remove", self._remove, "Leave this picture out"),
                ("Add the tray's selection", self._add_more,
                 "Add the pictures selected in the tray (loose ones)")):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.picture_tools.append(button)
        row.addStretch(1)
        return row

    def _add_picture(self, picture: Picture) -> None:
        item = QListWidgetItem(picture.name)
        item.setData(Qt.ItemDataRole.UserRole, picture.key)
        item.setToolTip(picture.name)
        if picture.thumbnail is not None and not picture.thumbnail.isNull():
            image = picture.thumbnail.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)
            item.setIcon(QIcon(QPixmap.fromImage(image)))
        item.setSizeHint(QSize(THUMB.width() + 16, THUMB.height() + 36))
        self.pictures.addItem(item)

    def picture_keys(self) -> tuple[str, ...]:
        return tuple(str(self.pictures.item(r).data(Qt.ItemDataRole.UserRole))
                     for r in range(self.pictures.count()))

    def _move(self, delta: int) -> None:
        row = self.pictures.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.pictures.count():
            return
        item = self.pictures.takeItem(row)
        self.pictures.insertItem(target, item)
        self.pictures.setCurrentRow(target)
        self.check()

    def _remove(self) -> None:
        row = self.pictures.currentRow()
        if row >= 0:
            self.pictures.takeItem(row)
            self.check()

    def _add_more(self) -> None:
        if self.more_pictures is None:
            return
        have = set(self.picture_keys())
        fresh = [p for p in self.more_pictures() if p.key not in have]
        if not fresh:
            self.show_problem("Select loose pictures in the tray first (not already this "
                              "cast member's), then add them here.")
            return
        for picture in fresh:
            self._add_picture(picture)
        self.check()

    def _tools_state(self) -> None:
        row, count = self.pictures.currentRow(), self.pictures.count()
        for button, on in zip(self.picture_tools, (row > 0, 0 <= row < count - 1,
                                                   row >= 0, True), strict=False):
            button.setEnabled(on)

    # -- checking and answering ----------------------------------------------------------

    def problem_text(self) -> str:
        """Why the values cannot be saved ("" when they can)."""
        name = self.name.text().strip()
        problem = name_problem(name)
        if problem:
            return problem
        if name.casefold() != self.original.casefold() and self.taken(name):
            return (f"The cast has a member named {name!r} already; choose another name, or "
                    "add that one to the draft from the cast.")
        if self.name_only:
            return ""
        count = self.pictures.count()
        if not MEMBER_PICTURES_MIN <= count <= MEMBER_PICTURES_MAX:
            return (f"{count} picture{'s' * (count != 1)}; {pictures_rule()}. "
                    + ("Remove " + str(count - MEMBER_PICTURES_MAX) + "." if count
                       else "Add one with “Add the tray's selection”."))
        return ""

    def check(self) -> bool:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.ok.setEnabled(not problem)
        count = self.pictures.count()
        self.count.setText(f"{count} picture{'s' * (count != 1)} ({pictures_rule()}); "
                           "sent in this order")
        if self.picture_tools:
            self._tools_state()
        return not problem

    def values(self) -> MemberValues:
        return MemberValues(self.name.text().strip(), " ".join(self.description.text().split()),
                            self.voice.text().strip(), self.picture_keys())

    def _submit(self) -> None:
        if self.check():
            self.submitted.emit(self.values())

    def show_problem(self, message: str) -> None:
        """The library refused: say why and stay open."""
        self.problem.setText(message)
        self.problem.setVisible(True)

    def finish(self) -> None:
        self.accept()


def confirm_delete(parent: QWidget | None, name: str, drafts: Sequence[str], tasks: int
                   ) -> QMessageBox:
    """"Delete mia from the cast?" with what uses it first (not shown yet: ``open()`` it)."""
    box = QMessageBox(parent)
    box.setObjectName("cast-delete")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Delete cast member")
    box.setText(f"Delete {name} from the cast library?")
    box.setInformativeText(usage_text(name, drafts, tasks))
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    delete.setObjectName("confirm-delete")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box


def usage_text(name: str, drafts: Sequence[str], tasks: int) -> str:
    parts: list[str] = []
    if drafts:
        shown = ", ".join(f"“{d}”" for d in drafts[:5])
        more = f" and {len(drafts) - 5} more" if len(drafts) > 5 else ""
        parts.append(f"{len(drafts)} draft{'s' * (len(drafts) != 1)} ({shown}{more})")
    if tasks:
        parts.append(f"{tasks} task{'s' * (tasks != 1)}")
    if not parts:
        return f"No draft or task uses {name}."
    used = " and ".join(parts)
    after = []
    if drafts:
        after.append(f"the drafts no longer have {name} (a mention of @{name} in their "
                     "prompts shows as naming no one)")
    if tasks:
        after.append("the tasks keep what was sent")
    return f"Used by {used}. After deleting, " + "; ".join(after) + "."
