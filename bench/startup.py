"""Benchmark: start-up of the main window with 10,000 tasks in the library, next to an empty
PySide6 window's start-up on the same machine: "first paint" and "ready".

Each run is a fresh subprocess; the times are from just before the process is started to

- **first paint**: the end of the first paint of its window: the first paint event of the
  window itself, then (a zero timer posted from it) the rest of that pass, in which the
  window's children (the tray, the prompt, the parameters, Generate...) paint; the empty
  window's first paint is the reference for both;
- **ready** (the app only): seen by the bench itself, not taken from the app's word: the keys
  are known (the keychain was read), the engine has started (the library's tasks resumed),
  and the task table has painted rows of its first page (a paint event of the table's
  viewport while the model holds rows, then the rest of that pass). The child checks each
  condition when ``Startup.ready`` (:mod:`vidu_desktop.ui.shell.startup`) fires, waits for
  the table's paint if it has not come yet, and fails the run if one does not hold.

Both children print the CPU time of their process at each mark as well (``process_time``:
interpreter start included); its ratios are a cross-check that other load on the machine
moves less than the wall clock. The targets are on the wall clock.

Several runs each, interleaved (empty, app, empty, app, ...) so that load from elsewhere on
the machine hits both alike; the medians are printed, with their ratios to the empty window's
and the medians of the per-pair ratios (targets: first paint within 2.0x, ready within 3.0x).
Numbers only; nothing is asserted.

The runs are warm: a first, untimed run of each warms the file cache and writes the bytecode
caches (``__pycache__``) even where ``PYTHONDONTWRITEBYTECODE`` is set: an installed app has
its modules compiled (pip and PyInstaller compile them), and compiling vidu_desktop's modules
from source on every run (0.1-0.25 s) is not what a user waits for. The timed runs read them.

The empty window is a plain ``QMainWindow`` of the app's default size in a ``QApplication``
made the same way (the same interpreter, environment and platform plugin), with nothing in
it: it draws no text, so it never loads a font (a label in it adds about 5 % to its
instructions, valgrind's count), and it has no style sheet or palette of the app's own. It is
the strictest reference.

    .venv/bin/python bench/startup.py [--tasks 10000] [--runs 7]

A third child shows where the floor is: the empty window again, after making the PySide6
classes that the app's modules hold at its first paint (each class makes its enum classes:
Python's enum module takes some 25 us a member, and ``Qt`` alone has 94 enum classes of
2,000 members), with none of the app's own code.

The app runs the shell's start-up as ``vidu_desktop.app`` does (painted before any asyncio loop
exists, then attach after, in the loop) out of sandbox mode with no
keys (the keychain backend is keyring's ``fail`` one; nothing is resumed: the filled tasks are
finished), on the offscreen platform unless ``QT_QPA_PLATFORM`` says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Both children print the wall-clock and CPU time of their window's first paint; the empty one
# then quits, the app goes on to ready.
_PAINTED = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

def mark(word, extra=""):
    print(f"{word} {time.time():.6f} {time.process_time():.6f} {extra}".rstrip(), flush=True)

# the end of the first paint pass of the widget watched: its paint event, then a zero timer
# (the pass paints the children before the loop turns again)
class FirstPaint(QObject):
    def __init__(self, then):
        super().__init__()
        self.then = then
        self.done = False

    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self.then)
        return False
"""

# a plain QMainWindow of the app's default size: shown, painted once, then the app quits
_EMPTY_WINDOW = """
import sys
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv[:1])

def painted():
    mark("PAINTED")
    app.quit()

watch = FirstPaint(painted)
window = QMainWindow()
window.resize(1280, 800)
window.installEventFilter(watch)
window.show()
app.exec()
"""

EMPTY = _PAINTED + _EMPTY_WINDOW

APP = _PAINTED + """
from vidu_desktop.ui.common import gc_hold, pyside_imports
gc_hold.hold()  # as vidu_desktop.app.main does (the Startup releases it when ready)
pyside_imports.quicken()  # as vidu_desktop.app.main does, before its other imports
import sys
from pathlib import Path
from vidu_desktop import app as shell
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.shell.startup import Startup

shell.set_identity()
app = theme.application(sys.argv)  # as vidu_desktop.app._main
app.setQuitOnLastWindowClosed(False)
theme.install(app, "light")

# as vidu_desktop.app.show does: built and painted before any asyncio loop exists
session, window = shell.build(Path(sys.argv[1]), sandbox=False, sandbox_starter=None,
                              progressive=True)
watch = FirstPaint(lambda: mark("PAINTED"))
window.installEventFilter(watch)  # Startup's watcher runs first; its attach, after go()
startup = Startup(window, session, window.composer.bg.spawn)
events = {}

class RowsPainted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and window.task_list.model.rowCount():
            QTimer.singleShot(0, events["rows"].set)  # after the pass
        return False

rows = RowsPainted()

def watch_rows():  # the table of the list attached (and of any later one)
    window.task_list.view.table.viewport().installEventFilter(rows)

startup.attached.connect(watch_rows)
session.engine_changed.connect(lambda: window.attached and watch_rows())
startup.paint()
if not watch.done:
    print("NOT READY the window did not paint in Startup.paint", flush=True)
    sys.exit(1)
shell.defer_modules()  # as vidu_desktop.app._main does, after the paint
import asyncio  # as the app: after the paint
from vidu_desktop.ui.common.qt_loop import QtLoop

async def main():
    events["rows"], events["ready"] = asyncio.Event(), asyncio.Event()
    startup.ready.connect(events["ready"].set)
    startup.go()
    await events["ready"].wait()
    await events["rows"].wait()
    model = window.task_list.model
    problems = [what for what, ok in (
        ("the keys are not known", session.keys_known),
        ("the engine has not started", session.engine_ready),
        ("the task list is not attached", window.attached),
        ("the first page is not loaded", model.rowCount() == min(model.total, model.page_size)),
    ) if not ok]
    if problems:
        print("NOT READY " + "; ".join(problems), flush=True)
    else:
        mark("READY", f"{model.rowCount()}/{model.total}")
    window.close()
    await window.composer.bg.close()
    await session.close()

asyncio.run(main(), loop_factory=lambda: QtLoop(app))  # as the app
"""

