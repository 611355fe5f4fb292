"""The engine's verbs over storyboards as plans: boards of ordered shots, each shot as the
request of a take, the recipe that tells a stale take, and what keeps a shot from being sent.

Boards and shots live in the profile's library, like drafts and the cast (the sandbox engine
uses the profile's too). Every refusal is an ``AppError`` of kind ``INVALID_PARAMETER``
(promise ``FIX_INPUT``) whose message names the board or shot and the bad value and whose hint
says what to do. The takes, marks and generation are ``engine/boards.py``'s.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidu_desktop.core.choices import Choices
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.store import DraftReference, Settings
from vidu_desktop.store.errors import board_error
from vidu_desktop.store.references import REF_URI_PREFIX

from . import board_checks as checks
from .cast import CastVerbs

if TYPE_CHECKING:  # the boards' stores and plans load when a board is first used
    from vidu_desktop.store import Board, BoardStore, BoardSummary, CastMember, Shot, TakeStore

log = logging.getLogger(__name__)

BoardListener = Callable[[str], None]


class ShotVerbs(CastVerbs):
    """The stores are the engine's (``use_boards``: the profile's library holds the boards,
    the engine's own library the takes)."""

    conn: sqlite3.Connection
    profile_settings: Settings

    def use_boards(self, conn: sqlite3.Connection) -> None:
        """Keep the boards (and the spend limit) in the library ``conn``."""
        self._boards_conn = conn
        self._board_store: BoardStore | None = None
        self.profile_settings = Settings(conn)
        #: the file of that library, for an export's own connection (from another thread)
        self.boards_database = Path(str(conn.execute("PRAGMA database_list").fetchone()[2]))
        self._board_listeners: list[BoardListener] = []

    @property
    def board_store(self) -> BoardStore:
        """The boards' store, made on first use (an engine that never shows a board does not
        load the boards' modules)."""
        if self._board_store is None:
            from vidu_desktop.store.boards import BoardStore

            self._board_store = BoardStore(self._boards_conn)
        return self._board_store

    @property
    def take_store(self) -> TakeStore:
        """Which task is a take of which shot, and the marks: in the engine's library."""
        from vidu_desktop.store.takes import TakeStore

        return TakeStore(self.conn)

    # -- events ------------------------------------------------------------------------------
    def listen_boards(self, listener: BoardListener) -> Callable[[], None]:
        """Call ``listener(board_id)`` whenever a board, its shots or its takes' links change
        (a take's state and mark come as the task's ``EngineEvent``s)."""
        self._board_listeners.append(listener)
        return lambda: self._board_listeners.remove(listener)

    def notify_board(self, board_id: str) -> None:
        """Tell the board listeners that ``board_id`` changed."""
        self._board_changed(board_id)

    def _board_changed(self, board_id: str) -> None:
        for listener in list(self._board_listeners):
            try:
                listener(board_id)
            except Exception:
                log.exception("board listener failed")

    # -- the cast, followed by the shots ----------------------------------------------------
    def update_cast_member(self, member_id: str, *, name: str | None = None,
                           description: str | None = None, voice_id: str | None = None,
                           pictures: Sequence[DraftReference] | None = None) -> CastMember:
        """As the cast's; a new name is carried into the prompts of the shots that use the
        member too (their takes do not become stale for it)."""
        old = self.cast.require(member_id)
        member = super().update_cast_member(member_id, name=name, description=description,
                                            voice_id=voice_id, pictures=pictures)
        changed = {s.board_id for s in self.board_store.using_cast_member(member_id)}
        if member.name != old.name:
            self.board_store.rename_mentions(member_id, old.name, member.name)
        for board_id in changed:
            self._board_changed(board_id)
        return member

    def delete_cast_member(self, member_id: str) -> None:
        """As the cast's; the shots that had the member drop it (their prompts are left as
        written: the plan then says the mention names no one)."""
        super().delete_cast_member(member_id)
        for board_id in self.board_store.drop_cast_member(member_id):
            self._board_changed(board_id)

    # -- boards ------------------------------------------------------------------------------
    def boards(self) -> list[BoardSummary]:
        """Every board, the most recently changed first."""
        return self.board_store.summaries()

    def board(self, board_id: str) -> Board | None:
        return self.board_store.get(board_id)

    def board_named(self, name: str) -> Board | None:
        """The board called ``name`` (names are one whatever their case), or None."""
        return self.board_store.by_name(name)

    def create_board(self, name: str, provider: str, model: str,
                     parameters: dict[str, Any] | None = None) -> Board:
        """A new empty board for ``provider``'s ``model``; ``parameters``: its shots'
        defaults (the model's own where it says nothing)."""
        spec = checks.model_of(provider, model)
        where = f"Board {' '.join(name.split())}"
        params = checks.check_types(parameters, where)
        checks.check_values(spec, params, where)
        board = self.board_store.create(name, spec.provider.value, spec.model, params)
        self._board_changed(board.id)
        return board

    def update_board(self, board_id: str, *, name: str | None = None,
                     provider: str | None = None, model: str | None = None,
                     parameters: dict[str, Any] | None = None) -> Board:
        """Change what is given (None: kept). The shots' own values are checked against a
        new model when the board is next planned."""
        old = self.board_store.require(board_id)
        spec = checks.model_of(provider or old.provider, model or old.model)
        where = f"Board {old.name}"
        params = (checks.check_types(parameters, where) if parameters is not None
                  else old.parameters)
        checks.check_values(spec, params, where)
        board = self.board_store.update(board_id, name=name, provider=spec.provider.value,
                                        model=spec.model, parameters=params)
        self._board_changed(board_id)
        return board

    def delete_board(self, board_id: str) -> None:
        """Delete the board and its shots; their tasks stay in the library, as plain tasks."""
        self.board_store.require(board_id)
        self.take_store.unlink_shots(self.board_store.delete(board_id))
        self._board_changed(board_id)

    # -- shots -------------------------------------------------------------------------------
    def add_shot(self, board_id: str, *, prompt: str = "",
                 references: Sequence[DraftReference] = (), cast: Sequence[str] = (),
                 parameters: dict[str, Any] | None = None,
                 position: int | None = None) -> Shot:
        """A new shot at ``position`` (0-based; None: last). Its cast members must be in the
        cast, its pictures in the library's pictures, its parameters offered by the model."""
        board = self.board_store.require(board_id)
        count = len(board.shots)
        number = (count if position is None else min(max(0, position), count)) + 1
        params = self._check_shot(board, number, references, cast, parameters or {})
        shot = self.board_store.add_shot(board_id, prompt=prompt, references=references,
                                         cast=cast, parameters=params, position=position)
        self._board_changed(board_id)
        return shot

    def update_shot(self, shot_id: str, *, prompt: str | None = None,
                    references: Sequence[DraftReference] | None = None,
                    cast: Sequence[str] | None = None,
                    parameters: dict[str, Any] | None = None) -> Shot:
        """Change what is given (None: kept); checked as for :meth:`add_shot`. Its takes
        become stale when what it asks for changed."""
        old = self.board_store.require_shot(shot_id)
        board = self.board_store.require(old.board_id)
        params = self._check_shot(
            board, old.number, old.references if references is None else references,
            old.cast if cast is None else cast,
            old.parameters if parameters is None else parameters)
        shot = self.board_store.update_shot(shot_id, prompt=prompt, references=references,
                                            cast=cast, parameters=params)
        self._board_changed(old.board_id)
        return shot

    def duplicate_shot(self, shot_id: str) -> Shot:
        """A copy of the shot right after it (without its takes)."""
        old = self.board_store.require_shot(shot_id)
        shot = self.board_store.add_shot(old.board_id, prompt=old.prompt,
                                         references=old.references, cast=old.cast,
                                         parameters=old.parameters, position=old.position + 1)
        self._board_changed(old.board_id)
        return shot

    def move_shot(self, shot_id: str, position: int) -> Board:
        """Move the shot to ``position`` (0-based, clamped); returns the board."""
        board = self.board_store.move_shot(shot_id, position)
        self._board_changed(board.id)
        return board

    def delete_shot(self, shot_id: str) -> None:
        """Delete the shot; its tasks stay in the library, as plain tasks."""
        shot = self.board_store.delete_shot(shot_id)
        self.take_store.unlink_shots([shot_id])
        self._board_changed(shot.board_id)

    def _check_shot(self, board: Board, number: int, references: Sequence[DraftReference],
                    cast: Sequence[str], parameters: dict[str, Any]) -> dict[str, Any]:
        where = f"Shot {number}"
        params = checks.check_types(parameters, where)
        for member_id in cast:
            if self.cast_member(member_id) is None:
                raise board_error(f"{where}: no cast member has the id {member_id!r}.",
                                  "It may have been deleted; pick one from the cast.")
        for n, ref in enumerate(references, 1):
            if not self.cast_refs.exists(ref.sha256):
                shown = ref.original_name or ref.label or f"picture {n}"
                raise board_error(f"{where}: the picture {shown} is not in the library's "
                                  "pictures.", "Add the picture again.")
        spec = checks.model_of(board.provider, board.model)
        checks.check_values(spec, {**board.parameters, **params}, where)
        return params

    # -- a shot as a request -----------------------------------------------------------------
    def _members(self, shot: Shot) -> list[CastMember | None]:
        return [self.cast_member(member_id) for member_id in shot.cast]

    def shot_requests(self, board: Board, shot: Shot, takes: int = 1
                      ) -> list[GenerationRequest]:
        """The requests of ``takes`` takes of the shot (each its own seed where the seed is
        random), as the composer makes them from a draft."""
        choices = Choices.for_model(board.provider, board.model,
                                    {**board.parameters, **shot.parameters})
        images = tuple(ReferenceImage(REF_URI_PREFIX + r.sha256, r.label or r.original_name,
                                      r.sha256) for r in shot.references)
        subjects = tuple(self.subject_of(m) for m in self._members(shot) if m is not None)
        return replace(choices, variations=takes).requests(shot.prompt, images,
                                                           subjects=subjects)

    def shot_request(self, board: Board, shot: Shot) -> GenerationRequest:
        """The request of one take of the shot: the board's defaults under the shot's own
        parameters, the cast as subjects, the pictures by hash."""
        return self.shot_requests(board, shot)[0]

    def recipe(self, board: Board, shot: Shot) -> str:
        """What the shot asks for now, as a hash (see ``board_plan``)."""
        from .board_plan import recipe_of

        return recipe_of(board, shot, self._members(shot))

    def shot_problems(self, board: Board, shot: Shot) -> list[str]:
        """Why the shot cannot be generated ("Shot 3: the prompt is empty"); empty when it
        can."""
        where = f"Shot {shot.number}"
        found: list[str] = []
        missing = [m for m, found_member in zip(shot.cast, self._members(shot), strict=True)
                   if found_member is None]
        if missing:
            found.append(f"{where}: {len(missing)} of its cast members are no longer in the "
                         "cast")
        for n, ref in enumerate(shot.references, 1):
            if not self.cast_refs.exists(ref.sha256):
                found.append(f"{where}: the picture {ref.original_name or n} is no longer "
                             "in the library's pictures")
        if not shot.prompt.strip():
            found.append(f"{where}: the prompt is empty")
        try:
            request = self.shot_request(board, shot)
        except (KeyError, ValueError) as exc:
            return [*found, f"{where}: {exc}"]
        spec = checks.model_of(board.provider, board.model)
        wrong = checks.value_problems(spec, {**board.parameters, **shot.parameters})
        found += [f"{where}: {p}" for p in [*wrong, *checks.request_problems(request)]
                  if p != "the prompt is empty" or shot.prompt.strip()]
        return list(dict.fromkeys(found))

