"""The engine's verbs over storyboards: boards and shots (``ShotVerbs``, ``engine/shots.py``),
their takes and marks, the plan and generation of a board's tasks, the cut and its export.

Boards and shots are plans, like drafts and the cast: they live in the profile's library (the
sandbox engine uses the profile's too). Which task is a take of which shot lives in the library
the task lives in (``shot_takes``), so a board shows its sandbox takes in sandbox mode and its
real ones otherwise. A shot's tasks are ordinary tasks: created through ``create`` (persist
first; the take's link in the same transaction as the task's row) and followed by ``track``,
so resume, the outbox and cancel apply to them as to any task.

Every refusal is an ``AppError`` of kind ``INVALID_PARAMETER`` (promise ``FIX_INPUT``) whose
message names the board or shot and the bad value and whose hint says what to do.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vidu_desktop.core.capabilities import PROVIDERS
from vidu_desktop.core.choices import MAX_VARIATIONS
from vidu_desktop.core.ids import new_id
from vidu_desktop.core.states import TaskMark, TaskState
from vidu_desktop.store import AppPaths, ArtifactStore, TaskRecord, TaskStore
from vidu_desktop.store.errors import board_error

from . import file_removal
from .events import EngineEvent, EventBus, EventKind
from .shots import ShotVerbs

if TYPE_CHECKING:  # (the plans' module loads when a board is first used)
    import asyncio

    from vidu_desktop.film import CancelFlag, ProgressCallback, Take
    from vidu_desktop.store import Board, Shot

    from .board_export import ExportReport
    from .board_plan import GenerationPlan, PlannedTask, RejectedDeletion, ShotTake

log = logging.getLogger(__name__)

SPEND_LIMIT_KEY = "boards.spend_limit"
#: the units prices are given in (the capability table's)
COST_UNITS = tuple(sorted({m.cost.unit for p in PROVIDERS.values() for m in p.models}))


class BoardVerbs(ShotVerbs):
    """What the engine does with boards (``Engine`` and ``SandboxEngine`` inherit it)."""

    tasks: TaskStore
    artifacts: ArtifactStore
    bus: EventBus
    paths: AppPaths
    #: whether tasks cost money here (the sandbox's do not)
    spends_money: bool = True
    create: Callable[..., TaskRecord]
    track: Callable[..., asyncio.Task[TaskRecord]]
    adapter: Callable[[str], object]
    stop_running: Callable[[str], Awaitable[None]]
    delete: Callable[..., list[Path]]

    # -- takes and marks ---------------------------------------------------------------------
    def takes(self, shot_id: str) -> list[ShotTake]:
        """The shot's takes in this library, numbered 1..N in the order they were made."""
        from .board_plan import ShotTake

        shot = self.board_store.require_shot(shot_id)
        current = self.recipe(self.board_store.require(shot.board_id), shot)
        found: list[ShotTake] = []
        for link in self.take_store.of_shot(shot_id):
            rec = self.tasks.get(link.local_id)
            if rec is not None:
                found.append(ShotTake(len(found) + 1, rec.local_id, rec, rec.mark,
                                      link.recipe != current))
        return found

    def chosen_take(self, shot_id: str) -> ShotTake | None:
        """The shot's starred take (there is at most one), or None."""
        return next((t for t in self.takes(shot_id) if t.mark == TaskMark.STAR), None)

    def shot_of_task(self, local_id: str) -> Shot | None:
        """The shot the task is a take of (None: a plain task, or its shot is gone)."""
        link = self.take_store.of_task(local_id)
        return self.board_store.shot(link.shot_id) if link is not None else None

    def mark_task(self, local_id: str, mark: TaskMark) -> TaskRecord:
        """Star, reject or unmark any task; a star on a take takes it off the shot's other
        takes. Each task whose mark changed is published (``EventKind.MARK``)."""
        if self.tasks.get(local_id) is None:
            raise board_error(f"No task {local_id} in the library.",
                              "It may have been deleted.")
        shot = self.shot_of_task(local_id)
        before = {t.local_id: t.mark for t in self.takes(shot.id)} if shot else {}
        self.take_store.set_mark(local_id, mark)
        changed = [local_id] + [i for i, m in before.items()
                                if i != local_id and m == TaskMark.STAR and mark == TaskMark.STAR]
        for task_id in changed:
            rec = self.tasks.get(task_id)
            if rec is not None:
                self.bus.publish(EngineEvent(EventKind.MARK, rec))
        if shot is not None:
            self._board_changed(shot.board_id)
        rec = self.tasks.get(local_id)
        assert rec is not None
        return rec

    def _take(self, shot_id: str, number: int) -> ShotTake:
        takes = self.takes(shot_id)
        if not 1 <= number <= len(takes):
            shot = self.board_store.require_shot(shot_id)
            have = (f"has {len(takes)} take{'s' if len(takes) != 1 else ''}" if takes
                    else "has no takes yet")
            raise board_error(f"Shot {shot.number} {have}; there is no take {number}.",
                              f"Pick one of its takes by number (1 to {len(takes)})."
                              if takes else "Generate the shot first.")
        return takes[number - 1]

    def pick_take(self, shot_id: str, number: int) -> TaskRecord:
        """Star take ``number`` (1..N) of the shot: it is the shot's chosen take."""
        return self.mark_task(self._take(shot_id, number).local_id, TaskMark.STAR)

    def reject_take(self, shot_id: str, number: int) -> TaskRecord:
        return self.mark_task(self._take(shot_id, number).local_id, TaskMark.REJECT)

    def rejected_summary(self) -> tuple[int, int]:
        """How many tasks are rejected, and how many of their files are on disk."""
        ids = self.take_store.marked(TaskMark.REJECT)
        files = sum(1 for i in ids for a in self.artifacts.for_task(i) if a.path.is_file())
        return len(ids), files

    async def delete_rejected(self, *, release: Callable[[str], Awaitable[None]] | None = None
                              ) -> RejectedDeletion:
        """Delete every rejected task with its files, sidecar and rows, as a task is deleted
        (``release``: asks the player to close a task's file first); a file another program
        holds is tried again for a few seconds and, if still held, left and listed."""
        from .board_plan import RejectedDeletion

        ids = self.take_store.marked(TaskMark.REJECT)
        paths: list[Path] = []
        for local_id in ids:
            await self.stop_running(local_id)
            if release is not None:
                await release(local_id)
            shot = self.shot_of_task(local_id)
            paths += [p for p in self.delete(local_id) if p.is_file()]
            if shot is not None:
                self._board_changed(shot.board_id)
        left = await file_removal.remove_files(paths)
        return RejectedDeletion(len(ids), len(paths) - len(left), tuple(left))

    # -- money -------------------------------------------------------------------------------
    def spend_limit(self) -> dict[str, float]:
        """The most one Generate of a board may cost without asking, per unit."""
        stored = self.profile_settings.get(SPEND_LIMIT_KEY, {})
        return {str(k): float(v) for k, v in stored.items()} if isinstance(stored, dict) else {}

    def set_spend_limit(self, unit: str, amount: float | None) -> None:
        """Set (None: remove) the limit for ``unit`` ("credits", "USD")."""
        if unit not in COST_UNITS:
            raise board_error(f"There is no cost unit {unit!r}.",
                              f"Use one of: {', '.join(COST_UNITS)}.")
        if amount is not None and not (math.isfinite(amount) and amount >= 0):
            raise board_error(f"The spend limit {amount!r} is not an amount.",
                              "Give 0 or more, or none to remove the limit.")
        limits = self.spend_limit()
        if amount is None:
            limits.pop(unit, None)
        else:
            limits[unit] = float(amount)
        self.profile_settings.set(SPEND_LIMIT_KEY, limits)

    # -- generation --------------------------------------------------------------------------
    def _has_take(self, shot_id: str) -> bool:
        """A take that made, or may still make, a video (failed and cancelled ones do not
        count)."""
        return any(t.record.state not in (TaskState.FAILED, TaskState.CANCELLED)
                   for t in self.takes(shot_id))

    def plan_generation(self, board_id: str, *, shot_ids: Iterable[str] | None = None,
                        takes_each: int = 1, only_missing: bool = False) -> GenerationPlan:
        """The tasks a Generate would create: ``takes_each`` takes of every shot (of
        ``shot_ids``; ``only_missing``: of those without a take in this library that
        succeeded or is under way), their estimated cost and every shot's problems."""
        from .board_plan import GenerationPlan, PlannedTask

        board = self.board_store.require(board_id)
        if not 1 <= takes_each <= MAX_VARIATIONS:
            raise board_error(f"{takes_each} takes of each shot asked for; 1 to "
                              f"{MAX_VARIATIONS} can be.", f"Ask for 1 to {MAX_VARIATIONS}.")
        shots = list(board.shots)
        if shot_ids is not None:
            wanted = list(dict.fromkeys(shot_ids))
            unknown = [s for s in wanted if board.shot(s) is None]
            if unknown:
                raise board_error(f"Board {board.name} has no shot {unknown[0]!r}.",
                                  "Pick shots of this board.")
            shots = [s for s in shots if s.id in wanted]
        if only_missing:
            shots = [s for s in shots if not self._has_take(s.id)]
        problems: list[str] = [] if board.shots else [f"Board {board.name} has no shots"]
        items: list[PlannedTask] = []
        for shot in shots:
            found = self.shot_problems(board, shot)
            problems += found
            if not found:
                recipe = self.recipe(board, shot)
                items += [PlannedTask(shot.id, shot.number, r, recipe)
                          for r in self.shot_requests(board, shot, takes_each)]
        cost: dict[str, float] = {}
        unknown_cost = 0
        for item in items:
            r = item.request.resolved()
            price = r.spec.cost_at(r.duration, r.resolution, r.audio)
            if price.amount is None:
                unknown_cost += 1
            else:
                cost[price.unit] = cost.get(price.unit, 0.0) + price.amount
        limit = self.spend_limit()
        over = self.spends_money and any(cost.get(u, 0.0) > a for u, a in limit.items())
        return GenerationPlan(board.id, tuple(items), len(items), cost, over,
                              tuple(problems), unknown_cost, not self.spends_money, limit)

    async def generate_plan(self, plan: GenerationPlan) -> list[str]:
        """Create and start the plan's tasks (refused, nothing written, when it has
        problems); returns their ids. Each task's row and its link to its shot are written
        in one transaction before anything is sent."""
        if plan.problems:
            raise board_error("The board cannot be generated: " + "; ".join(plan.problems)
                              + ".", "Correct the shots named, then generate again.")
        for host in dict.fromkeys(i.request.provider.value for i in plan.items):
            self.adapter(host)  # a missing key fails before anything is written
        groups: dict[str, tuple[str, int]] = {}
        ids = []
        for item in plan.items:
            group, index = groups.get(item.shot_id, (new_id(), -1))
            groups[item.shot_id] = (group, index + 1)

            def link(rec: TaskRecord, item: PlannedTask = item) -> None:
                self.take_store.link(rec.local_id, item.shot_id, item.recipe)

            rec = self.create(item.request, group_id=group, take_index=index + 1,
                              with_row=link)
            ids.append(rec.local_id)
            self.track(rec.local_id)
        if ids:
            self._board_changed(plan.board_id)
        return ids

    # -- shot lists -------------------------------------------------------------------------
    async def import_shot_list(self, path: Path, *, board_name: str, provider: str,
                               model: str) -> Board:
        """A new board from a CSV shot list (see ``engine/shotlists.py``): every row checked
        first; any bad row refuses the whole file, naming each."""
        from .shotlists import import_shot_list

        return await import_shot_list(self, Path(path), board_name=board_name,
                                      provider=provider, model=model)

    def export_shot_list(self, board_id: str, path: Path) -> Path:
        """Write the board's shots as a CSV shot list (what round-trips: ``shotlists``)."""
        from .shotlists import export_shot_list

        return export_shot_list(self, board_id, Path(path))

    # -- the cut -----------------------------------------------------------------------------
    def cut(self, board_id: str) -> list[Take]:
        """Each shot's chosen take, in order, as the film's takes; AppError naming every
        shot without a chosen take whose video is on disk."""
        from .board_export import cut_of

        return cut_of(self.board_store.require(board_id), self.take_store, self.tasks,
                      self.artifacts, free=not self.spends_money)

    def export_board(self, board_id: str, folder: Path, *, name: str, mp4: bool = True,
                     timelines: Sequence[str] = ("otio",), sheet: Sequence[str] = ("png",),
                     progress: ProgressCallback | None = None,
                     cancel: CancelFlag | None = None) -> ExportReport:
        """Write the cut's film, timelines and contact sheet to ``folder`` as ``name.*``.
        BLOCKING: it may be called from a worker thread (it reads the library through
        connections of its own); every file is whole or not there."""
        from .board_export import export_from

        return export_from(self.boards_database, self.paths.database, self.paths.media_root,
                           board_id, Path(folder), name=name, mp4=mp4, timelines=timelines,
                           sheet=sheet, progress=progress, cancel=cancel,
                           free=not self.spends_money)
