"""The issue's "done when": a ``vidu-cli generate`` killed with SIGKILL while submitting, polling
or downloading finishes after ``vidu-cli resume`` with no second submission (the emulator's
counters prove it) and a playable MP4.

Every step waits on a state (the emulator's counters and tasks, the task row in the profile's
SQLite file read by another process), never on a bare sleep.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from conftest import wait_for

from vidu_desktop.emulator.server import EmulatorServer

from .helpers import Cli, assert_playable, control, requests_to, submissions


def kill(proc: subprocess.Popen[str]) -> None:
    proc.kill()  # SIGKILL: no cleanup, no finally, no atexit
    proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def resume_and_check(cli: Cli, emulator: EmulatorServer) -> dict[str, object]:
    done = cli.run("resume")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = cli.rows()
    assert len(rows) == 1 and rows[0]["state"] == "succeeded", rows
    assert submissions(emulator) == 1  # the host was asked to generate exactly once
    media = cli.profile / "media"
    videos = list(media.rglob("*.mp4"))
    assert len(videos) == 1
    assert_playable(videos[0])
    assert not list(media.rglob("*.part"))
    return rows[0]


def test_killed_while_submitting_is_found_by_reconciliation(
        cli: Cli, emulator: EmulatorServer, image: Path,
        reap: list[subprocess.Popen[str]]) -> None:
    # the host takes the request, then thinks for a while before it answers
    control(emulator, "faults", {"action": "slow", "route": "submit", "delay_s": 1.5})
    proc = cli.spawn("generate", "-i", str(image), "-p", "killed mid-submit", "--wait")
    reap.append(proc)
    wait_for(lambda: requests_to(emulator, "vidu", "submit") >= 1, timeout=30)
    kill(proc)
    assert cli.state() == "submitting"  # the row was written before the request left
    # the slow handler goes on and creates the task although nobody hears the answer
    wait_for(lambda: control(emulator, "tasks")["tasks"], timeout=10)
    row = resume_and_check(cli, emulator)
    emulated = control(emulator, "tasks")["tasks"]
    assert row["remote_id"] == emulated[0]["id"]
    assert requests_to(emulator, "vidu", "list") >= 1  # found by the payload token


def test_killed_while_polling_goes_on_following(
        cli: Cli, emulator: EmulatorServer, image: Path,
        reap: list[subprocess.Popen[str]]) -> None:
    control(emulator, "config", {"time_scale": 0.3})  # about 3 s at the host
    proc = cli.spawn("generate", "-i", str(image), "-p", "killed while polling", "--wait")
    reap.append(proc)
    wait_for(lambda: cli.state() in ("queued", "processing"), timeout=30)
    kill(proc)
    assert cli.state() in ("queued", "processing")
    control(emulator, "config", {"time_scale": 0.01})
    resume_and_check(cli, emulator)


def test_killed_while_downloading_downloads_again(
        cli: Cli, emulator: EmulatorServer, image: Path,
        reap: list[subprocess.Popen[str]]) -> None:
    control(emulator, "faults", {"action": "slow", "route": "download", "delay_s": 3.0})
    proc = cli.spawn("generate", "-i", str(image), "-p", "killed while downloading", "--wait")
    reap.append(proc)
    wait_for(lambda: cli.state() == "downloading", timeout=30)
    # the download request has reached the storage host (the slow fault fired on it)
    wait_for(lambda: any(f["action"] == "slow" for f in control(emulator, "faults")["fired"]),
             timeout=10)
    kill(proc)
    assert cli.state() == "downloading"
    resume_and_check(cli, emulator)
