"""The tests write nothing into the user's own config, cache or data folders."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def test_the_run_has_folders_of_its_own() -> None:
    base = Path(tempfile.gettempdir()).resolve()
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        folder = Path(os.environ[name]).resolve()
        assert base in folder.parents, (name, folder)
        assert Path.home().resolve() not in folder.parents, (name, folder)


def test_qt_writes_its_own_settings_there() -> None:
    # what Qt's file dialog writes its history into (QtProject.conf), asked of Qt in a child,
    # which inherits the run's environment as the app's children in the tests do
    code = ("from PySide6.QtCore import QSettings\n"
            "print(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,"
            " 'QtProject').fileName())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout.strip()
    assert Path(out).resolve().is_relative_to(Path(os.environ["XDG_CONFIG_HOME"]).resolve())
