"""The commands of ``vidu-cli`` that work on the library: generate, status, list, resume,
cancel and download (each gets the engine of the library in use, real or sandbox)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from vidu_desktop.core.capabilities import Mode, ProviderId, provider
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.formatting import excerpt, host_label, money
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.core.validation import validate
from vidu_desktop.store import RESUMABLE, ArtifactKind, TaskFilter, TaskRecord

from . import output as out
from . import subjects
from .cast import cmd_cast
from .output import fail, report_error, show

if TYPE_CHECKING:  # the engine (httpx, PyAV) is imported only by the commands that use it
    from vidu_desktop.engine import Engine, EngineEvent


# -- generate --------------------------------------------------------------------------------
def load_images(sources: list[str], pid: ProviderId, model: str, mode: Mode
                ) -> list[ReferenceImage]:
    """Check and prepare every image for the host (files, URLs); raise AppError naming it."""
    from vidu_desktop.imaging.bridge import prepare_for_request

    return prepare_for_request(sources, pid, model, mode)


def check_request(request: GenerationRequest, image_count: int) -> None:
    """Refuse bad parameters before any picture is prepared (the engine checks again); the
    subjects' pictures still to prepare are placeholders already."""
    draft = replace(request, images=tuple(ReferenceImage("") for _ in range(image_count)))
    try:
        problems = validate(draft)
    except KeyError:  # core: an unknown duration without a resolution has no default
        spec = request.spec
        allowed = ", ".join(str(d) for d in spec.durations)
        raise AppError(ErrorKind.INVALID_PARAMETER, f"Duration {request.duration!r} is not "
                       f"offered by this model; allowed: {allowed}.",
                       "Change the named values.", retryable=False) from None
    if problems:
        voices = [s.name for s in request.subjects if s.voice_id]
        leave_out = (f" --voice {voices[0]}= leaves a cast member's voice out of this request."
                     if voices and any(p.field == "voice_id" for p in problems) else "")
        raise AppError(ErrorKind.INVALID_PARAMETER, " ".join(str(p) for p in problems),
                       "Change the named values (`vidu-cli providers` lists them)."
                       + leave_out, retryable=False)


