"""The app's loop: when Qt's event loop ends on its own (as when the display goes away), what
qasync runs in its last pass still has its loop, and nothing after it does. In a child: the
test process's own loop is another (the fixture's, already running)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

_CHILD = """
import asyncio, json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import qasync
from vidu_desktop.ui.common.qt_loop import QtLoop

app = QApplication(sys.argv[:1])
loop = (QtLoop if sys.argv[1] == "app" else qasync.QEventLoop)(app)
seen = []

def asks_for_its_loop():
    try:
        seen.append("its loop" if asyncio.get_running_loop() is loop else "another")
    except RuntimeError as err:
        seen.append(str(err))

def display_gone():
    app.exit(1)  # as Qt does when the connection to the display breaks
    loop.call_soon(asks_for_its_loop)  # runs in the last pass, after Qt's loop ended

async def main():
    QTimer.singleShot(0, display_gone)
    await asyncio.Event().wait()

task = loop.create_task(main())
try:
    loop.run_until_complete(task)
except RuntimeError as err:
    seen.append(str(err))
seen.append("after: none" if asyncio.events._get_running_loop() is None else "after: a loop")
task.cancel()
loop.run_until_complete(asyncio.sleep(0))  # the cancelled task's last step
loop.close()
print(json.dumps(seen))
"""


def _child(which: str) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(_CHILD), which],
                         capture_output=True, text=True, env=env, timeout=60, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    seen: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return seen


def test_the_last_pass_after_qts_loop_ended_still_has_its_loop():
    assert _child("app") == ["its loop", "Event loop stopped before Future completed.",
                             "after: none"]


def test_qasyncs_own_loop_has_none_there():
    # what the app saw with it when the display went away: anyio's delivery of a cancel
    # reached the crash handler, and an account request failed. When qasync changes this,
    # the app's own loop can go.
    assert _child("qasync") == ["no running event loop",
                                "Event loop stopped before Future completed.", "after: none"]
