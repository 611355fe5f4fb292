"""Drafts: the composition (references, prompt, parameters) autosaves a moment after each
change and on close, and comes back after a restart; several named drafts can be kept and
switched with the switcher above the tray."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # the input dialog's class: made when it is first opened
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QWidget,
)

from vidu_desktop.store import Draft, DraftStore
from vidu_desktop.ui.common import theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QInputDialog

AUTOSAVE_MS = 1200

#: The window's composition as a draft (id and name are filled in by the controller).
Collect = Callable[[], Draft]
Apply = Callable[[Draft], None]


def next_name(drafts: list[Draft]) -> str:
    taken = {d.name for d in drafts}
    n = len(drafts) + 1
    while f"Draft {n}" in taken:
        n += 1
    return f"Draft {n}"


class DraftController(QObject):
    """Owns the current draft id; saves after a quiet moment (``AUTOSAVE_MS``)."""

    listed = Signal()  # the list of drafts or the current one changed
    saved = Signal(str)  # draft id

    def __init__(self, store: DraftStore, collect: Collect, apply: Apply,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._collect = collect
        self._apply = apply
        self._loading = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_now)
        self.current_id = ""
        self.current_name = ""
        self._stopped = False

    def stop(self) -> None:
        """Save what is pending and save nothing more (the window is closing)."""
        self.save_now()
        self._stopped = True

    def open_last(self) -> Draft:
        """Open the draft used last (or the newest, or a new one)."""
        draft = self.store.last_opened() or next(iter(self.store.list_drafts()), None)
        if draft is None:
            draft = self.store.save(Draft.new(next_name([])))
        self._open(draft)
        return draft

    def _open(self, draft: Draft) -> None:
        self.current_id, self.current_name = draft.id, draft.name
        self.store.mark_opened(draft.id)
        self._loading = True
        try:
            self._apply(draft)
        finally:
            self._loading = False
        self.listed.emit()

    def schedule(self) -> None:
        """Something changed: save after a quiet moment."""
        if not self._loading and not self._stopped and self.current_id:
            self.timer.start()

    @property
    def dirty(self) -> bool:
        return self.timer.isActive()

    def save_now(self) -> None:
        self.timer.stop()
        if not self.current_id or self._stopped:
            return
        content = self._collect()
        stored = self.store.get(self.current_id)
        draft = replace(content, id=self.current_id, name=self.current_name,
                        created_at=stored.created_at if stored else 0.0,
                        opened_at=stored.opened_at if stored else None)
        self.store.save(draft)
        self.saved.emit(self.current_id)

    def switch(self, draft_id: str) -> None:
        if draft_id == self.current_id:
            return
        draft = self.store.get(draft_id)
        if draft is None:
            return
        self.save_now()
        self._open(draft)

    def new(self) -> Draft:
        self.save_now()
        draft = self.store.save(Draft.new(next_name(self.store.list_drafts())))
        self._open(draft)
        return draft

    def duplicate(self) -> Draft:
        self.save_now()
        draft = self.store.duplicate(self.current_id)
        self._open(draft)
        return draft

    def rename(self, name: str) -> None:
        name = name.strip()
        if name and self.current_id:
            self.save_now()
            self.store.rename(self.current_id, name)
            self.current_name = name
            self.listed.emit()

    def delete_current(self) -> None:
        """Delete the current draft and open the next one (a new one when none is left)."""
        self.timer.stop()
        self.store.delete(self.current_id)
        self.current_id = ""
        remaining = self.store.list_drafts()
        if remaining:
            self._open(remaining[0])
        else:
            self._open(self.store.save(Draft.new(next_name([]))))


class DraftSwitcher(QWidget):
    """Draft: [name ▾] [New] [⋯ rename, duplicate, delete]."""

    def __init__(self, controller: DraftController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.combo = QComboBox(self)
        self.combo.setObjectName("drafts")
        self.combo.setMinimumContentsLength(16)
        self.combo.setMaximumWidth(420)
        self.combo.setAccessibleName("Draft")
        self.combo.setToolTip("Switch drafts: each keeps its references, prompt and parameters")
        self.status = QLabel(self)
        theme.set_role(self.status, "muted")
        new = QToolButton(self)
        new.setText("New draft")
        new.setToolTip("Start a new draft (Ctrl+N)")
        self.new_button = new
        new.clicked.connect(controller.new)
        more = QToolButton(self)
        more.setText("⋯")
        more.setAccessibleName("More draft actions")
        more.setToolTip("Rename, duplicate or delete this draft")
        self.more_button = more
        menu = QMenu(more)
        menu.addAction("Rename…", self.ask_rename)
        menu.addAction("Duplicate", controller.duplicate)
        menu.addSeparator()
        menu.addAction("Delete", controller.delete_current)
        more.setMenu(menu)
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        label = QLabel("&Draft", self)
        label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(new)
        layout.addWidget(more)
        layout.addWidget(self.status)
        layout.addStretch(0)
        self.combo.activated.connect(lambda i: controller.switch(str(self.combo.itemData(i))))
        controller.listed.connect(self.refresh)
        controller.saved.connect(lambda _id: self.status.setText(
            time.strftime("saved %H:%M")))
        self.status.setToolTip("Drafts save by themselves a moment after each change")
        self._dialog: QInputDialog | None = None
        self.refresh()

    def focus_order(self) -> list[QWidget]:
        return [self.combo, self.new_button, self.more_button]

    def refresh(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for draft in self.controller.store.list_drafts():
            self.combo.addItem(draft.name or "Untitled draft", draft.id)
        self.combo.setCurrentIndex(max(0, self.combo.findData(self.controller.current_id)))
        self.combo.blockSignals(False)

    def ask_rename(self) -> QInputDialog:
        dialog = QtWidgets.QInputDialog(self)
        dialog.setWindowTitle("Rename draft")
        dialog.setLabelText("Name:")
        dialog.setTextValue(self.controller.current_name)
        dialog.textValueSelected.connect(self.controller.rename)
        dialog.open()
        self._dialog = dialog
        return dialog
