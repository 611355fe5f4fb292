"""The reference tray: gather, check, order and label the 1–7 pictures of a request.

Public API (the main window builds around it; keep it stable)::

    tray = ReferenceTray(parent, rules=ImageRules | None, cache=PrepareCache | None)
    tray.changed                 # Signal(): items added, removed, reordered, prepared, relabelled
    tray.message                 # Signal(str): a user-facing note, also shown in the tray
    tray.set_rules(rules, aspect=None)   # from the capability table on host/model/aspect change;
                                 # re-prepares when options or byte budget change; items beyond
                                 # rules.max_count are flagged, never dropped
    tray.set_aspect_fit(None | "crop" | "pad")  # fit every picture to ``aspect`` (default None:
                                 # each keeps its own ratio)
    tray.add_paths([Path])       # files and folders (a folder: the pictures directly inside,
                                 # in natural name order)
    tray.add_urls([str])         # http(s) links (also file:// and data:image URLs)
    tray.add_image_bytes(data, name="pasted image")
    tray.add_mime(QMimeData) -> bool     # a drop/paste's pictures; False when it holds none
    tray.paste()                 # what the clipboard holds (image, copied files, links)
    tray.open_add_dialog()       # the "Add…" file dialog (non-modal, QFileDialog.open)
    tray.items() -> list[TrayItem]          # snapshots in order (see tray_item.TrayItem)
    tray.references() -> list[ReferenceImage]   # the ready items, in order
    tray.is_ready() -> bool      # count within the rules and every item ready
    tray.problem() -> str | None # why not: "Image 3 is still being prepared",
                                 # "8 images; this model takes 1 to 7. Remove 1."
    tray.set_label(index, text) / tray.move_image(src, dst) / tray.remove(index) / tray.clear()
    tray.move_selected(-1 | +1) / tray.remove_selected()
    tray.fix_ratio(index, "crop" | "pad")   # for a picture too wide or too tall (its menu)
    tray.retry(index)            # prepare again (a link is downloaded again)
    tray.restore([(bytes, name, label)])    # a draft's prepared pictures (kept byte-identical
                                 # when they still meet the rules)
    tray.entries() -> list[(sha256, name, label)]   # ready items, for a draft; the bytes are
                                 # ``items()[i].data``
    tray.shutdown()              # stop the worker pool (also done when the app quits)

    tray.restore(entries, groups=[(TrayGroup, entries)])   # with the draft's cast
    tray.loose_items() / tray.loose_references()   # the pictures of no cast member

The cast members of the draft are groups of pictures under a header (``tray.cast``, a
``cast.TrayCast``: ``make_subject()``, ``make_group``, ``add_group``, ``update_group``,
``replace_pictures``, ``remove_group``, ``groups()``, ``pictures(key)``; signals
``changed``, ``subject_requested``, ``group_requested``). A group's pictures go before the
loose ones and keep the cast member's order; its header moves it (drag, Alt+Left/Right),
Delete or its ✕ takes it out of the draft (the cast library keeps it).

Keys: Ctrl+V pastes, Delete/Backspace removes the selected, Alt+Left/Right moves it, F2 or a
double-click edits its label. Pictures are prepared in a thread pool (``tray_jobs``): a card
appears at once and fills in when its picture is ready; the UI thread never decodes an image.
Each picture gets the byte budget of a full request (``image_budget(rules, max_count)``), so
adding or reordering never re-prepares the others.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QWidget

from vidu_desktop.core.capabilities import AUTO_RATIO, ImageRules
from vidu_desktop.core.request import ReferenceImage
from vidu_desktop.imaging.options import FixMode, default_rules
from vidu_desktop.ui.compose.tray.cast import Entries, TrayCast, restored
from vidu_desktop.ui.compose.tray.chrome import TrayChrome
from vidu_desktop.ui.compose.tray.groups import TrayGroup
from vidu_desktop.ui.compose.tray.item import ItemState, TrayItem
from vidu_desktop.ui.compose.tray.mime import Incoming, incoming, may_hold_pictures
from vidu_desktop.ui.compose.tray.model import ROWS_MIME
from vidu_desktop.ui.compose.tray.queue import HARD_CAP, TrayQueue

if TYPE_CHECKING:
    from vidu_desktop.imaging import PrepareCache

__all__ = ["HARD_CAP", "ItemState", "ReferenceTray", "TrayGroup", "TrayItem"]


class ReferenceTray(QWidget):
    changed = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, rules: ImageRules | None = None,
                 cache: PrepareCache | None = None, max_workers: int | None = None) -> None:
        super().__init__(parent)
        self.queue = TrayQueue(self, rules or default_rules(), cache=cache,
                               max_workers=max_workers)
        self.model = self.queue.model
        self.ui = TrayChrome(self, self.model)
        self.view = self.ui.view
        self.queue.changed.connect(self._changed)
        self.queue.note.connect(self.note)
        self.view.received.connect(self._receive)
        self.view.delete_pressed.connect(self.remove_selected)
        self.view.remove_clicked.connect(self._remove_id)
        self.cast = TrayCast(self, self)
        self.cast.info.connect(self.message)
        self.view.group_remove_clicked.connect(self.cast.remove_group)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.move_pressed.connect(self.move_selected)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.ui.add_button.clicked.connect(self.open_add_dialog)
        self.ui.subject_button.clicked.connect(self.cast.make_subject)
        self.ui.files_chosen.connect(self._files_chosen)
        self.setAcceptDrops(True)
        self.setFocusProxy(self.view)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.refresh()

    def focus_order(self) -> list[QWidget]:
        return [self.view, self.ui.subject_button, self.ui.add_button, self.ui.dismiss]

    # -- rules ---------------------------------------------------------------------------

    def rules(self) -> ImageRules:
        return self.queue.rules

    def set_rules(self, rules: ImageRules, aspect: str | None = None) -> None:
        """Apply a host/model/aspect choice; re-prepare every item if the output changes.

        ``aspect`` is the video's ratio ("16:9"). Pictures are fitted to it only when
        ``set_aspect_fit`` chose "crop" or "pad"; by default each keeps its own ratio
        (references show subjects, and a crop could cut them off). The ratio ``auto`` (the
        video follows the pictures) fits nothing.
        """
        self.queue.apply(rules, None if aspect == AUTO_RATIO else aspect, self.queue.aspect_fit)

    def set_aspect_fit(self, mode: FixMode | None) -> None:
        """None (keep each picture's ratio), "crop" or "pad" every picture to the aspect."""
        self.queue.apply(self.queue.rules, self.queue.aspect, mode)

    # -- adding --------------------------------------------------------------------------

    def add_paths(self, paths: Iterable[Path | str]) -> None:
        self.queue.add_paths(paths)

    def add_urls(self, urls: Iterable[str]) -> None:
        self.queue.add_urls(urls)

    def add_image_bytes(self, data: bytes, name: str = "pasted image") -> None:
        self.queue.add([(name, bytes(data), "", False)])

    def add_mime(self, mime: QMimeData, name: str = "dropped image") -> bool:
        """Add the pictures of a drop or paste; False (and nothing added) when it holds none."""
        found = incoming(mime, name)
        if found:
            self._receive(found)
        return bool(found)

    def paste(self) -> None:
        """Add what the clipboard holds: an image, copied files, or links."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not self.add_mime(mime, "pasted image"):
            self.note("The clipboard holds no picture, file or link to add.")

    def open_add_dialog(self) -> None:
        self.ui.open_file_dialog()

    def restore(self, entries: Entries, groups: Sequence[tuple[TrayGroup, Entries]] = (),
                *, keep: bool = False) -> None:
        """Replace the tray's content with a draft's cast members (each group with its
        pictures) and loose pictures (bytes, name, label); with ``keep``, add them to it."""
        had = bool(self.model.groups())
        if not keep:
            self.queue.clear()
        for group, pictures in groups:
            self.queue.add(restored(pictures), group)
        self.queue.add(restored(entries))
        if had or groups:
            self.cast.changed.emit()

    # -- reading -------------------------------------------------------------------------

    def items(self) -> list[TrayItem]:
        return [copy.copy(item) for item in self.model.items()]

    def references(self) -> list[ReferenceImage]:
        """Every ready picture in order: the cast members', then the loose ones."""
        return self.queue.references()

    def loose_items(self) -> list[TrayItem]:
        return [copy.copy(item) for item in self.model.loose()]

    def loose_references(self) -> list[ReferenceImage]:
        return self.queue.loose_references()

    def entries(self) -> list[tuple[str, str, str]]:
        return [(i.sha256, i.name, i.label) for i in self.queue.ready()]

    def is_ready(self) -> bool:
        return self.queue.problem() is None

    def problem(self) -> str | None:
        return self.queue.problem()

    def pending(self) -> int:
        """Pictures still being prepared."""
        return self.queue.pending()

    # -- editing -------------------------------------------------------------------------

    def set_label(self, index: int, text: str) -> None:
        """Label picture ``index`` (a loose one: a cast member's are named by it)."""
        items = self.model.items()
        if 0 <= index < len(items):
            row = self.model.row_of(items[index].id)
            self.model.setData(self.model.index(row), text, Qt.ItemDataRole.EditRole)

    def move_image(self, src: int, dst: int) -> None:
        """Move image ``src`` to position ``dst`` (0-based, as it will stand; loose ones)."""
        self.model.move_loose(src, dst)

    def move_selected(self, delta: int) -> None:
        """Move the selected images (or the selected groups) one place left or up (-1), right
        or down (+1)."""
        keys = self.view.selected_groups()
        if keys:
            self.model.shift_groups(keys, delta)
            return
        ids = [i for i in self.view.selected_ids() if self.cast.is_loose(i)]
        if not ids:
            if self.view.selected_ids():
                self.note("A cast member's pictures stay in its order: change it with "
                           "Edit… in the cast, or move the whole group by its header.")
            return
        rows = [self.model.row_of(i) for i in ids]
        target = min(rows) - 1 if delta < 0 else max(rows) + 2
        if 0 <= target <= self.model.rowCount():
            self.model.move_ids(ids, target)
            self.view.scrollTo(self.model.index(self.model.row_of(ids[0])))

    def remove(self, index: int) -> None:
        items = self.model.items()
        if 0 <= index < len(items):
            self.queue.remove_ids([items[index].id])

    def remove_selected(self) -> None:
        """Remove the selected loose pictures, or take the selected groups out of the draft."""
        keys = self.view.selected_groups()
        ids = [i for i in self.view.selected_ids() if self.cast.is_loose(i)]
        if not keys and not ids:
            if self.view.selected_ids():
                self.note("That picture is a cast member's: take the whole member out with "
                           "its header's ✕, or change its pictures with Edit… in the cast.")
            return
        rows = [self.model.row_of(i) for i in ids] + [
            self.model.row_of(self.model.group_items(k)[0].id) - 1 for k in keys
            if self.model.group_items(k)]
        for key in keys:
            self.cast.remove_group(key)
        self.queue.remove_ids(ids)
        if self.model.rowCount() and rows:
            row = min(min(rows), self.model.rowCount() - 1)
            while row > 0 and not self.model.flags(self.model.index(row)) \
                    & Qt.ItemFlag.ItemIsSelectable:
                row -= 1
            self.view.select_row(row)

    def clear(self) -> None:
        self.queue.clear()

    def _remove_id(self, item_id: int) -> None:
        self.queue.remove_ids([item_id])

    def fix_ratio(self, index: int, how: FixMode) -> None:
        """Prepare image ``index`` again, cropped or padded into the host's ratio range."""
        self.queue.requeue(index, fix_ratio=how)

    def retry(self, index: int) -> None:
        """Prepare image ``index`` again from its source (a link is downloaded again)."""
        self.queue.requeue(index, fetch=True)

    def shutdown(self) -> None:
        self.queue.shutdown()

    # -- internals -----------------------------------------------------------------------

    def _receive(self, found: Incoming) -> None:
        self.ui.clear_messages()
        if found.paths:
            self.queue.add_paths(found.paths)
        if found.urls:
            self.queue.add_urls(found.urls)
        self.queue.add([(name, data, "", False) for data, name in found.blobs]
                       + [("pasted image", image, "", False) for image in found.images])

    def _files_chosen(self, files: list[str]) -> None:
        self.ui.clear_messages()
        self.queue.add_paths([Path(f) for f in files])

    def note(self, text: str) -> None:
        """A user-facing note in the tray's strip (and ``message``)."""
        self.ui.show_message(text)
        self.message.emit(text)

    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def refresh(self) -> None:
        self.ui.refresh(self.queue.rules, len(self.model.items()))
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.ui.set_selection(len(self.cast.selected_loose()))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid() or not self.model.flags(index) & Qt.ItemFlag.ItemIsSelectable:
            return
        if index not in self.view.selectedIndexes():
            self.view.select_row(index.row())
        from vidu_desktop.ui.compose.tray.menu import header_menu_for, menu_for  # (first menu)

        group = self.model.group_at(index.row())
        menu = header_menu_for(self.cast, group, self) if group else menu_for(self, index.row())
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # -- events --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) \
                and hasattr(self, "ui"):
            self.ui.retint()  # light/dark switched: the label colours follow
            self.refresh()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            event.accept()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Drops on the header or the message area add pictures too (not internal moves)."""
        self._accept_external(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._accept_external(event)

    def _accept_external(self, event: QDragMoveEvent) -> None:
        mime = event.mimeData()
        if not mime.hasFormat(ROWS_MIME) and may_hold_pictures(mime):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        found = Incoming() if mime.hasFormat(ROWS_MIME) else incoming(mime)
        if not found:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self._receive(found)

