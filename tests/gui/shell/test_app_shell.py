"""The shell: arguments, the profile folder, sandbox by itself with no key, a clean shutdown
from Ctrl+C or a kill, and leaving or entering sandbox mode in the window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCharFormat

from vidu_desktop.app import default_profile_dir, parse_args, set_names
from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.emulator.config import DEMO_KEY


def test_arguments():
    args = parse_args(["--sandbox", "--profile-dir", "/tmp/x", "--log-level", "debug", "--dark"])
    assert (args.sandbox, args.profile_dir, args.log_level, args.scheme) == (
        True, Path("/tmp/x"), "debug", "dark")
    assert parse_args(["--light"]).scheme == "light"
    assert parse_args([]).scheme is None and not parse_args([]).sandbox
    with pytest.raises(SystemExit):
        parse_args(["--dark", "--light"])


def test_profile_folder_is_the_one_vidu_cli_uses(qapp, monkeypatch, tmp_path):
    from vidu_desktop.cli.run import default_profile_dir as cli_profile

    monkeypatch.delenv("VIDU_DESKTOP_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    before = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    try:
        set_names()
        assert default_profile_dir() == cli_profile() == tmp_path / "data" / "Vidu Studio"
    finally:
        QCoreApplication.setOrganizationName(before[0])
        QCoreApplication.setApplicationName(before[1])
    monkeypatch.setenv("VIDU_DESKTOP_HOME", str(tmp_path / "home"))
    assert default_profile_dir() == tmp_path / "home"


def _wait_for_line(path: Path, text: str, proc: subprocess.Popen[str], timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and text in path.read_text():
            return
        assert proc.poll() is None, proc.communicate()[0]
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not logged within {timeout} s")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_no_key_starts_in_sandbox_and_a_kill_closes_cleanly(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # no keychain, no key
    for name in ("VIDU_API_KEY", "NOVITA_API_KEY", "HIGHWAYAPI_API_KEY", "SEGMIND_API_KEY",
                 "VTRIX_API_KEY"):
        env.pop(name, None)
    profile = tmp_path / "profile"
    proc = subprocess.Popen([sys.executable, "-m", "vidu_desktop.app", "--profile-dir",
                             str(profile)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        log = profile / "logs" / "app.log"
        _wait_for_line(log, "window shown (sandbox)", proc)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, out
    assert "Traceback" not in out and "Traceback" not in log.read_text()
    import sqlite3

    conn = sqlite3.connect(profile / "library.sqlite3")
    keys = {k for (k,) in conn.execute("SELECT key FROM settings")}
    assert {"window.geometry", "window.main-split"} <= keys
    assert conn.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 1
    assert DEMO_KEY not in str(conn.execute("SELECT * FROM settings").fetchall())
    conn.close()


def test_leaving_and_entering_the_sandbox(windows, emulator, memory_keyring):
    memory_keyring.set_password("vidu-desktop", "vidu", "a-real-key")
    window = windows(sandbox=True, sandbox_url=emulator.url)
    session, banner = window.session, window.mode_banner
    assert session.sandbox and banner.sandbox_button.text() == "Leave sandbox"
    banner.sandbox_button.click()
    assert not session.sandbox
    assert session.engine.settings.base_urls == {}
    assert session.key_for(ProviderId.VIDU) == "a-real-key"
    assert "Sandbox" not in window.windowTitle()
    assert not banner.isVisible()
    assert window.generate_bar.button.text() == "Generate  ·  about 8 credits"
    session.enter_sandbox()
    assert banner.isVisible() and "Sandbox" in window.windowTitle()
    assert session.key_for(ProviderId.VIDU) == DEMO_KEY


def test_theme_follows_the_system_unless_forced(qapp, monkeypatch, windows):
    from vidu_desktop.ui.common import theme

    current = theme.install(qapp, None)
    window = windows()
    window.editor.set_text("x" * 1600)
    def highlight() -> str:
        selection = window.editor.text_edit.extraSelections()[0]
        return QTextCharFormat(selection.format).background().color().name()

    light_highlight = highlight()
    monkeypatch.setattr(theme.Theme, "system_is_dark", lambda self: True)
    current._system_changed()  # what the system's colorSchemeChanged signal calls
    assert theme.colors().dark
    assert qapp.palette().window().color().name() == theme.DARK.window
    assert highlight() == theme.DARK.over_limit_bg != light_highlight
    theme.install(qapp, "light")  # --light wins over the system
    assert not theme.colors().dark
    current._system_changed()
    assert not theme.colors().dark
