"""Start-up: the window is built and painted without the heavy libraries (httpx, PyAV, Pillow,
the emulator), and in sandbox mode the emulator starts after the window, before the resume."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
from conftest import data_uri, make_image

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState

#: Modules the first paint must not wait for: each is imported when it is first needed.
HEAVY = ["httpx", "av", "PIL", "uvicorn", "vidu_desktop.emulator.server",
         "vidu_desktop.providers.registry", "vidu_desktop.imaging.prepare",
         "PySide6.QtMultimedia"]

_CHILD = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
import asyncio, qasync
from vidu_desktop import app as shell
from vidu_desktop.ui.common import theme

app = QApplication(sys.argv[:1])
theme.install(app, "light")
heavy = json.loads(sys.argv[2])
seen = {"imports": [m for m in heavy if m in sys.modules]}

def never():
    raise AssertionError("the emulator was started before the window")

async def main():
    progressive = sys.argv[4] == "progressive"
    sandbox = {"sandbox": True, "hosts": False, "by-keys": None}[sys.argv[3]]
    session, window = shell.build(Path(sys.argv[1]), sandbox=sandbox,
                                  sandbox_starter=never, lazy_sandbox=True,
                                  progressive=progressive)
    window.show()
    app.processEvents()
    seen["built"] = [m for m in heavy if m in sys.modules]
    seen["sandbox"] = session.sandbox
    if progressive:
        seen["attached"] = window.attached
        seen["engine"] = session.engine_open
    window.close()
    await window.composer.bg.close()
    await session.close()

asyncio.run(main(), loop_factory=lambda: qasync.QEventLoop(app))
print(json.dumps(seen))
"""


