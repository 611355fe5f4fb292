"""Importing a board from a shot list (CSV, ``core/shotlist.py``) and writing one back.

The import checks every row before it writes anything: the cast names are in the cast, the
values are offered by the model, each picture file is readable and acceptable (prepared with
the imaging pipeline for the model's image rules, as the tray prepares them), and the shot as
a whole could be sent (picture counts, mentions). One bad row or more: one ``AppError`` whose
message lists each ("Row 4: duration 7 s is not offered by Vidu viduq1 (offered: 5 s)") and
nothing is imported. Otherwise the pictures are kept in the library and the board and its
shots are written in one transaction.

What an export round-trips: each shot's prompt, its cast (by name), its pictures (by their
original file names: put the files beside the CSV to import it again) and the values of the
CSV's parameter columns, the board's defaults written into each row where the shot keeps
them. Not written: the board's host and model (given again at import), and the parameters the
CSV has no column for (off-peak, payload, watermark); a random seed is an empty cell.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidu_desktop.core.capabilities import Mode, ModelSpec
from vidu_desktop.core.choices import Choices
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.request import ReferenceImage
from vidu_desktop.core.shotlist import (
    PARAMETER_COLUMNS,
    ShotRow,
    read_shot_list,
    write_shot_list,
)
from vidu_desktop.store import Board, CastMember, atomic_write_bytes, transaction
from vidu_desktop.store.boards import board_error, check_board_name

from . import board_checks as checks

if TYPE_CHECKING:
    from .shots import ShotVerbs


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise board_error(f"The shot list {path} cannot be read: {reason}.",
                          "Give a CSV file saved as UTF-8.") from None


async def _picture(spec: ModelSpec, source: Path, cache: dict[Path, ReferenceImage | str]
                   ) -> ReferenceImage | str:
    """The prepared picture, or what is wrong with it."""
    from vidu_desktop.imaging.bridge import prepare_for_request

    if source not in cache:
        if not source.is_file():
            cache[source] = f"the picture {source.name} is not there ({source})"
        else:
            try:
                [image] = await asyncio.to_thread(prepare_for_request, [str(source)],
                                                  spec.provider, spec.model,
                                                  Mode.REFERENCE2VIDEO)
                cache[source] = image
            except AppError as err:
                said = err.message.rstrip(".")
                cache[source] = (said if source.name in said
                                 else f"the picture {source.name}: {said}")
    return cache[source]


async def _check_row(engine: ShotVerbs, spec: ModelSpec, folder: Path, row: ShotRow,
                     cache: dict[Path, ReferenceImage | str]
                     ) -> tuple[list[str], list[CastMember], list[ReferenceImage]]:
    problems: list[str] = []
    members: list[CastMember] = []
    for name in row.cast:
        member = engine.cast_member_named(name)
        if member is None:
            problems.append(f"no cast member is called {name!r}")
        else:
            members.append(member)
    problems += checks.value_problems(spec, row.parameters)
    images: list[ReferenceImage] = []
    for ref in row.references:
        found = await _picture(spec, folder / ref, cache)
        if isinstance(found, str):
            problems.append(found)
        else:
            images.append(found)
    if not row.prompt.strip():
        problems.append("the prompt is empty")
    if not problems:
        choices = Choices.for_model(spec.provider, spec.model, row.parameters)
        [request] = choices.requests(row.prompt, tuple(images),
                                     subjects=tuple(engine.subject_of(m) for m in members))
        problems += checks.request_problems(request)
    return problems, members, images


async def import_shot_list(engine: ShotVerbs, path: Path, *, board_name: str,
                           provider: str, model: str) -> Board:
    spec = checks.model_of(provider, model)
    name = check_board_name(board_name)
    taken = engine.board_named(name)
    if taken is not None:
        raise board_error(f"A board is already called {taken.name!r}; nothing was imported.",
                          "Import it under another name (--name), or rename that board.")
    path = Path(path)
    listed = read_shot_list(_read(path))
    problems = list(listed.problems)
    if not listed.rows and not problems:
        problems.append(f"{path.name} has no shots: each row after the first is one")
    cache: dict[Path, ReferenceImage | str] = {}
    checked = []
    for row in listed.rows:
        found, members, images = await _check_row(engine, spec, path.parent, row, cache)
        problems += [f"Row {row.row}: {p}" for p in found]
        checked.append((row, members, images))
    if problems:
        problems.sort(key=lambda p: int(p.split(":", 1)[0].removeprefix("Row ")))
        rows = len({p.split(":", 1)[0] for p in problems})
        raise board_error(
            f"The shot list {path.name} has {rows} bad row{'s' if rows != 1 else ''}; "
            "nothing was imported.\n" + "\n".join(problems),
            "Correct the rows named and import again.")
    shots = [(row, members, engine.keep_pictures(images)) for row, members, images in checked]
    store = engine.board_store
    with transaction(store.conn):
        board = store.create(name, spec.provider.value, spec.model, {})
        for row, members, refs in shots:
            store.add_shot(board.id, prompt=row.prompt, references=refs,
                           cast=[m.id for m in members], parameters=dict(row.parameters))
    engine.notify_board(board.id)
    return store.require(board.id)


def export_shot_list(engine: ShotVerbs, board_id: str, path: Path) -> Path:
    board = engine.board_store.require(board_id)
    rows = []
    for shot in board.shots:
        values: dict[str, Any] = {**board.parameters, **shot.parameters}
        if values.get("random_seed") or values.get("seed") == 0:
            values.pop("seed", None)
        names = [m.name for m in (engine.cast_member(i) for i in shot.cast) if m is not None]
        refs = [r.original_name or r.label or r.sha256 for r in shot.references]
        rows.append(ShotRow(shot.number + 1, shot.prompt, tuple(names), tuple(refs),
                            {k: v for k, v in values.items() if k in PARAMETER_COLUMNS}))
    path = Path(path)
    try:
        atomic_write_bytes(path, write_shot_list(rows).encode("utf-8"))
    except OSError as exc:
        from vidu_desktop.film.errors import setup_problem

        raise setup_problem(f"Could not write {path}: {exc.strerror or exc}.",
                            "Choose another folder or file name.") from None
    return path
