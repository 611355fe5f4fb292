"""The board area's top bar: which board (the library's boards), New…, the Board menu (rename,
delete, the shot list as a CSV file: import, export), and what is done with the whole board:
Generate…, Play board, Export…."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from vidu_desktop.store import BoardSummary
from vidu_desktop.ui.common import theme


class BoardBar(QWidget):
    """``board_chosen(board_id)`` and one signal per button."""

    board_chosen = Signal(str)
    new_board = Signal()
    rename_board = Signal()
    delete_board = Signal()
    import_csv = Signal()
    export_csv = Signal()
    generate = Signal()
    play_board = Signal()
    export_board = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-bar")
        label = QLabel("Board", self)
        theme.set_role(label, "section")
        self.picker = QComboBox(self)
        self.picker.setObjectName("board-picker")
        self.picker.setAccessibleName("Board")
        self.picker.setMinimumContentsLength(6)
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.picker.activated.connect(self._chosen)

        def button(text: str, tip: str, name: str, signal: Callable[[], object]) -> QPushButton:
            made = QPushButton(text, self)
            made.setObjectName(name)
            made.setToolTip(tip)
            made.clicked.connect(signal)
            return made

        self.new_button = button("New…", "A new board for the composer's host and model",
                                 "board-new", self.new_board.emit)
        self.manage_button = QToolButton(self)
        self.manage_button.setObjectName("board-manage")
        self.manage_button.setText("Manage")
        self.manage_button.setToolTip("Rename or delete this board; import a board from a CSV "
                                      "shot list, or export this one")
        self.manage_button.setAccessibleName("Board menu")
        self.manage_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.manage_button)
        self.rename_action = menu.addAction("Rename…")
        self.rename_action.triggered.connect(self.rename_board)
        self.delete_action = menu.addAction("Delete… (its tasks are kept)")
        self.delete_action.triggered.connect(self.delete_board)
        menu.addSeparator()
        self.import_action = menu.addAction("Import shot list (CSV)…")
        self.import_action.triggered.connect(self.import_csv)
        self.export_csv_action = menu.addAction("Export shot list (CSV)…")
        self.export_csv_action.triggered.connect(self.export_csv)
        self.manage_button.setMenu(menu)
        self.generate_button = button(
            "Generate…", "Make takes of this shot, the selected shots or every shot without "
            "one; the count and the estimated cost are shown before anything is sent",
            "board-generate-button", self.generate.emit)
        theme.set_role(self.generate_button, "primary")
        self.play_button = button("Play board", "The chosen takes back to back in Review",
                                  "board-play", self.play_board.emit)
        self.export_button = button("Export…", "The chosen takes as one film, a timeline "
                                    "and a contact sheet", "board-export", self.export_board.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(label)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.new_button)
        layout.addWidget(self.manage_button)
        layout.addSpacing(8)
        layout.addWidget(self.generate_button)
        layout.addWidget(self.play_button)
        layout.addWidget(self.export_button)
        self.picker.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_boards([], None)

    def focus_order(self) -> list[QWidget]:
        return [self.picker, self.new_button, self.manage_button, self.generate_button,
                self.play_button, self.export_button]

    def set_boards(self, boards: Sequence[BoardSummary], current: str | None) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for b in boards:
            shots = "1 shot" if b.shot_count == 1 else f"{b.shot_count} shots"
            self.picker.addItem(f"{b.name} · {shots}", b.id)
        if not boards:
            self.picker.addItem("No boards yet", None)
        at = self.picker.findData(current) if current else -1
        self.picker.setCurrentIndex(max(0, at))
        self.picker.blockSignals(False)
        has = current is not None and bool(boards)
        self.picker.setEnabled(bool(boards))
        for widget in (self.generate_button, self.play_button, self.export_button):
            widget.setEnabled(has)
        for action in (self.rename_action, self.delete_action, self.export_csv_action):
            action.setEnabled(has)

    def _chosen(self, index: int) -> None:
        board_id = self.picker.itemData(index)
        if board_id:
            self.board_chosen.emit(str(board_id))
