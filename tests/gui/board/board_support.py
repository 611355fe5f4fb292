"""Boards made for the board area's tests: real pictures kept through the engine, shots, and
takes made by the emulator through the engine's plan (as Generate… makes them)."""

from __future__ import annotations

from typing import Any

from conftest import make_image

from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import Engine
from vidu_desktop.store import Board, DraftReference, ReferenceMeta

PROMPTS = ("a fox runs along the beach at dawn", "the fox stops at the water's edge",
           "waves wash over its paws", "it looks back at the dunes",
           "gulls rise from the sand", "the sun clears the horizon")


def picture(engine: Engine, shade: int) -> DraftReference:
    data = make_image(400, 300, color=(shade, 90, 140))
    sha = engine.keep_reference(data, ReferenceMeta("png", 400, 300, f"ref-{shade}.png"))
    return DraftReference(sha, f"view {shade}", f"ref-{shade}.png")


def make_board(engine: Engine, shots: int = 3, name: str = "Beach day") -> Board:
    board = engine.create_board(name, "vidu", "viduq1")
    pic = picture(engine, 40)
    for prompt in PROMPTS[:shots]:
        engine.add_shot(board.id, prompt=prompt, references=(pic,))
    found = engine.board(board.id)
    assert found is not None
    return found


def shown_board(window: Any, shots: int) -> Board:
    """A board of ``shots`` shots made through the window's engine, shown in its Board area."""
    board = make_board(window.session.engine, shots)
    window.board.reload(board_id=board.id)
    return board


def generate(engine: Engine, run: Any, qtbot: Any, board: Board, takes: int = 2,
             shot_ids: list[str] | None = None) -> list[str]:
    """``takes`` takes of each shot (of ``shot_ids``), waited for until they succeed."""
    plan = engine.plan_generation(board.id, shot_ids=shot_ids, takes_each=takes)
    assert not plan.problems, plan.problems
    ids: list[str] = run(engine.generate_plan(plan))

    def done() -> bool:
        records = [engine.task(i) for i in ids]
        return all(r is not None and r.state == TaskState.SUCCEEDED for r in records)

    qtbot.waitUntil(done, timeout=60_000)
    return ids
