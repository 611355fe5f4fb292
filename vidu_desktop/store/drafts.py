"""Drafts: compositions the user is working on (prompt, parameters, ordered labelled references,
the cast members it uses).

The UI autosaves by calling :meth:`DraftStore.save` with the same draft id every few seconds:
it is an upsert. References are kept by content hash (the bytes live in the reference store);
cast members by id (``store/cast.py``).

Format 1 (before the cast) has no ``cast``: it opens as a draft with none. Format 2 adds
``cast``, the member ids in the order the draft uses them (their pictures go first).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import field, replace
from typing import Any

from vidu_desktop.core.ids import new_id
from vidu_desktop.core.mentions import MENTION
from vidu_desktop.core.records import record

from .db import transaction
from .errors import StoreError

DRAFT_FORMAT = 2


@record
class DraftReference:
    sha256: str
    label: str = ""
    original_name: str = ""


@record
class Draft:
    id: str
    name: str = ""
    provider: str = ""
    model: str = ""
    mode: str = ""
    prompt: str = ""
    #: duration, resolution, aspect_ratio, movement_amplitude, seed, bgm, takes, ...
    parameters: dict[str, Any] = field(default_factory=dict)
    references: tuple[DraftReference, ...] = ()
    created_at: float = 0.0
    updated_at: float = 0.0
    opened_at: float | None = None
    #: the cast members the draft uses (ids, in order; format 2)
    cast: tuple[str, ...] = ()

    @classmethod
    def new(cls, name: str = "", **values: Any) -> Draft:
        return cls(id=new_id(), name=name, **values)

    def to_data(self) -> dict[str, Any]:
        return {
            "format": DRAFT_FORMAT, "provider": self.provider, "model": self.model,
            "mode": self.mode, "prompt": self.prompt, "parameters": self.parameters,
            "references": [{"sha256": r.sha256, "label": r.label,
                            "original_name": r.original_name} for r in self.references],
            "cast": list(self.cast),
        }

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Draft:
        data = json.loads(row["data_json"])
        refs = tuple(
            DraftReference(str(r.get("sha256", "")), str(r.get("label", "")),
                           str(r.get("original_name", "")))
            for r in data.get("references", []) if isinstance(r, dict)
        )
        params = data.get("parameters", {})
        cast = data.get("cast", [])
        return cls(
            id=row["id"], name=row["name"], provider=str(data.get("provider", "")),
            model=str(data.get("model", "")), mode=str(data.get("mode", "")),
            prompt=str(data.get("prompt", "")),
            parameters=params if isinstance(params, dict) else {}, references=refs,
            created_at=float(row["created_at"]), updated_at=float(row["updated_at"]),
            opened_at=row["opened_at"],
            cast=tuple(dict.fromkeys(str(c) for c in cast if isinstance(c, str) and c))
            if isinstance(cast, list) else (),
        )


class DraftStore:
    def __init__(self, conn: sqlite3.Connection, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock

    def save(self, draft: Draft) -> Draft:
        """Insert or update the draft (autosave calls this too); returns it as stored."""
        now = self._clock()
        data = json.dumps(draft.to_data(), ensure_ascii=False, sort_keys=True)
        with transaction(self._conn) as conn:
            conn.execute(
                """INSERT INTO drafts (id, name, data_json, created_at, updated_at, opened_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                       data_json = excluded.data_json, updated_at = excluded.updated_at""",
                (draft.id, draft.name, data, draft.created_at or now, now, draft.opened_at),
            )
        return self._require(draft.id)

    def get(self, draft_id: str) -> Draft | None:
        row = self._conn.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        return Draft.from_row(row) if row else None

    def list_drafts(self) -> list[Draft]:
        """All drafts, the most recently changed first."""
        rows = self._conn.execute("SELECT * FROM drafts ORDER BY updated_at DESC, rowid DESC")
        return [Draft.from_row(r) for r in rows]

    def rename(self, draft_id: str, name: str) -> Draft:
        with transaction(self._conn) as conn:
            cur = conn.execute("UPDATE drafts SET name = ?, updated_at = ? WHERE id = ?",
                               (name, self._clock(), draft_id))
            if cur.rowcount == 0:
                raise StoreError(f"no draft with id {draft_id!r}")
        return self._require(draft_id)

    def duplicate(self, draft_id: str, name: str = "") -> Draft:
        original = self._require(draft_id)
        copy = replace(original, id=new_id(), name=name or f"{original.name} (copy)",
                       created_at=0.0, opened_at=None)
        return self.save(copy)

    def delete(self, draft_id: str) -> bool:
        with transaction(self._conn) as conn:
            return conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,)).rowcount > 0

    def mark_opened(self, draft_id: str) -> None:
        with transaction(self._conn) as conn:
            conn.execute("UPDATE drafts SET opened_at = ? WHERE id = ?",
                         (self._clock(), draft_id))

    def last_opened(self) -> Draft | None:
        """The draft opened most recently (to reopen at start), or None."""
        row = self._conn.execute(
            "SELECT * FROM drafts WHERE opened_at IS NOT NULL"
            " ORDER BY opened_at DESC, rowid DESC LIMIT 1").fetchone()
        return Draft.from_row(row) if row else None

    def referenced_hashes(self) -> set[str]:
        """Every reference hash some draft uses, its cast members' pictures included (to keep
        when cleaning the reference folder)."""
        hashes: set[str] = set()
        for (data_json,) in self._conn.execute("SELECT data_json FROM drafts"):
            for ref in json.loads(data_json).get("references", []):
                if isinstance(ref, dict) and ref.get("sha256"):
                    hashes.add(str(ref["sha256"]))
        hashes.update(str(r[0]) for r in self._conn.execute("SELECT sha256 FROM cast_pictures"))
        return hashes

    # -- the cast members drafts use ---------------------------------------------------------
    def using_cast_member(self, member_id: str) -> list[Draft]:
        """The drafts whose cast has ``member_id``, the most recently changed first."""
        return [d for d in self.list_drafts() if member_id in d.cast]

    def drop_cast_member(self, member_id: str) -> list[Draft]:
        """Take ``member_id`` out of every draft's cast (the member is being deleted); returns
        the drafts changed, as they were. Their prompts are left as written: a mention of the
        member is then shown as naming no one in the draft."""
        changed = self.using_cast_member(member_id)
        with transaction(self._conn):
            for draft in changed:
                self._write_data(replace(draft, cast=tuple(c for c in draft.cast
                                                           if c != member_id)))
        return changed

    def rename_mentions(self, member_id: str, old: str, new: str) -> list[Draft]:
        """In the drafts whose cast has ``member_id``, mentions of ``@old`` (whatever their
        case) become ``@new``; returns the drafts whose prompt changed, as they are now."""
        key = old.casefold()

        def swap(m: re.Match[str]) -> str:
            return "@" + new if m.group(1).casefold() == key else m.group(0)

        changed = []
        with transaction(self._conn):
            for draft in self.using_cast_member(member_id):
                prompt = MENTION.sub(swap, draft.prompt)
                if prompt != draft.prompt:
                    changed.append(replace(draft, prompt=prompt))
                    self._write_data(changed[-1])
        return changed

    def _write_data(self, draft: Draft) -> None:
        """Rewrite a stored draft's content (its times stay: the user did not edit it)."""
        data = json.dumps(draft.to_data(), ensure_ascii=False, sort_keys=True)
        with transaction(self._conn) as conn:
            conn.execute("UPDATE drafts SET data_json = ? WHERE id = ?", (data, draft.id))

    def _require(self, draft_id: str) -> Draft:
        draft = self.get(draft_id)
        if draft is None:
            raise StoreError(f"no draft with id {draft_id!r}")
        return draft
