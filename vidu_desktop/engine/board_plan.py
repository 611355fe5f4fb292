"""What the board verbs hand out: a shot's takes, a plan of tasks to generate with its
estimated cost, and the recipe that tells when a take is stale.

A take's recipe is a hash of everything the shot asked for when the take was made: host,
model, prompt, loose pictures (by content hash), cast members (ids, their pictures' hashes and
voice) and the effective parameters (the board's defaults under the shot's own; a random seed
counts as "random", not as the seed drawn). A take whose recipe differs from the shot's now is
stale: the shot changed since it was made.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from vidu_desktop.core.choices import Choices
from vidu_desktop.core.mentions import MENTION
from vidu_desktop.core.records import record
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskMark
from vidu_desktop.store import Board, CastMember, Shot, TaskRecord


@record
class ShotTake:
    number: int  # 1..N in the order the shot's takes were made
    local_id: str
    record: TaskRecord
    mark: TaskMark
    stale: bool  # the shot changed since this take was made


@record
class PlannedTask:
    shot_id: str
    shot_number: int
    request: GenerationRequest
    recipe: str = ""  # the shot's recipe when planned (recorded with the take)


@record
class GenerationPlan:
    """The tasks one Generate of a board would create, before anything is written or sent.

    ``cost`` is an estimate per unit ("credits", "USD") from the capability table;
    ``cost_unknown`` counts the tasks whose host publishes no price; ``free``: the sandbox,
    where nothing is charged (``over_limit`` is then never set). ``problems``: one line per
    shot that cannot be sent ("Shot 3: the prompt is empty"); a plan with problems is refused
    by ``generate_plan``."""

    board_id: str
    items: tuple[PlannedTask, ...]
    task_count: int
    cost: dict[str, float]
    over_limit: bool
    problems: tuple[str, ...]
    cost_unknown: int = 0
    free: bool = False
    limit: dict[str, float] = field(default_factory=dict)


@record
class RejectedDeletion:
    """What ``delete_rejected`` did: tasks and files deleted, and the files another program
    still holds (they stay; the user closes the program and deletes them)."""

    tasks: int
    files: int
    left: tuple[Path, ...] = ()


def effective_parameters(board: Board, shot: Shot) -> dict[str, Any]:
    """The shot's parameters as sent: the model's defaults, under the board's, under the
    shot's own (a random seed as ``random_seed`` alone)."""
    choices = Choices.for_model(board.provider, board.model,
                                {**board.parameters, **shot.parameters})
    values = choices.to_parameters()
    values.pop("variations", None)
    if values.get("random_seed"):
        values.pop("seed", None)
    return values


def recipe_of(board: Board, shot: Shot, members: Sequence[CastMember | None]) -> str:
    """The hash of what ``shot`` asks for now (``members``: its cast, None where a member is
    no longer in the cast)."""
    known = {m.name.casefold(): m.id for m in members if m is not None}

    def by_id(m: re.Match[str]) -> str:  # a renamed member's mentions make the same recipe
        member_id = known.get(m.group(1).casefold())
        return "@#" + member_id if member_id else m.group(0)

    data = {
        "provider": board.provider, "model": board.model,
        "prompt": MENTION.sub(by_id, shot.prompt),
        "references": [r.sha256 for r in shot.references],
        "cast": [{"id": cid, "pictures": list(m.hashes), "voice": m.voice_id}
                 if m is not None else {"id": cid, "missing": True}
                 for cid, m in zip(shot.cast, members, strict=True)],
        "parameters": effective_parameters(board, shot),
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
