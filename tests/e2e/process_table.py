"""The live processes of one session, read from ``/proc`` (Linux): what a child started in its own
session (``start_new_session=True``) and everything it spawned, orphans included: a process
keeps its session id when its parent dies and it is handed to init."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
HAS_PROC = sys.platform.startswith("linux") and (PROC / "self" / "stat").is_file()


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    state: str
    cmdline: str

    def __str__(self) -> str:
        return f"pid {self.pid} (parent {self.ppid}, state {self.state}): {self.cmdline}"


def _read(pid_dir: Path) -> tuple[Proc, int] | None:
    """The process and its session id; None when it is gone or unreadable."""
    try:
        stat = (pid_dir / "stat").read_text()
        cmdline = (pid_dir / "cmdline").read_bytes()
    except OSError:  # it exited while we looked
        return None
    # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses
    fields = stat[stat.rindex(")") + 2:].split()
    proc = Proc(int(pid_dir.name), int(fields[1]), fields[0],
                cmdline.replace(b"\0", b" ").decode(errors="replace").strip())
    return proc, int(fields[3])


def in_session(sid: int) -> list[Proc]:
    """Every live process whose session id is ``sid`` (zombies, already dead, are left out)."""
    found = []
    for pid_dir in PROC.iterdir():
        if not pid_dir.name.isdigit():
            continue
        read = _read(pid_dir)
        if read is not None and read[1] == sid and read[0].state != "Z":
            found.append(read[0])
    return found


def wait_until_gone(sid: int, timeout: float = 15.0) -> list[Proc]:
    """Poll the table until no live process of session ``sid`` is left, or ``timeout``; what
    is left then (empty: all gone)."""
    deadline = time.monotonic() + timeout
    while True:
        left = in_session(sid)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def wait_for_procs(sid: int, want: str, count: int = 1, timeout: float = 30.0) -> list[Proc]:
    """Poll until ``count`` live processes of session ``sid`` have ``want`` in their command
    line; fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = [p for p in in_session(sid) if want in p.cmdline]
        if len(found) >= count:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"no {want!r} process in session {sid} within {timeout} s: "
                                 f"{[str(p) for p in in_session(sid)]}")
        time.sleep(0.05)
