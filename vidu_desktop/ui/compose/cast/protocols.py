"""What the compose area needs of the cast library: the engine's verbs over it (``Engine`` and
``SandboxEngine`` both have them; ``engine/cast.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # (the cast's store module loads with the engine, after the first paint)
    from vidu_desktop.core.request import Subject
    from vidu_desktop.store import (
        CastMember,
        CastUsage,
        DraftReference,
        PreparedReference,
        ReferenceMeta,
    )

    Member = CastMember


class CastLibrary(Protocol):
    def cast_members(self) -> list[CastMember]: ...
    def cast_member(self, member_id: str) -> CastMember | None: ...
    def cast_member_named(self, name: str) -> CastMember | None: ...
    def add_cast_member(self, name: str, pictures: Sequence[DraftReference],
                        description: str = "", voice_id: str = "") -> CastMember: ...
    def update_cast_member(self, member_id: str, *, name: str | None = None,
                           description: str | None = None, voice_id: str | None = None,
                           pictures: Sequence[DraftReference] | None = None) -> CastMember: ...
    def cast_usage(self, member_id: str) -> CastUsage: ...
    def delete_cast_member(self, member_id: str) -> None: ...
    def subject_of(self, member: CastMember) -> Subject: ...
    # the reference pictures (as drafts use them)
    def reference(self, sha256: str) -> PreparedReference | None: ...
    def keep_reference(self, data: bytes, meta: ReferenceMeta) -> str: ...
    def read_reference(self, sha256: str) -> bytes: ...
