"""What ``vidu-cli board list|show`` print: a board's shots, their takes and marks, as text or
one JSON document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vidu_desktop.core.formatting import excerpt, host_label, money
from vidu_desktop.core.states import TaskMark
from vidu_desktop.store import Board, Shot

if TYPE_CHECKING:
    from vidu_desktop.engine import Engine
    from vidu_desktop.engine.board_plan import GenerationPlan, ShotTake

MARKS = {TaskMark.STAR: "chosen", TaskMark.REJECT: "rejected", TaskMark.NONE: ""}


def take_dict(take: ShotTake) -> dict[str, Any]:
    rec = take.record
    return {"number": take.number, "local_id": take.local_id, "state": rec.state.value,
            "mark": take.mark.value, "stale": take.stale, "seed": rec.seed}


def shot_dict(engine: Engine, shot: Shot) -> dict[str, Any]:
    takes = engine.takes(shot.id)
    chosen = next((t.number for t in takes if t.mark == TaskMark.STAR), None)
    names = [m.name if m else "?" for m in (engine.cast_member(i) for i in shot.cast)]
    return {"number": shot.number, "id": shot.id, "prompt": shot.prompt, "cast": names,
            "references": [r.original_name or r.sha256[:12] for r in shot.references],
            "parameters": shot.parameters,
            "state": takes[-1].record.state.value if takes else "no takes",
            "chosen": chosen, "takes": [take_dict(t) for t in takes]}


def board_dict(engine: Engine, board: Board) -> dict[str, Any]:
    return {"id": board.id, "name": board.name, "provider": board.provider,
            "model": board.model, "parameters": board.parameters,
            "shots": [shot_dict(engine, s) for s in board.shots]}


def _parameters(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in values.items())


def print_board(engine: Engine, board: Board) -> None:
    data = board_dict(engine, board)
    count = len(board.shots)
    print(f"{board.name} · {host_label(board.provider)} {board.model} · {count} "
          f"shot{'s' if count != 1 else ''} · id {board.id}")
    if board.parameters:
        print(f"  defaults: {_parameters(board.parameters)}")
    for shot in data["shots"]:
        extra = []
        if shot["cast"]:
            extra.append("cast " + " ".join("@" + n for n in shot["cast"]))
        if shot["references"]:
            extra.append(f"{len(shot['references'])} picture(s)")
        if shot["parameters"]:
            extra.append(_parameters(shot["parameters"]))
        chosen = f"take {shot['chosen']} chosen" if shot["chosen"] else "no take chosen"
        print(f"Shot {shot['number']}: {excerpt(shot['prompt'], 60)}"
              + (f"  ({'; '.join(extra)})" if extra else ""))
        if not shot["takes"]:
            print("    no takes yet")
            continue
        print(f"    {len(shot['takes'])} take(s), {chosen}")
        for take in shot["takes"]:
            words = [w for w in (MARKS[TaskMark(take["mark"])],
                                 "stale: the shot changed since" if take["stale"] else "") if w]
            print(f"    take {take['number']}  {take['state']:<15} {take['local_id']}"
                  + (f"  {', '.join(words)}" if words else ""))


def plan_words(plan: GenerationPlan) -> str:
    """"6 tasks, about 48 credits (an estimate)"."""
    count = f"{plan.task_count} task{'s' if plan.task_count != 1 else ''}"
    if plan.free:
        return f"{count}, sandbox: placeholder videos, no cost"
    costs = [money(a, u) for u, a in sorted(plan.cost.items())]
    unknown = (f"{plan.cost_unknown} of unknown cost" if plan.cost_unknown else "")
    cost = " + ".join(costs)
    money_words = (f"about {cost} (an estimate)" if cost else "") + (
        ("; " if cost else "") + unknown if unknown else "")
    return f"{count}, {money_words or 'no cost known'}"
