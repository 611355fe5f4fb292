"""Between the tray and a draft: the prepared bytes go to the library's reference pictures
through the engine (by content hash; the sandbox's engine files them in the profile's store as
well), the draft keeps the hash, the label and the name; restoring reads them back. A draft
keeps its loose pictures so; its cast members' pictures are theirs (``keep_pictures`` files
them when a member is made or edited)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from vidu_desktop.store import DraftReference, StoreError
from vidu_desktop.ui.compose.tray.tray import ItemState, ReferenceTray, TrayItem

if TYPE_CHECKING:  # (the reference store's module loads with the engine, after the paint)
    from vidu_desktop.store import PreparedReference, ReferenceMeta

log = logging.getLogger(__name__)


class ReferencePictures(Protocol):
    """The engine's verbs over the reference pictures that drafts use."""

    def reference(self, sha256: str) -> PreparedReference | None: ...

    def keep_reference(self, data: bytes, meta: ReferenceMeta) -> str: ...

    def read_reference(self, sha256: str) -> bytes: ...


def references_for_draft(refs: ReferencePictures, tray: ReferenceTray
                         ) -> tuple[DraftReference, ...]:
    """The tray's ready loose pictures, stored (idempotent: a stored file is not written
    again). The cast members' pictures are theirs, in the cast library."""
    return keep_pictures(refs, tray.loose_items())


def keep_pictures(refs: ReferencePictures, items: Iterable[TrayItem]
                  ) -> tuple[DraftReference, ...]:
    """These pictures (the ready ones) in the reference store, as a draft or a cast member
    keeps them: by hash, with their label and name."""
    from vidu_desktop.store import ReferenceMeta

    kept: list[DraftReference] = []
    for item in items:
        if item.state is not ItemState.READY or not item.data:
            continue
        if refs.reference(item.sha256) is None:
            refs.keep_reference(item.data, ReferenceMeta(item.format, item.width, item.height,
                                                         item.name))
        kept.append(DraftReference(item.sha256, item.label, item.name))
    return tuple(kept)


def entries_from_draft(refs: ReferencePictures, references: Iterable[DraftReference]
                       ) -> list[tuple[bytes, str, str]]:
    entries: list[tuple[bytes, str, str]] = []
    for ref in references:
        try:
            entries.append((refs.read_reference(ref.sha256), ref.original_name, ref.label))
        except StoreError:
            log.warning("draft reference %s… is missing from the store", ref.sha256[:12])
    return entries
