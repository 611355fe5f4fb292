"""One Vidu Studio per profile. The first launch holds a ``QLockFile`` in the profile and
listens on a ``QLocalServer``; a later launch on the same profile hands its file arguments to
it (they go to the reference tray, and the window comes to the front) and exits.

A lock left by a crashed instance is stale (its process is gone): ``QLockFile`` removes it
by itself. The stale-lock *age* is switched off (``setStaleLockTime(0)``): an instance that has
run for hours keeps its lock. The server's name is derived from the user and the profile's
path, so two profiles are two independent instances; only the same user may connect.

Across systems: on Windows the name is a named pipe, one namespace for the whole machine, and
on Linux the socket lies in the shared ``/tmp``: so the user's name is part of the hash. On
Windows and macOS the file system ignores case: ``C:/Users/Ann/Profile`` and
``c:/users/ann/profile`` are one folder, one lock, so one name. On macOS and Linux the name is a
socket file in the temporary folder, and a socket's path has room for 104 bytes (macOS; 108 on
Linux): a temporary folder too long for it gives way to ``/tmp``.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "vidu-desktop.lock"
REPLY = b"ok\n"
MAX_MESSAGE = 1_000_000


SOCKET_PATH_MAX = 103  # sockaddr_un.sun_path on macOS: 104 bytes with the final NUL


def user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no name in the environment or the user table
        return ""


def server_name(profile_dir: Path, *, platform: str = sys.platform, user: str | None = None,
                temp_dir: str | None = None) -> str:
    """The local server's name for this user and profile (see the module docstring)."""
    key = str(profile_dir.resolve())
    if platform in ("win32", "darwin"):
        key = key.casefold()
    who = user_name() if user is None else user
    digest = hashlib.sha256(f"{who}\0{key}".encode()).hexdigest()[:16]
    name = f"vidu-desktop-{digest}"
    if platform == "win32":
        return name
    folder = QDir.tempPath() if temp_dir is None else temp_dir
    if len(f"{folder.rstrip('/')}/{name}".encode()) > SOCKET_PATH_MAX:
        return f"/tmp/{name}"  # a full path: Qt puts the socket there
    return name


class SingleInstance(QObject):
    """``received`` carries the paths another launch handed over (maybe none: then it only
    asks for the window to come to the front)."""

    received = Signal(list)

    def __init__(self, profile_dir: Path) -> None:
        super().__init__()
        profile_dir.mkdir(parents=True, exist_ok=True)
        self.name = server_name(profile_dir)
        self.lock = QLockFile(str(profile_dir / LOCK_NAME))
        self.lock.setStaleLockTime(0)  # stale only when its process is gone
        self.server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def acquire(self) -> bool:
        """True when this process is the one instance (or the lock cannot be used at all:
        then it runs unguarded rather than not at all)."""
        if self.lock.tryLock(200):
            return True
        error = self.lock.error()
        if error == QLockFile.LockError.LockFailedError:
            return False
        log.warning("cannot lock the profile (%s); running without the single-instance guard",
                    error.name)
        return True

    def listen(self) -> bool:
        """Accept hand-overs from later launches (call once the lock is held)."""
        QLocalServer.removeServer(self.name)  # a socket left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            log.warning("single instance: cannot listen on %s: %s", self.name,
                        server.errorString())
            return False
        server.newConnection.connect(self._accept)
        self.server = server
        return True

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.lock.isLocked():
            self.lock.unlock()

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            self._buffers[sock] = bytearray()
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._drop(s))

    def _drop(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _read(self, sock: QLocalSocket) -> None:
        buffer = self._buffers.get(sock)
        if buffer is None:
            return
        buffer.extend(sock.readAll().data())
        if b"\n" not in buffer:
            if len(buffer) > MAX_MESSAGE:
                sock.abort()
            return
        line = bytes(buffer.split(b"\n", 1)[0])
        buffer.clear()
        try:
            paths = [str(p) for p in json.loads(line)["paths"]]
        except (ValueError, KeyError, TypeError):
            log.warning("single instance: ignored a malformed message")
            sock.abort()
            return
        sock.write(QByteArray(REPLY))
        sock.flush()
        sock.disconnectFromServer()
        log.info("another launch handed over %d file(s)", len(paths))
        self.received.emit(paths)


def hand_over(profile_dir: Path, paths: Iterable[str | Path], timeout_s: float = 10.0) -> bool:
    """From a later launch: send ``paths`` (made absolute) to the running instance and wait
    for it to confirm. Blocking (this launch has no window). False when nobody answered."""
    message = json.dumps({"paths": [str(Path(p).absolute()) for p in paths]}).encode() + b"\n"
    name = server_name(profile_dir)
    deadline = time.monotonic() + timeout_s
    sock = QLocalSocket()
    while True:  # the first instance may hold the lock but not listen yet
        sock.connectToServer(name)
        if sock.waitForConnected(1000):
            break
        sock.abort()
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    sock.write(QByteArray(message))
    if not sock.waitForBytesWritten(3000):
        return False
    reply = b""
    while time.monotonic() < deadline:
        reply += sock.readAll().data()
        if REPLY in reply:
            break
        if not sock.waitForReadyRead(500) and \
                sock.state() != QLocalSocket.LocalSocketState.ConnectedState:
            reply += sock.readAll().data()
            break
    sock.abort()
    return REPLY in reply
