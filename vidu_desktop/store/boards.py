"""Storyboards: named, ordered lists of shots, kept in the profile's library with the drafts
and the cast (the sandbox uses the same boards).

A board has a host and model and the defaults of its shots' parameters (as drafts keep them:
duration, resolution, aspect_ratio, movement_amplitude, seed, bgm, audio, off_peak...). A shot
has a prompt (which mentions the cast as ``@name``), its loose pictures by content hash, its
cast members by id and only the parameters it changes. Board names are unique whatever their
case. Shots are numbered by ``position`` (0, 1, ... without gaps; the user sees 1, 2, ...).
Which task is a take of which shot lives with the tasks (``store/takes.py``).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import field
from typing import Any

from vidu_desktop.core.ids import new_id
from vidu_desktop.core.mentions import MENTION
from vidu_desktop.core.records import record

from .cast import name_key
from .db import transaction
from .drafts import DraftReference
from .errors import board_error as board_error  # (the engine's board modules use .errors')

NAME_MAX = 100


@record
class Shot:
    id: str
    board_id: str
    position: int  # 0-based; the user sees position + 1
    prompt: str = ""
    references: tuple[DraftReference, ...] = ()
    cast: tuple[str, ...] = ()  # cast member ids, in order
    parameters: dict[str, Any] = field(default_factory=dict)  # only what the shot changes
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def number(self) -> int:
        return self.position + 1


@record
class Board:
    id: str
    name: str
    provider: str
    model: str
    parameters: dict[str, Any] = field(default_factory=dict)  # the shots' defaults
    shots: tuple[Shot, ...] = ()
    created_at: float = 0.0
    updated_at: float = 0.0

    def shot(self, shot_id: str) -> Shot | None:
        return next((s for s in self.shots if s.id == shot_id), None)


@record
class BoardSummary:
    id: str
    name: str
    provider: str
    model: str
    shot_count: int
    updated_at: float


def check_board_name(name: str) -> str:
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if not name:
        raise board_error("A board needs a name.", "Give it a name, for example Beach day.")
    if len(name) > NAME_MAX:
        raise board_error(f"The board name is {len(name)} characters; the limit is "
                          f"{NAME_MAX}.", "Shorten it.")
    return name


def _refs_json(refs: Sequence[DraftReference]) -> str:
    return json.dumps([{"sha256": r.sha256, "label": r.label, "original_name": r.original_name}
                       for r in refs], ensure_ascii=False)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class BoardStore:
    """The boards of one library (the profile's)."""

    def __init__(self, conn: sqlite3.Connection, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.conn = conn
        self._clock = clock

    # -- boards ------------------------------------------------------------------------------
    def summaries(self) -> list[BoardSummary]:
        """Every board, the most recently changed first."""
        rows = self.conn.execute(
            """SELECT b.id, b.name, b.provider, b.model, b.updated_at,
                      (SELECT COUNT(*) FROM shots WHERE board_id = b.id) AS shot_count
               FROM boards AS b ORDER BY b.updated_at DESC, b.name_key""")
        return [BoardSummary(r["id"], r["name"], r["provider"], r["model"],
                             int(r["shot_count"]), float(r["updated_at"])) for r in rows]

    def get(self, board_id: str) -> Board | None:
        row = self.conn.execute("SELECT * FROM boards WHERE id = ?", (board_id,)).fetchone()
        return self._board(row) if row else None

    def by_name(self, name: str) -> Board | None:
        row = self.conn.execute("SELECT * FROM boards WHERE name_key = ?",
                                (name_key(" ".join(name.split())),)).fetchone()
        return self._board(row) if row else None

    def create(self, name: str, provider: str, model: str,
               parameters: dict[str, Any] | None = None) -> Board:
        name = check_board_name(name)
        board_id, now = new_id(), self._clock()
        with transaction(self.conn) as conn:
            self._check_free(name, None)
            conn.execute(
                """INSERT INTO boards (id, name, name_key, provider, model, parameters_json,
                       created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (board_id, name, name_key(name), provider, model, _json(parameters or {}),
                 now, now))
        return self.require(board_id)

    def update(self, board_id: str, *, name: str | None = None, provider: str | None = None,
               model: str | None = None, parameters: dict[str, Any] | None = None) -> Board:
        old = self.require(board_id)
        new_name = check_board_name(name) if name is not None else old.name
        with transaction(self.conn) as conn:
            self._check_free(new_name, board_id)
            conn.execute(
                """UPDATE boards SET name = ?, name_key = ?, provider = ?, model = ?,
                       parameters_json = ?, updated_at = ? WHERE id = ?""",
                (new_name, name_key(new_name), provider or old.provider, model or old.model,
                 _json(parameters if parameters is not None else old.parameters),
                 self._clock(), board_id))
        return self.require(board_id)

    def delete(self, board_id: str) -> list[str]:
        """Delete the board and its shots; returns the ids of the shots it had."""
        with transaction(self.conn) as conn:
            shots = [str(r[0]) for r in conn.execute(
                "SELECT id FROM shots WHERE board_id = ?", (board_id,))]
            conn.execute("DELETE FROM boards WHERE id = ?", (board_id,))
        return shots

    def require(self, board_id: str) -> Board:
        board = self.get(board_id)
        if board is None:
            raise board_error(f"No board with id {board_id!r} in the library.",
                              "It may have been deleted; pick one from the list of boards.")
        return board

    # -- shots -------------------------------------------------------------------------------
    def shot(self, shot_id: str) -> Shot | None:
        row = self.conn.execute("SELECT * FROM shots WHERE id = ?", (shot_id,)).fetchone()
        return self._shot(row) if row else None

    def require_shot(self, shot_id: str) -> Shot:
        shot = self.shot(shot_id)
        if shot is None:
            raise board_error(f"No shot with id {shot_id!r} in the library.",
                              "It may have been deleted; pick one from its board.")
        return shot

    def add_shot(self, board_id: str, *, prompt: str = "",
                 references: Sequence[DraftReference] = (), cast: Sequence[str] = (),
                 parameters: dict[str, Any] | None = None,
                 position: int | None = None) -> Shot:
        """A new shot at ``position`` (0-based; None or past the end: last), the shots after
        it moved down one."""
        shot_id, now = new_id(), self._clock()
        with transaction(self.conn) as conn:
            count = self._count(board_id)
            at = count if position is None else min(max(0, position), count)
            conn.execute("UPDATE shots SET position = position + 1 "
                         "WHERE board_id = ? AND position >= ?", (board_id, at))
            conn.execute(
                """INSERT INTO shots (id, board_id, position, prompt, references_json,
                       cast_json, parameters_json, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (shot_id, board_id, at, prompt, _refs_json(references),
                 json.dumps(list(dict.fromkeys(cast))), _json(parameters or {}), now, now))
            self._touch(board_id, now)
        return self.require_shot(shot_id)

    def update_shot(self, shot_id: str, *, prompt: str | None = None,
                    references: Sequence[DraftReference] | None = None,
                    cast: Sequence[str] | None = None,
                    parameters: dict[str, Any] | None = None) -> Shot:
        old = self.require_shot(shot_id)
        now = self._clock()
        with transaction(self.conn) as conn:
            conn.execute(
                """UPDATE shots SET prompt = ?, references_json = ?, cast_json = ?,
                       parameters_json = ?, updated_at = ? WHERE id = ?""",
                (old.prompt if prompt is None else prompt,
                 _refs_json(old.references if references is None else references),
                 json.dumps(list(dict.fromkeys(old.cast if cast is None else cast))),
                 _json(old.parameters if parameters is None else parameters), now, shot_id))
            self._touch(old.board_id, now)
        return self.require_shot(shot_id)

    def move_shot(self, shot_id: str, position: int) -> Board:
        """Put the shot at ``position`` (0-based, clamped to the board), the others keeping
        their order."""
        shot = self.require_shot(shot_id)
        with transaction(self.conn) as conn:
            order = [str(r[0]) for r in conn.execute(
                "SELECT id FROM shots WHERE board_id = ? ORDER BY position, created_at",
                (shot.board_id,))]
            order.remove(shot_id)
            order.insert(min(max(0, position), len(order)), shot_id)
            self._renumber(order)
            self._touch(shot.board_id, self._clock())
        return self.require(shot.board_id)

    def delete_shot(self, shot_id: str) -> Shot:
        """Delete the shot, the shots after it moving up one; returns it as it was."""
        shot = self.require_shot(shot_id)
        with transaction(self.conn) as conn:
            conn.execute("DELETE FROM shots WHERE id = ?", (shot_id,))
            conn.execute("UPDATE shots SET position = position - 1 "
                         "WHERE board_id = ? AND position > ?", (shot.board_id, shot.position))
            self._touch(shot.board_id, self._clock())
        return shot

    # -- the cast members shots use ----------------------------------------------------------
    def using_cast_member(self, member_id: str) -> list[Shot]:
        rows = self.conn.execute("SELECT * FROM shots WHERE cast_json LIKE ?",
                                 (f'%"{member_id}"%',))
        return [s for s in (self._shot(r) for r in rows) if member_id in s.cast]

    def drop_cast_member(self, member_id: str) -> set[str]:
        """Take the member (being deleted) out of every shot's cast; their prompts are left
        as written. Returns the boards changed."""
        changed = self.using_cast_member(member_id)
        with transaction(self.conn) as conn:
            for shot in changed:
                conn.execute("UPDATE shots SET cast_json = ? WHERE id = ?", (json.dumps(
                    [c for c in shot.cast if c != member_id]), shot.id))
        return {s.board_id for s in changed}

    def rename_mentions(self, member_id: str, old: str, new: str) -> set[str]:
        """In the shots whose cast has the member, ``@old`` (whatever its case) becomes
        ``@new``; returns the boards changed."""
        key = old.casefold()

        def swap(m: re.Match[str]) -> str:
            return "@" + new if m.group(1).casefold() == key else m.group(0)

        changed = set()
        with transaction(self.conn) as conn:
            for shot in self.using_cast_member(member_id):
                prompt = MENTION.sub(swap, shot.prompt)
                if prompt != shot.prompt:
                    conn.execute("UPDATE shots SET prompt = ? WHERE id = ?", (prompt, shot.id))
                    changed.add(shot.board_id)
        return changed

    def referenced_hashes(self) -> set[str]:
        """Every picture some shot uses."""
        hashes: set[str] = set()
        for (text,) in self.conn.execute("SELECT references_json FROM shots"):
            hashes.update(str(r["sha256"]) for r in json.loads(text)
                          if isinstance(r, dict) and r.get("sha256"))
        return hashes

    # -- inside ------------------------------------------------------------------------------
    def _count(self, board_id: str) -> int:
        self.require(board_id)
        return int(self.conn.execute("SELECT COUNT(*) FROM shots WHERE board_id = ?",
                                     (board_id,)).fetchone()[0])

    def _renumber(self, order: Sequence[str]) -> None:
        self.conn.executemany("UPDATE shots SET position = ? WHERE id = ?",
                              [(i, shot_id) for i, shot_id in enumerate(order)])

    def _touch(self, board_id: str, now: float) -> None:
        self.conn.execute("UPDATE boards SET updated_at = ? WHERE id = ?", (now, board_id))

    def _check_free(self, name: str, board_id: str | None) -> None:
        row = self.conn.execute("SELECT id, name FROM boards WHERE name_key = ?",
                                (name_key(name),)).fetchone()
        if row is not None and row["id"] != board_id:
            raise board_error(f"A board is already called {row['name']!r}; names are the "
                              "same whatever their case.",
                              f"Choose another name, or open {row['name']} itself.")

    def _board(self, row: sqlite3.Row) -> Board:
        shots = tuple(self._shot(r) for r in self.conn.execute(
            "SELECT * FROM shots WHERE board_id = ? ORDER BY position, created_at",
            (row["id"],)))
        return Board(id=row["id"], name=row["name"], provider=row["provider"],
                     model=row["model"], parameters=_dict(row["parameters_json"]), shots=shots,
                     created_at=float(row["created_at"]), updated_at=float(row["updated_at"]))

    @staticmethod
    def _shot(row: sqlite3.Row) -> Shot:
        refs = tuple(DraftReference(str(r.get("sha256", "")), str(r.get("label", "")),
                                    str(r.get("original_name", "")))
                     for r in json.loads(row["references_json"]) if isinstance(r, dict))
        cast = tuple(str(c) for c in json.loads(row["cast_json"]) if isinstance(c, str))
        return Shot(id=row["id"], board_id=row["board_id"], position=int(row["position"]),
                    prompt=row["prompt"], references=refs, cast=cast,
                    parameters=_dict(row["parameters_json"]),
                    created_at=float(row["created_at"]), updated_at=float(row["updated_at"]))


def _dict(text: str) -> dict[str, Any]:
    value = json.loads(text or "{}")
    return value if isinstance(value, dict) else {}
