"""Benchmark: start-up of the main window with 10,000 tasks in the library, next to an empty
PySide6 window's start-up on the same machine: "first paint" and "ready".

Each run is a fresh subprocess; the times are from just before the process is started to

- **first paint**: the first paint event of its window (interpreter start, imports, opening
  the library, building the window with the compose area, the first paint); the empty
  window's first paint is the reference for both;
- **ready** (the app only): the keys are known (the keychain was read), the engine has
  started (the library's tasks resumed) and the task list has painted its first page
  (``Startup.ready``, :mod:`vidu_desktop.ui.shell.startup`).

Several runs each, interleaved (empty, app, empty, app, ...) so that load from elsewhere on
the machine hits both alike; the medians are printed, with their ratios to the empty window's
and the medians of the per-pair ratios (targets: first paint within 2.0x, ready within 3.0x).
Numbers only; nothing is asserted.

A first, untimed run of each warms the file cache and writes the bytecode caches
(``__pycache__``) even where ``PYTHONDONTWRITEBYTECODE`` is set: an installed app has its
modules compiled (pip and PyInstaller compile them), and compiling vidu_desktop's ~90 modules
from source on every run (0.1-0.25 s here) is not what a user waits for. The timed runs
read them.

    .venv/bin/python bench/startup.py [--tasks 10000] [--runs 7]

The app runs the shell's start-up (paint first, attach after) out of sandbox mode with no
keys (the keychain backend is keyring's ``fail`` one; nothing is resumed: the filled tasks are
finished), on the offscreen platform unless ``QT_QPA_PLATFORM`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Both children print the wall-clock time of their window's first paint, then quit.
_PAINTED = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def __init__(self, app):
        super().__init__()
        self.app = app
        self.done = False
        self.quit = True

    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print(f"PAINTED {time.time():.6f}", flush=True)
            if self.quit:
                QTimer.singleShot(0, self.app.quit)
        return False
"""

EMPTY = _PAINTED + """
import sys
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv[:1])
watch = FirstPaint(app)
window = QMainWindow()
window.resize(1280, 800)
window.installEventFilter(watch)
window.show()
app.exec()
"""

APP = _PAINTED + """
from vidu_desktop.ui.common import pyside_imports
pyside_imports.quicken()  # as vidu_desktop.app.main does, before its other imports
import asyncio, sys
from pathlib import Path
import qasync
from vidu_desktop import app as shell
from vidu_desktop.ui.common import theme

shell.set_identity()
app = QApplication(sys.argv[:1])
app.setQuitOnLastWindowClosed(False)
theme.install(app, "light")
watch = FirstPaint(app)
watch.quit = False  # the app quits when it is ready, not at the first paint

async def main():
    from vidu_desktop.ui.shell.startup import Startup

    session, window = shell.build(Path(sys.argv[1]), sandbox=False, sandbox_starter=None,
                                  progressive=True)
    window.installEventFilter(watch)
    startup = Startup(window, session, window.composer.bg.spawn)
    ready = asyncio.Event()

    def on_ready():
        print(f"READY {time.time():.6f}", flush=True)
        ready.set()

    startup.ready.connect(on_ready)
    startup.show()
    await ready.wait()
    window.close()
    await window.composer.bg.close()
    await session.close()

asyncio.run(main(), loop_factory=lambda: qasync.QEventLoop(app))
"""


def fill(profile: Path, n: int) -> None:
    """``n`` finished tasks in the profile's library, written in one transaction."""
    sys.path.insert(0, str(ROOT))
    from vidu_desktop.core.capabilities import ProviderId
    from vidu_desktop.core.errors import AppError, ErrorKind
    from vidu_desktop.core.request import GenerationRequest, ReferenceImage
    from vidu_desktop.core.states import TaskState
    from vidu_desktop.store import AppPaths, TaskStore, open_database, transaction

    paths = AppPaths(profile).ensure()
    conn = open_database(paths.database)
    now = [time.time() - 120 * n]
    store = TaskStore(conn, clock=lambda: now[0])
    hosts = [(ProviderId.VIDU, "viduq1"), (ProviderId.NOVITA, "vidu-q1"),
             (ProviderId.SEGMIND, "vidu-q1")]
    failure = AppError(ErrorKind.GENERATION_FAILED, "The host could not generate this video.")
    with transaction(conn):
        for i in range(n):
            now[0] += 120
            pid, model = hosts[i % len(hosts)]
            rec = store.create(GenerationRequest(
                pid, model, f"image 1 walks into the sea at dusk, take {i}",
                (ReferenceImage("https://example.com/ref.png", "the walker"),), seed=i + 1))
            if i % 10 == 9:
                store.transition(rec.local_id, TaskState.FAILED, error=failure)
            else:
                store.transition(rec.local_id, TaskState.DOWNLOADING)
                store.transition(rec.local_id, TaskState.SUCCEEDED)
    conn.close()


def once(code: str, *args: str, warm: bool = False) -> dict[str, float]:
    """One run: the seconds from the start of the process to each mark it printed."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "PYTHONPATH": str(ROOT)}
    if warm:  # write the bytecode caches, as installing the app does (pip, PyInstaller)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, timeout=120, check=False)
    marks = {}
    for line in out.stdout.splitlines():
        word, _, at = line.partition(" ")
        if word in ("PAINTED", "READY"):
            marks[word.lower()] = float(at) - started
    if "painted" not in marks or (code is APP and "ready" not in marks):
        raise RuntimeError(f"no paint or ready seen (exit {out.returncode}):\n"
                           f"{out.stderr[-2000:]}")
    return marks


def ms(values: list[float]) -> str:
    return ", ".join(f"{x * 1000:.0f}" for x in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vidu-bench-") as tmp:
        profile = Path(tmp) / "profile"
        t0 = time.perf_counter()
        fill(profile, args.tasks)
        print(f"filled {args.tasks:,} tasks in {time.perf_counter() - t0:.1f} s")
        once(EMPTY, warm=True)  # warm the file and bytecode caches for both
        once(APP, str(profile), warm=True)
        empty: list[float] = []
        painted: list[float] = []
        ready: list[float] = []
        for _ in range(args.runs):  # interleaved: a burst of load elsewhere hits both alike
            empty.append(once(EMPTY)["painted"])
            marks = once(APP, str(profile))
            painted.append(marks["painted"])
            ready.append(marks["ready"])
    e = statistics.median(empty)
    print(f"empty PySide6 window, first paint: median {e * 1000:.0f} ms  (runs: {ms(empty)})")
    for what, times, target in (("first paint", painted, 2.0), ("ready", ready, 3.0)):
        a = statistics.median(times)
        pairs = statistics.median(x / y for x, y in zip(times, empty, strict=True))
        print(f"Vidu Studio, {args.tasks:,} tasks, {what}: median {a * 1000:.0f} ms  "
              f"(runs: {ms(times)})")
        print(f"  {what}: {a / e:.2f}x of the medians, {pairs:.2f}x median of the pairs "
              f"(target: within {target:.1f}x)")


if __name__ == "__main__":
    main()