def _child_env() -> dict[str, str]:
    """A child app's environment: offscreen, and a keychain that holds nothing."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _child(profile: Path, mode: str, build: str = "at-once",
           heavy: list[str] = HEAVY) -> dict[str, object]:
    env = _child_env()
    for name in ("VIDU_API_KEY", "NOVITA_API_KEY", "HIGHWAYAPI_API_KEY", "SEGMIND_API_KEY",
                 "VTRIX_API_KEY"):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(_CHILD), str(profile),
                          json.dumps(heavy), mode, build], capture_output=True, text=True,
                         env=env, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_the_window_is_built_without_the_heavy_libraries(tmp_path):
    seen = _child(tmp_path / "profile", "hosts")
    assert seen == {"imports": [], "built": [], "sandbox": False}


def test_sandbox_mode_shows_the_window_before_the_emulator_starts(tmp_path):
    seen = _child(tmp_path / "profile", "sandbox")
    assert seen == {"imports": [], "built": [], "sandbox": True}


def test_the_first_paint_waits_for_no_keychain_task_list_or_review(tmp_path):
    """As the app builds it: keyring (its import alone takes ~60 ms), the task list, the
    Review tab and the engine (its modules, the library's task store) come after the first
    paint; with no key remembered and none in the environment it starts in sandbox mode, the
    emulator not started."""
    later = [*HEAVY, "keyring", "vidu_desktop.ui.tasks.view", "vidu_desktop.ui.review.player",
             "vidu_desktop.engine.engine", "vidu_desktop.engine.sandbox",
             "vidu_desktop.store.tasks", "vidu_desktop.store.task_records"]
    seen = _child(tmp_path / "profile", "by-keys", "progressive", later)
    assert seen == {"imports": [], "built": [], "sandbox": True, "attached": False,
                    "engine": False}


def _lazy_window(windows, starter):
    window = windows(sandbox=True, sandbox_starter=starter, lazy_sandbox=True)
    return window.session, window


def test_a_sandbox_task_resumes_once_the_late_emulator_runs(windows, qtbot, run, emulator):
    httpx.post(f"{emulator.url}/_emulator/config",
               json={"processing_s": 600}).raise_for_status()
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    image = ReferenceImage(data_uri(make_image(400, 300)), label="the cat")
    rec = run(engine.submit(GenerationRequest(ProviderId.NOVITA, "vidu-q1", "a cat on a sofa",
                                              (image,))))
    qtbot.waitUntil(lambda: engine.tasks.get(rec.local_id).state == TaskState.PROCESSING,
                    timeout=10_000)
    windows.close(window)  # quit while it renders

    started: list[int] = []

    def starter() -> str:
        started.append(1)
        return emulator.url

    session, window = _lazy_window(windows, starter)
    assert session.sandbox and started == []  # the window is up; the emulator is not yet
    assert session.engine.tasks.get(rec.local_id).state == TaskState.PROCESSING
    run(session.start())  # what the shell does once the window is shown
    assert started == [1]
    assert session.engine.settings.base_urls == {
        p.value: f"{emulator.url}/{p.value}" for p in ProviderId}
    qtbot.waitUntil(lambda: session.engine.tasks.get(rec.local_id).state
                    == TaskState.SUCCEEDED, timeout=30_000)
    assert started == [1]


def test_a_sandbox_submit_before_the_start_waits_for_the_emulator(windows, qtbot, run,
                                                                   emulator):
    started: list[int] = []

    def starter() -> str:
        started.append(1)
        return emulator.url

    session, _window = _lazy_window(windows, starter)
    assert started == []
    image = ReferenceImage(data_uri(make_image(400, 300)), label="the cat")
    rec = run(session.engine.submit(GenerationRequest(ProviderId.VIDU, "viduq1",
                                                      "a cat on a sofa", (image,))))
    assert started == [1]  # the first adapter asked for the emulator: never a real host
    done = run(session.engine.wait(rec.local_id), timeout=30)
    assert done.state == TaskState.SUCCEEDED
    run(session.start())
    assert started == [1]


_NO_LOOP_CHILD = """
import enum, json, sys
made = []  # the enum classes made (PySide makes a class's when it makes the class)
create = enum.EnumType.__call__

def spy(cls, value, names=None, *args, **kwargs):
    if names is not None:
        made.append(value)
    return create(cls, value, names, *args, **kwargs)

enum.EnumType.__call__ = spy
from pathlib import Path
from PySide6.QtWidgets import QApplication
from vidu_desktop import app as shell
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.shell.startup import Startup

app = QApplication(sys.argv[:1])
app.setQuitOnLastWindowClosed(False)
theme.install(app, "light")
session, window = shell.build(Path(sys.argv[1]), sandbox=False, sandbox_starter=None,
                              progressive=True)
startup = Startup(window, session, window.composer.bg.spawn)
painted = []
startup.painted.connect(lambda: painted.append(1))
startup.paint()  # as vidu_desktop.app.show: no asyncio loop yet
seen = {"painted": painted == [1], "attached": window.attached,
        "imports": [m for m in ("asyncio", "qasync") if m in sys.modules]}
shell.defer_modules()  # as vidu_desktop.app._main, after the paint
import asyncio, qasync
from vidu_desktop.core import deferred

async def main():
    done = asyncio.Event()
    startup.ready.connect(done.set)
    startup.go()
    await asyncio.wait_for(done.wait(), 60)
    seen["ready"] = startup.is_ready and window.attached and session.engine_ready
    seen["run"] = [m for m in shell.DEFERRED if not deferred.is_deferred(m)]
    window.task_list.view.table.viewport()  # (a viewport Qt made would make every class)
    import threading
    workers = [t for t in threading.enumerate() if t.name.startswith("vidu-worker")]
    seen["workers"] = 1 <= len(workers) <= 2  # the keychain's read: threads as work comes
    seen["every_widget_class"] = "WizardButton" in made
    window.close()
    await window.composer.bg.close()
    await session.close()

asyncio.run(main(), loop_factory=lambda: qasync.QEventLoop(app))
print(json.dumps(seen))
"""


def test_the_window_paints_before_an_asyncio_loop_exists(tmp_path):
    """As the app starts: the first paint with Qt's own event processing, asyncio and qasync
    imported after it; the attach, the keys and the engine follow once the loop runs."""
    env = _child_env()
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(_NO_LOOP_CHILD),
                          str(tmp_path / "profile")], capture_output=True, text=True, env=env,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    # (and the modules the start defers were not needed on the way: keyring's, asyncio's TLS)
    # and the task table's viewport is one made in Python (pyside_imports.own_viewport)
    # and the loop's default executor made a thread for the keychain's read, not ten at once
    assert seen == {"painted": True, "attached": False, "imports": [], "ready": True, "run": [],
                    "every_widget_class": False, "workers": True}


_CLASSES_CHILD = """
import enum, json, sys
made = []
create = enum.EnumType.__call__

def spy(cls, value, names=None, *args, **kwargs):  # an enum class being made
    if names is not None:
        made.append(value)
    return create(cls, value, names, *args, **kwargs)

enum.EnumType.__call__ = spy
from pathlib import Path
from vidu_desktop.ui.common import pyside_imports
pyside_imports.quicken()
from vidu_desktop import app as shell
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.shell.startup import Startup

app = theme.application(sys.argv)  # as vidu_desktop.app._main
theme.install(app, "light")
installed = len(made)
session, window = shell.build(Path(sys.argv[1]), sandbox=False, sandbox_starter=None,
                              progressive=True)
startup = Startup(window, session, window.composer.bg.spawn)
startup.paint()
painted = list(made)
style = app.style().name()
window.close()
print(json.dumps({"made": painted, "built": painted[installed:], "style": style}))
"""


def _classes_made(tmp_path: Path) -> dict[str, Any]:
    """The enum classes PySide made up to the first paint (``made``; ``built``: after the
    application and the theme), and the application's style."""
    out = subprocess.run([sys.executable, "-c", _CLASSES_CHILD, str(tmp_path / "profile")],
                         capture_output=True, text=True, env=_child_env(), timeout=120,
                         check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    seen: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return seen


def test_the_first_paint_makes_no_icon_class(tmp_path):
    """A button or an action made with a text and a parent makes PySide create QIcon's class
    (its theme icons' enum, 150 members) to rule out the (icon, text) overload; the window's
    are made with ``pyside_imports.button`` and ``action`` (the parent, then the text)."""
    made = _classes_made(tmp_path)["made"]
    assert "ThemeIcon" not in made, "a QPushButton(text, parent) or QAction(text, parent) " \
        "before the first paint: use pyside_imports.button / action"


def test_the_first_paint_does_not_make_pyside_create_every_widget_class(tmp_path):
    """A widget Qt made that Python had no wrapper for (a scroll area's viewport) makes PySide
    create every QtWidgets class not made yet (some 60 enum classes, 12-18 ms); the window's
    views have viewports made in Python (``pyside_imports.own_viewport``)."""
    made = _classes_made(tmp_path)["built"]
    # the classes of widgets the window does not have: QWizard's, QMdiArea's, QDockWidget's
    assert not {"WizardButton", "WindowOrder", "DockWidgetFeature"} & set(made)
    assert len(made) < 30


def test_the_first_paint_makes_no_style_or_dialog_class(tmp_path):
    """The window is in Fusion from the application's arguments, and no QStyle object reaches
    Python before the first paint, so PySide does not make the QStyle class (its 570 enum
    members); nor the classes of the dialogs and of the system tray icon, made when first
    used."""
    seen = _classes_made(tmp_path)
    assert seen["style"] == "fusion"
    # QStyle's, QFileDialog's, QInputDialog's, QDialogButtonBox's, QSystemTrayIcon's
    late = {"PixelMetric", "StandardPixmap", "FileMode", "InputMode", "StandardButton",
            "ActivationReason"}
    assert not late & set(seen["made"])
    assert "AlignmentFlag" in seen["made"]  # (the spy saw the classes made)
