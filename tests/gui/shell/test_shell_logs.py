"""Logs: a rotating file in the profile's logs/ folder, the level from --log-level, every known
API key replaced with *** in every record; Help → Open log folder and About Vidu Studio."""

from __future__ import annotations

import logging
import logging.handlers
import sys

import pytest
from PySide6.QtCore import Qt, QUrl, qVersion

from vidu_desktop.app import parse_args
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.logs import BACKUPS, MAX_BYTES, setup_logging


@pytest.fixture
def logs(tmp_path):
    installed = []

    def make(**kwargs):
        setup = setup_logging(tmp_path / "logs", console=False, **kwargs)
        installed.append(setup)
        return setup

    level = logging.getLogger().level
    yield make
    for setup in installed:
        setup.remove()
    logging.getLogger().setLevel(level)


def test_a_rotating_file_in_the_profile_logs_folder(logs, tmp_path):
    setup = logs(level="debug")
    [handler] = [h for h in setup.handlers
                 if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert (handler.maxBytes, handler.backupCount) == (MAX_BYTES, BACKUPS) == (2_000_000, 4)
    logging.getLogger("vidu_desktop.test").debug("hello %s", "log")
    assert setup.file == tmp_path / "logs" / "app.log"
    assert "DEBUG vidu_desktop.test: hello log" in setup.file.read_text()
    assert parse_args(["--log-level", "warning"]).log_level == "warning"


def test_log_level(logs):
    setup = logs(level="warning")
    logging.getLogger("vidu_desktop.test").info("not this")
    logging.getLogger("vidu_desktop.test").warning("this")
    text = setup.file.read_text()
    assert "this" in text and "not this" not in text


def test_every_known_key_is_redacted_in_every_record(logs, memory_keyring):
    from vidu_desktop.store import SecretStore

    secrets = SecretStore()
    secrets.set("vidu", "vk-real-secret-123456")
    setup = logs(level="debug", keys=lambda: [secrets.resolve("vidu") or ""],
                 extra_keys=[DEMO_KEY])
    log = logging.getLogger("vidu_desktop.test")
    log.info("key %s in an argument", "vk-real-secret-123456")
    log.info("the demo key " + DEMO_KEY + " in the message")
    try:
        raise RuntimeError("Authorization: Token vk-real-secret-123456")
    except RuntimeError:
        log.exception("and in a traceback")
    secrets.set("novita", "nv-another-secret-987654")  # a key saved later: the app refreshes
    setup.redactor.set_source(lambda: [secrets.resolve(p) or "" for p in ("vidu", "novita")])
    log.info("after: nv-another-secret-987654")
    text = setup.file.read_text()
    assert "vk-real-secret-123456" not in text and DEMO_KEY not in text
    assert "*** in an argument" in text and "demo key *** in the message" in text
    assert "Token ***" in text and "after: ***" in text
    assert "\n".join(setup.last_lines(50)).count("vk-real-secret") == 0


def test_help_menu_opens_the_log_folder_and_the_about_dialog(windows, qtbot, monkeypatch):
    from vidu_desktop.ui.shell import main_window

    opened: list[QUrl] = []
    monkeypatch.setattr(main_window.QDesktopServices, "openUrl",
                        lambda url: opened.append(url) or True)
    window = windows()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert [a.text() for a in help_menu.actions() if a.text()] == [
        "Open &log folder", "&About Vidu Studio"]
    window.log_folder_action.trigger()
    assert [u.toLocalFile() for u in opened] == [str(window.session.paths.logs_dir)]
    window.about_action.trigger()
    from vidu_desktop.ui.shell.about import AboutDialog  # (imported when first opened)

    dialog = window.findChild(AboutDialog)
    qtbot.waitExposed(dialog)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec()
    text = dialog.details.text()
    assert qVersion() in text and sys.version.split()[0] in text and "PySide6" in text
    dialog.reject()
