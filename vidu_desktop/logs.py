"""Logging for the shell: a rotating log file in the profile's ``logs/`` folder, the console
for warnings, a short in-memory tail (for the crash dialog), and a redaction filter that
replaces every known API key with ``***`` in every record, as a belt-and-braces guard (nothing
is meant to log a key in the first place).
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

LOG_FILE = "app.log"
MAX_BYTES = 2_000_000
BACKUPS = 4  # app.log and app.log.1 … .4: at most five files of 2 MB
TAIL_LINES = 200
REDACTED = "***"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY = ("httpx", "httpcore", "PIL", "uvicorn", "uvicorn.error", "asyncio")
#: Qt's own messages (``qt`` and ``qt.<category>``, routed by the window shell): in the file,
#: and on the console only from this level (its warnings are for developers, not users)
QT_LOGGER = "qt"
QT_CONSOLE_LEVEL = logging.ERROR

KeySource = Callable[[], Iterable[str]]


class Redactor(logging.Filter):
    """Replaces each known key in a record (its message with the arguments merged, its
    traceback and stack) with ``***``. The keys come from ``source``; call :meth:`refresh`
    when they may have changed (a key was saved or deleted)."""

    MIN_KEY = 8  # shorter strings are not keys, and would blank ordinary words

    def __init__(self, source: KeySource | None = None, extra: Iterable[str] = ()) -> None:
        super().__init__()
        self._source = source
        self._extra = [k for k in extra if k]
        self._keys: list[str] = []
        self._lock = threading.Lock()
        self.refresh()

    def set_source(self, source: KeySource | None) -> None:
        self._source = source
        self.refresh()

    def refresh(self) -> None:
        keys = set(self._extra)
        if self._source is not None:
            try:
                keys.update(k for k in self._source() if k)
            except Exception:  # a broken keychain must not stop logging
                logging.getLogger(__name__).debug("key source failed", exc_info=True)
        with self._lock:  # longest first, so a key that contains another is hidden whole
            self._keys = sorted((k for k in keys if len(k) >= self.MIN_KEY), key=len,
                                reverse=True)

    def add(self, key: str) -> None:
        self._extra.append(key)
        self.refresh()

    def redact(self, text: str) -> str:
        with self._lock:
            keys = list(self._keys)
        for key in keys:
            if key in text:
                text = text.replace(key, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def quiet_qt(record: logging.LogRecord) -> bool:
    """The console's filter: Qt's messages below ``QT_CONSOLE_LEVEL`` stay in the file."""
    name = record.name
    if name == QT_LOGGER or name.startswith(QT_LOGGER + "."):
        return record.levelno >= QT_CONSOLE_LEVEL
    return True


class Tail(logging.Handler):
    """The last ``TAIL_LINES`` formatted records, for the crash dialog and diagnostics."""

    def __init__(self, size: int = TAIL_LINES) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=size)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.extend(self.format(record).splitlines())
        except Exception:
            self.handleError(record)

    def last(self, n: int = 50) -> list[str]:
        return list(self.lines)[-n:]


class LogSetup:
    """What :func:`setup_logging` installed, to refresh the keys and read the tail."""

    def __init__(self, redactor: Redactor, tail: Tail, file: Path | None,
                 handlers: list[logging.Handler]) -> None:
        self.redactor = redactor
        self.tail = tail
        self.file = file
        self.handlers = handlers

    def last_lines(self, n: int = 50) -> list[str]:
        return self.tail.last(n)

    def remove(self) -> None:
        """Take the handlers off the root logger again (tests)."""
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()


def setup_logging(logs_dir: Path, level: str = "info", *, keys: KeySource | None = None,
                  extra_keys: Iterable[str] = (), console: bool = True,
                  file_name: str = LOG_FILE, console_level: str | None = None) -> LogSetup:
    """Log to ``logs_dir/<file_name>`` (rotating; ``app.log`` for the app, ``cli.log`` for
    ``vidu-cli``), the console (warnings, or from ``console_level``) and the in-memory tail,
    every record redacted first."""
    root = logging.getLogger()
    root.setLevel(getattr(logging, level.upper()))
    fmt = logging.Formatter(FORMAT)
    redactor = Redactor(keys, extra_keys)
    handlers: list[logging.Handler] = []
    file: Path | None = None
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            logs_dir / file_name, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"))
        file = logs_dir / file_name
    except OSError:  # a read-only profile: log to the console and the tail only
        pass
    tail = Tail()
    handlers.append(tail)
    if console and sys.stderr is not None:  # None in a windowed Windows build: no console
        stream = logging.StreamHandler()
        if console_level is not None:
            stream.setLevel(getattr(logging, console_level.upper()))
        else:
            stream.setLevel(logging.WARNING if level in ("info", "debug") else root.level)
        stream.addFilter(quiet_qt)
        handlers.append(stream)
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(redactor)  # on each handler: it sees the records of every logger
        root.addHandler(handler)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return LogSetup(redactor, tail, file, handlers)
