"""``vidu-cli --sandbox`` as a user scripts it: a child process with no key, its own emulator
inside it, the profile's sandbox library (the app's), and nothing else touched: no keychain, no
address but loopback, no remembered host address, no process left behind.

Each child runs with a tripwire (``tripwire/`` on its ``PYTHONPATH``): an audit hook writes
every connection and name lookup to a file, and the keyring backend writes every use."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import wait_for

from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer

from .helpers import CLI, PYCACHE, RUN_TIMEOUT, Cli, assert_playable, control
from .process_table import HAS_PROC, wait_until_gone

TRIPWIRE = Path(__file__).parent / "tripwire"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
#: looks like a key; the sandbox must neither use it nor write it anywhere
REAL_LOOKING = "vk-e2e-real-looking-5f4e3d2c1b0a"


@dataclass
class Sandbox:
    """Runs ``vidu-cli --sandbox`` (each run in a session of its own) in ``folder``, with
    ``profile`` as the profile folder given relative to it."""

    folder: Path
    profile: str = "profile"

    def trail(self, sandbox: bool = True) -> Path:
        """What the runs with (or without) ``--sandbox`` touched."""
        return self.folder / f"tripwire-{'sandbox' if sandbox else 'real'}.log"

    @property
    def library(self) -> Cli:
        """The sandbox library, read as another process would."""
        return Cli("", self.folder / self.profile / "sandbox")

    def env(self, trail: Path, extra: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.endswith("_API_KEY") and k != "VIDU_DESKTOP_HOME"}
        path = [str(TRIPWIRE), *filter(None, [env.get("PYTHONPATH")])]
        env.update(PYTHONPATH=os.pathsep.join(path), VIDU_TRIPWIRE=str(trail),
                   PYTHON_KEYRING_BACKEND="tripwire_keyring.Keyring", PYTHONUNBUFFERED="1",
                   PYTHONPYCACHEPREFIX=PYCACHE)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env | extra

    def spawn(self, *args: str, sandbox: bool = True, **env: str) -> subprocess.Popen[str]:
        argv = [*CLI, "--profile-dir", self.profile, *(["--sandbox"] if sandbox else []),
                "--poll", "0.05", *args]
        return subprocess.Popen(argv, cwd=self.folder, env=self.env(self.trail(sandbox), env),
                                text=True,
                                start_new_session=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def run(self, *args: str, sandbox: bool = True, **env: str
            ) -> subprocess.CompletedProcess[str]:
        proc = self.spawn(*args, sandbox=sandbox, **env)
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
        assert_nothing_left(proc.pid)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)

    def json(self, *args: str) -> Any:
        done = self.run(*args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def tripped(self, sandbox: bool = True) -> list[str]:
        trail = self.trail(sandbox)
        return trail.read_text().splitlines() if trail.exists() else []


def assert_nothing_left(sid: int) -> None:
    """No live process of the child's session (Linux: the process table; elsewhere the child
    itself has exited, which ``communicate`` saw)."""
    if HAS_PROC:
        left = wait_until_gone(sid, 15.0)
        assert not left, "left behind: " + "; ".join(map(str, left))


def connections(lines: list[str]) -> list[tuple[Any, ...]]:
    """The addresses connected to (``connect ('127.0.0.1', 41234)`` lines)."""
    import ast

    return [ast.literal_eval(line.removeprefix("connect ")) for line in lines
            if line.startswith("connect ")]


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


def test_generate_list_status_in_the_sandbox_without_a_key(
        sandbox: Sandbox, emulator: EmulatorServer, image: Path, tmp_path: Path) -> None:
    # a host address remembered for the real library: the sandbox must not use it
    remembered = sandbox.run("list", "--base-url", f"vidu={emulator.url}/vidu", sandbox=False)
    assert remembered.returncode == 0, remembered.stderr
    done = sandbox.run("generate", "-i", str(image), "-p", "a fox in the snow", "--wait",
                       "--out", "take.mp4", VIDU_API_KEY=REAL_LOOKING)
    assert done.returncode == 0, done.stderr
    assert "Sandbox: placeholder videos, no cost." in done.stderr
    assert "(sandbox: a placeholder video, no cost)" in done.stdout
    assert "cost: none, sandbox" in done.stdout
    assert_playable(tmp_path / "take.mp4")  # --out relative to where vidu-cli runs

    # the profile's sandbox library has the task; the real library does not
    [row] = sandbox.library.rows()
    assert row["state"] == "succeeded" and row["prompt"] == "a fox in the snow"
    listed = sandbox.json("list")
    assert [(t["id"], t["state"], t["sandbox"]) for t in listed] == [
        (row["local_id"], "succeeded", True)]
    status = sandbox.json("status", row["local_id"])
    assert status["sandbox"] is True and Path(status["files"]["video"]).is_absolute()
    assert_playable(Path(status["files"]["video"]))
    after = sandbox.run("list", "--sandbox", sandbox=False)  # the option after the command
    assert row["local_id"] in after.stdout
    real = sandbox.run("list", sandbox=False)
    assert real.returncode == 0 and real.stdout.strip() == "no tasks"

    # nothing reached the remembered host; no keychain; only loopback, and something did
    assert control(emulator, "counters")["requests"] == {}
    trail = sandbox.tripped()
    assert [line for line in trail if line.startswith("keyring")] == []
    lookups = [line for line in trail if line.startswith("lookup ")]
    assert all(any(host in line for host in LOOPBACK) for line in lookups), lookups
    addresses = connections(trail)
    assert addresses and all(a[0] in LOOPBACK for a in addresses), addresses
    assert emulator.port not in {a[1] for a in addresses}
    # the key in the environment was not used, nor written anywhere
    files = [p for p in (tmp_path / "profile").rglob("*") if p.is_file()]
    assert [p for p in files if REAL_LOOKING.encode() in p.read_bytes()] == []


def test_the_tripwire_sees_a_keychain_lookup_outside_the_sandbox(sandbox: Sandbox,
                                                                 emulator: EmulatorServer,
                                                                 image: Path) -> None:
    # the control of the test above: without --sandbox the same run asks the keychain
    done = sandbox.run("--base-url", f"vidu={emulator.url}/vidu", "generate", "-i",
                       str(image), "-p", "x", sandbox=False)
    assert done.returncode == 3, done.stderr  # no key anywhere
    assert "keyring get vidu" in sandbox.tripped(sandbox=False)


def test_the_app_opens_the_library_the_cli_sandbox_wrote(sandbox: Sandbox, image: Path,
                                                         tmp_path: Path) -> None:
    from vidu_desktop.store import AppPaths, SecretStore
    from vidu_desktop.ui.common.session import Session

    done = sandbox.run("generate", "-i", str(image), "-p", "seen by the app", "--json")
    assert done.returncode == 0, done.stderr  # followed to the end without --wait
    assert "following the task to its end" in done.stderr
    task = json.loads(done.stdout)
    assert task["state"] == "succeeded" and task["sandbox"] is True

    async def open_in_the_app() -> tuple[str, str]:
        session = Session(SecretStore(), key_tester=lambda *_: asyncio.sleep(0),
                          sandbox_starter=lambda: "http://127.0.0.1:9", demo_key=DEMO_KEY,
                          lazy_sandbox=True)
        session.open_profile(AppPaths(tmp_path / "profile"), sandbox=True)
        try:
            rec = session.engine.tasks.get(task["id"])
            assert rec is not None
            return rec.prompt, rec.state.value
        finally:
            await session.close()

    assert asyncio.run(open_in_the_app()) == ("seen by the app", "succeeded")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_an_interrupted_sandbox_task_stops_its_emulator_and_cannot_be_resumed(
        sandbox: Sandbox, image: Path, signum: int) -> None:
    proc = sandbox.spawn("generate", "-i", str(image), "-p", "cut short", "--wait")
    try:
        wait_for(lambda: [r for r in sandbox.library.rows() if r["remote_id"]], timeout=60)
        proc.send_signal(signum)  # Ctrl+C, or a kill, while the emulator works on the task
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
    if signum == signal.SIGINT:
        assert proc.returncode == 130, err
        assert "cannot be followed any more" in err and "Traceback" not in err
    else:
        assert proc.returncode == -signal.SIGTERM, err
    assert_nothing_left(proc.pid)  # the emulator was a thread of vidu-cli, nothing else
    # a new run has a new emulator, which never heard of the task: it says so, truthfully
    done = sandbox.run("resume")
    assert done.returncode == 1, done.stderr
    assert "The host does not know this task" in done.stderr
    assert "lives only as long as the built-in emulator that took it" in done.stderr
    assert [r["state"] for r in sandbox.library.rows()] == ["failed"]


@pytest.mark.parametrize(("args", "says"), [
    (["key", "set", "vidu"], "the sandbox uses no key"),
    (["--base-url", "vidu=http://127.0.0.1:9/vidu", "list"], "--base-url cannot be used"),
])
def test_what_the_sandbox_refuses(sandbox: Sandbox, args: list[str], says: str) -> None:
    done = sandbox.run(*args)
    assert done.returncode == 2 and says in done.stderr
    assert sandbox.tripped() == []  # no keychain, no connection


def test_help_tells_of_the_sandbox() -> None:
    done = subprocess.run([*CLI, "--help"], capture_output=True, text=True, timeout=60,
                          check=False, env={**os.environ, "PYTHONPYCACHEPREFIX": PYCACHE})
    assert done.returncode == 0 and "--sandbox" in done.stdout
    assert "placeholder videos, no cost, no key" in " ".join(done.stdout.split())
