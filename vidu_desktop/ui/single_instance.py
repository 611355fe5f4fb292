"""One Vidu Studio per profile. The first launch holds a ``QLockFile`` in the profile and
listens on a ``QLocalServer``; a later launch on the same profile hands its file arguments to
it (they go to the reference tray, and the window comes to the front) and exits.

A lock left by a crashed instance is stale (its process is gone): ``QLockFile`` removes it
by itself. The stale-lock *age* is switched off (``setStaleLockTime(0)``): an instance that has
run for hours keeps its lock. The server's name is derived from the profile's path, so two
profiles are two independent instances; only the same user may connect.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "vidu-desktop.lock"
REPLY = b"ok\n"
MAX_MESSAGE = 1_000_000


def server_name(profile_dir: Path) -> str:
    digest = hashlib.sha256(str(profile_dir.resolve()).encode()).hexdigest()[:16]
    return f"vidu-desktop-{digest}"


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
