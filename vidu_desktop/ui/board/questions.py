"""The board's questions: a yes/no, a name, a file. Each is window-modal and shown with
``open()`` (never ``exec()``, which would block the qasync loop); the answer goes to a
callback. ``dialog`` is the question on screen (tests answer it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Questions:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.dialog: QDialog | None = None

    def _shown(self, dialog: QDialog) -> None:
        self.dialog = dialog

        def gone(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(gone)
        dialog.open()

    def ask(self, title: str, text: str, ok: str, then: Callable[[], object], *,
            info: str = "") -> QMessageBox:
        """``then()`` when ``ok`` is chosen (Cancel is the default)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Cancel, self.parent)
        if info:
            box.setInformativeText(info)
        yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: then() if box.clickedButton() is yes else None)
        self._shown(box)
        return box

    def tell(self, title: str, text: str, info: str = "") -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Ok, self.parent)
        if info:
            box.setInformativeText(info)
        self._shown(box)
        return box

    def text(self, title: str, label: str, value: str,
             then: Callable[[str], object]) -> QInputDialog:
        """``then(text)`` when OK is chosen."""
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(value)
        dialog.setOkButtonText("OK")
        dialog.textValueSelected.connect(then)
        self._shown(dialog)
        return dialog

    def file(self, title: str, name_filter: str, then: Callable[[Path], object], *,
             save: bool = False, start: Path | None = None) -> QFileDialog:
        dialog = QFileDialog(self.parent, title, str(start or Path.home()), name_filter)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("csv")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: then(Path(path)))
        self._shown(dialog)
        return dialog
