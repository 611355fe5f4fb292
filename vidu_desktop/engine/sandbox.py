"""Sandbox mode below any window: the built-in emulator as every host, in a library of its own.

Used by the desktop app (its session) and by ``vidu-cli --sandbox``, the same way:

- **Its own library**, ``<profile>/sandbox/`` (:func:`sandbox_paths`): a sandbox task is never
  followed against a real host, and a real job waiting in the outbox is never sent to the
  emulator. The profile's pictures, cast and drafts are shared: every picture is filed in the
  profile's reference store too, and the cast and board verbs work on the profile's cast and
  boards (a board's takes are the sandbox library's tasks).
- **Its own key**: the emulator's demo key (:func:`demo_key`), never written anywhere; no real
  key is asked for.
- **Its own hosts**: :class:`SandboxEngine` knows no address but the emulator's, which it asks
  for only when it makes its first adapter; :class:`SandboxEmulator` (in
  :mod:`.sandbox_emulator`, which the app can import before its first paint) starts the
  emulator then, in this process on a free loopback port (its import and start take about
  half a second).

No Qt; the emulator (Starlette, uvicorn, PyAV) is imported only when it is started.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.store import (
    AppPaths,
    PreparedReference,
    ReferenceMeta,
    ReferenceStore,
    open_database,
)

from .engine import Engine
from .sandbox_emulator import EMULATOR_MEDIA as EMULATOR_MEDIA
from .sandbox_emulator import SANDBOX_FOLDER as SANDBOX_FOLDER
from .sandbox_emulator import SANDBOX_LABEL as SANDBOX_LABEL
from .sandbox_emulator import SandboxEmulator as SandboxEmulator
from .settings import EngineSettings

log = logging.getLogger(__name__)

def sandbox_paths(profile: AppPaths) -> AppPaths:
    """The sandbox library of a profile: ``<profile>/sandbox/``."""
    return AppPaths(profile.profile_dir / SANDBOX_FOLDER)


def demo_key() -> str:
    """The key every emulated host accepts (the sandbox's only key)."""
    from vidu_desktop.emulator.config import DEMO_KEY

    return DEMO_KEY


class SandboxReferences(ReferenceStore):
    """The sandbox library's reference store, which also files every picture in the profile's
    store (where drafts look for them) and finds a draft's pictures there."""

    def __init__(self, conn: sqlite3.Connection, paths: AppPaths,
                 profile: ReferenceStore) -> None:
        super().__init__(conn, paths.refs_dir)
        self.profile = profile

    def put(self, data: bytes, meta: ReferenceMeta) -> str:
        self.profile.put(data, meta)
        return super().put(data, meta)

    def get(self, sha256: str) -> PreparedReference | None:
        return super().get(sha256) or self.profile.get(sha256)


class SandboxEngine(Engine):
    """The sandbox library's engine: every host is the built-in emulator, with the demo key.

    ``emulator`` gives the emulator's root URL, starting it on first call (it may block for the
    start, once); it is called when an adapter is made, not while the engine is built.
    ``profile_refs``: the profile's reference store, where drafts find their pictures (see
    :class:`SandboxReferences`); the cast and the drafts it counts are the profile's too (in
    the library of ``profile_refs``), and so are the boards. ``owned``: connections the engine
    closes with itself."""

    spends_money = False

    def __init__(self, paths: AppPaths, demo_key: str, settings: EngineSettings,
                 emulator: Callable[[], str], *,
                 profile_refs: ReferenceStore | None = None,
                 owned: tuple[sqlite3.Connection, ...] = ()) -> None:
        super().__init__(paths, lambda _pid: demo_key, settings)
        self._emulator = emulator
        self._owned = owned
        if profile_refs is not None:  # pictures and the cast are shared with the profile
            self.refs = SandboxReferences(self.conn, paths, profile_refs)
            self.use_cast(profile_refs.conn, profile_refs)
            self.use_boards(profile_refs.conn)

    def base_url(self, host: str) -> str:
        if not self.settings.base_urls:
            try:
                root = self._emulator()
            except Exception as exc:
                log.exception("the sandbox emulator did not start")
                raise AppError(ErrorKind.LOCAL, f"The sandbox could not start ({exc}).",
                               "Restart Vidu Studio; see the log for details.") from None
            self.point_at(root)
        return self.settings.base_urls[ProviderId(host).value]

    def point_at(self, root: str) -> None:
        """Every host's address: the emulator at ``root``."""
        for pid in ProviderId:
            self.settings.base_urls[pid.value] = f"{root}/{pid.value}"

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            for conn in self._owned:
                conn.close()


def open_sandbox(profile: AppPaths, settings: EngineSettings, emulator: Callable[[], str],
                 ) -> SandboxEngine:
    """The engine of ``profile``'s sandbox library (``emulator`` as for :class:`SandboxEngine`),
    sharing the profile's pictures and cast as the app's sandbox mode does (the profile's
    library is opened for them, and closed with the engine). The addresses in ``settings``
    are replaced: the emulator's are the only ones."""
    settings.base_urls = {}
    conn = open_database(profile.database)
    try:
        return SandboxEngine(sandbox_paths(profile), demo_key(), settings, emulator,
                             profile_refs=ReferenceStore(conn, profile.refs_dir), owned=(conn,))
    except BaseException:
        conn.close()
        raise
