"""Which adapter serves which host: ``make_adapter(pid, key)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vidu_desktop.core.capabilities import AuthScheme, ProviderId

from .base import Adapter, Retry, Timeouts
from .novita import NovitaAdapter
from .segmind import SegmindAdapter
from .vidu import ViduAdapter
from .vtrix import VtrixAdapter

if TYPE_CHECKING:  # httpx is imported when the first request is made (start-up)
    import httpx

ADAPTERS: dict[ProviderId, type[Adapter]] = {
    ProviderId.VIDU: ViduAdapter,
    ProviderId.NOVITA: NovitaAdapter,
    ProviderId.HIGHWAYAPI: NovitaAdapter,
    ProviderId.SEGMIND: SegmindAdapter,
    ProviderId.VTRIX: VtrixAdapter,
}


def adapter_class(pid: str | ProviderId) -> type[Adapter]:
    return ADAPTERS[ProviderId(pid)]


def make_adapter(pid: str | ProviderId, key: str, base_url: str | None = None, *,
                 client: httpx.AsyncClient | None = None, auth: AuthScheme | None = None,
                 timeouts: Timeouts | None = None, retry: Retry | None = None,
                 **options: Any) -> Adapter:
    """The adapter for host ``pid``. ``options`` go to the adapter class (e.g. ``sync=True``
    for Segmind v1, ``reference_form="images"`` for Vtrix)."""
    pid = ProviderId(pid)
    return ADAPTERS[pid](pid, key, base_url=base_url, client=client, auth=auth,
                         timeouts=timeouts, retry=retry, **options)
