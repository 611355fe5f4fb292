"""Removing a task's files when another program may have one open.

On Windows a file that is open (in a media player, a file manager's preview, an antivirus
scan) cannot be deleted: ``unlink`` raises ``PermissionError``. Such a file is tried again a
few times over some seconds (a scan or a preview lets go soon); what is still in use after that
is reported, so the user can close the program and delete it. On macOS and Linux an open file
is deleted at once. A leftover ``.part`` beside each file goes too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

#: the waits between tries of a file that is in use (seconds): about 4 s in all
RETRY_WAITS = (0.2, 0.5, 1.0, 2.5)

Unlink = Callable[[Path], None]


def unlink(path: Path) -> None:
    path.unlink(missing_ok=True)


def with_parts(paths: Iterable[Path]) -> list[Path]:
    """Each absolute path and the ``.part`` beside it (relative ones are not the app's)."""
    out: list[Path] = []
    for path in paths:
        if path.is_absolute():
            out += [path, path.with_name(path.name + ".part")]
    return out


def try_remove(paths: Iterable[Path], remove: Unlink = unlink) -> list[Path]:
    """Remove each file; the ones that could not be removed (in use, or refused)."""
    left = []
    for path in paths:
        try:
            remove(path)
        except OSError as exc:
            log.info("could not remove %s yet: %s", path, exc)
            left.append(path)
    return left


async def remove_files(paths: Iterable[Path], remove: Unlink = unlink,
                       waits: Sequence[float] = RETRY_WAITS) -> list[Path]:
    """Remove the files (and their ``.part``), trying again after each of ``waits`` those in
    use; the ones still there at the end."""
    left = try_remove(with_parts(paths), remove)
    for wait in waits:
        if not left:
            break
        import asyncio  # not at start-up: the window paints before asyncio is imported

        await asyncio.sleep(wait)
        left = try_remove(left, remove)
    return left


def left_message(left: Sequence[Path]) -> str:
    """What to tell the user about files that stayed."""
    folders = sorted({str(p.parent) for p in left})
    what = "1 file is" if len(left) == 1 else f"{len(left)} files are"
    return (f"Task deleted from this computer, but {what} in use by another program and "
            f"stayed in {', '.join(folders)}: close that program, then delete "
            + ("it." if len(left) == 1 else "them."))
