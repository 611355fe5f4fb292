"""What a crash leaves in a profile is found and removed; nothing a live writer or a task that
may still need it is touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vidu_desktop.store.leftovers import pid_alive, sweep

LIVE = os.getpid()
OLD = 10_000.0  # seconds: an orphan reference this old was left by a killed run
A, B, C, GONE = ("a" * 32), ("b" * 32), ("c" * 32), ("d" * 32)


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(proc.stdout)
    assert not pid_alive(pid)
    return pid


def touch(path: Path, age: float = 0.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    if age:
        stamp = path.stat().st_mtime - age
        os.utime(path, (stamp, stamp))
    return path


def test_pid_alive_tells_running_from_gone() -> None:
    assert pid_alive(os.getpid()) and pid_alive(os.getppid())
    assert not pid_alive(dead_pid()) and not pid_alive(0)


def test_sweep_removes_only_what_no_one_will_finish(tmp_path: Path) -> None:
    media, refs, cache = tmp_path / "media", tmp_path / "refs", tmp_path / "cache"
    month = media / "videos" / "2026-12"
    dead = dead_pid()
    states = {A: "succeeded", B: "downloading", C: "failed"}
    sha_kept, sha_orphan, sha_fresh = "1" * 64, "2" * 64, "3" * 64
    keep = [
        touch(month / f"{A}.mp4"), touch(month / f"{A}.json"), touch(month / f"{A}.cover.jpg"),
        touch(month / f"{B}.mp4.part"),  # a resume goes on with it (Range)
        touch(month / f"{C}.mp4.part"),  # a failed download: resuming it continues there
        touch(month / f"{B}.cover.{LIVE}.part"),  # a live process is writing it
        touch(month / f".{B}.json.{LIVE}-k3j_x.tmp"),
        touch(refs / "11" / f"{sha_kept}.png", age=OLD),
        touch(refs / "33" / f"{sha_fresh}.png"),  # written a moment ago, recorded soon
        touch(month / "notes.txt"),  # not a name the app writes: never touched
    ]
    gone = [
        touch(month / f"{A}.mp4.part"),  # the task succeeded: the part is junk
        touch(month / f"{A}.cover.{dead}.part"),
        touch(month / f".{A}.json.{dead}-q9z_1.tmp"),
        touch(month / f"{GONE}.mp4"), touch(month / f"{GONE}.json"),  # deleted task
        touch(refs / "22" / f".{sha_orphan}.png.{dead}-abc123.tmp"),
        touch(refs / "22" / f"{sha_orphan}.png", age=OLD),
        touch(cache / "prepare" / f"{sha_orphan}.img.{dead}.140213.tmp"),
    ]
    removed = sweep(media, refs, cache, states=states, recorded={sha_kept})
    assert sorted(removed) == sorted(gone)
    assert all(p.exists() for p in keep) and not any(p.exists() for p in gone)
    assert sweep(media, refs, cache, states=states, recorded={sha_kept}) == []