async def cmd_generate(engine: Engine, args: argparse.Namespace) -> int:
    spec = provider(args.host)
    mode = Mode.IMG2VIDEO if args.img2video else Mode.REFERENCE2VIDEO
    model = args.model or spec.models_for(mode)[0].model
    try:
        target = out.out_target(args.out)
    except ValueError as exc:
        return fail(str(exc), out.INVALID, as_json=args.json)
    if args.prompt_file:
        try:
            prompt = Path(args.prompt_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return fail(f"cannot read the prompt file {args.prompt_file}: {exc}", out.INVALID,
                        as_json=args.json)
    else:
        prompt = args.prompt or ""
    request = GenerationRequest(
        provider=spec.id, model=model, mode=mode, prompt=prompt, images=(),
        duration=args.duration, resolution=args.resolution, aspect_ratio=args.aspect_ratio,
        movement_amplitude=args.movement, seed=args.seed, bgm=args.bgm,
        payload=args.payload or "", off_peak=args.off_peak, audio=args.audio)
    if args.subject and mode != Mode.REFERENCE2VIDEO:
        return fail("--subject works with reference-to-video only", out.INVALID,
                    "Leave out --img2video, or give the start frame with -i.",
                    as_json=args.json)
    try:
        wanted = subjects.subject_args(args.subject)
        request = replace(request, subjects=subjects.draft_subjects(
            engine, wanted, subjects.voice_args(args.voice, wanted)))
        check_request(request, len(args.image))
        engine.adapter(spec.id)  # no key: say so before the pictures are prepared
        images = await asyncio.to_thread(load_images, subjects.files_to_prepare(
            wanted, args.image), spec.id, model, mode)
        cast, loose = subjects.fill(request.subjects, wanted, images)
        rec = await engine.submit(replace(request, subjects=cast, images=loose))
    except AppError as err:
        return report_error(err, spec.id, as_json=args.json)
    subjects.tell_numbers(rec.request)
    if not args.json:
        if args.sandbox:
            cost = "sandbox: a placeholder video, no cost"
        elif rec.estimated_cost is not None:
            cost = f"{money(rec.estimated_cost, rec.estimated_cost_unit)} estimated"
        else:
            cost = "cost unknown until it is done"
        print(f"task {rec.local_id}: submitting to {host_label(spec.id.value)} ({cost})",
              flush=True)
    rec = await engine.wait_until_sent(rec.local_id)
    if rec.state == TaskState.DRAFT:  # never reached the host; the outbox keeps it
        return unsent(engine, rec, args.json)
    if args.sandbox and not args.wait:
        out.say("sandbox: following the task to its end (--wait), as the built-in emulator "
                "stops when vidu-cli does")
    if ((args.wait or args.sandbox) and not rec.state.is_terminal
            and rec.state != TaskState.OUTCOME_UNKNOWN):
        rec = await follow(engine, rec.local_id, args.json)
    return finish(engine, rec, target, args.json)


def unsent(engine: Engine, rec: TaskRecord, as_json: bool) -> int:
    show(rec, engine, as_json)
    why = (rec.error.message if rec.error is not None
           else f"{host_label(rec.provider)} could not be reached.")
    out.say(f"task {rec.local_id}: {why} Nothing was sent; the task waits in the outbox.",
            f"{out.command('resume')} sends it when the host answers again.")
    return out.NETWORK


async def follow(engine: Engine, local_id: str, quiet: bool,
                 work: Awaitable[TaskRecord] | None = None, label: bool = False
                 ) -> TaskRecord:
    """Wait for ``work`` (default: until the engine is done with the task), telling each
    state change on stderr unless ``quiet`` (``label``: with the task's id)."""
    from vidu_desktop.engine import EventKind

    def tell(event: EngineEvent) -> None:
        if event.local_id == local_id and event.kind == EventKind.STATE:
            rec = event.record
            print(f"  {local_id[:8] + ' ' if label else ''}{rec.state.value}"
                  + (f": {rec.detail}" if rec.detail else ""), file=sys.stderr, flush=True)

    unsubscribe = engine.listen(tell) if not quiet else (lambda: None)
    try:
        return await (work if work is not None else engine.wait(local_id))
    finally:
        unsubscribe()


def finish(engine: Engine, rec: TaskRecord, target: Path | None, as_json: bool) -> int:
    saved = None
    if target is not None and rec.state == TaskState.SUCCEEDED:
        try:
            saved = out.save_to(engine, rec, target)
        except OSError as exc:
            show(rec, engine, as_json)
            return fail(f"the video is in the library but could not be copied to {target}: "
                        f"{exc.strerror or exc}", out.OTHER)
    show(rec, engine, as_json, saved=saved)
    return out.exit_for(rec)


# -- the other task commands -----------------------------------------------------------------
def find(engine: Engine, ident: str) -> TaskRecord | None:
    return engine.task(ident) or engine.task_by_remote_id(ident)


def unknown_task(ident: str, as_json: bool = False) -> int:
    return fail(f"no task {ident} in the library", out.INVALID,
                f"{out.command('list')} shows the tasks (local or the host's id).",
                as_json=as_json)


async def cmd_status(engine: Engine, args: argparse.Namespace) -> int:
    rec = find(engine, args.id)
    if rec is None:
        return unknown_task(args.id, args.json)
    show(rec, engine, args.json)
    return out.OK


async def cmd_list(engine: Engine, args: argparse.Namespace) -> int:
    states = [TaskState(s) for s in args.state] if args.state else None
    rows = engine.tasks_page(TaskFilter.of(states=states, provider=args.host,
                                           text=args.search), limit=args.limit)
    if args.json:
        print(json.dumps([out.record_dict(r, engine) for r in rows], ensure_ascii=False))
        return out.OK
    for r in rows:
        print(f"{r.local_id}  {r.state.value:<15} {r.provider:<10} {r.model:<22} "
              f"{excerpt(r.prompt, 50)}")
    if not rows:
        print("no tasks")
    return out.OK


async def until_sent(engine: Engine, local_id: str, limit: float) -> TaskRecord:
    """A task in the outbox: wait (at most ``limit`` s) until the sender has taken it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        rec = engine.task(local_id)
        assert rec is not None
        if rec.state != TaskState.DRAFT or loop.time() > deadline:
            return rec
        await asyncio.sleep(0.05)


async def resume_one(engine: Engine, rec: TaskRecord, args: argparse.Namespace) -> TaskRecord:
    if rec.state == TaskState.DRAFT and not args.resend:
        engine.wake_outbox()
        rec = await until_sent(engine, rec.local_id, args.outbox_wait)
        if rec.state == TaskState.DRAFT:
            return rec
        return await follow(engine, rec.local_id, args.json, label=True)
    return await follow(engine, rec.local_id, args.json,
                        engine.resume(rec.local_id, resend=args.resend), label=True)


async def cmd_resume(engine: Engine, args: argparse.Namespace) -> int:
    engine.start_sweep()  # partial files a crash left; awaited when the engine closes
    if args.id:
        found = [(i, find(engine, i)) for i in args.id]
        missing = [i for i, r in found if r is None]
        if missing:
            return unknown_task(", ".join(missing), args.json)
        recs = [r for _, r in found if r is not None]
    else:
        recs = engine.tasks_in(RESUMABLE | {TaskState.DRAFT})
        recs = [r for r in recs if r.state != TaskState.DRAFT or engine.in_outbox(r.local_id)]
        if not recs and not args.json:
            print("nothing to resume")
    if args.resend and (bad := [f"{r.local_id} is {r.state.value}" for r in recs if r.state
                                not in (TaskState.OUTCOME_UNKNOWN, TaskState.DRAFT)]):
        return fail(f"not resent: {'; '.join(bad)}", out.INVALID, "Only a task whose submit "
                    "outcome is unknown can be sent again.", as_json=args.json)
    code = out.OK
    runnable = []
    for rec in recs:
        try:
            engine.adapter(rec.provider)
        except AppError as err:
            code = max(code, report_error(err, rec.provider, as_json=args.json))
        else:
            runnable.append(rec)
    results = await asyncio.gather(*(resume_one(engine, r, args) for r in runnable),
                                   return_exceptions=True)
    for rec, result in zip(runnable, results, strict=True):
        if isinstance(result, AppError):
            code = max(code, report_error(result, rec.provider, as_json=args.json))
        elif isinstance(result, TaskRecord):
            if result.state == TaskState.DRAFT:
                code = max(code, unsent(engine, result, args.json))
            else:
                code = max(code, finish(engine, result, None, args.json))
        elif isinstance(result, BaseException):
            raise result
    return code


async def cmd_cancel(engine: Engine, args: argparse.Namespace) -> int:
    rec = find(engine, args.id)
    if rec is None:
        return unknown_task(args.id, args.json)
    if rec.state.is_terminal:
        return fail(f"task {rec.local_id} is already {rec.state.value}; nothing to cancel",
                    out.INVALID, as_json=args.json)
    was_draft = rec.state == TaskState.DRAFT
    try:
        if not was_draft:
            engine.adapter(rec.provider)  # no key: nothing is stopped
        outcome = await engine.cancel(rec.local_id)
    except AppError as err:
        return report_error(err, rec.provider, as_json=args.json)
    rec = engine.task(rec.local_id) or rec
    host = host_label(rec.provider)
    if not args.json:
        if was_draft:
            print(f"task {rec.local_id}: removed from the outbox; nothing was sent")
        elif outcome.value == "cancelled_on_server":
            print(f"task {rec.local_id}: cancelled on the server ({host}); not charged")
        else:
            print(f"task {rec.local_id}: stopped tracking only; {host} may still run the task "
                  "and charge it")
    show(rec, engine, args.json)
    return out.OK if outcome.value == "cancelled_on_server" else out.UNTRACKED


async def cmd_download(engine: Engine, args: argparse.Namespace) -> int:
    rec = find(engine, args.id)
    if rec is None:
        return unknown_task(args.id, args.json)
    try:
        target = out.out_target(args.out)
    except ValueError as exc:
        return fail(str(exc), out.INVALID, as_json=args.json)
    video = engine.file(rec.local_id, ArtifactKind.VIDEO)
    if rec.state == TaskState.SUCCEEDED and (video is None or not video.path.exists()):
        return fail(f"the video of task {rec.local_id} is no longer on disk", out.OTHER,
                    "Downloading a finished task again is not supported yet.",
                    as_json=args.json)
    if rec.state != TaskState.SUCCEEDED:
        try:
            engine.adapter(rec.provider)
            rec = await resume_one(engine, rec, args)
        except AppError as err:
            return report_error(err, rec.provider, as_json=args.json)
    return finish(engine, rec, target, args.json)


COMMANDS = {"generate": cmd_generate, "status": cmd_status, "list": cmd_list,
            "resume": cmd_resume, "cancel": cmd_cancel, "download": cmd_download,
            "cast": cmd_cast}
