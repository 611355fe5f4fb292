"""The cast: named subjects kept in the library and reused across drafts.

A cast member has a name the prompt mentions as ``@name`` (unique in the library whatever its
case: ``Mia`` and ``mia`` are one name), 1 to :data:`MAX_PICTURES` pictures kept by content
hash in the reference store (prepared once: a picture stored again is the same file), a short
description and an optional voice id. Drafts refer to members by id (``Draft.cast``); a task
made with a member is linked to it (``task_cast``), so :meth:`CastStore.task_count` can say
what a deletion would touch. Deleting a member never touches a task: a task keeps its request,
pictures included, as it was sent.
"""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from vidu_desktop.core.capabilities import PROVIDERS
from vidu_desktop.core.errors import AppError, ErrorKind, Promise
from vidu_desktop.core.ids import new_id
from vidu_desktop.core.mentions import name_problem
from vidu_desktop.core.records import record

from .db import transaction
from .drafts import DraftReference

#: The most pictures a cast member keeps: 3 in the hosts' subjects form (Vidu's
#: reference2video, Novita's vidu-q2-reference2video, ComfyUI's Vidu2 reference node), or the
#: capability table's strictest ``SubjectRules.max_images_each`` where that is lower.
MAX_PICTURES = min([3, *(m.subjects.max_images_each for p in PROVIDERS.values()
                         for m in p.models if m.subjects is not None)])
DESCRIPTION_MAX = 500
VOICE_ID_MAX = 128


@record
class CastMember:
    id: str
    name: str
    description: str = ""
    voice_id: str = ""
    pictures: tuple[DraftReference, ...] = ()
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def hashes(self) -> tuple[str, ...]:
        return tuple(p.sha256 for p in self.pictures)


@record
class CastUsage:
    """What uses a cast member: the names of the drafts that have it, and how many tasks of
    the library were made with it."""

    drafts: tuple[str, ...] = ()
    tasks: int = 0

    @property
    def used(self) -> bool:
        return bool(self.drafts or self.tasks)


def name_key(name: str) -> str:
    """The key that makes two names one (``Mia`` and ``MIA``): NFC, then case-folded."""
    return unicodedata.normalize("NFC", name).casefold()


def cast_error(message: str, hint: str) -> AppError:
    """A refused cast change: the user changes the value named in ``message``."""
    return AppError(ErrorKind.INVALID_PARAMETER, message, hint, retryable=False,
                    promise=Promise.FIX_INPUT)


def check_name(name: str) -> str:
    """``name`` without surrounding spaces, or AppError saying what is wrong with it."""
    name = unicodedata.normalize("NFC", name.strip())
    problem = name_problem(name)
    if problem is not None:
        raise cast_error(problem, "Change the name: letters, digits, '_' and '-', "
                         "for example mia or red_car.")
    return name


def check_pictures(name: str, pictures: Sequence[DraftReference]) -> tuple[DraftReference, ...]:
    count = len(pictures)
    if not 1 <= count <= MAX_PICTURES:
        raise cast_error(
            f"{name} has {count} picture{'s' if count != 1 else ''}; a cast member takes "
            f"1 to {MAX_PICTURES}.",
            f"Keep 1 to {MAX_PICTURES} pictures of the same subject." if count else
            "Add at least one picture of the subject.")
    seen: set[str] = set()
    for picture in pictures:
        if picture.sha256 in seen:
            raise cast_error(f"{name} has the same picture twice "
                             f"({picture.original_name or picture.sha256[:12]}).",
                             "Keep it once, or add another picture instead.")
        seen.add(picture.sha256)
    return tuple(pictures)


def check_description(description: str) -> str:
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise cast_error(f"The description is {len(description)} characters; the limit is "
                         f"{DESCRIPTION_MAX}.", "Shorten it: a line or two is enough.")
    return description


def check_voice_id(voice_id: str) -> str:
    voice_id = voice_id.strip()
    if len(voice_id) > VOICE_ID_MAX or any(c.isspace() or not c.isprintable()
                                           for c in voice_id):
        raise cast_error(f"The voice id {voice_id[:40]!r} is not one: a voice id is one word "
                         f"of at most {VOICE_ID_MAX} characters, without spaces.",
                         "Copy the voice id from the host's voice list, or leave it empty.")
    return voice_id


