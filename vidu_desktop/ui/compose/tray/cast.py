"""The cast part of the tray (``ReferenceTray.cast``): the draft's cast members as groups of
pictures under their headers, and "Make a subject…" from the selected loose pictures.

The tray knows no library: it asks for a subject (``subject_requested`` with the pictures'
ids) and for a header's actions (``group_requested``), and whoever holds the library (the
compose area's cast controller) answers with ``make_group``, ``update_group`` and the rest.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from vidu_desktop.ui.compose.tray.groups import (
    MEMBER_PICTURES_MAX,
    MEMBER_PICTURES_MIN,
    TrayGroup,
)
from vidu_desktop.ui.compose.tray.item import ItemState, TrayItem
from vidu_desktop.ui.compose.tray.model import TrayModel
from vidu_desktop.ui.compose.tray.queue import TrayQueue
from vidu_desktop.ui.compose.tray.view import TrayView

if TYPE_CHECKING:
    from vidu_desktop.ui.compose.tray.queue import Entry

Entries = Sequence[tuple[bytes, str, str]]  # (prepared bytes, name, label)


class CastTray(Protocol):
    """What the cast part needs of the tray (``ReferenceTray``)."""

    @property
    def model(self) -> TrayModel: ...
    @property
    def view(self) -> TrayView: ...
    @property
    def queue(self) -> TrayQueue: ...
    @property
    def changed(self) -> SignalInstance: ...

    def note(self, text: str) -> None: ...
    def refresh(self) -> None: ...


def restored(entries: Entries) -> list[Entry]:
    return [(name or "image", bytes(data), label, True) for data, name, label in entries]


class TrayCast(QObject):
    """``changed``: groups added, removed, moved or renamed. ``subject_requested``: "Make a
    subject…" with these loose pictures (ids; 1-3, ready). ``group_requested``: (action,
    group key) from a header's menu: "rename", "edit" or "keep" (into the cast)."""

    changed = Signal()
    info = Signal(str)  # a note that is no problem (the tray's ``message``, not its strip)
    subject_requested = Signal(list)
    group_requested = Signal(str, str)

    def __init__(self, tray: CastTray, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray = tray
        self.model = tray.model
        self.model.reordered.connect(self._reordered)

    # -- reading -------------------------------------------------------------------------

    def groups(self) -> list[TrayGroup]:
        return self.model.groups()

    def group(self, key: str) -> TrayGroup | None:
        return self.model.group(key)

    def pictures(self, key: str) -> list[TrayItem]:
        """A group's pictures (snapshots, in order)."""
        return [copy.copy(item) for item in self.model.group_items(key)]

    def selected_loose(self) -> list[TrayItem]:
        model = self.model
        return [item for item in (model.find(i) for i in self.tray.view.selected_ids())
                if item is not None and not item.group]

    def set_loose_numbers(self, on: bool) -> None:
        """The subjects form: loose pictures are numbered among themselves (@image1, …)."""
        self.model.set_loose_numbers(on)

    # -- "Make a subject…" ---------------------------------------------------------------

    def make_subject(self) -> bool:
        """The selected loose pictures, when they can be one cast member's (1 to 3, ready);
        else a note that says what to select. True when asked for."""
        picked = self.selected_loose()
        theirs = len(self.tray.view.selected_ids()) - len(picked)
        if not picked:
            self.tray.note("Select 1 to 3 pictures of one character, object or place "
                           + ("that no cast member has yet " if theirs else "")
                           + "first, then Make a subject….")
            return False
        if len(picked) > MEMBER_PICTURES_MAX:
            self.tray.note(f"{len(picked)} pictures are selected; a cast member has "
                           f"{MEMBER_PICTURES_MIN} to {MEMBER_PICTURES_MAX}. Select at most "
                           f"{MEMBER_PICTURES_MAX} of them.")
            return False
        waiting = [p for p in picked if p.state is not ItemState.READY]
        if waiting:
            what = self.tray.queue.called(waiting[0])
            self.tray.note(f"{what} is still being prepared; wait for it, or leave it out."
                           if waiting[0].state is ItemState.PREPARING else
                           f"{what} cannot be used: {waiting[0].error}")
            return False
        self.subject_requested.emit([p.id for p in picked])
        return True

    # -- changing the groups -------------------------------------------------------------

    def make_group(self, ids: Sequence[int], group: TrayGroup) -> None:
        """These loose pictures become ``group``'s (after the other groups)."""
        self.model.add_group(group, take=[i for i in ids if self.is_loose(i)])
        self._changed(group.key)

    def add_group(self, group: TrayGroup, entries: Entries) -> bool:
        """A cast member into the draft with its pictures; False when it is in already
        (or its pictures do not fit; the tray says so)."""
        if self.model.group(group.key) is not None:
            self.tray.note(f"{group.name} is already in this draft.")
            return False
        self.tray.queue.add(restored(entries), group)
        if self.model.group(group.key) is None:
            return False
        self._changed(group.key)
        return True

    def update_group(self, key: str, group: TrayGroup) -> None:
        """New name, description or voice (or the member it now is in the cast)."""
        if self.model.group(key) is not None:
            self.model.update_group(key, group)
            self._changed()

    def replace_pictures(self, key: str, entries: Entries) -> None:
        """The cast member's pictures changed in the library: show its new ones (the group
        keeps its place)."""
        group = self.model.group(key)
        if group is not None:
            self.tray.queue.add(restored(entries), group)
            self._changed()

    def remove_group(self, key: str) -> None:
        """Out of the draft, with its pictures (the cast library keeps the member)."""
        group = self.model.group(key)
        if group is None:
            return
        for item in self.model.remove_group(key):
            self.tray.queue.cancel(item.id)
        if group.in_cast:
            self.info.emit(f"{group.name} is out of this draft; the cast library keeps it.")
        self._changed()

    def request(self, action: str, key: str) -> None:
        """A header's action ("rename", "edit", "keep") for whoever holds the library."""
        self.group_requested.emit(action, key)

    def is_loose(self, item_id: int) -> bool:
        item = self.model.find(item_id)
        return item is not None and not item.group

    def _changed(self, select: str = "") -> None:
        if select:
            for row in range(self.model.rowCount()):
                group = self.model.group_at(row)
                if group is not None and group.key == select:
                    self.tray.view.select_row(row)
                    self.tray.view.scrollTo(self.model.index(row))
                    break
        self.tray.refresh()
        self.changed.emit()
        self.tray.changed.emit()

    def _reordered(self) -> None:
        if self.tray.view.selected_groups():
            self.changed.emit()
