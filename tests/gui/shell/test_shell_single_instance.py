"""One instance per profile: a second `vidu-desktop a.png b.jpg` hands its files to the running
window (its reference tray) and exits 0 at once; a lock left by a killed instance is stale and
does not stop the next launch. Real subprocesses, offscreen, on one --profile-dir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import write_images

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for name in ("VIDU_API_KEY", "NOVITA_API_KEY", "HIGHWAYAPI_API_KEY", "SEGMIND_API_KEY",
                 "VTRIX_API_KEY"):
        env.pop(name, None)
    return env


def _launch(profile: Path, *files: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "vidu_desktop.app", "--sandbox",
                             "--profile-dir", str(profile), *map(str, files)], env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for_line(path: Path, text: str, proc: subprocess.Popen[str], timeout: float = 30,
                   after: int = 0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and text in path.read_text()[after:]:
            return
        assert proc.poll() is None, proc.communicate()[0]
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not logged within {timeout} s")


def _stop(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return out


def test_a_second_launch_hands_its_files_to_the_running_window(tmp_path):
    profile = tmp_path / "profile"
    log = profile / "logs" / "app.log"
    first = _launch(profile)
    try:
        _wait_for_line(log, "window shown (sandbox)", first)
        pictures = write_images(tmp_path / "pictures", 2)
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "vidu_desktop.app", "--profile-dir", str(profile),
             *map(str, pictures)], env=_env(), capture_output=True, text=True, timeout=60,
            cwd=tmp_path)
        assert second.returncode == 0, second.stdout + second.stderr
        assert time.monotonic() - started < 20
        assert "already running" in second.stderr and "handed it 2 file(s)" in second.stderr
        _wait_for_line(log, "received 2 file(s); the tray holds 2 picture(s)", first)
        assert first.poll() is None  # the first goes on
    finally:
        out = _stop(first)
    assert first.returncode == 0, out
    assert "Traceback" not in log.read_text()


def test_a_stale_lock_from_a_killed_instance_does_not_block_the_next(tmp_path):
    profile = tmp_path / "profile"
    log = profile / "logs" / "app.log"
    killed = _launch(profile)
    try:
        _wait_for_line(log, "window shown (sandbox)", killed)
    finally:
        killed.kill()  # no clean-up: the lock file and the server socket stay behind
        killed.communicate()
    assert (profile / "vidu-desktop.lock").exists()
    size = log.stat().st_size
    picture = write_images(tmp_path / "pictures", 1)[0]
    second = _launch(profile, picture)  # its own file argument goes to its own tray
    try:
        _wait_for_line(log, "window shown (sandbox)", second, after=size)
        _wait_for_line(log, "received 1 file(s); the tray holds 1 picture(s)", second,
                       after=size)
    finally:
        out = _stop(second)
    assert second.returncode == 0, out
    assert not (profile / "vidu-desktop.lock").exists()  # released at exit
