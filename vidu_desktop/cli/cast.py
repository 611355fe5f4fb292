"""``vidu-cli cast list|add|rename|remove``: the library's cast, through the engine's verbs.

Members are named on the command line by their name (the same whatever its case). ``remove``
says what uses the member first and needs ``--yes`` when drafts or tasks do: the drafts drop it
(their prompts keep the mention), the tasks keep their request and pictures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import TYPE_CHECKING, Any

from vidu_desktop.core.capabilities import Mode, provider
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.mentions import name_problem
from vidu_desktop.store import MAX_PICTURES, CastMember, CastUsage

from . import output as out
from .output import fail, report_error

if TYPE_CHECKING:
    from vidu_desktop.engine import Engine


def usage_words(usage: CastUsage) -> str:
    """ "2 drafts (Shot 1, Shot 2) and 1 task", or "nothing"."""
    parts = []
    if usage.drafts:
        n = len(usage.drafts)
        parts.append(f"{n} draft{'s' if n != 1 else ''} ({', '.join(usage.drafts)})")
    if usage.tasks:
        parts.append(f"{usage.tasks} task{'s' if usage.tasks != 1 else ''}")
    return " and ".join(parts) or "nothing"


def member_dict(member: CastMember, usage: CastUsage | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": member.id, "name": member.name, "description": member.description,
        "voice_id": member.voice_id,
        "pictures": [{"sha256": p.sha256, "name": p.original_name or p.label}
                     for p in member.pictures]}
    if usage is not None:
        data["used_by"] = {"drafts": list(usage.drafts), "tasks": usage.tasks}
    return data


def _unknown(name: str, as_json: bool) -> int:
    return fail(f"no cast member is called {name!r}", out.INVALID,
                f"{out.command('cast list')} shows the cast.", as_json=as_json)


async def cmd_cast(engine: Engine, args: argparse.Namespace) -> int:
    try:
        return await _ACTIONS[args.cast_action](engine, args)
    except AppError as err:
        return report_error(err, as_json=args.json)


async def _list(engine: Engine, args: argparse.Namespace) -> int:
    members = [(m, engine.cast_usage(m.id)) for m in engine.cast_members()]
    if args.json:
        print(json.dumps([member_dict(m, u) for m, u in members], ensure_ascii=False))
        return out.OK
    for m, usage in members:
        count = len(m.pictures)
        line = f"{m.name:<20} {count} picture{'s' if count != 1 else ' '}"
        line += f"  voice {m.voice_id}" if m.voice_id else ""
        line += f"  used by {usage_words(usage)}"
        print(line + (f"\n    {m.description}" if m.description else ""))
    if not members:
        print(f"no cast members; {out.command('cast add NAME PIC...')} adds one")
    return out.OK


async def _add(engine: Engine, args: argparse.Namespace) -> int:
    from vidu_desktop.imaging.bridge import prepare_for_request

    name = args.name.strip()
    problem = name_problem(name)  # before any picture is prepared (the engine checks again)
    if problem is not None:
        return fail(problem, out.INVALID, as_json=args.json)
    taken = engine.cast_member_named(name)
    if taken is not None:
        return fail(f"a cast member is already called {taken.name!r}", out.INVALID,
                    f"Choose another name, or {out.command(f'cast rename {taken.name} NEW')} "
                    "first.", as_json=args.json)
    if len(args.pictures) > MAX_PICTURES:
        return fail(f"{len(args.pictures)} pictures given; a cast member takes 1 to "
                    f"{MAX_PICTURES}", out.INVALID, "Keep the pictures that show it best.",
                    as_json=args.json)
    spec = provider(args.host)
    model = args.model or spec.models_for(Mode.REFERENCE2VIDEO)[0].model
    images = await asyncio.to_thread(prepare_for_request, list(args.pictures), spec.id, model,
                                     Mode.REFERENCE2VIDEO)
    member = engine.add_cast_member(name, engine.keep_pictures(images),
                                    args.description, args.voice)
    if args.json:
        print(json.dumps(member_dict(member), ensure_ascii=False))
    else:
        count = len(member.pictures)
        print(f"cast member {member.name} added ({count} picture{'s' if count != 1 else ''}, "
              f"prepared for {spec.display_name} {model}); the prompt mentions it as "
              f"@{member.name}")
    return out.OK


async def _rename(engine: Engine, args: argparse.Namespace) -> int:
    member = engine.cast_member_named(args.old)
    if member is None:
        return _unknown(args.old, args.json)
    renamed = engine.update_cast_member(member.id, name=args.new)
    usage = engine.cast_usage(member.id)
    if args.json:
        print(json.dumps(member_dict(renamed, usage), ensure_ascii=False))
    else:
        follow = (f"; the prompts of {len(usage.drafts)} draft(s) now say @{renamed.name}"
                  if usage.drafts else "")
        print(f"cast member {member.name} is now {renamed.name}{follow}")
    return out.OK


async def _remove(engine: Engine, args: argparse.Namespace) -> int:
    member = engine.cast_member_named(args.name)
    if member is None:
        return _unknown(args.name, args.json)
    usage = engine.cast_usage(member.id)
    if usage.used and not args.yes:
        return fail(f"{member.name} is used by {usage_words(usage)}; nothing was removed",
                    out.INVALID, f"Add --yes to remove it anyway: the drafts drop "
                    f"{member.name} (their prompts keep the mention), the tasks keep their "
                    "pictures.", as_json=args.json)
    engine.delete_cast_member(member.id)
    if args.json:
        print(json.dumps({"removed": member_dict(member, usage)}, ensure_ascii=False))
    else:
        print(f"cast member {member.name} removed (it was used by {usage_words(usage)})"
              + (f"; {', '.join(usage.drafts)} no longer have it" if usage.drafts else ""))
    return out.OK


_ACTIONS = {"list": _list, "add": _add, "rename": _rename, "remove": _remove}
