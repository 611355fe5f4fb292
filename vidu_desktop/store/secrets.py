"""API keys, kept in the system keychain through ``keyring`` (service "vidu-desktop", user =
provider id), or from the environment.

When no real keychain works (no backend, the ``fail``/``null`` backend, an empty chainer, or an
error while saving) a key is kept in memory for the session only, ``persistent`` is False and
:data:`NO_KEYCHAIN_WARNING` tells the user. A key is never written to a file and never logged;
never install ``keyrings.alt``, which would store it in plain text.

``keyring`` is imported when a key is first looked up, not with the store (start-up).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from vidu_desktop.core.capabilities import ProviderId, provider
from vidu_desktop.core.records import record

SERVICE = "vidu-desktop"
NO_KEYCHAIN_WARNING = ("No system keychain is available: the key is kept in memory for this "
                       "session only and will not be saved.")

_log = logging.getLogger(__name__)


class KeySource(StrEnum):
    ENVIRONMENT = "environment"
    KEYCHAIN = "keychain"
    SESSION = "session"  # in memory only: no keychain


@record
class BackendStatus:
    persistent: bool  # keys set now survive a restart
    backend: str  # the keyring backend's name, for Settings and bug reports
    message: str  # empty when the keychain works, else the warning for the user


def _name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


def keychain_usable(backend: Any) -> bool:
    """Whether ``backend`` is a real keychain (and not one that fails or discards)."""
    import keyring.backends.fail
    import keyring.backends.null

    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    try:
        return float(type(backend).priority) > 0
    except Exception:
        return False


class SecretStore:
    """API keys per provider.

    ``resolve()`` gives the environment variable (``ProviderSpec.key_env``, e.g. VIDU_API_KEY)
    precedence over the stored key, so a CLI run or a test can override the saved key without
    touching it; the app shows where the key in use comes from (:meth:`source`).

    The keychain is asked once per host: its answer (a key, or none) is kept in memory with the
    backend that gave it, and changed by :meth:`set` (and asked again once after
    :meth:`delete`), so the UI's many questions (a key for each host, on every refresh, and one
    for each request) do not each wait on a keychain (a D-Bus call, a locked keychain's
    prompt). The app asks first on a worker thread; a key stored by another program while the
    app runs is seen at its next start.
    """

    def __init__(self, backend: Any = None, *, environ: Mapping[str, str] | None = None,
                 service: str = SERVICE) -> None:
        self._backend = backend  # None: whatever keyring.get_keyring() says at each call
        self._environ = environ
        self._service = service
        self._session: dict[str, str] = {}
        self._failure = ""  # why the keychain stopped working this session ("" if it works)
        self._read: dict[str, str | None] = {}  # the keychain's answers, by user
        self._read_from: Any = None  # the backend that gave them

    def __repr__(self) -> str:
        return f"SecretStore(backend={_name(self._keyring())}, persistent={self.persistent})"

    # -- status -------------------------------------------------------------------------------

    def _keyring(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    @property
    def persistent(self) -> bool:
        return not self._failure and keychain_usable(self._keyring())

    @property
    def warning(self) -> str:
        return "" if self.persistent else NO_KEYCHAIN_WARNING

    def backend_status(self) -> BackendStatus:
        return BackendStatus(self.persistent, _name(self._keyring()), self.warning)

    # -- keys ---------------------------------------------------------------------------------

    def get(self, pid: str | ProviderId) -> str | None:
        """The stored key (keychain, or this session's memory), or None."""
        user = _user(pid)
        if user in self._session:
            return self._session[user]
        backend = self._keyring()
        if self._failure or not keychain_usable(backend):
            return None
        if backend is not self._read_from:  # (another backend: its own answers)
            self._read, self._read_from = {}, backend
        if user in self._read:
            return self._read[user]
        try:
            value = backend.get_password(self._service, user)
        except Exception as exc:  # a locked or broken keychain must not crash the app
            self._fail("read", exc)
            return None
        self._read[user] = str(value) if value else None
        return self._read[user]

    def set(self, pid: str | ProviderId, key: str) -> bool:
        """Save a key; return True if it went to the keychain, False if kept in memory only."""
        user, key = _user(pid), key.strip()
        if not key:
            raise ValueError("the API key is empty")
        backend = self._keyring()
        if not self._failure and keychain_usable(backend):
            try:
                backend.set_password(self._service, user, key)
            except Exception as exc:
                self._fail("save", exc)
            else:
                self._session.pop(user, None)
                if backend is self._read_from:
                    self._read[user] = key
                return True
        self._session[user] = key
        return False

    def delete(self, pid: str | ProviderId) -> None:
        """Forget the key in memory and in the keychain (no error when there was none)."""
        user = _user(pid)
        self._session.pop(user, None)
        self._read.pop(user, None)  # asked again next time
        backend = self._keyring()
        if self._failure or not keychain_usable(backend):
            return
        import keyring.errors

        try:
            backend.delete_password(self._service, user)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored
        except Exception as exc:
            self._fail("delete", exc)

    def from_env(self, pid: str | ProviderId) -> str | None:
        environ = self._environ if self._environ is not None else os.environ
        value = environ.get(provider(pid).key_env, "").strip()
        return value or None

    def resolve(self, pid: str | ProviderId) -> str | None:
        """The key to use: the environment variable if set, else the stored key."""
        return self.from_env(pid) or self.get(pid)

    def source(self, pid: str | ProviderId) -> KeySource | None:
        """Where :meth:`resolve` finds the key, or None when there is none."""
        if self.from_env(pid):
            return KeySource.ENVIRONMENT
        if _user(pid) in self._session:
            return KeySource.SESSION
        return KeySource.KEYCHAIN if self.get(pid) else None

    def _fail(self, action: str, exc: BaseException) -> None:
        # Only the exception type: a backend message is not trusted to be free of the key.
        self._failure = f"could not {action} in the keychain ({type(exc).__name__})"
        _log.warning("keychain unusable this session: %s", self._failure)


def _user(pid: str | ProviderId) -> str:
    return provider(pid).id.value