class CastStore:
    """The cast members of one library (the profile's: the sandbox uses the same)."""

    def __init__(self, conn: sqlite3.Connection, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock

    # -- reading -----------------------------------------------------------------------------
    def list_members(self) -> list[CastMember]:
        """Every member, by name (whatever its case)."""
        rows = self._conn.execute("SELECT * FROM cast_members ORDER BY name_key, id")
        return [self._member(r) for r in rows.fetchall()]

    def get(self, member_id: str) -> CastMember | None:
        row = self._conn.execute("SELECT * FROM cast_members WHERE id = ?",
                                 (member_id,)).fetchone()
        return self._member(row) if row else None

    def by_name(self, name: str) -> CastMember | None:
        """The member called ``name`` (whatever its case), or None."""
        row = self._conn.execute("SELECT * FROM cast_members WHERE name_key = ?",
                                 (name_key(name.strip()),)).fetchone()
        return self._member(row) if row else None

    def referenced_hashes(self) -> set[str]:
        """Every picture some member keeps (kept when the reference folder is cleaned)."""
        return {str(r[0]) for r in self._conn.execute("SELECT sha256 FROM cast_pictures")}

    # -- writing -----------------------------------------------------------------------------
    def add(self, name: str, pictures: Sequence[DraftReference], *, description: str = "",
            voice_id: str = "") -> CastMember:
        """A new member; AppError (nothing written) on a bad or taken name, a wrong picture
        count, a description too long or a voice id that is none."""
        name = check_name(name)
        pictures = check_pictures(name, pictures)
        description, voice_id = check_description(description), check_voice_id(voice_id)
        member_id, now = new_id(), self._clock()
        with transaction(self._conn) as conn:
            self._check_free(name, None)
            conn.execute(
                """INSERT INTO cast_members (id, name, name_key, description, voice_id,
                       created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (member_id, name, name_key(name), description, voice_id, now, now))
            self._write_pictures(member_id, pictures)
        return self._require(member_id)

    def update(self, member_id: str, *, name: str | None = None,
               description: str | None = None, voice_id: str | None = None,
               pictures: Sequence[DraftReference] | None = None) -> CastMember:
        """Change what is given (None: kept). AppError as for :meth:`add`, or when no member
        has this id."""
        old = self.require(member_id)
        new_name = check_name(name) if name is not None else old.name
        values = {
            "name": new_name, "name_key": name_key(new_name),
            "description": (check_description(description) if description is not None
                            else old.description),
            "voice_id": check_voice_id(voice_id) if voice_id is not None else old.voice_id,
        }
        new_pictures = check_pictures(new_name, pictures) if pictures is not None else None
        with transaction(self._conn) as conn:
            self._check_free(new_name, member_id)
            conn.execute(
                """UPDATE cast_members SET name = ?, name_key = ?, description = ?,
                       voice_id = ?, updated_at = ? WHERE id = ?""",
                (values["name"], values["name_key"], values["description"],
                 values["voice_id"], self._clock(), member_id))
            if new_pictures is not None:
                conn.execute("DELETE FROM cast_pictures WHERE member_id = ?", (member_id,))
                self._write_pictures(member_id, new_pictures)
        return self._require(member_id)

    def delete(self, member_id: str) -> bool:
        """Remove the member and its picture list (the pictures stay in the reference store
        while a draft or task uses them). Drafts are the caller's: see
        ``DraftStore.drop_cast_member``."""
        with transaction(self._conn) as conn:
            return conn.execute("DELETE FROM cast_members WHERE id = ?",
                                (member_id,)).rowcount > 0

    def require(self, member_id: str) -> CastMember:
        member = self.get(member_id)
        if member is None:
            raise cast_error(f"No cast member with id {member_id!r} in the library.",
                             "It may have been deleted; pick one from the cast list.")
        return member

    # -- tasks made with a member (in the library of the tasks) ------------------------------
    @staticmethod
    def link_task(conn: sqlite3.Connection, local_id: str, member_ids: Iterable[str]) -> None:
        """Record that task ``local_id`` was made with these members (in ``conn``: the
        library the task lives in, which may not be the one holding the cast)."""
        with transaction(conn):
            conn.executemany(
                "INSERT OR IGNORE INTO task_cast (local_id, member_id) VALUES (?, ?)",
                [(local_id, m) for m in dict.fromkeys(member_ids)])

    @staticmethod
    def task_count(conn: sqlite3.Connection, member_id: str) -> int:
        return int(conn.execute("SELECT COUNT(*) FROM task_cast WHERE member_id = ?",
                                (member_id,)).fetchone()[0])

    @staticmethod
    def unlink_member(conn: sqlite3.Connection, member_id: str) -> None:
        with transaction(conn):
            conn.execute("DELETE FROM task_cast WHERE member_id = ?", (member_id,))

    # -- inside ------------------------------------------------------------------------------
    def _check_free(self, name: str, member_id: str | None) -> None:
        row = self._conn.execute("SELECT id, name FROM cast_members WHERE name_key = ?",
                                 (name_key(name),)).fetchone()
        if row is not None and row["id"] != member_id:
            raise cast_error(f"A cast member is already called {row['name']!r}; names are "
                             "the same whatever their case.",
                             f"Choose another name, or change {row['name']} itself.")

    def _write_pictures(self, member_id: str, pictures: Sequence[DraftReference]) -> None:
        self._conn.executemany(
            """INSERT INTO cast_pictures (member_id, position, sha256, label, original_name)
               VALUES (?, ?, ?, ?, ?)""",
            [(member_id, i, p.sha256, p.label, p.original_name)
             for i, p in enumerate(pictures)])

    def _require(self, member_id: str) -> CastMember:
        member = self.get(member_id)
        assert member is not None
        return member

    def _member(self, row: sqlite3.Row) -> CastMember:
        pictures = tuple(
            DraftReference(str(p["sha256"]), str(p["label"]), str(p["original_name"]))
            for p in self._conn.execute(
                "SELECT sha256, label, original_name FROM cast_pictures WHERE member_id = ?"
                " ORDER BY position", (row["id"],)))
        return CastMember(id=row["id"], name=row["name"], description=row["description"],
                          voice_id=row["voice_id"], pictures=pictures,
                          created_at=float(row["created_at"]),
                          updated_at=float(row["updated_at"]))
