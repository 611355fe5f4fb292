"""End-to-end helpers: ``vidu-cli`` run as a real child process against the emulator.

The emulator is the in-process one from ``tests/conftest.py`` (a thread on loopback); the CLI
is a separate Python process with its own profile folder, the demo key in its environment and
a keyring backend that never touches a real keychain.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import httpx

from vidu_desktop.core.capabilities import PROVIDERS, ProviderId
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer

CLI = [sys.executable, "-m", "vidu_desktop.cli"]
PYCACHE = str(Path(tempfile.gettempdir()) / "vidu-e2e-pycache")
RUN_TIMEOUT = 60.0


@dataclass
class Cli:
    """Runs ``vidu-cli`` in a child process for one profile against one emulator."""

    url: str
    profile: Path
    env: dict[str, str] = field(default_factory=dict)

    def argv(self, *args: str) -> list[str]:
        urls = [f"--base-url={h.value}={self.url}/{h.value}" for h in ProviderId]
        return [*CLI, "--profile-dir", str(self.profile), *urls, "--poll", "0.05", *args]

    def child_env(self, **overrides: str | None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.endswith("_API_KEY") and k != "VIDU_DESKTOP_HOME"}
        env.update({spec.key_env: DEMO_KEY for spec in PROVIDERS.values()})
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
        env["PYTHONUNBUFFERED"] = "1"
        # every child compiles the same sources: cache the bytecode outside the checkout
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = PYCACHE
        env.update(self.env)
        for name, value in overrides.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    def run(self, *args: str, env: dict[str, str | None] | None = None,
            timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(*args), env=self.child_env(**(env or {})),
                              capture_output=True, text=True, timeout=timeout, check=False)

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.argv(*args), env=self.child_env(), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def json(self, *args: str) -> Any:
        done = self.run(*args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    # -- the library, read the way another process would ----------------------------------
    @property
    def database(self) -> Path:
        return self.profile / "library.sqlite3"

    def rows(self) -> list[dict[str, Any]]:
        if not self.database.exists():
            return []
        conn = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=5)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("SELECT * FROM tasks")]
        except sqlite3.OperationalError:  # the schema is not there yet
            return []
        finally:
            conn.close()

    def state(self) -> str | None:
        rows = self.rows()
        return str(rows[0]["state"]) if rows else None


def control(server: EmulatorServer, path: str, body: Any = None) -> Any:
    url = f"{server.url}/_emulator/{path}"
    response = httpx.post(url, json=body) if body is not None else httpx.get(url)
    response.raise_for_status()
    return response.json()


def submissions(server: EmulatorServer, host: str = "vidu") -> int:
    counts = control(server, "counters")["submissions"].get(host, {})
    return int(sum(counts.values()))


def requests_to(server: EmulatorServer, host: str, route: str) -> int:
    return int(control(server, "counters")["requests"].get(host, {}).get(route, 0))


def assert_playable(path: Path) -> None:
    """A real MP4: an ftyp box, a video stream, and a first frame that decodes."""
    assert path.exists(), path
    assert path.read_bytes()[4:8] == b"ftyp"
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frame = next(container.decode(stream))
        assert frame.width > 0 and frame.height > 0
