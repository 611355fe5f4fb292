"""Which hosts have an API key, for the session (:mod:`.session`), without Qt.

The key variables are read at once; the keychain may take a while (keyring's import, a locked
keychain's answer), so until it is read the hosts that had a key there at the last look-up
stand for it. Those hosts (their ids, never a key) are remembered in the profile's settings
(``startup.keychain_hosts``) at each look-up and each key saved or deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from vidu_desktop.core.capabilities import ProviderId, provider
from vidu_desktop.store import KeySource, SecretStore, Settings

#: The profile setting that remembers which hosts had a key in the keychain at the last
#: look-up (host ids, never a key): the next start-up picks its mode from it at once.
KEYCHAIN_HOSTS_SETTING = "startup.keychain_hosts"
#: What the status bar says when the keychain's answer changed the mode picked at start-up.
NO_KEY_FOUND = "No API key found: sandbox mode (placeholder videos, no cost)."
KEY_FOUND = "API key found in the keychain: real hosts mode."


class KeyStatus(NamedTuple):  # (a named tuple: cheaper to make before the first paint)
    text: str  # "key in the keychain", "no key", ...
    usable: bool  # a key is there (not whether the host accepts it)


class KeyBook:
    """The real hosts' keys as far as they are known: the environment's, and the keychain's
    once read (before that, the last look-up's hosts). ``settings`` gives the profile's
    settings (None before a profile is open)."""

    def __init__(self, secrets: SecretStore, settings: Callable[[], Settings | None]) -> None:
        self.secrets = secrets
        self._settings = settings
        #: the hosts whose key the keychain holds, once it was read (None: not yet)
        self._keychain_hosts: frozenset[ProviderId] | None = None
        self._remembered_hosts: frozenset[ProviderId] = frozenset()

    def recall(self) -> None:
        """The hosts the profile remembers from the last look-up."""
        settings = self._settings()
        remembered = settings.get(KEYCHAIN_HOSTS_SETTING) if settings is not None else None
        if isinstance(remembered, list):
            self._remembered_hosts = frozenset(
                ProviderId(v) for v in remembered if v in {p.value for p in ProviderId})

    @property
    def known(self) -> bool:
        """Whether the keychain was read (else the last look-up's hosts stand for it)."""
        return self._keychain_hosts is not None

    def known_keys(self) -> list[str]:
        """Every real host's key that may be used (before the keychain is read, the
        environment's: nothing else is used until then)."""
        if self.known:
            keys = [self.secrets.resolve(pid) for pid in ProviderId]
        else:
            keys = [self.secrets.from_env(pid) for pid in ProviderId]
        return [k for k in keys if k]

    def has_key(self, pid: ProviderId) -> bool:
        """Whether there is a key for ``pid`` (before the keychain is read: whether it had one
        at the last look-up)."""
        if self.secrets.from_env(pid):
            return True
        if not self.known:
            return pid in self._remembered_hosts
        return self.secrets.resolve(pid) is not None

    def has_any_key(self) -> bool:
        if not self.known:
            return bool(self._remembered_hosts) or any(
                self.secrets.from_env(pid) for pid in ProviderId)
        return any(self.secrets.resolve(pid) for pid in ProviderId)

    def status(self, pid: ProviderId) -> KeyStatus:
        if not self.known and not self.secrets.from_env(pid):
            return KeyStatus("key in the keychain", True) if pid in self._remembered_hosts \
                else KeyStatus("no key", False)
        source = self.secrets.source(pid)
        if source is None:
            return KeyStatus("no key", False)
        return KeyStatus({
            KeySource.ENVIRONMENT: f"key from {provider(pid).key_env}",
            KeySource.KEYCHAIN: "key in the keychain",
            KeySource.SESSION: "key for this session only",
        }[source], True)

    def read_keychain(self) -> frozenset[ProviderId]:
        """The hosts whose key the keychain holds (may block: safe on a worker thread)."""
        return frozenset(pid for pid in ProviderId if self.secrets.get(pid))

    def learn(self, hosts: frozenset[ProviderId]) -> None:
        """The keychain's answer (:meth:`read_keychain`), remembered for the next start-up."""
        self._keychain_hosts = hosts
        self._remember(hosts)

    def keychain_changed(self, pid: ProviderId, stored: bool) -> None:
        """A key for ``pid`` was stored in the keychain (``stored``) or is no longer there."""
        hosts = self._keychain_hosts if self._keychain_hosts is not None \
            else self._remembered_hosts
        hosts = hosts | {pid} if stored else hosts - {pid}
        if self._keychain_hosts is not None:
            self._keychain_hosts = hosts
        self._remember(hosts)

    def _remember(self, hosts: frozenset[ProviderId]) -> None:
        """Which hosts have a key in the keychain, for the next start-up (never the keys)."""
        self._remembered_hosts = hosts
        settings = self._settings()
        if settings is None:
            return
        names = sorted(pid.value for pid in hosts)
        if settings.get(KEYCHAIN_HOSTS_SETTING) != names:
            settings.set(KEYCHAIN_HOSTS_SETTING, names)
