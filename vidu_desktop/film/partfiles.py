"""Exported files appear whole or not at all.

Each is written to ``.<name>.<pid>-<random>.part`` beside its destination (the writer's process
id in the name), renamed over the destination when complete, and removed when the export fails
or is cancelled. A part that a killed export left is removed by the next export of the same
file, once its writer is gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

from ..store.files import replace_retrying
from ..store.leftovers import pid_alive
from .errors import write_failed

log = logging.getLogger(__name__)


def part_path(dest: Path) -> Path:
    """Where ``dest`` is written before it is complete."""
    return dest.with_name(f".{dest.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part")


def _part_pattern(dest: Path) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(dest.name)}\.(?P<pid>\d+)-[0-9a-f]{{8}}\.part$")


def stale_parts(dest: Path) -> list[Path]:
    """Parts of ``dest`` whose writer is no longer running."""
    pattern = _part_pattern(dest)
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in dest.parent.iterdir():
            match = pattern.match(entry.name)
            if match and not pid_alive(int(match["pid"])):
                found.append(entry)
    return found


def remove_stale_parts(dest: Path) -> None:
    for stale in stale_parts(dest):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
            log.info("removed %s (left by an export that did not finish)", stale)


@contextlib.contextmanager
def writing(dest: Path) -> Iterator[Path]:
    """Yields the part file to write; on a normal exit it becomes ``dest``, on any exception
    (a cancel included) it is removed and the exception goes on. A folder that cannot be made
    or a rename that fails raises an ``AppError`` naming the file."""
    dest = Path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failed(dest, exc) from None
    remove_stale_parts(dest)
    part = part_path(dest)
    try:
        yield part
        try:
            replace_retrying(part, dest)
        except OSError as exc:
            raise write_failed(dest, exc) from None
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
