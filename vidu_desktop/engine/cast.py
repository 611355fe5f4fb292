"""The engine's verbs over the cast: named subjects kept in the library and used by drafts.

The cast lives with the drafts, in the profile's library; the sandbox engine uses the
profile's cast too (its pictures are in the profile's reference store), so a cast member made
in either mode is there in both. What a task was made with is recorded in the library the task
lives in (``task_cast``), so :meth:`CastVerbs.cast_usage` counts the active library's tasks.

Every refusal is an ``AppError`` of kind ``INVALID_PARAMETER`` (the user changes the value it
names; promise ``FIX_INPUT``) whose message says what is wrong and whose hint says what to do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from vidu_desktop.core.request import GenerationRequest, ReferenceImage, Subject
from vidu_desktop.store import (
    CastMember,
    CastStore,
    CastUsage,
    DraftReference,
    DraftStore,
    ReferenceStore,
)
from vidu_desktop.store.cast import cast_error, check_name, check_pictures
from vidu_desktop.store.references import REF_URI_PREFIX

from . import references


class CastVerbs:
    """What the cast holds, asked and changed through the engine. The stores are the
    engine's own (set in its ``__init__``; the sandbox engine points them at the profile)."""

    conn: sqlite3.Connection  # the library the tasks live in
    refs: ReferenceStore  # the library's pictures (the sandbox's also files them in the profile)
    cast: CastStore
    drafts: DraftStore  # the drafts that use the cast (the profile's)
    cast_refs: ReferenceStore  # where the cast's pictures are (the profile's)

    def use_cast(self, conn: sqlite3.Connection, refs: ReferenceStore) -> None:
        """Work on the cast and the drafts of the library ``conn``, its pictures in ``refs``."""
        self.cast = CastStore(conn)
        self.drafts = DraftStore(conn)
        self.cast_refs = refs

    def link_cast(self, local_id: str, request: GenerationRequest) -> None:
        """Record the cast members task ``local_id`` is made with (see :meth:`cast_ids`)."""
        CastStore.link_task(self.conn, local_id, self.cast_ids(request))

    def keep_pictures(self, images: Sequence[ReferenceImage]) -> tuple[DraftReference, ...]:
        """Prepared pictures (data URIs, as ``imaging.bridge`` makes them) kept in the
        reference store, as a cast member's pictures (AppError for one that is not inline)."""
        kept = references.keep_images(self.refs, tuple(images))
        for n, image in enumerate(kept, 1):
            if not image.sha256:
                raise cast_error(f"Picture {n} ({image.label or image.uri[:60]}) is not a "
                                 "prepared picture: a cast member keeps its pictures itself.",
                                 "Give a picture file rather than a link.")
        return tuple(DraftReference(i.sha256, "", i.label) for i in kept)

    def cast_members(self) -> list[CastMember]:
        """Every cast member, by name."""
        return self.cast.list_members()

    def cast_member(self, member_id: str) -> CastMember | None:
        return self.cast.get(member_id)

    def cast_member_named(self, name: str) -> CastMember | None:
        """The member called ``name`` (names are one whatever their case), or None."""
        return self.cast.by_name(name)

    def add_cast_member(self, name: str, pictures: Sequence[DraftReference],
                        description: str = "", voice_id: str = "") -> CastMember:
        """A new cast member of 1-3 pictures already in the reference store (by hash).

        AppError (nothing written) on a bad or taken name, a wrong picture count, a picture
        the reference store does not have, a description too long, a voice id that is none."""
        self._check_stored(name, check_pictures(check_name(name), pictures))
        return self.cast.add(name, pictures, description=description, voice_id=voice_id)

    def update_cast_member(self, member_id: str, *, name: str | None = None,
                           description: str | None = None, voice_id: str | None = None,
                           pictures: Sequence[DraftReference] | None = None) -> CastMember:
        """Change what is given (None: kept); AppError as for :meth:`add_cast_member`, or when
        no member has this id. A new name is carried into the prompts of the drafts that use
        the member: their ``@old`` mentions become ``@new`` (a draft open in a window keeps
        its own text until it is read again)."""
        old = self.cast.require(member_id)
        if pictures is not None:
            shown = check_name(name) if name is not None else old.name
            self._check_stored(shown, check_pictures(shown, pictures))
        member = self.cast.update(member_id, name=name, description=description,
                                  voice_id=voice_id, pictures=pictures)
        if member.name != old.name:
            self.drafts.rename_mentions(member_id, old.name, member.name)
        return member

    def cast_usage(self, member_id: str) -> CastUsage:
        """What uses the member: the drafts that have it (names; an unnamed draft is
        "Untitled draft"), and how many tasks of this library were made with it."""
        names = tuple(d.name or "Untitled draft" for d in self.drafts.using_cast_member(member_id))
        return CastUsage(drafts=names, tasks=CastStore.task_count(self.conn, member_id))

    def delete_cast_member(self, member_id: str) -> None:
        """Delete the member (AppError when no member has this id). Show
        :meth:`cast_usage` first: the drafts that had it drop it from their cast (their
        prompts are left as written, so a mention of it shows as naming no one in the draft);
        the tasks made with it keep their request, pictures included."""
        self.cast.require(member_id)
        self.drafts.drop_cast_member(member_id)
        CastStore.unlink_member(self.conn, member_id)
        self.cast.delete(member_id)

    def subject_of(self, member: CastMember) -> Subject:
        """The member as a request's subject: its pictures as ``ref:sha256:`` URIs with their
        hash set (the engine reads them from the reference store before sending)."""
        return Subject(member.name, tuple(
            ReferenceImage(uri=REF_URI_PREFIX + p.sha256, label=p.label or p.original_name,
                           sha256=p.sha256) for p in member.pictures), member.voice_id)

    def cast_ids(self, request: GenerationRequest) -> list[str]:
        """The ids of the cast members ``request`` was made with: a subject with a member's
        name and that member's pictures (a subject named like a member but with other
        pictures is not the member)."""
        ids = []
        for subject in request.subjects:
            member = self.cast.by_name(subject.name)
            if member is not None and member.hashes == tuple(i.sha256 for i in subject.images):
                ids.append(member.id)
        return ids

    def _check_stored(self, name: str, pictures: Sequence[DraftReference]) -> None:
        for n, picture in enumerate(pictures, 1):
            if not self.cast_refs.exists(picture.sha256):
                shown = picture.original_name or picture.label or f"picture {n}"
                raise cast_error(f"The picture {shown} of {name.strip() or 'the cast member'} "
                                 "is not in the library's pictures.",
                                 "Add the picture to the tray again, then make the subject.")
