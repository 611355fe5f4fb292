"""The built-in emulator as a sandbox's hosts, and the sandbox's names: what the app needs
before its first paint, without the engine (:mod:`.sandbox` has the sandbox's engine).

No Qt; the emulator (Starlette, uvicorn, PyAV) is imported only when it is started.
"""

from __future__ import annotations

import logging
import random
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vidu_desktop.emulator.server import EmulatorServer

log = logging.getLogger(__name__)

#: The label of sandbox mode, wherever it is shown.
SANDBOX_LABEL = "Sandbox: placeholder videos, no cost"
#: The sandbox library's folder inside the profile.
SANDBOX_FOLDER = "sandbox"
#: The emulator's files (its rendered placeholder videos) inside the profile's cache.
EMULATOR_MEDIA = "sandbox"


class SandboxEmulator:
    """The built-in emulator of all five hosts, in this process (a thread) on a free loopback
    port, at the sandbox's pace (a task takes a few seconds). :meth:`start` starts it once,
    from any thread; :meth:`stop` ends it (no process is ever started: it renders in
    threads). Each start has its own seed, so its task ids differ from an earlier run's: a
    task left unfinished by a run that ended is "not found", never another task's result."""

    def __init__(self, media_dir: Path) -> None:
        self.media_dir = media_dir
        self.server: EmulatorServer | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self.server is not None

    def start(self) -> str:
        """The emulator's root URL, started now if it is not yet (blocks until it runs)."""
        with self._lock:
            if self.server is None:
                from vidu_desktop.emulator.config import EmulatorConfig
                from vidu_desktop.emulator.server import EmulatorServer

                server = EmulatorServer(EmulatorConfig(
                    time_scale=0.5, preview_scale=0.5, render_processes=False,
                    media_dir=self.media_dir, seed=random.randrange(1 << 31)))
                server.start()
                self.server = server
                log.info("sandbox emulator on %s", server.url)
            return self.server.url

    def stop(self) -> None:
        with self._lock:
            if self.server is not None:
                self.server.stop()
                self.server = None
