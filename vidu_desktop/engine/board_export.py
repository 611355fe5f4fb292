"""A board's cut (each shot's chosen take, in order) and its export: the film as one MP4, the
timelines (OpenTimelineIO and the formats of its installed adapters) and the contact sheet.

The export blocks and may run in a worker thread: it reads the library through read-only
connections of its own (SQLite connections belong to the thread that made them) and touches
the engine's nothing else. Every file is first written into a folder of its own beside the
destination and moved into place only when all of them are complete: a failure or a cancel
leaves no file of this export (and replaces none).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vidu_desktop.core.formatting import money
from vidu_desktop.core.records import record
from vidu_desktop.core.states import TaskMark, TaskState
from vidu_desktop.store import (
    ArtifactKind,
    ArtifactStore,
    Board,
    BoardStore,
    TakeStore,
    TaskRecord,
    TaskStore,
)
from vidu_desktop.store.boards import board_error
from vidu_desktop.store.db import read_only
from vidu_desktop.store.files import replace_retrying
from vidu_desktop.store.names import name_problem

if TYPE_CHECKING:
    from vidu_desktop.film import CancelFlag, ProgressCallback, Take

SHEETS = ("png", "pdf")


@record
class ExportReport:
    paths: tuple[Path, ...]  # the files written, in the order asked for
    duration: float | None = None  # the film's seconds, when one was written


def cost_words(rec: TaskRecord, *, free: bool = False) -> str:
    """What the take cost, for the sheet, as the task list says it (``TaskRecord.cost``:
    reported, else the host's credits, else "about" the estimate); ``free``: a sandbox take,
    which cost nothing whatever the emulator reported."""
    if free:
        return "free (sandbox)"
    if rec.cost is None:
        return ""
    amount, unit, estimated = rec.cost
    return ("about " if estimated else "") + money(amount, unit)


def cut_of(board: Board, takes: TakeStore, tasks: TaskStore,
           artifacts: ArtifactStore, *, free: bool = False) -> list[Take]:
    """The board's chosen takes, in order; AppError naming every shot without one whose
    video is on disk."""
    from vidu_desktop.film import Take

    found: list[Take] = []
    lacking: list[str] = []
    for shot in board.shots:
        records = [r for r in (tasks.get(link.local_id) for link in takes.of_shot(shot.id))
                   if r is not None]
        chosen = next((r for r in records if r.mark == TaskMark.STAR), None)
        video = artifacts.get(chosen.local_id, ArtifactKind.VIDEO) if chosen else None
        if chosen is None:
            lacking.append(f"shot {shot.number} (no take picked)")
        elif chosen.state != TaskState.SUCCEEDED:
            lacking.append(f"shot {shot.number} (its picked take is {chosen.state.value})")
        elif video is None or not video.path.is_file():
            lacking.append(f"shot {shot.number} (its picked take's video is not on disk)")
        else:
            cover = artifacts.get(chosen.local_id, ArtifactKind.COVER)
            found.append(Take(path=video.path, shot=shot.number, prompt=shot.prompt,
                              host=chosen.provider, model=chosen.model,
                              cost=cost_words(chosen, free=free),
                              cover=cover.path if cover and cover.path.is_file() else None))
    if not board.shots:
        raise board_error(f"Board {board.name} has no shots.", "Add shots, generate and "
                          "pick their takes, then export.")
    if lacking:
        raise board_error(f"Board {board.name} cannot be cut: " + "; ".join(lacking) + ".",
                          "Pick a take that succeeded for each of these shots (generate "
                          "them first where they have none), then export again.")
    return found


def read_cut(boards_database: Path, tasks_database: Path, media_root: Path,
             board_id: str, *, free: bool = False) -> tuple[Board, list[Take]]:
    """The board and its cut, read through connections of this thread."""
    with read_only(boards_database, rows=True) as profile, \
            read_only(tasks_database, rows=True) as library:
        board = BoardStore(profile).require(board_id)
        return board, cut_of(board, TakeStore(library), TaskStore(library),
                             ArtifactStore(library, media_root), free=free)


def check_choice(name: str, mp4: bool, timelines: Sequence[str], sheet: Sequence[str]
                 ) -> tuple[str, list[str], list[str]]:
    name = name.strip()
    problem = name_problem(name)
    if problem:
        raise board_error(f"The export's name {name!r} has {problem}.",
                          "Choose a name every system accepts, for example beach-day.")
    timelines = [t.lower().lstrip(".") for t in dict.fromkeys(timelines)]
    sheets = [s.lower().lstrip(".") for s in dict.fromkeys(sheet)]
    bad = [s for s in sheets if s not in SHEETS]
    if bad:
        raise board_error(f"There is no contact sheet as {bad[0]!r}.",
                          f"Choose {' or '.join(SHEETS)}.")
    if not (mp4 or timelines or sheets):
        raise board_error("Nothing to export: no film, timeline or contact sheet asked for.",
                          "Choose at least one of them.")
    return name, timelines, sheets


def export_from(boards_database: Path, tasks_database: Path, media_root: Path,
                board_id: str, folder: Path, *, name: str, mp4: bool = True,
                timelines: Sequence[str] = ("otio",), sheet: Sequence[str] = ("png",),
                progress: ProgressCallback | None = None,
                cancel: CancelFlag | None = None, free: bool = False) -> ExportReport:
    """Export the board's cut to ``folder`` as ``name.mp4``, ``name.<timeline suffix>``,
    ``name.png``/``name.pdf``; AppError (nothing written) for a shot without a take, a bad
    choice, a missing adapter, a full disk, or CANCELLED."""
    from vidu_desktop import film
    from vidu_desktop.film.errors import cancelled, setup_problem
    from vidu_desktop.film.timeline import format_for

    name, suffixes, sheets = check_choice(name, mp4, timelines, sheet)
    board, takes = read_cut(boards_database, tasks_database, media_root, board_id,
                            free=free)
    wanted = ([f"{name}.mp4"] if mp4 else []) + [f"{name}.{s}" for s in suffixes] + [
        f"{name}.{s}" for s in sheets]
    for suffix in suffixes:
        format_for(folder / f"{name}.{suffix}")  # an unknown or missing format: now
    steps = (0.8 if mp4 else 0.0, 0.05 * len(suffixes), 0.15 if sheets else 0.0)
    total = sum(steps) or 1.0

    def part(start: float, weight: float) -> ProgressCallback | None:
        if progress is None:
            return None
        callback = progress
        return lambda f: callback(min(1.0, (start + weight * f) / total))

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise setup_problem(f"Could not make the folder {folder}: {exc.strerror or exc}.",
                            "Choose another folder.") from None
    staging = folder / f".{name}.export-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    duration = None
    try:
        staging.mkdir()
        if mp4:
            result = film.export_mp4(takes, staging / f"{name}.mp4",
                                     progress=part(0.0, steps[0]), cancel=cancel)
            duration = result.duration
        media = film.probe_cut(takes) if suffixes else []
        for n, suffix in enumerate(suffixes):
            if cancel is not None and cancel.is_set():
                raise cancelled("timeline")
            film.write_timeline(media, staging / f"{name}.{suffix}", name=board.name)
            if progress is not None:
                progress(min(1.0, (steps[0] + 0.05 * (n + 1)) / total))
        if sheets:
            film.write_contact_sheet(takes, staging / f"{name}.png", staging / f"{name}.pdf",
                                     title=board.name, progress=part(total - steps[2],
                                                                     steps[2]), cancel=cancel)
        written = []
        for file_name in wanted:
            replace_retrying(staging / file_name, folder / file_name)
            written.append(folder / file_name)
    except OSError as exc:
        raise setup_problem(f"Could not write the export in {folder}: "
                            f"{exc.strerror or exc}.", "Choose another folder, or free some "
                            "space, and export again.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if progress is not None:
        progress(1.0)
    return ExportReport(tuple(written), duration)
