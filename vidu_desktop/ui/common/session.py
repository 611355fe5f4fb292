"""The app's state outside any one widget: the engines, the stores, keys, sandbox mode.

Every widget gets the session; none of them touches keyring, HTTP or SQLite itself.

**Two libraries.** Real work lives in the profile's library (``<profile>/library.sqlite3``,
media, refs, outbox); sandbox mode has its own (``<profile>/sandbox/``) and its own
:class:`Engine`, whose hosts are all the built-in emulator and whose key is the emulator's demo
key (never written anywhere). Exactly one engine is open: entering or leaving sandbox mode opens
the other library at once (opening SQLite is quick) and closes the previous engine in the
background, so a sandbox task is never followed against a real host and a real job waiting in
the outbox is never sent to the emulator. ``engine_changed`` tells the window to follow the new
engine's events and list its tasks. :meth:`start` (called by the shell once the window is shown)
resumes the active library's unfinished tasks and its outbox, and again after each switch.

**The emulator may start late** (``lazy_sandbox``, the app's choice): then sandbox mode does
not wait for the built-in emulator (its import and start take about half a second). The sandbox
engine asks for the emulator's address only when it makes its first adapter
(:class:`SandboxEngine`), and :meth:`start` starts the emulator on a worker thread before
resuming. So the window is shown first, and a sandbox request can never go to a real host: the
sandbox engine has no other address.

**Keys** (:mod:`.keys`): the key variables are read at once, the keychain after the first
paint (:meth:`confirm_keys`, on a worker thread); until then the hosts that had a key at the
last look-up stand for it.

**Shared by both modes:** the settings (window layout, host addresses, prompt history) and the
drafts, kept in the profile's own database through the session's connection. A draft is a
composition, not a task: what the user composed in the sandbox is still there after adding a
key. The pictures of a draft are kept in the profile's reference store; in sandbox mode the
sandbox library's reference store also files each picture there (:class:`SandboxReferences`),
so drafts keep their pictures whichever mode saved them.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from vidu_desktop.core.capabilities import ProviderId, provider
from vidu_desktop.core.errors import AppError
from vidu_desktop.engine.sandbox_emulator import SANDBOX_FOLDER
from vidu_desktop.engine.sandbox_emulator import SANDBOX_LABEL as SANDBOX_LABEL  # the window
from vidu_desktop.store import (
    AppPaths,
    DraftStore,
    SecretStore,
    Settings,
    open_database,
)
from vidu_desktop.ui.common.bridge import EngineBridge
from vidu_desktop.ui.common.keys import KEY_FOUND as KEY_FOUND  # for the shell
from vidu_desktop.ui.common.keys import KEYCHAIN_HOSTS_SETTING as KEYCHAIN_HOSTS_SETTING
from vidu_desktop.ui.common.keys import NO_KEY_FOUND as NO_KEY_FOUND
from vidu_desktop.ui.common.keys import KeyBook
from vidu_desktop.ui.common.keys import KeyStatus as KeyStatus

if TYPE_CHECKING:
    import asyncio

    from vidu_desktop.engine import Engine, EngineSettings
    from vidu_desktop.store import ReferenceStore

log = logging.getLogger(__name__)

#: (host, key, base URL or "") -> None when the host accepted the key, else why not.
KeyTester = Callable[[ProviderId, str, str], Awaitable[AppError | None]]
#: Starts the built-in emulator (once) and returns its root URL.
SandboxStarter = Callable[[], str]


class Session(QObject):
    """``changed`` fires when sandbox mode is entered or left, or a key or address changed;
    ``engine_changed`` when another library (and engine) became the active one;
    ``engine_started`` when the active engine has started (its hosts may be asked now).
    ``bridge`` carries the active engine's events as Qt signals (re-targeted at each switch,
    before ``engine_changed``)."""

    changed = Signal()
    engine_changed = Signal()
    engine_started = Signal()

    def __init__(self, secrets: SecretStore, *, key_tester: KeyTester,
                 sandbox_starter: SandboxStarter | None, demo_key: str,
                 lazy_sandbox: bool = False) -> None:
        super().__init__()
        self.secrets = secrets
        self.key_tester = key_tester
        self._sandbox_starter = sandbox_starter
        self._demo_key = demo_key
        self.sandbox = False
        self.sandbox_url = ""  # the emulator's root URL, once it is started
        self._sandbox_lock = threading.Lock()  # the UI thread and the starting worker
        #: start the emulator when first needed, not when sandbox mode is entered
        self._lazy_sandbox = lazy_sandbox
        self.paths: AppPaths | None = None
        self._conn: sqlite3.Connection | None = None
        self._profile_refs: ReferenceStore | None = None
        self._engine_settings: EngineSettings | None = None
        self._engine: Engine | None = None
        #: open_profile(engine_now=False): the mode whose engine open_engine opens
        self._engine_due: bool | None = None
        self._started = False
        self._running_engine: Engine | None = None  # the last engine started
        self._background: set[asyncio.Task[Any]] = set()
        self._retired: list[Engine] = []  # closed later when no loop was running
        self.bridge = EngineBridge(self)
        #: the real hosts' keys: the keychain's, once read (:mod:`.keys`)
        self.keys = KeyBook(secrets, lambda: None if self._conn is None else Settings(self._conn))
        self._mode_by_keys = False  # the mode follows the keys (no --sandbox, no user choice)

    # -- wiring ------------------------------------------------------------------------------
    def open_profile(self, paths: AppPaths, engine_settings: EngineSettings | None = None,
                     *, sandbox: bool | None = False, keys_now: bool = True,
                     engine_now: bool = True) -> None:
        """Open the profile (settings and drafts) and the library of the mode asked for.

        ``sandbox=None``: sandbox mode when no key is known (when sandbox mode is available).
        ``keys_now``: read the keychain now; else the hosts that had a key at the last look-up
        stand for it until :meth:`confirm_keys` (keyring's import and a keychain's answer can
        take a while; the window is shown first). ``engine_now``: open the mode's library and
        engine now; else :meth:`open_engine` does, after the first paint (the mode,
        ``sandbox``, is known at once; the engine's modules and its library are not needed to
        paint the window)."""
        self.paths = paths.ensure()
        self._conn = open_database(paths.database)
        if engine_settings is not None:
            self._engine_settings = engine_settings
        self.keys.recall()
        if keys_now:
            self.keys.learn(self.keys.read_keychain())
        by_keys = sandbox is None
        if sandbox is None:
            sandbox = self.can_sandbox and not self.has_any_key()
        if sandbox and self._sandbox_starter is None:
            raise RuntimeError("sandbox mode is not available in this session")
        self.sandbox = sandbox
        self._engine_due = sandbox
        if engine_now:
            self.open_engine()
        self._mode_by_keys = by_keys

    def open_engine(self) -> None:
        """Open the library and engine of the mode :meth:`open_profile` chose (nothing when one
        is open already)."""
        due = self._engine_due
        if self._engine is None and due is not None:
            self._engine_due = None
            self._switch(due)

    @property
    def engine(self) -> Engine:
        """The active library's engine (the sandbox one in sandbox mode)."""
        assert self._engine is not None, "the session has no engine yet"
        return self._engine

    @property
    def engine_open(self) -> bool:
        """Whether the active library's engine is open (:meth:`open_engine`)."""
        return self._engine is not None

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None, "the session has no profile yet"
        return self._conn

    @property
    def settings(self) -> Settings:
        return Settings(self.conn)

    @property
    def drafts(self) -> DraftStore:
        return DraftStore(self.conn)

    @property
    def draft_refs(self) -> ReferenceStore:
        """Where drafts keep their pictures (the profile's store, in both modes; opened when
        first needed: the engines use it)."""
        if self._profile_refs is None:
            from vidu_desktop.store import ReferenceStore

            assert self.paths is not None, "the session has no profile yet"
            self._profile_refs = ReferenceStore(self.conn, self.paths.refs_dir)
        return self._profile_refs

    def library_paths(self, sandbox: bool) -> AppPaths:
        assert self.paths is not None, "the session has no profile yet"
        if sandbox:
            return AppPaths(self.paths.profile_dir / SANDBOX_FOLDER)
        return self.paths

    # -- engines -----------------------------------------------------------------------------
    def _open_engine(self, sandbox: bool) -> Engine:
        from vidu_desktop.engine import Engine, EngineSettings
        from vidu_desktop.engine.sandbox import SandboxEngine

        settings = dataclasses.replace(self._engine_settings or EngineSettings(), base_urls={})
        paths = self.library_paths(sandbox)
        engine: Engine
        if sandbox:
            if not self._lazy_sandbox:
                self.sandbox_root()  # start the emulator now
            engine = SandboxEngine(paths, self._demo_key, settings, self.sandbox_root,
                                   profile_refs=self.draft_refs)
            if self.sandbox_url:
                engine.point_at(self.sandbox_url)
        else:
            for pid in ProviderId:
                url = self.base_url_override(pid)
                if url:
                    settings.base_urls[pid.value] = url
            engine = Engine(paths, self.secrets.resolve, settings)
        log.info("library opened: %s", "sandbox" if sandbox else "real hosts")
        return engine

    def _switch(self, sandbox: bool) -> None:
        old = self._engine
        engine = self._open_engine(sandbox)
        self.sandbox = sandbox
        self._engine = engine
        self.bridge.follow(engine)
        if old is not None:
            self._retire(old)
        if self._started:
            self._spawn(self._start_engine(engine))
        self.engine_changed.emit()
        self.changed.emit()

    def _retire(self, engine: Engine) -> None:
        import asyncio

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._retired.append(engine)
            return
        self._spawn(engine.close())

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        import asyncio

        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("session background work failed", exc_info=task.exception())

    async def _start_engine(self, engine: Engine) -> None:
        import asyncio

        from vidu_desktop.engine.sandbox import SandboxEngine

        if isinstance(engine, SandboxEngine) and not self.sandbox_url:
            # off the UI thread: importing and starting the emulator takes a while
            await asyncio.get_running_loop().run_in_executor(None, self.sandbox_root)
        if engine is self._engine:
            resumed = await engine.start()
            log.info("%s library: %d task(s) resumed",
                     "sandbox" if self.sandbox else "real", len(resumed))
            if engine is self._engine:
                self._running_engine = engine
                self.engine_started.emit()

    @property
    def engine_ready(self) -> bool:
        """Whether the active engine has started (the sandbox one: its emulator runs)."""
        return self._engine is not None and self._running_engine is self._engine

    async def start(self) -> None:
        """Resume the active library's unfinished tasks and its outbox (and each library's
        again whenever it becomes the active one)."""
        self._started = True
        await self._start_engine(self.engine)

    async def settled(self) -> None:
        """Until the engines left behind by a switch are closed (and resumes are under way)."""
        import asyncio

        while self._background:
            await asyncio.wait(set(self._background))

    async def close(self) -> None:
        """Close the active engine, the ones being closed, and the profile."""
        await self.settled()
        for engine in [*self._retired, *([self._engine] if self._engine else [])]:
            await engine.close()
        self._retired.clear()
        self.bridge.detach()
        self._engine = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- keys --------------------------------------------------------------------------------
    def key_for(self, pid: ProviderId) -> str | None:
        """The key the active library's engine uses for ``pid``."""
        return self._demo_key if self.sandbox else self.secrets.resolve(pid)

    def known_keys(self) -> list[str]:
        """Every key this session may use (to keep them out of logs and reports). Before the
        keychain is read, the environment's (the engine uses no other key until then)."""
        return [k for k in (self._demo_key, *self.keys.known_keys()) if k]

    @property
    def keys_known(self) -> bool:
        """Whether the keychain was read (else the last look-up's hosts stand for it)."""
        return self.keys.known

    def has_key(self, pid: ProviderId) -> bool:
        """Whether the active library's engine has a key for ``pid`` (before the keychain is
        read: whether it had one at the last look-up)."""
        return self.sandbox or self.keys.has_key(pid)

    def has_any_key(self) -> bool:
        return self.keys.has_any_key()

    async def confirm_keys(self) -> str:
        """Read the keychain (on a worker thread) and, when the mode follows the keys and the
        answer differs from the last look-up's, switch to the right mode. Returns what to tell
        the user ("" when nothing changed)."""
        import asyncio

        if self.keys_known:
            return ""
        hosts = await asyncio.get_running_loop().run_in_executor(None,
                                                                 self.keys.read_keychain)
        self.keys.learn(hosts)
        message = ""
        if self._mode_by_keys and self.can_sandbox and self._engine is not None:
            want_sandbox = not self.has_any_key()
            if want_sandbox != self.sandbox:
                log.info("the keychain's answer changed the start-up mode")
                self._switch(want_sandbox)
                message = NO_KEY_FOUND if want_sandbox else KEY_FOUND
        self.changed.emit()  # key status, banner, the log's redaction list
        return message

    def key_status(self, pid: ProviderId) -> KeyStatus:
        if self.sandbox:
            return KeyStatus("sandbox (no key needed)", True)
        return self.keys.status(pid)

    def set_key(self, pid: ProviderId, key: str) -> bool:
        """Store the key; True when it went to the keychain, False when kept in memory."""
        persistent = self.secrets.set(pid, key)
        self.keys.keychain_changed(pid, persistent)
        self._forget(pid)
        return persistent

    def delete_key(self, pid: ProviderId) -> None:
        self.secrets.delete(pid)
        self.keys.keychain_changed(pid, False)
        self._forget(pid)

    async def test_key(self, pid: ProviderId, key: str, base_url: str = "") -> AppError | None:
        """Ask the host (the real one, or the user's address for it; never the sandbox)."""
        address = base_url or self.base_url_override(pid) or provider(pid).base_url
        return await self.key_tester(pid, key, address)

    # -- addresses ---------------------------------------------------------------------------
    def base_url_override(self, pid: ProviderId) -> str:
        """The user's base URL for ``pid`` ("" for the host's own address)."""
        if self._conn is None:
            return ""
        return str(self.settings.get(f"base_url.{pid.value}") or "")

    def set_base_url_override(self, pid: ProviderId, url: str) -> None:
        """Remember the address; the real library's engine uses it (now, or when it opens)."""
        url = url.strip().rstrip("/")
        if url:
            self.settings.set(f"base_url.{pid.value}", url)
        else:
            self.settings.delete(f"base_url.{pid.value}")
        if not self.sandbox and self._engine is not None:
            self._engine.set_base_url(pid.value, url or None)
        self.changed.emit()

    def _forget(self, pid: ProviderId) -> None:
        if self._engine is not None and not self.sandbox:
            self._engine.forget_adapter(pid.value)
        self.changed.emit()

    # -- sandbox -----------------------------------------------------------------------------
    @property
    def can_sandbox(self) -> bool:
        return self._sandbox_starter is not None

    def sandbox_root(self) -> str:
        """The emulator's root URL, started now if it is not yet (blocks until it runs; safe
        from any thread, the emulator starts once)."""
        with self._sandbox_lock:
            if not self.sandbox_url:
                if self._sandbox_starter is None:
                    raise RuntimeError("sandbox mode is not available in this session")
                self.sandbox_url = self._sandbox_starter().rstrip("/")
            return self.sandbox_url

    def enter_sandbox(self) -> None:
        """Switch to the sandbox library (the real engine closes in the background). With
        ``lazy_sandbox`` the emulator starts later: in :meth:`start`, or when the sandbox engine
        first needs it."""
        if self.sandbox and self._engine is not None:
            return
        if self._sandbox_starter is None:
            raise RuntimeError("sandbox mode is not available in this session")
        self._mode_by_keys = False  # chosen: a later look-up of the keys does not undo it
        self._switch(True)

    def leave_sandbox(self) -> None:
        """Switch back to the real library (the sandbox engine closes in the background)."""
        if not self.sandbox and self._engine is not None:
            return
        self._mode_by_keys = False
        self._switch(False)
