"""Qt's and FFmpeg's messages go to the app's log, not to the terminal.

Qt prints its warnings and its categories' messages (``qt.multimedia.*``…) to stderr unless a
message handler is installed: :func:`install` routes each one to the ``logging`` logger
``qt.<category>`` — debug and info at DEBUG, warnings at WARNING, critical at ERROR — so they
land in the log file; the shell's console handler shows none below ERROR from ``qt``.

FFmpeg does not come through that handler. QtMultimedia's FFmpeg backend leaves FFmpeg's own
logger in place (it writes "Input #0, mov,mp4…" and every stream to stderr when a file is
opened) unless ``QT_FFMPEG_DEBUG`` is set, in which case it lowers FFmpeg's level to debug and
forwards each line through Qt's logging. So :func:`quiet_ffmpeg` sets the level of the
``libavutil`` that PySide6 ships to quiet (a process-wide setting of that library). It runs
when the first player is made: only then is the library loaded (the multimedia plugin brings
it, with the stubs it needs from QtMultimedia), and the same file is opened again here. With
``--log-level debug`` the shell sets ``QT_FFMPEG_DEBUG`` instead: FFmpeg's lines then reach
the log at debug through Qt.
A file that cannot play still says so through ``QMediaPlayer``'s own error.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import sys
from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

LOGGER = "qt"
AV_LOG_QUIET = -8
_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.DEBUG,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
EARLY_MAX = 200  # messages kept until the log is set up


def logger_name(category: str | None) -> str:
    """``qt`` for Qt's default category, ``qt.<category>`` otherwise (``qt.multimedia.x``
    stays ``qt.multimedia.x``)."""
    if not category or category == "default":
        return LOGGER
    return category if category == LOGGER or category.startswith(LOGGER + ".") \
        else f"{LOGGER}.{category}"


class QtMessages:
    """The installed handler. Until :meth:`ready` (the log is set up) messages are kept, then
    logged in order; nothing is printed by Qt itself."""

    def __init__(self) -> None:
        self.early: deque[tuple[int, str, str]] = deque(maxlen=EARLY_MAX)
        self.is_ready = False
        self.previous: Any = None

    def handle(self, kind: QtMsgType, context: Any, message: str) -> None:
        level = _LEVELS.get(kind, logging.WARNING)
        name = logger_name(getattr(context, "category", None))
        if self.is_ready:
            logging.getLogger(name).log(level, "%s", message)
        else:
            self.early.append((level, name, message))

    def ready(self) -> None:
        """The log has its handlers: write what came before, then log as messages come."""
        self.is_ready = True
        while self.early:
            level, name, message = self.early.popleft()
            logging.getLogger(name).log(level, "%s", message)

    def uninstall(self) -> None:
        qInstallMessageHandler(self.previous)


def install(debug: bool = False) -> QtMessages:
    """Route Qt's messages to the log (call before the QApplication exists, so its own
    start-up messages are routed too). ``debug``: FFmpeg's lines go to the log at debug;
    otherwise FFmpeg is quiet."""
    if debug:
        os.environ.setdefault("QT_FFMPEG_DEBUG", "1")
    messages = QtMessages()
    messages.previous = qInstallMessageHandler(messages.handle)
    return messages


#: The file name the multimedia plugin asks for (the library's major version only), per system
_AVUTIL = {"win32": ("", r"avutil-\d+\.dll"), "darwin": ("Qt/lib", r"libavutil\.\d+\.dylib"),
           "linux": ("Qt/lib", r"libavutil\.so\.\d+")}


def avutil_candidates(qt_root: Path, platform: str = sys.platform) -> list[Path]:
    """Where PySide6's wheel (and a frozen build of it) keeps FFmpeg's libavutil: beside the Qt
    DLLs on Windows, in ``Qt/lib`` on macOS and Linux. The name the plugin loads comes first
    (the wheel holds copies, not links: another copy would be a second library)."""
    folder, pattern = _AVUTIL.get(platform, _AVUTIL["linux"])
    found = [p for p in (qt_root / folder).glob("*avutil*") if p.is_file()]
    return sorted(found, key=lambda p: (re.fullmatch(pattern, p.name) is None, p.name))


_quieted: list[bool] = []


def quiet_ffmpeg() -> bool:
    """Once a ``QMediaPlayer`` exists: set FFmpeg's log level to quiet in the libavutil the
    multimedia plugin uses (once; not when ``QT_FFMPEG_DEBUG`` asks for FFmpeg's lines). True
    when the level is quiet; False when that library was not found (FFmpeg then prints)."""
    if "QT_FFMPEG_DEBUG" in os.environ:
        return False
    if not _quieted:
        import PySide6

        _quieted.append(any(_set_quiet(p) for p in avutil_candidates(
            Path(PySide6.__file__).parent)))
        if not _quieted[0]:
            logging.getLogger(__name__).debug("FFmpeg's libavutil not found: it may print")
    return _quieted[0]


def _set_quiet(path: Path) -> bool:
    try:
        avutil = ctypes.CDLL(str(path))
        avutil.av_log_set_level(ctypes.c_int(AV_LOG_QUIET))
    except (OSError, AttributeError):
        return False
    return True


def ffmpeg_level() -> int | None:
    """FFmpeg's log level now (None when its library is not loaded)."""
    import PySide6

    for path in avutil_candidates(Path(PySide6.__file__).parent)[:1]:
        try:
            return int(ctypes.CDLL(str(path)).av_log_get_level())
        except (OSError, AttributeError):
            return None
    return None
