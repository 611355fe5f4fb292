"""Between the cast library (the engine's verbs), the tray's groups and the cast panel.

"Make a subject…" in the tray opens the dialog with the selected pictures; the member made is
the tray's new group. The panel's "Add to draft" puts a member's pictures into the tray as a
group; Rename, Edit… and Delete change the library and then the tray's group (a delete asks
first, saying which drafts and how many tasks use the member). A group restored from a task
whose member has left the library can be kept in the cast again.

The library is reached only through the engine's verbs (``CastLibrary``), asked of the
session each time (sandbox mode switches engines). The dialogs' module is imported when the
first one opens (start-up).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6 import QtGui  # QImage: made with the first thumbnail
from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from vidu_desktop.core.errors import AppError
from vidu_desktop.store import DraftReference, StoreError
from vidu_desktop.ui.common.background import Background
from vidu_desktop.ui.compose.cast.panel import CastPanel, MemberRow
from vidu_desktop.ui.compose.cast.protocols import CastLibrary
from vidu_desktop.ui.compose.draft_refs import entries_from_draft, keep_pictures
from vidu_desktop.ui.compose.tray.tray import ReferenceTray, TrayGroup, TrayItem

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QMessageBox

    from vidu_desktop.ui.compose.cast.dialogs import MemberDialog, MemberValues, Picture
    from vidu_desktop.ui.compose.cast.protocols import Member

log = logging.getLogger(__name__)
TRAY_KEY = "tray:"  # a dialog's picture that is a tray item (its id follows)


def group_of(member: Member) -> TrayGroup:
    return TrayGroup(member.id, member.name, member.description, member.voice_id)


def said(err: AppError) -> str:
    return err.message + (f" {err.hint}" if err.hint else "")


def decode(data: bytes) -> QImage:
    """A picture's thumbnail (off the UI thread: QImage is safe there)."""
    image = QtGui.QImage.fromData(data)
    if image.isNull():
        return image
    return image.scaled(QSize(160, 160), Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class CastController(QObject):
    """``renamed(old, new)``: a member in the draft was renamed (the prompt's mentions may
    follow). ``message(text)``: a note for the status bar."""

    renamed = Signal(str, str)
    message = Signal(str)

    def __init__(self, engine: Callable[[], CastLibrary], tray: ReferenceTray,
                 panel: CastPanel, window: QWidget, *,
                 readable: Callable[[], bool] = lambda: True) -> None:
        super().__init__(panel)
        self.engine = engine
        self.readable = readable  # whether ``engine`` may be asked (it opens after paint)
        self.tray = tray
        self.panel = panel
        self.window = window
        self.bg = Background()
        self.thumbs: dict[str, QImage] = {}  # by picture hash
        self.dialog: MemberDialog | None = None
        self.confirm: QMessageBox | None = None
        tray.cast.subject_requested.connect(self.make_subject)
        tray.cast.group_requested.connect(self._group_requested)
        tray.cast.changed.connect(self.refresh)
        panel.add_requested.connect(self.add_to_draft)
        panel.rename_requested.connect(self.rename)
        panel.edit_requested.connect(self.edit)
        panel.delete_requested.connect(self.delete)

    # -- the panel's list ----------------------------------------------------------------

    def members(self) -> list[Member]:
        try:
            return list(self.engine().cast_members())
        except (AppError, StoreError) as err:
            log.warning("the cast library cannot be read: %s", err)
            return []

    def refresh(self) -> None:
        """The panel from the library (which members the draft holds marked)."""
        if not self.readable():  # the panel says nothing until it is known
            return
        members = self.members()
        in_draft = {g.member_id for g in self.tray.cast.groups() if g.member_id}
        self.panel.set_members([MemberRow(
            m.id, m.name, m.description, m.voice_id, len(m.pictures),
            self.thumbs.get(m.pictures[0].sha256) if m.pictures else None, m.id in in_draft)
            for m in members])
        wanted = [p.sha256 for m in members for p in m.pictures if p.sha256 not in self.thumbs]
        if wanted:
            QTimer.singleShot(0, lambda: self._load_thumbs(wanted))

    def _load_thumbs(self, hashes: list[str]) -> None:
        try:
            self.bg.spawn(self._thumbs(hashes), "cast thumbnails")
        except RuntimeError:  # no asyncio loop runs (a bare widget test): no thumbnails
            log.debug("no event loop for the cast's thumbnails")

    async def _thumbs(self, hashes: list[str]) -> None:
        import asyncio

        for sha in dict.fromkeys(hashes):
            if sha in self.thumbs:
                continue
            try:
                data = self.engine().read_reference(sha)
            except StoreError:
                continue
            self.thumbs[sha] = await asyncio.to_thread(decode, data)
        for member in self.members():
            if member.pictures and member.pictures[0].sha256 in self.thumbs:
                self.panel.model.set_thumbnail(member.id, self.thumbs[member.pictures[0].sha256])

    def taken(self, name: str) -> bool:
        folded = name.casefold()
        return any(m.name.casefold() == folded for m in self.members())

    def _picture(self, ref: DraftReference) -> Picture:
        from vidu_desktop.ui.compose.cast.dialogs import Picture

        return Picture(ref.sha256, ref.label or ref.original_name or "picture",
                       self.thumbs.get(ref.sha256))

    @staticmethod
    def _tray_picture(item: TrayItem) -> Picture:
        from vidu_desktop.ui.compose.cast.dialogs import Picture

        return Picture(f"{TRAY_KEY}{item.id}", item.label or item.name, item.thumbnail)

    def _open(self, dialog: MemberDialog) -> MemberDialog:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: MemberDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # -- making one ----------------------------------------------------------------------

    def make_subject(self, ids: Sequence[int]) -> MemberDialog:
        """The dialog for a new cast member of these tray pictures."""
        from vidu_desktop.ui.compose.cast.dialogs import MemberDialog

        items = [i for i in self.tray.loose_items() if i.id in set(ids)]
        dialog = MemberDialog(self.window, title="Make a subject", action="Make subject",
                              taken=self.taken,
                              pictures=[self._tray_picture(i) for i in items])
        dialog.submitted.connect(lambda values: self._made(dialog, list(ids), values))
        return self._open(dialog)

    def _made(self, dialog: MemberDialog, ids: list[int], values: MemberValues) -> None:
        engine = self.engine()
        items = [i for i in self.tray.loose_items() if i.id in set(ids)]
        try:
            refs = keep_pictures(engine, items)
            member = engine.add_cast_member(values.name, refs, description=values.description,
                                            voice_id=values.voice_id)
        except (AppError, StoreError) as err:
            dialog.show_problem(said(err) if isinstance(err, AppError) else str(err))
            return
        self.tray.cast.make_group([i.id for i in items], group_of(member))
        self.panel_refresh(member.id)
        self.message.emit(f"{member.name} is in the cast; the prompt names it @{member.name}.")
        dialog.finish()

    def panel_refresh(self, select: str = "") -> None:
        self.refresh()
        if select:
            self.panel.select(select)

    # -- into the draft ------------------------------------------------------------------

    def add_to_draft(self, member_id: str) -> bool:
        member = self.engine().cast_member(member_id)
        if member is None:
            self.message.emit("That cast member is no longer in the library.")
            self.refresh()
            return False
        entries = entries_from_draft(self.engine(), member.pictures)
        if len(entries) < len(member.pictures):
            self.tray.note(f"{len(member.pictures) - len(entries)} of {member.name}'s "
                           "pictures are missing from the library's store; Edit… it to add "
                           "them again.")
        if not entries:
            return False
        return self.tray.cast.add_group(group_of(member), entries)

    # -- renaming and editing ------------------------------------------------------------

    def rename(self, member_id: str) -> MemberDialog | None:
        from vidu_desktop.ui.compose.cast.dialogs import MemberDialog

        member = self.engine().cast_member(member_id)
        if member is None:
            return None
        dialog = MemberDialog(self.window, title=f"Rename {member.name}", action="Rename",
                              taken=self.taken, name=member.name, name_only=True)
        dialog.submitted.connect(lambda values: self._update(dialog, member, values))
        return self._open(dialog)

    def edit(self, member_id: str) -> MemberDialog | None:
        from vidu_desktop.ui.compose.cast.dialogs import MemberDialog

        member = self.engine().cast_member(member_id)
        if member is None:
            return None
        dialog = MemberDialog(
            self.window, title=f"Edit {member.name}", action="Save", taken=self.taken,
            name=member.name, description=member.description, voice_id=member.voice_id,
            pictures=[self._picture(p) for p in member.pictures], editable_pictures=True,
            more_pictures=lambda: [self._tray_picture(i) for i in self.tray.cast.selected_loose()
                                   if i.data])
        dialog.submitted.connect(lambda values: self._update(dialog, member, values))
        return self._open(dialog)

    def _update(self, dialog: MemberDialog, member: Member, values: MemberValues) -> None:
        engine = self.engine()
        pictures: tuple[DraftReference, ...] | None = None
        try:
            if not dialog.name_only:
                pictures = self._pictures(member, values.pictures)
            updated = engine.update_cast_member(
                member.id, name=values.name if values.name != member.name else None,
                description=None if dialog.name_only else values.description,
                voice_id=None if dialog.name_only else values.voice_id,
                pictures=pictures if pictures != member.pictures else None)
        except (AppError, StoreError) as err:
            dialog.show_problem(said(err) if isinstance(err, AppError) else str(err))
            return
        group = self.tray.cast.group(member.id)
        if group is not None:
            self.tray.cast.update_group(member.id, group_of(updated))
            if updated.pictures != member.pictures:
                self.tray.cast.replace_pictures(
                    member.id, entries_from_draft(engine, updated.pictures))
            if updated.name != member.name:
                self.renamed.emit(member.name, updated.name)
        self.panel_refresh(updated.id)
        dialog.finish()

    def _pictures(self, member: Member, keys: Sequence[str]) -> tuple[DraftReference, ...]:
        """The dialog's picture keys as the member's pictures (tray ones stored first)."""
        own = {p.sha256: p for p in member.pictures}
        tray = {f"{TRAY_KEY}{i.id}": i for i in self.tray.items()}
        kept: list[DraftReference] = []
        for key in keys:
            if key in own:
                kept.append(own[key])
            elif key in tray:
                kept.extend(keep_pictures(self.engine(), [tray[key]]))
        return tuple(kept)

    # -- deleting ------------------------------------------------------------------------

    def delete(self, member_id: str) -> QMessageBox | None:
        """Ask first, saying which drafts and how many tasks use it."""
        from vidu_desktop.ui.compose.cast.dialogs import confirm_delete

        engine = self.engine()
        member = engine.cast_member(member_id)
        if member is None:
            return None
        usage = engine.cast_usage(member_id)
        box = confirm_delete(self.window, member.name, usage.drafts, usage.tasks)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self._deleted(member, box.buttonRole(button)))
        self.confirm = box
        box.open()
        return box

    def _deleted(self, member: Member, role: QMessageBox.ButtonRole) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.confirm = None
        if role != QMessageBox.ButtonRole.DestructiveRole:
            return
        try:
            self.engine().delete_cast_member(member.id)
        except (AppError, StoreError) as err:
            self.message.emit(said(err) if isinstance(err, AppError) else str(err))
            return
        if self.tray.cast.group(member.id) is not None:
            self.tray.cast.remove_group(member.id)
        self.refresh()
        self.message.emit(f"{member.name} was deleted from the cast library.")

    # -- a header's menu -----------------------------------------------------------------

    def _group_requested(self, action: str, key: str) -> None:
        group = self.tray.cast.group(key)
        if group is None:
            return
        if action == "rename" and group.member_id:
            self.rename(group.member_id)
        elif action == "edit" and group.member_id:
            self.edit(group.member_id)
        elif action == "keep":
            self.keep(key)

    def keep(self, key: str) -> MemberDialog | None:
        """A group not in the cast (from an older task) into the library, as it is."""
        from vidu_desktop.ui.compose.cast.dialogs import MemberDialog

        group = self.tray.cast.group(key)
        if group is None:
            return None
        pictures = self.tray.cast.pictures(key)
        dialog = MemberDialog(self.window, title=f"Keep {group.name} in the cast",
                              action="Keep in the cast", taken=self.taken, name=group.name,
                              description=group.description, voice_id=group.voice_id,
                              pictures=[self._tray_picture(i) for i in pictures])
        dialog.submitted.connect(lambda values: self._kept(dialog, key, values))
        return self._open(dialog)

    def _kept(self, dialog: MemberDialog, key: str, values: MemberValues) -> None:
        engine = self.engine()
        try:
            refs = keep_pictures(engine, self.tray.cast.pictures(key))
            member = engine.add_cast_member(values.name, refs, description=values.description,
                                            voice_id=values.voice_id)
        except (AppError, StoreError) as err:
            dialog.show_problem(said(err) if isinstance(err, AppError) else str(err))
            return
        self.tray.cast.update_group(key, group_of(member))
        self.panel_refresh(member.id)
        dialog.finish()