# The PySide6 classes (and so their enum classes) that the app's modules hold when the window
# is painted: module and name of each, as JSON, for QT_FLOOR
QT_NAMES = """
import json, sys
from vidu_desktop.ui.common import pyside_imports
pyside_imports.quicken()
import vidu_desktop.ui.shell.startup  # what the app imports before its first paint
names = set()
for module in list(sys.modules.values()):
    if getattr(module, "__name__", "").startswith("vidu_desktop"):
        for value in vars(module).values():
            mod = getattr(value, "__module__", "")
            if isinstance(value, type) and mod.startswith("PySide6.Qt"):
                names.add((mod, value.__qualname__))
print(json.dumps(sorted(names)))
"""

# The empty window, after making the PySide6 classes the app's modules hold (QT_NAMES): what
# PySide itself costs the app's first paint, with none of the app's own code
QT_FLOOR = _PAINTED + """
import importlib, json, sys
for module, qualname in json.loads(sys.argv[1]):
    value = importlib.import_module(module)
    for name in qualname.split("."):
        value = getattr(value, name)
""" + _EMPTY_WINDOW


def child_env() -> dict[str, str]:
    """Every child's environment: the platform plugin (offscreen unless QT_QPA_PLATFORM says
    otherwise), keyring's fail backend, this checkout on the path."""
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "PYTHONPATH": str(ROOT)}


def qt_names() -> str:
    """QT_NAMES's answer (JSON)."""
    out = subprocess.run([sys.executable, "-c", QT_NAMES], capture_output=True, text=True,
                         env=child_env(), timeout=120, check=True)
    return out.stdout.strip().splitlines()[-1]


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


def once(code: str, *args: str, warm: bool = False) -> dict[str, tuple[float, float]]:
    """One run: (seconds from the start of the process, CPU seconds of the child) at each
    mark it printed."""
    env = child_env()
    if warm:  # write the bytecode caches, as installing the app does (pip, PyInstaller)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, timeout=120, check=False)
    marks = {}
    for line in out.stdout.splitlines():
        word, *rest = line.split()
        if word in ("PAINTED", "READY"):
            marks[word.lower()] = (float(rest[0]) - started, float(rest[1]))
        elif line.startswith("NOT READY"):
            raise RuntimeError(f"the app said ready too early: {line[10:]}")
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
        names = qt_names()
        once(QT_FLOOR, names, warm=True)
        print(f"{args.runs} warm runs each (bytecode cached), interleaved, "
              f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
        empty: list[tuple[float, float]] = []
        painted: list[tuple[float, float]] = []
        ready: list[tuple[float, float]] = []
        floor: list[tuple[float, float]] = []
        for _ in range(args.runs):  # interleaved: a burst of load elsewhere hits both alike
            empty.append(once(EMPTY)["painted"])
            floor.append(once(QT_FLOOR, names)["painted"])
            marks = once(APP, str(profile))
            painted.append(marks["painted"])
            ready.append(marks["ready"])
    e = statistics.median(w for w, _ in empty)
    e_cpu = statistics.median(c for _, c in empty)
    print(f"empty PySide6 window, first paint: median {e * 1000:.0f} ms  "
          f"(runs: {ms([w for w, _ in empty])}); CPU {e_cpu * 1000:.0f} ms")
    f = [w for w, _ in floor]
    print(f"the empty window after making the {len(json.loads(names))} PySide6 classes the "
          f"app's modules hold (no app code): first paint median "
          f"{statistics.median(f) * 1000:.0f} ms, {statistics.median(f) / e:.2f}x  "
          f"(runs: {ms(f)})")
    for what, times, target in (("first paint", painted, 2.0), ("ready", ready, 3.0)):
        wall = [w for w, _ in times]
        a = statistics.median(wall)
        a_cpu = statistics.median(c for _, c in times)
        pairs = statistics.median(x / y for x, (y, _) in zip(wall, empty, strict=True))
        print(f"Vidu Studio, {args.tasks:,} tasks, {what}: median {a * 1000:.0f} ms  "
              f"(runs: {ms(wall)}); CPU {a_cpu * 1000:.0f} ms")
        print(f"  {what}: {a / e:.2f}x of the medians, {pairs:.2f}x median of the pairs "
              f"(target: within {target:.1f}x); CPU {a_cpu / e_cpu:.2f}x")


if __name__ == "__main__":
    main()
