"""The app's state outside any one widget: the engine, the stores, keys, sandbox mode.

Every widget gets the session; none of them touches keyring, HTTP or SQLite itself. The engine's
key source is :meth:`Session.key_for`: in sandbox mode every host gets the emulator's demo key
(never written anywhere) and every host's base URL points at the built-in emulator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from vidu_desktop.core.capabilities import ProviderId, provider
from vidu_desktop.core.errors import AppError
from vidu_desktop.engine import Engine
from vidu_desktop.store import DraftStore, KeySource, SecretStore, Settings

#: The label of sandbox mode, wherever it is shown.
SANDBOX_LABEL = "Sandbox: placeholder videos, no cost"

#: (host, key, base URL or "") -> None when the host accepted the key, else why not.
KeyTester = Callable[[ProviderId, str, str], Awaitable[AppError | None]]
#: Starts the built-in emulator (once) and returns its root URL.
SandboxStarter = Callable[[], str]


@dataclass(frozen=True)
class KeyStatus:
    text: str  # "key in the keychain", "no key", ...
    usable: bool  # a key is there (not whether the host accepts it)


class Session(QObject):
    """``changed`` fires when sandbox mode is entered or left, or a key or address changed."""

    changed = Signal()

    def __init__(self, secrets: SecretStore, *, key_tester: KeyTester,
                 sandbox_starter: SandboxStarter | None, demo_key: str) -> None:
        super().__init__()
        self.secrets = secrets
        self.key_tester = key_tester
        self._sandbox_starter = sandbox_starter
        self._demo_key = demo_key
        self.sandbox = False
        self.sandbox_url = ""
        self._engine: Engine | None = None

    # -- wiring ------------------------------------------------------------------------------
    def attach(self, engine: Engine) -> None:
        self._engine = engine
        for pid in ProviderId:
            url = self.base_url_override(pid)
            if url:
                engine.settings.base_urls[pid.value] = url

    @property
    def engine(self) -> Engine:
        assert self._engine is not None, "the session has no engine yet"
        return self._engine

    @property
    def settings(self) -> Settings:
        return Settings(self.engine.conn)

    @property
    def drafts(self) -> DraftStore:
        return DraftStore(self.engine.conn)

    # -- keys --------------------------------------------------------------------------------
    def key_for(self, pid: ProviderId) -> str | None:
        """The engine's key source."""
        return self._demo_key if self.sandbox else self.secrets.resolve(pid)

    def has_any_key(self) -> bool:
        return any(self.secrets.resolve(pid) for pid in ProviderId)

    def key_status(self, pid: ProviderId) -> KeyStatus:
        if self.sandbox:
            return KeyStatus("sandbox (no key needed)", True)
        source = self.secrets.source(pid)
        if source is None:
            return KeyStatus("no key", False)
        return KeyStatus({
            KeySource.ENVIRONMENT: f"key from {provider(pid).key_env}",
            KeySource.KEYCHAIN: "key in the keychain",
            KeySource.SESSION: "key for this session only",
        }[source], True)

    def set_key(self, pid: ProviderId, key: str) -> bool:
        """Store the key; True when it went to the keychain, False when kept in memory."""
        persistent = self.secrets.set(pid, key)
        self._forget(pid)
        return persistent

    def delete_key(self, pid: ProviderId) -> None:
        self.secrets.delete(pid)
        self._forget(pid)

    async def test_key(self, pid: ProviderId, key: str, base_url: str = "") -> AppError | None:
        """Ask the host (the real one, or the user's address for it; never the sandbox)."""
        address = base_url or self.base_url_override(pid) or provider(pid).base_url
        return await self.key_tester(pid, key, address)

    # -- addresses ---------------------------------------------------------------------------
    def base_url_override(self, pid: ProviderId) -> str:
        """The user's base URL for ``pid`` ("" for the host's own address)."""
        if self._engine is None:
            return ""
        return str(self.settings.get(f"base_url.{pid.value}") or "")

    def set_base_url_override(self, pid: ProviderId, url: str) -> None:
        url = url.strip().rstrip("/")
        if url:
            self.settings.set(f"base_url.{pid.value}", url)
        else:
            self.settings.delete(f"base_url.{pid.value}")
        if not self.sandbox:
            self.engine.set_base_url(pid.value, url or None)
        self.changed.emit()

    def _forget(self, pid: ProviderId) -> None:
        if self._engine is not None:
            self._engine.forget_adapter(pid.value)
        self.changed.emit()

    # -- sandbox -----------------------------------------------------------------------------
    @property
    def can_sandbox(self) -> bool:
        return self._sandbox_starter is not None

    def enter_sandbox(self) -> None:
        if self.sandbox:
            return
        if self._sandbox_starter is None:
            raise RuntimeError("sandbox mode is not available in this session")
        self.sandbox_url = self._sandbox_starter().rstrip("/")
        self.sandbox = True
        for pid in ProviderId:
            self.engine.set_base_url(pid.value, f"{self.sandbox_url}/{pid.value}")
        self.changed.emit()

    def leave_sandbox(self) -> None:
        if not self.sandbox:
            return
        self.sandbox = False
        for pid in ProviderId:
            self.engine.set_base_url(pid.value, self.base_url_override(pid) or None)
        self.changed.emit()
