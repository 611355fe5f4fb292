"""Partial and orphaned files a crash can leave in a profile, and their removal.

Every file the app writes in steps is named so that a later run can tell whether its writer is
gone: temporary files carry the writing process's id (``.<name>.<pid>-<random>.tmp``,
``<name>.<pid>.<thread>.tmp``, ``<id>.cover.<pid>.part``). A video's ``<id>.mp4.part`` is kept
while its task may still download it (the download resumes it with Range), and removed once
the task succeeded, was cancelled or left the library.
Files of tasks that are no longer in the library (a crash in the middle of a delete) are
removed; so are prepared references that no row records and no cast member keeps, once they
are older than ``ORPHAN_AGE_S`` (a reference is written, then recorded a moment later by a live
process).

``sweep`` runs when the engine starts (the app's start and ``vidu-cli resume``), in a worker
thread, with the library's facts read there too (:func:`read_library_facts`, over a read-only
connection of its own: the scan of every task leaves the UI thread free, and SQLite runs it
without the GIL); files of this process and of other live ones are never touched.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from .db import read_only

log = logging.getLogger(__name__)

#: Prepared references nobody recorded are removed once they are this old (seconds).
ORPHAN_AGE_S = 600.0

_PID_TMP = re.compile(r"^\.?.+?\.(?P<pid>\d+)[-.][\w-]+\.tmp$")  # atomic writes, image cache
_COVER_PART = re.compile(r"^(?P<id>[0-9a-f]{32})\.cover\.(?P<pid>\d+)\.part$")
_VIDEO_PART = re.compile(r"^(?P<id>[0-9a-f]{32})\.mp4\.part$")
_TASK_FILE = re.compile(r"^(?P<id>[0-9a-f]{32})\.(mp4|json|cover\.[a-z]+)$")
#: A video's ``.part`` is kept for every task that may still download it (resumed by Range).
_DONE = frozenset({"succeeded", "cancelled", "gone"})
_REF_FILE = re.compile(r"^(?P<sha>[0-9a-f]{64})\.[a-z]+$")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (a reused id counts as running: the file stays)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(ok) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # POSIX: signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        yield from (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _remove(path: Path, why: str, removed: list[Path]) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        removed.append(path)
        log.info("removed %s (%s)", path, why)


def _dead_writer(match: re.Match[str] | None) -> bool:
    return match is not None and not pid_alive(int(match["pid"]))


def library_facts(conn: sqlite3.Connection) -> tuple[dict[str, str], set[str]]:
    """What ``sweep`` needs from the library: each task's state, the references to keep (the
    recorded ones, and every cast member's pictures even where a row went missing)."""
    states = {str(a): str(b) for a, b in conn.execute("SELECT local_id, state FROM tasks")}
    recorded = {str(row[0]) for row in conn.execute(
        "SELECT sha256 FROM prepared_references UNION SELECT sha256 FROM cast_pictures")}
    return states, recorded


def read_library_facts(database: Path) -> tuple[dict[str, str], set[str]]:
    """:func:`library_facts` over a read-only connection of its own (for a worker thread; the
    writers' connections are untouched)."""
    with read_only(database) as conn:
        return library_facts(conn)


def sweep(media_root: Path, refs_dir: Path, cache_dir: Path | None, *,
          states: dict[str, str], recorded: set[str], now: float | None = None) -> list[Path]:
    """Remove what crashed writers left; return the removed paths. Touches no database (it
    may run in a worker thread): ``states`` and ``recorded`` come from ``library_facts``."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    for path in _files(media_root):
        name = path.name
        if _dead_writer(_PID_TMP.match(name)) or _dead_writer(_COVER_PART.match(name)):
            _remove(path, "left by a process that is gone", removed)
        elif (m := _VIDEO_PART.match(name)) and states.get(m["id"], "gone") in _DONE:
            _remove(path, "a download no task continues", removed)
        elif (m := _TASK_FILE.match(name)) and m["id"] not in states:
            _remove(path, "its task is no longer in the library", removed)
    for path in _files(refs_dir):
        if _dead_writer(_PID_TMP.match(path.name)):
            _remove(path, "left by a process that is gone", removed)
        elif (m := _REF_FILE.match(path.name)) and m["sha"] not in recorded:
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > ORPHAN_AGE_S:
                    _remove(path, "a prepared reference no row records", removed)
    if cache_dir is not None:
        for path in _files(cache_dir):
            if _dead_writer(_PID_TMP.match(path.name)):
                _remove(path, "left by a process that is gone", removed)
    return removed
