"""What ``vidu-cli`` prints and how it exits: one message per failure kind, JSON, exit codes.

Results go to stdout (a summary, or one JSON document with ``--json``); problems go to stderr as
``vidu-cli: <what happened>`` and an indented hint saying what to do.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidu_desktop.core.capabilities import PROMPT_COUNTING, PROVIDERS, Mode, ModelSpec, provider
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.formatting import host_label, money
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import ArtifactKind, TaskRecord
from vidu_desktop.store.names import path_problem

if TYPE_CHECKING:
    from vidu_desktop.engine import Engine

OK, OTHER, INVALID, AUTH, CREDITS, MODERATION, NETWORK, FAILED, IMAGE, UNKNOWN, UNTRACKED = (
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)

EXIT = {ErrorKind.INVALID_PARAMETER: INVALID, ErrorKind.AUTH: AUTH, ErrorKind.CREDITS: CREDITS,
        ErrorKind.MODERATION: MODERATION, ErrorKind.NETWORK: NETWORK,
        ErrorKind.TIMEOUT: NETWORK, ErrorKind.OUTAGE: NETWORK, ErrorKind.RATE_LIMITED: NETWORK,
        ErrorKind.GENERATION_FAILED: FAILED, ErrorKind.INVALID_IMAGE: IMAGE}


#: how the user runs this program again (``vidu-cli --sandbox`` in the sandbox)
_program = ["vidu-cli"]


def use_sandbox(label: str) -> None:
    """From now on the hints name ``vidu-cli --sandbox``; say (stderr, with the sandbox's
    ``label``) that this is the sandbox."""
    _program[:] = ["vidu-cli", "--sandbox"]
    say(f"{label}. Every host is the built-in emulator; no key is used.")


def use_real() -> None:
    """The hints name plain ``vidu-cli`` (the start of every run)."""
    _program[:] = ["vidu-cli"]


def in_sandbox() -> bool:
    return "--sandbox" in _program


def command(rest: str) -> str:
    """```vidu-cli REST``` as the user types it for the library in use."""
    return f"`{' '.join(_program)} {rest}`"


def code_for(err: AppError) -> int:
    return EXIT.get(err.kind, OTHER)


def key_hint(host: str) -> str:
    spec = provider(host)
    return f"Add it with `vidu-cli key set {spec.id.value}`, or set {spec.key_env}."


def cli_hint(err: AppError, host: str | None) -> str:
    """The error's hint in command line terms (the app's hints speak of Settings)."""
    if err.kind == ErrorKind.AUTH and host:
        spec = provider(host)
        if err.message.startswith("No API key"):
            return key_hint(host)
        return (f"Check the key: `vidu-cli key set {spec.id.value}` replaces the stored one; "
                f"{spec.key_env} overrides it.")
    if err.kind == ErrorKind.TIMEOUT and "Settings" in err.hint:
        return f"Try again later; {command('resume')} picks the task up again."
    if err.kind == ErrorKind.NOT_FOUND and in_sandbox():
        return ("A sandbox task lives only as long as the built-in emulator that took it (the "
                "vidu-cli or app run that sent it); generate it again.")
    if err.kind == ErrorKind.LOCAL and "Restart Vidu Studio" in err.hint:
        return "Run the command again; with -v the log shows why."
    return err.hint


def say(message: str, hint: str = "") -> None:
    print(f"vidu-cli: {message}", file=sys.stderr)
    if hint:
        print(f"  {hint}", file=sys.stderr)


def fail(message: str, code: int = OTHER, hint: str = "", *, as_json: bool = False) -> int:
    """Say what went wrong (stderr; with ``as_json`` also as JSON on stdout); the exit code."""
    say(message, hint)
    if as_json:
        print(json.dumps({"error": {"message": message, "hint": hint, "exit_code": code}},
                         ensure_ascii=False))
    return code


def report_error(err: AppError, host: str | None = None, *, as_json: bool = False) -> int:
    """An error that stopped the command before or outside a task."""
    code = code_for(err)
    hint = cli_hint(err, host)
    message = err.message + (f" [{err.code}]" if err.code and err.code not in err.message
                             else "")
    say(message + (f" (trace id {err.trace_id})" if err.trace_id else ""), hint)
    if as_json:
        data = err.to_dict() | {"hint": hint, "exit_code": code}
        print(json.dumps({"error": data}, ensure_ascii=False))
    return code


# -- tasks -----------------------------------------------------------------------------------
def record_dict(rec: TaskRecord, engine: Engine) -> dict[str, Any]:
    files = {a.kind.value: str(a.path) for a in engine.files(rec.local_id)}
    error = None
    if rec.error is not None:
        error = rec.error.to_dict() | {"hint": cli_hint(rec.error, rec.provider)}
    return {
        "id": rec.local_id, "host": rec.provider, "model": rec.model, "mode": rec.mode,
        "state": rec.state.value, "remote_id": rec.remote_id, "remote_state": rec.remote_state,
        "detail": rec.detail, "progress": rec.progress,
        "seed": rec.resolved_seed or rec.seed, "cost": rec.actual_cost,
        "cost_unit": rec.actual_cost_unit, "estimated_cost": rec.estimated_cost,
        "estimated_cost_unit": rec.estimated_cost_unit, "submit_attempts": rec.submit_attempts,
        "trace_id": rec.trace_id, "error": error, "files": files, "prompt": rec.prompt,
        "exit_code": exit_for(rec), "sandbox": in_sandbox(),
    }


def show(rec: TaskRecord, engine: Engine, as_json: bool, *, saved: Path | None = None) -> None:
    """The task on stdout; when it failed, its error on stderr as well."""
    data = record_dict(rec, engine)
    if saved is not None:
        data["saved_to"] = str(saved)
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(f"{rec.local_id}  {rec.provider}/{rec.model}  {rec.state.value}"
              + (f"  remote {rec.remote_id}" if rec.remote_id else ""))
        if rec.detail:
            print(f"  {rec.detail}")
        if rec.actual_cost is not None:
            cost = money(rec.actual_cost, rec.actual_cost_unit)
            print(f"  cost: none, sandbox ({cost} of the emulator's demo balance)"
                  if in_sandbox() else f"  cost: {cost}")
        for kind, path in data["files"].items():
            print(f"  {kind}: {path}")
        if saved is not None:
            print(f"  saved to: {saved}")
    if rec.error is not None and rec.state == TaskState.FAILED:
        err = rec.error
        code = f" [{err.code}]" if err.code and err.code not in err.message else ""
        trace = f" (trace id {err.trace_id})" if err.trace_id else ""
        say(f"task {rec.local_id}: {err.message}{code}{trace}", cli_hint(err, rec.provider))
    elif rec.state == TaskState.OUTCOME_UNKNOWN:
        say(f"task {rec.local_id}: it is not known whether the host received it.",
            f"{command('resume ' + rec.local_id)} asks again; `--resend` sends it once more "
            "(it may be charged twice).")


def exit_for(rec: TaskRecord) -> int:
    if rec.state == TaskState.SUCCEEDED:
        return OK
    if rec.state == TaskState.OUTCOME_UNKNOWN:
        return UNKNOWN
    if rec.state == TaskState.DRAFT:
        return NETWORK
    if rec.state == TaskState.UNTRACKED:
        return UNTRACKED
    if rec.state == TaskState.CANCELLED:
        return OTHER
    if rec.state == TaskState.FAILED:
        return code_for(rec.error) if rec.error is not None else FAILED
    return OK  # still under way (generate without --wait)


def out_target(out: str | None, platform: str = sys.platform) -> Path | None:
    """``--out``: a folder, or a file name ending in .mp4; ValueError for anything else."""
    if not out:
        return None
    path = Path(out).expanduser()
    if path.suffix and not path.is_dir() and path.suffix.lower() != ".mp4":
        raise ValueError(f"--out takes a folder or a .mp4 file name, not {out!r}")
    problem = path_problem(path.absolute(), platform)
    if problem:  # before anything is sent: the video could not be saved there
        raise ValueError(f"--out {out!r} cannot be written on this system: {problem}")
    return path


def save_to(engine: Engine, rec: TaskRecord, out: Path) -> Path:
    """Copy the task's video (a folder also gets the cover and the sidecar); the video's path."""
    files = {a.kind: a.path for a in engine.files(rec.local_id)}
    video = files[ArtifactKind.VIDEO]
    if out.suffix.lower() == ".mp4" and not out.is_dir():
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(video, out)
        return out
    out.mkdir(parents=True, exist_ok=True)
    for path in files.values():
        if path.exists():
            shutil.copyfile(path, out / path.name)
    return out / video.name


def _durations(m: ModelSpec) -> str:
    """"5 s: 1080p", "1-10 s: 720p/1080p": runs of durations with the same resolutions."""
    runs: list[tuple[int, int, tuple[str, ...]]] = []
    for d, res in m.resolutions.items():
        if runs and runs[-1][2] == res and runs[-1][1] == d - 1:
            runs[-1] = (runs[-1][0], d, res)
        else:
            runs.append((d, d, res))
    return ", ".join(f"{a}{'' if a == b else f'-{b}'} s: {'/'.join(r)}" for a, b, r in runs)


def _cast(m: ModelSpec) -> str:
    if m.subjects is None:
        return "no subjects (a cast goes as pictures in order, its mentions put into words)"
    sub = m.subjects
    text = (f"subjects: up to {sub.max_subjects}, {sub.max_images_each} pictures each, "
            f"{sub.max_images_total} in all" + (", with voices" if sub.voice else ""))
    if sub.prompt_limit is not None:
        text += f", prompt <= {sub.prompt_limit}"
    return text


def _audio(m: ModelSpec) -> str:
    if not m.supports_audio:
        return "no audio"
    return "audio" + ("" if m.audio_with_off_peak or not m.supports_off_peak
                      else " (not off-peak)")


def _cost(m: ModelSpec) -> str:
    text = m.cost.describe()
    return text if m.cost.amount is None else f"cost {text}"


def _rates(m: ModelSpec) -> list[str]:
    """Where the price is by the second: the other resolutions' prices and audio's."""
    cost = m.cost
    if cost.per_second is None or cost.amount is None:
        return []
    rates = []
    for res in m.all_resolutions:
        other = m.cost_at(m.default_duration, res)
        if res != m.default_resolution() and (other.per_second, other.fixed) != (
                cost.per_second, cost.fixed):
            rates.append(f"at {res} {other.describe()}")
    if cost.audio_extra:
        rates.append(f"with audio {m.cost_at(audio=True).describe()}")
    return rates


def print_providers() -> None:
    for spec in PROVIDERS.values():
        print(f"{host_label(spec.id.value)} ({spec.id.value})  {spec.base_url}  "
              f"auth: {spec.auth.value}  key: ${spec.key_env}")
        if spec.concurrency:
            print(f"  runs {spec.concurrency} tasks at once per account; more wait queued")
        print(f"  {spec.notes}")
        for m in spec.models:
            ratios = "/".join(m.aspect_ratios) or "follows the image"
            images = (f"{m.images.min_count}-{m.images.max_count}"
                      if m.images.min_count != m.images.max_count else str(m.images.min_count))
            print(f"    {m.model:<24} {m.mode.value:<16} {_durations(m)};  ratio {ratios};  "
                  f"images {images};  prompt <= {m.prompt_limit};  {_cost(m)}")
            if m.mode == Mode.REFERENCE2VIDEO and (m.subjects is not None or m.supports_audio):
                print(f"    {'':<24} {'':<16} " + ";  ".join([_cast(m), _audio(m), *_rates(m)]))
    print(f"Prompt length is counted in {PROMPT_COUNTING}.")
