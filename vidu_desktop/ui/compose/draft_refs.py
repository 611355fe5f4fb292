"""Between the tray and a draft: the prepared bytes go to the profile's reference store (by
content hash), the draft keeps the hash, the label and the name; restoring reads them back."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from vidu_desktop.store import DraftReference, ReferenceMeta, ReferenceStore, StoreError
from vidu_desktop.ui.compose.tray.tray import ItemState, ReferenceTray

log = logging.getLogger(__name__)


def references_for_draft(refs: ReferenceStore, tray: ReferenceTray
                         ) -> tuple[DraftReference, ...]:
    """The tray's ready pictures, stored (idempotent: a stored file is not written again)."""
    kept: list[DraftReference] = []
    for item in tray.items():
        if item.state is not ItemState.READY or not item.data:
            continue
        if refs.get(item.sha256) is None or not refs.exists(item.sha256):
            refs.put(item.data, ReferenceMeta(item.format, item.width, item.height, item.name))
        kept.append(DraftReference(item.sha256, item.label, item.name))
    return tuple(kept)


def entries_from_draft(refs: ReferenceStore, references: Iterable[DraftReference]
                       ) -> list[tuple[bytes, str, str]]:
    entries: list[tuple[bytes, str, str]] = []
    for ref in references:
        try:
            entries.append((refs.read(ref.sha256), ref.original_name, ref.label))
        except StoreError:
            log.warning("draft reference %s… is missing from the store", ref.sha256[:12])
    return entries
