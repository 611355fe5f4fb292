"""Benchmark: start-up to the first painted main window with 10,000 tasks in the library,
next to an empty PySide6 window's start-up on the same machine.

Each run is a fresh subprocess; the time is from just before the process is started to the
first paint event of its window (interpreter start, imports, opening the library, building the
window, the first page of the task list, the first paint). Several runs each, interleaved
(empty, app, empty, app, ...) so that load from elsewhere on the machine hits both alike; the
medians are printed, with their ratio and the median of the per-pair ratios (target: within
1.5x of the empty window). Numbers only; nothing is asserted.

A first, untimed run of each warms the file cache and writes the bytecode caches
(``__pycache__``) even where ``PYTHONDONTWRITEBYTECODE`` is set: an installed app has its
modules compiled (pip and PyInstaller compile them), and compiling vidu_desktop's ~90 modules
from source on every run (0.1-0.25 s here) is not what a user waits for. The timed runs
read them.

    .venv/bin/python bench/startup.py [--tasks 10000] [--runs 7]

The app runs out of sandbox mode with no keys (nothing is resumed: the filled tasks are
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

    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print(f"PAINTED {time.time():.6f}", flush=True)
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

async def main():
    session, window = shell.build(Path(sys.argv[1]), sandbox=False, sandbox_starter=None)
    window.installEventFilter(watch)
    window.show()
    while not watch.done:
        await asyncio.sleep(0.001)
    window.close()
    await window.composer.bg.close()
    await session.engine.close()

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


def once(code: str, *args: str, warm: bool = False) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "PYTHONPATH": str(ROOT)}
    if warm:  # write the bytecode caches, as installing the app does (pip, PyInstaller)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, timeout=120, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("PAINTED "):
            return float(line.split()[1]) - started
    raise RuntimeError(f"no paint seen (exit {out.returncode}):\n{out.stderr[-2000:]}")


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
        app: list[float] = []
        for _ in range(args.runs):  # interleaved: a burst of load elsewhere hits both alike
            empty.append(once(EMPTY))
            app.append(once(APP, str(profile)))
    e, a = statistics.median(empty), statistics.median(app)
    pairs = statistics.median(x / y for x, y in zip(app, empty, strict=True))
    print(f"empty PySide6 window: median {e * 1000:.0f} ms  "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in empty)})")
    print(f"Vidu Studio, {args.tasks:,} tasks: median {a * 1000:.0f} ms  "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in app)})")
    print(f"ratio: {a / e:.2f}x of the medians, {pairs:.2f}x median of the pairs "
          "(target: within 1.5x)")


if __name__ == "__main__":
    main()
