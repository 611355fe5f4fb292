"""Qt's and FFmpeg's messages go to the log, not the terminal (``ui/common/qt_messages.py``)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import qCritical, qDebug, qInfo, qWarning

from vidu_desktop.logs import quiet_qt
from vidu_desktop.ui.common import qt_messages


def test_qt_messages_reach_the_log_at_their_level_and_wait_for_it(caplog):
    caplog.set_level(logging.DEBUG)
    messages = qt_messages.install()
    try:
        qWarning("before the log is set up")
        assert not [r for r in caplog.records if r.name.startswith("qt")]  # kept, not printed
        messages.ready()
        qDebug("a debug line")
        qInfo("an info line")
        qCritical("a critical line")
    finally:
        messages.uninstall()
    seen = [(r.name, r.levelno, r.getMessage()) for r in caplog.records
            if r.name.startswith("qt")]
    assert seen == [("qt", logging.WARNING, "before the log is set up"),
                    ("qt", logging.DEBUG, "a debug line"),
                    ("qt", logging.DEBUG, "an info line"),
                    ("qt", logging.ERROR, "a critical line")]


def test_logger_names_follow_the_category():
    assert qt_messages.logger_name(None) == qt_messages.logger_name("default") == "qt"
    assert qt_messages.logger_name("qt.multimedia.ffmpeg") == "qt.multimedia.ffmpeg"
    assert qt_messages.logger_name("kwin.x") == "qt.kwin.x"


def test_the_console_shows_qt_messages_only_from_errors():
    def record(name: str, level: int) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, "m", None, None)

    assert not quiet_qt(record("qt.multimedia.ffmpeg", logging.WARNING))
    assert not quiet_qt(record("qt", logging.WARNING))
    assert quiet_qt(record("qt", logging.ERROR))
    assert quiet_qt(record("qtpy_is_another_logger", logging.WARNING))
    assert quiet_qt(record("vidu_desktop.app", logging.WARNING))


def test_a_player_makes_ffmpeg_quiet(qtbot):
    from vidu_desktop.ui.review.screen import VideoScreen

    screen = VideoScreen()
    qtbot.addWidget(screen)
    assert qt_messages.quiet_ffmpeg()
    assert qt_messages.ffmpeg_level() == qt_messages.AV_LOG_QUIET


def test_libavutil_is_looked_for_by_the_name_the_plugin_loads(tmp_path: Path):
    lib = tmp_path / "Qt" / "lib"
    lib.mkdir(parents=True)
    for name in ("libavutil.so", "libavutil.so.61.1.101", "libavutil.so.61",
                 "libavutil.61.dylib", "libavutil.dylib"):
        (lib / name).write_bytes(b"")
    (tmp_path / "avutil-61.dll").write_bytes(b"")
    assert qt_messages.avutil_candidates(tmp_path, "linux")[0].name == "libavutil.so.61"
    assert qt_messages.avutil_candidates(tmp_path, "darwin")[0].name == "libavutil.61.dylib"
    assert [p.name for p in qt_messages.avutil_candidates(tmp_path, "win32")] == [
        "avutil-61.dll"]
