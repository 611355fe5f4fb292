"""The engine's hosts: one long-lived adapter per host (made on first use; ``set_base_url`` and
a changed key replace it, running requests finish on the old one), the limit of requests in
flight per host, the download client, and the hosts' accounts (:class:`~.engine.Engine`
inherits these)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from vidu_desktop.core.capabilities import ProviderId, provider
from vidu_desktop.core.errors import AppError, ErrorKind

from .settings import EngineSettings

if TYPE_CHECKING:  # httpx is imported when the first client is made, not at start-up
    import asyncio

    import httpx

    # the providers (httpx's layer): when the first request is made or an account asked for
    from vidu_desktop.providers.account import AccountInfo
    from vidu_desktop.providers.base import Adapter
    from vidu_desktop.store import Outbox

#: the API key for a host, if one is set
KeySource = Callable[[ProviderId], str | None]


class HostVerbs:
    """The adapters, the per-host limit, the download client and the accounts. The fields
    are the engine's own (set in its ``__init__``)."""

    settings: EngineSettings
    outbox: Outbox
    _keys: KeySource
    _adapters: dict[str, Adapter]
    _retired: list[Adapter]  # replaced adapters, still used by running tasks
    _slots: dict[str, asyncio.Semaphore]
    _http: httpx.AsyncClient | None
    wake_outbox: Callable[[], None]

    @property
    def http(self) -> httpx.AsyncClient:
        """The client for result downloads (it never carries a key): the adapters' kind, made
        on first use, so start-up builds no TLS context for it."""
        if self._http is None:
            from vidu_desktop.providers.http import make_client

            self._http = make_client(self.settings.timeouts())
        return self._http

    def adapter(self, host: str) -> Adapter:
        if host not in self._adapters:
            from vidu_desktop.providers.registry import make_adapter  # the adapters: not at start

            pid = ProviderId(host)
            key = self._keys(pid)
            if not key:
                spec = provider(pid)
                raise AppError(ErrorKind.AUTH, f"No API key for {spec.display_name}.",
                               f"Add it in Settings, or set {spec.key_env}.")
            self._adapters[host] = make_adapter(
                pid, key, base_url=self.base_url(host),
                timeouts=self.settings.timeouts(), retry=self.settings.retry())
        return self._adapters[host]

    def base_url(self, host: str) -> str | None:
        """The address ``host``'s adapter is made for (None: the host's own). Asked only when
        the adapter is made, on first use."""
        return self.settings.base_urls.get(host)

    def set_base_url(self, host: str, url: str | None) -> None:
        """Use ``url`` for ``host`` from now on (None: the host's own address). The cached
        adapter is dropped (running requests finish on it) and the outbox tries again."""
        pid = ProviderId(host)
        if url:
            self.settings.base_urls[pid.value] = url
        else:
            self.settings.base_urls.pop(pid.value, None)
        self.forget_adapter(pid.value)

    def forget_adapter(self, host: str) -> None:
        """Build ``host``'s adapter again on next use (its key or address changed)."""
        old = self._adapters.pop(host, None)
        if old is not None:
            self._retired.append(old)
        if len(self.outbox):
            self.wake_outbox()

    def known_keys(self) -> list[str]:
        return [k for k in (self._keys(p) for p in ProviderId) if k]

    @contextlib.asynccontextmanager
    async def host_slot(self, host: str) -> AsyncIterator[None]:
        """At most ``requests_per_host`` API requests in flight to one host."""
        import asyncio

        slot = self._slots.setdefault(host, asyncio.Semaphore(self.settings.requests_per_host))
        async with slot:
            yield

    async def account_info(self, host: str) -> AccountInfo | None:
        """``host``'s account now (balance, concurrency, queue) where the host has an account
        endpoint (Vidu); None for the others and when no key is set for it. AppError when the
        host cannot say. One request, counted against the host's requests in flight."""
        from vidu_desktop.providers.account import AccountSource
        from vidu_desktop.providers.registry import adapter_class  # the adapters: not at start

        pid = ProviderId(host)
        if not issubclass(adapter_class(pid), AccountSource):
            return None
        if pid.value not in self._adapters and not self._keys(pid):
            return None
        adapter = self.adapter(pid.value)
        assert isinstance(adapter, AccountSource)
        async with self.host_slot(pid.value):
            return await adapter.account_info()
