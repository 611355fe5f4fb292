"""No process is left behind: ``vidu-emulator`` (with a render worker busy), ``vidu-desktop`` in
sandbox mode and a bench, each started in its own session, leave no live process of that
session after Ctrl+C (SIGINT), a kill (SIGTERM), a normal end, or a SIGKILL of the parent
(its render workers notice and go, and so does multiprocessing's resource tracker).

Every wait polls a state (the process table, a file, a line of output) up to a deadline.
"""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import make_image, wait_for

from vidu_desktop.emulator.config import DEMO_KEY

from .process_table import HAS_PROC, in_session, wait_for_procs, wait_until_gone

pytestmark = pytest.mark.skipif(not HAS_PROC, reason="reads the Linux process table (/proc)")

ROOT = Path(__file__).resolve().parents[2]
WORKER = "multiprocessing.spawn import spawn_main"
TRACKER = "multiprocessing.resource_tracker"
GONE_WITHIN = 15.0


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return env


@pytest.fixture
def sessions() -> Iterator[list[int]]:
    """Session ids of the children a test started; whatever is left of them is killed at the
    end, so a failing test leaves nothing either."""
    sids: list[int] = []
    yield sids
    for sid in sids:
        for proc in in_session(sid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(proc.pid, signal.SIGKILL)


def _spawn(argv: list[str], sessions: list[int], stdin: int | None = None,
           **env: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(argv, env={**_env(), **env}, cwd=ROOT, text=True,
                            start_new_session=True,
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sessions.append(proc.pid)  # a session leader: its session id is its pid
    return proc


def _assert_nothing_left(sid: int) -> None:
    left = wait_until_gone(sid, GONE_WITHIN)
    assert not left, "left behind: " + "; ".join(map(str, left))


def _partial_renders(media: Path) -> list[Path]:
    return list((media / "renders").glob(".*.tmp.*"))


def _emulator(tmp_path: Path, sessions: list[int]) -> tuple[subprocess.Popen[str], str, Path]:
    """``vidu-emulator`` with its render pool, at full size so a render lasts a few seconds."""
    media = tmp_path / "media"
    proc = _spawn([sys.executable, "-m", "vidu_desktop.emulator", "--port", "0",
                   "--time-scale", "0.01", "--preview-scale", "1.0", "--media-dir", str(media),
                   "--exit-with-stdin"], sessions, stdin=subprocess.PIPE)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "listening on" in first, first + proc.communicate(timeout=10)[1]
    url = first.split()[-1]
    wait_for(lambda: _healthy(url), timeout=30)  # the line comes just before it serves
    return proc, url, media


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/_emulator/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _render(url: str, media: Path, sid: int) -> None:
    """Submit one 1080p Vidu task; return once a worker is writing its video."""
    uri = "data:image/png;base64," + base64.b64encode(make_image(640, 360)).decode()
    answer = httpx.post(f"{url}/vidu/ent/v2/reference2video",
                        json={"model": "viduq1", "prompt": "no orphans", "images": [uri]},
                        headers={"Authorization": f"Token {DEMO_KEY}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    wait_for_procs(sid, WORKER)
    wait_for_procs(sid, TRACKER)
    wait_for(lambda: _partial_renders(media), timeout=30)  # mid-render


def _signal(proc: subprocess.Popen[str], how: str) -> None:
    """``how``: a signal's name for the process alone, or "ctrl-c" for SIGINT to its whole
    process group, as a terminal sends it."""
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, how))


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "ctrl-c"])
def test_the_emulator_stops_its_render_workers_on_a_signal(tmp_path, sessions, how):
    proc, url, media = _emulator(tmp_path, sessions)
    _render(url, media, proc.pid)
    _signal(proc, how)
    _, err = proc.communicate(timeout=GONE_WITHIN)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    _assert_nothing_left(proc.pid)
    assert _partial_renders(media) == []  # the interrupted render removed its partial files


def test_the_emulator_stops_when_its_standard_input_ends(tmp_path, sessions):
    proc, url, media = _emulator(tmp_path, sessions)
    _render(url, media, proc.pid)
    _, err = proc.communicate(timeout=GONE_WITHIN)  # closes stdin, as a parent's exit does
    assert proc.returncode == 0, err
    _assert_nothing_left(proc.pid)
    assert _partial_renders(media) == []


def test_render_workers_end_when_the_emulator_is_killed(tmp_path, sessions):
    proc, url, media = _emulator(tmp_path, sessions)
    _render(url, media, proc.pid)
    proc.kill()  # SIGKILL: no clean-up in the emulator at all
    proc.communicate(timeout=GONE_WITHIN)
    assert proc.returncode == -signal.SIGKILL
    _assert_nothing_left(proc.pid)  # the worker saw its parent go, then the tracker went
    assert _partial_renders(media) == []


# -- vidu-desktop in sandbox mode --------------------------------------------------------------
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_the_app_in_sandbox_mode_leaves_no_process(tmp_path, sessions, signum):
    profile = tmp_path / "profile"
    log = profile / "logs" / "app.log"
    proc = _spawn([sys.executable, "-m", "vidu_desktop.app", "--sandbox", "--profile-dir",
                   str(profile)], sessions)

    def started() -> bool:
        assert proc.poll() is None, proc.communicate()
        return log.is_file() and "sandbox emulator on" in log.read_text()

    wait_for(started, timeout=60, interval=0.1)  # the window is shown, the emulator serves
    proc.send_signal(signum)  # the app closes its window as the user would
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    _assert_nothing_left(proc.pid)


def _xvfb(sessions: list[int]) -> tuple[subprocess.Popen[str], str]:
    """A virtual X screen of its own (Xvfb picks a free display number and writes it)."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24",
                             "-nolisten", "tcp"], pass_fds=(write,), text=True,
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    sessions.append(xvfb.pid)
    os.close(write)
    with os.fdopen(read) as numbers:
        display = numbers.readline().strip()
    assert display, "Xvfb did not start"
    return xvfb, f":{display}"


def test_the_app_whose_display_goes_away_saves_and_leaves_no_process(tmp_path, sessions):
    """The X server dies under the window: Qt's loop ends on its own; the window closes as
    the user's close does (the draft saved while the session is open), the emulator stops,
    the log says what happened, and no process is left."""
    xvfb, display = _xvfb(sessions)
    profile = tmp_path / "profile"
    log = profile / "logs" / "app.log"
    proc = _spawn([sys.executable, "-m", "vidu_desktop.app", "--sandbox", "--profile-dir",
                   str(profile)], sessions, DISPLAY=display, QT_QPA_PLATFORM="xcb")

    def started() -> bool:
        assert proc.poll() is None, proc.communicate()
        return log.is_file() and "sandbox emulator on" in log.read_text()

    wait_for(started, timeout=60, interval=0.1)
    xvfb.kill()
    xvfb.wait(timeout=10)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    text = log.read_text()
    assert "Qt's event loop ended while the app ran" in text
    assert " CRITICAL " not in text  # what ran after the loop ended is no crash
    assert "Traceback" not in err, err  # nor a failed request
    assert "the session has no engine yet" not in err  # the draft was saved before the close
    _assert_nothing_left(proc.pid)


def test_the_app_closing_itself_after_its_self_test_leaves_no_process(tmp_path, sessions):
    # the window's normal close, after a sandbox generation, a download and playback
    proc = _spawn([sys.executable, "-m", "vidu_desktop.app", "--sandbox", "--profile-dir",
                   str(tmp_path / "profile"), "--self-test"], sessions)
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, out + err
    assert out.startswith("self-test passed")
    _assert_nothing_left(proc.pid)


# -- a bench and its child emulator ------------------------------------------------------------
def _bench(tmp: Path, sessions: list[int], *args: str) -> subprocess.Popen[str]:
    """``bench/emulator_load.py`` with one task; its temporary folder goes under ``tmp``."""
    tmp.mkdir()
    return _spawn([sys.executable, "bench/emulator_load.py", "--tasks", "1",
                   "--time-scale", "0.01", *args], sessions, TMPDIR=str(tmp))


def test_a_bench_that_ends_leaves_no_process(tmp_path, sessions):
    proc = _bench(tmp_path / "tmp", sessions, "--preview-scale", "0.1")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "all 1 tasks finished" in out
    _assert_nothing_left(proc.pid)
    assert list((tmp_path / "tmp").iterdir()) == []  # its temporary folder is gone too


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "ctrl-c", "SIGKILL"])
def test_a_stopped_bench_stops_its_emulator_and_workers(tmp_path, sessions, how):
    # full size: the render is still going when the signal comes
    proc = _bench(tmp_path / "tmp", sessions, "--preview-scale", "1.0")
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("submitted"):
            break
    else:
        raise AssertionError(proc.communicate())
    wait_for_procs(proc.pid, WORKER)
    _signal(proc, how)
    proc.communicate(timeout=GONE_WITHIN)
    assert proc.returncode != 0
    _assert_nothing_left(proc.pid)  # SIGKILL too: the emulator sees its stdin end
    if how != "SIGKILL":  # a SIGKILLed bench cannot remove its temporary folder
        assert list((tmp_path / "tmp").iterdir()) == []
