"""``vidu-cli board``: storyboards through the engine's verbs (the real library, or the
sandbox's with ``--sandbox``). BOARD is a board's name or id; shots and takes are numbered as
``board show`` prints them."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from vidu_desktop.core.capabilities import Mode, ProviderId, provider
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import Board, TaskRecord
from vidu_desktop.store.names import safe_file_name

from . import output as out
from .board_parser import parameters_of
from .board_show import board_dict, plan_words, print_board
from .commands import follow
from .output import fail, report_error

if TYPE_CHECKING:
    from vidu_desktop.engine import Engine


def _model(host: str, model: str | None) -> str:
    return model or provider(host).models_for(Mode.REFERENCE2VIDEO)[0].model


class Unknown(Exception):
    """No board has this name or id."""


async def cmd_board(engine: Engine, args: argparse.Namespace) -> int:
    try:
        return await _ACTIONS[args.board_action](engine, args)
    except Unknown as missing:
        return fail(f"no board is called {missing.args[0]!r}", out.INVALID,
                    f"{out.command('board list')} shows the boards.", as_json=args.json)
    except AppError as err:
        return report_error(err, as_json=args.json)


def _board(engine: Engine, ident: str) -> Board:
    board = engine.board(ident) or engine.board_named(ident)
    if board is None:
        raise Unknown(ident)
    return board


def _shot_id(board: Board, number: int) -> str:
    if not 1 <= number <= len(board.shots):
        from vidu_desktop.store.boards import board_error

        raise board_error(f"Board {board.name} has {len(board.shots)} shot(s); there is no "
                          f"shot {number}.", f"{out.command(f'board show {board.name!r}')} "
                          "lists them.")
    return board.shots[number - 1].id


def _emit(engine: Engine, board: Board, as_json: bool) -> None:
    if as_json:
        print(json.dumps(board_dict(engine, board), ensure_ascii=False))
    else:
        print_board(engine, board)


async def _new(engine: Engine, args: argparse.Namespace) -> int:
    board = engine.create_board(args.name, args.provider, _model(args.provider, args.model),
                                parameters_of(args))
    _emit(engine, board, args.json)
    return out.OK


async def _list(engine: Engine, args: argparse.Namespace) -> int:
    boards = engine.boards()
    if args.json:
        print(json.dumps([{"id": b.id, "name": b.name, "provider": b.provider,
                           "model": b.model, "shots": b.shot_count} for b in boards],
                         ensure_ascii=False))
        return out.OK
    for b in boards:
        print(f"{b.name:<30} {b.provider}/{b.model:<16} {b.shot_count} shot(s)  id {b.id}")
    if not boards:
        print(f"no boards; {out.command('board new NAME')} makes one")
    return out.OK


async def _show(engine: Engine, args: argparse.Namespace) -> int:
    _emit(engine, _board(engine, args.board), args.json)
    return out.OK


async def _add_shot(engine: Engine, args: argparse.Namespace) -> int:
    from vidu_desktop.imaging.bridge import prepare_for_request

    board = _board(engine, args.board)
    cast = []
    for name in args.subject:
        member = engine.cast_member_named(name.lstrip("@"))
        if member is None:
            return fail(f"no cast member is called {name!r}", out.INVALID,
                        f"{out.command(f'cast add {name} PIC...')} adds one; "
                        f"{out.command('cast list')} shows the cast.", as_json=args.json)
        cast.append(member.id)
    images = await asyncio.to_thread(prepare_for_request, list(args.ref),
                                     ProviderId(board.provider), board.model,
                                     Mode.REFERENCE2VIDEO)
    shot = engine.add_shot(board.id, prompt=args.prompt, references=engine.keep_pictures(
        images), cast=cast, parameters=parameters_of(args),
        position=None if args.position is None else args.position - 1)
    if args.json:
        _emit(engine, _board(engine, board.id), True)
    else:
        print(f"shot {shot.number} added to {board.name}")
    return out.OK


async def _import(engine: Engine, args: argparse.Namespace) -> int:
    board = await engine.import_shot_list(args.csv, board_name=args.name,
                                          provider=args.provider,
                                          model=_model(args.provider, args.model))
    _emit(engine, board, args.json)
    return out.OK


async def _export_csv(engine: Engine, args: argparse.Namespace) -> int:
    board = _board(engine, args.board)
    path = engine.export_shot_list(board.id, args.out)
    print(json.dumps({"path": str(path)}) if args.json else
          f"{len(board.shots)} shot(s) of {board.name} written to {path}")
    return out.OK


async def _generate(engine: Engine, args: argparse.Namespace) -> int:
    board = _board(engine, args.board)
    shot_ids = [_shot_id(board, n) for n in args.shot] or None
    plan = engine.plan_generation(board.id, shot_ids=shot_ids, takes_each=args.takes,
                                  only_missing=args.missing)
    if plan.problems:
        return fail("the board cannot be generated:\n  " + "\n  ".join(plan.problems),
                    out.INVALID, "Correct the shots named, then generate again.",
                    as_json=args.json)
    if not plan.task_count:
        print("nothing to generate: every shot asked for has a take")
        return out.OK
    out.say(f"{board.name}: {plan_words(plan)}")
    if plan.over_limit and not args.yes:
        limits = ", ".join(f"{a:g} {u}" for u, a in sorted(plan.limit.items()))
        return fail(f"the estimate is above the spend limit ({limits}); nothing was sent",
                    out.INVALID, "Add --yes to generate anyway, generate fewer shots or "
                    f"takes, or raise the limit with {out.command('board spend-limit UNIT N')}.",
                    as_json=args.json)
    ids = await engine.generate_plan(plan)
    for local_id in ids:
        out.say(f"task {local_id}: submitting")
    if args.wait or args.sandbox:
        records = await asyncio.gather(*(_follow(engine, i, args.json) for i in ids))
    else:
        records = [await engine.wait_until_sent(i) for i in ids]
    return _summary(engine, board, list(records), args.json)


async def _follow(engine: Engine, local_id: str, quiet: bool) -> TaskRecord:
    return await follow(engine, local_id, quiet, label=True)


def _summary(engine: Engine, board: Board, records: list[TaskRecord], as_json: bool) -> int:
    if as_json:
        print(json.dumps({"board": board.id, "tasks": [
            {"local_id": r.local_id, "state": r.state.value} for r in records]}))
    else:
        done = sum(r.state == TaskState.SUCCEEDED for r in records)
        print(f"{board.name}: {done} of {len(records)} task(s) succeeded; "
              f"{out.command(f'board show {board.name!r}')} lists the takes")
    return max((out.exit_for(r) for r in records), default=out.OK)


async def _mark(engine: Engine, args: argparse.Namespace) -> int:
    board = _board(engine, args.board)
    shot_id = _shot_id(board, args.shot)
    verb = engine.pick_take if args.board_action == "pick" else engine.reject_take
    rec = verb(shot_id, args.take)
    word = "picked" if args.board_action == "pick" else "rejected"
    print(json.dumps({"local_id": rec.local_id, "mark": rec.mark.value}) if args.json else
          f"shot {args.shot}: take {args.take} {word} ({rec.local_id})")
    return out.OK


async def _export(engine: Engine, args: argparse.Namespace) -> int:
    board = _board(engine, args.board)
    name = args.name or safe_file_name(board.name)
    report = await asyncio.to_thread(
        engine.export_board, board.id, Path(args.out).absolute(), name=name,
        mp4=not args.no_mp4, timelines=args.timeline or ("otio",),
        sheet=args.sheet or ("png",))
    if args.json:
        print(json.dumps({"paths": [str(p) for p in report.paths],
                          "duration": report.duration}))
    else:
        for path in report.paths:
            print(path)
    return out.OK


async def _spend_limit(engine: Engine, args: argparse.Namespace) -> int:
    if args.unit is not None and args.amount is not None:
        if args.amount.lower() == "none":
            amount = None
        else:
            try:
                amount = float(args.amount)
            except ValueError:
                amount = math.nan
        engine.set_spend_limit(args.unit, amount)
    limits = engine.spend_limit()
    if args.json:
        print(json.dumps(limits))
    else:
        print(", ".join(f"{a:g} {u}" for u, a in sorted(limits.items())) or "no spend limit")
    return out.OK


_ACTIONS = {"new": _new, "list": _list, "show": _show, "add-shot": _add_shot,
            "import": _import, "export-csv": _export_csv, "generate": _generate,
            "pick": _mark, "reject": _mark, "export": _export, "spend-limit": _spend_limit}
