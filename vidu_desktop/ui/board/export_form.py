"""The export dialog's form: where (a folder, a name) and what (the film, the timelines that
are installed, the contact sheet). ``choice()`` is what it says; ``problem()`` why it cannot be
exported as it stands ("" when it can), checked as the user types.

Only the timeline formats whose OpenTimelineIO adapter is installed are offered; a line under
them names the others and the package each needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.film.timeline import TimelineFormat
from vidu_desktop.store.names import name_problem
from vidu_desktop.ui.board.export_choice import SHEET_FORMATS, ExportChoice
from vidu_desktop.ui.common import theme

#: what each timeline is for, where it helps to say
USES = {"otio_json": "DaVinci Resolve 18.5+, Kdenlive", "cmx_3600": "any editor, video only",
        "fcp_xml": "", "fcpx_xml": "", "AAF": ""}


def _row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(12)
    for widget in widgets:
        row.addWidget(widget)
    if stretch:
        row.addStretch(1)
    return row


class ExportForm(QWidget):
    changed = Signal()  #: any field changed

    def __init__(self, name: str, folder: Path, formats: Sequence[TimelineFormat],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder_edit = QLineEdit(str(folder))
        self.folder_edit.setAccessibleName("Folder")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setAccessibleName("Choose the folder")
        self.name_edit = QLineEdit(name)
        self.name_edit.setAccessibleName("Name of the files")
        self.files_note = QLabel()
        theme.set_role(self.files_note, "muted")
        self.files_note.setWordWrap(True)

        self.mp4_box = QCheckBox("The film: one MP4 of the chosen takes, in order")
        self.mp4_box.setChecked(True)
        installed = [f for f in formats if f.installed]
        self.timeline_boxes: dict[str, QCheckBox] = {}
        for fmt in installed:
            use = USES.get(fmt.adapter, "")
            box = QCheckBox(f"{fmt.label} (.{fmt.suffix})" + (f" · {use}" if use else ""))
            box.setChecked(fmt.adapter == "otio_json")
            self.timeline_boxes[fmt.suffix] = box
        absent = [f for f in formats if not f.installed]
        self.absent_note = QLabel(
            "Not offered, as their OpenTimelineIO adapters are not installed: "
            + "; ".join(f"{f.label} (pip install {f.package})" for f in absent) + "."
            if absent else "")
        self.absent_note.setWordWrap(True)
        theme.set_role(self.absent_note, "muted")
        self.absent_note.setVisible(bool(absent))
        self.sheet_boxes: dict[str, QCheckBox] = {}
        for suffix, label in SHEET_FORMATS:
            box = QCheckBox(f"{label} (.{suffix})")
            box.setChecked(suffix == "png")
            self.sheet_boxes[suffix] = box

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        folder_row = QHBoxLayout()
        folder_row.setSpacing(6)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)
        form.addRow("Folder", folder_row)
        form.addRow("Name", self.name_edit)
        form.addRow("", self.files_note)
        form.addRow("Film", self.mp4_box)
        timelines = QVBoxLayout()
        timelines.setSpacing(4)
        for box in self.timeline_boxes.values():
            timelines.addWidget(box)
        timelines.addWidget(self.absent_note)
        form.addRow("Timeline", timelines)
        form.addRow("Contact sheet", _row(*self.sheet_boxes.values()))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(form)

        self.folder_edit.textChanged.connect(self._changed)
        self.name_edit.textChanged.connect(self._changed)
        for box in self.boxes():
            box.toggled.connect(self._changed)
        self.choose_button.clicked.connect(self.choose_folder)
        self.folder_dialog: QFileDialog | None = None
        self._changed()

    def boxes(self) -> list[QCheckBox]:
        return [self.mp4_box, *self.timeline_boxes.values(), *self.sheet_boxes.values()]

    def choice(self) -> ExportChoice:
        return ExportChoice(
            folder=Path(self.folder_edit.text().strip()).expanduser(),
            name=self.name_edit.text().strip(), mp4=self.mp4_box.isChecked(),
            timelines=tuple(s for s, b in self.timeline_boxes.items() if b.isChecked()),
            sheets=tuple(s for s, b in self.sheet_boxes.items() if b.isChecked()))

    def problem(self) -> str:
        """Why Export cannot start ("" when it can)."""
        choice = self.choice()
        if not self.folder_edit.text().strip():
            return "Choose the folder to write the files in."
        if not choice.folder.is_dir():
            return f"The folder {choice.folder} does not exist: choose another one."
        why = name_problem(choice.name)
        if why:
            return f"The name has {why}: change it."
        if choice.empty:
            return "Tick at least one thing to write."
        return ""

    def set_editable(self, editable: bool) -> None:
        for widget in (self.folder_edit, self.choose_button, self.name_edit, *self.boxes()):
            widget.setEnabled(editable)

    def choose_folder(self) -> QFileDialog:
        """The folder picker, shown with ``open()`` (no nested event loop)."""
        dialog = QFileDialog(self, "Export to which folder?", self.folder_edit.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self.folder_edit.setText(path))
        self.folder_dialog = dialog
        dialog.open()
        return dialog

    def _changed(self) -> None:
        choice = self.choice()
        endings = (["mp4"] if choice.mp4 else []) + list(choice.timelines) + list(choice.sheets)
        name = choice.name or "…"
        self.files_note.setText("Writes " + ", ".join(f"{name}.{e}" for e in endings)
                                if endings else "Nothing ticked to write.")
        self.changed.emit()
