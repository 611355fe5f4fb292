"""What differs on Windows and macOS, checked as far as it runs here: the single-instance
server's name, the macOS application menu's roles, the signals that close the window, and the
Windows taskbar identity."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from vidu_desktop import app as shell
from vidu_desktop.ui.shell.single_instance import SOCKET_PATH_MAX, server_name

MAC_TEMP = "/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/"  # what macOS gives a user


def test_the_server_name_ignores_case_where_the_file_system_does(tmp_path):
    (tmp_path / "Profile").mkdir()
    upper, lower = tmp_path / "Profile", tmp_path / "profile"
    for platform in ("win32", "darwin"):
        assert server_name(upper, platform=platform, user="ann", temp_dir=MAC_TEMP) == \
            server_name(lower, platform=platform, user="ann", temp_dir=MAC_TEMP)
    assert server_name(upper, platform="linux", user="ann", temp_dir="/tmp") != \
        server_name(lower, platform="linux", user="ann", temp_dir="/tmp")


def test_the_server_name_is_per_user_and_per_profile(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    names = {server_name(p, platform=os_, user=u, temp_dir="/tmp")
             for p in (a, b) for u in ("ann", "bob") for os_ in ("win32",)}
    assert len(names) == 4
    assert server_name(a) == server_name(a)  # the same launch after launch


def test_the_socket_path_fits_a_unix_socket_address(tmp_path):
    name = server_name(tmp_path, platform="darwin", user="ann", temp_dir=MAC_TEMP)
    assert not name.startswith("/")  # in the user's own temporary folder
    assert len((MAC_TEMP + name).encode()) <= SOCKET_PATH_MAX
    long_temp = "/private/var/folders/" + "x" * 90 + "/T"
    name = server_name(tmp_path, platform="darwin", user="ann", temp_dir=long_temp)
    assert name.startswith("/tmp/vidu-desktop-") and len(name.encode()) <= SOCKET_PATH_MAX


def test_a_too_long_temporary_folder_still_gives_a_name_to_listen_on(qapp, tmp_path):
    name = server_name(tmp_path, platform="linux", user="ann", temp_dir="/" + "t" * 120)
    server = QLocalServer()
    QLocalServer.removeServer(name)
    try:
        assert server.listen(name), server.errorString()
        client = QLocalSocket()
        client.connectToServer(name)
        assert client.waitForConnected(2000)
        client.abort()
    finally:
        server.close()


def test_the_mac_application_menu_gets_about_settings_and_quit(windows):
    window = windows()
    in_menus = [a for m in window.menuBar().actions() if m.menu()
                for a in m.menu().actions() if not a.isSeparator()]
    roles = {a.objectName(): a.menuRole() for a in in_menus}
    role = QAction.MenuRole
    assert roles["about"] == role.AboutRole
    assert roles["host-settings"] == role.PreferencesRole
    assert roles["quit"] == role.QuitRole
    others = {k: v for k, v in roles.items() if k not in ("about", "host-settings", "quit")}
    # nothing else is guessed into the application menu from its text
    assert others and all(v == role.NoRole for v in others.values()), others


def test_the_signals_that_close_the_window():
    signums = shell.close_signals()
    assert signal.SIGINT in signums and signal.SIGTERM in signums
    if sys.platform == "win32":
        assert signal.SIGBREAK in signums


def test_the_taskbar_identity_is_set_only_on_windows():
    assert shell.set_taskbar_identity() is (sys.platform == "win32")
    assert shell.APP_USER_MODEL_ID.count(".") >= 1 and len(shell.APP_USER_MODEL_ID) <= 128


def test_profile_folders_follow_each_system(monkeypatch, tmp_path):
    from vidu_desktop.store import paths

    monkeypatch.delenv("VIDU_DESKTOP_HOME", raising=False)
    monkeypatch.setattr(paths.Path, "home", staticmethod(lambda: tmp_path))
    monkeypatch.setattr(paths.sys, "platform", "darwin")
    assert paths.default_profile_dir() == Path(
        tmp_path, "Library", "Application Support", "Vidu Studio")
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert paths.default_profile_dir() == tmp_path / "Roaming" / "Vidu Studio"


def test_task_covers_are_sharp_on_a_high_dpi_screen(qtbot, tmp_path):
    from PySide6.QtGui import QColor, QImage

    from vidu_desktop.ui.common.covers import THUMB, CoverCache

    path = tmp_path / "cover.jpg"
    image = QImage(960, 540, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    assert image.save(str(path))
    covers = CoverCache(ratio=2.0)
    try:
        assert covers.placeholder().deviceIndependentSize().toSize() == THUMB
        with qtbot.waitSignal(covers.ready, timeout=10_000):
            covers.get("t1", lambda: str(path))
        pixmap = covers.get("t1", lambda: str(path))
        assert pixmap.devicePixelRatio() == 2.0
        # a 16:9 cover in the 64x40 cell: 64x36 on screen, from 128x72 pixels
        assert (pixmap.width(), pixmap.height()) == (128, 72)
        assert pixmap.deviceIndependentSize().toSize().width() == THUMB.width()
    finally:
        covers.shutdown()


def test_the_profile_folder_is_where_qt_puts_app_data(qapp, monkeypatch, tmp_path):
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    monkeypatch.delenv("VIDU_DESKTOP_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    before = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    try:
        shell.set_names()
        qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        assert Path(qt) == shell.default_profile_dir()
    finally:
        QCoreApplication.setOrganizationName(before[0])
        QCoreApplication.setApplicationName(before[1])


def test_a_windowed_build_without_a_console_logs_to_the_file_only(monkeypatch, tmp_path):
    import logging

    from vidu_desktop.logs import setup_logging

    monkeypatch.setattr(sys, "stderr", None)  # what a windowed Windows build has
    setup = setup_logging(tmp_path / "logs", "info")
    try:
        kinds = {type(h) for h in setup.handlers}
        assert logging.StreamHandler not in kinds and setup.file is not None
        logging.getLogger("vidu_desktop.test").warning("no console here")
        for handler in setup.handlers:
            handler.flush()
        assert "no console here" in setup.file.read_text()
    finally:
        setup.remove()


def test_a_session_ending_saves_the_draft_at_once(windows, qtbot):
    window = windows()
    window.editor.set_text("a lighthouse in the fog, image 1 on the rocks")
    assert window.drafts.dirty  # saved a moment later, normally
    window.commit_data()  # what a log-off asks for (commitDataRequest)
    assert not window.drafts.dirty
    saved = window.session.drafts.get(window.drafts.current_id)
    assert saved is not None and saved.prompt.startswith("a lighthouse in the fog")
    assert window.session.settings.get("window.geometry")
