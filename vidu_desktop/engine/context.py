"""What each of the engine's steps may read and change: one narrow interface per step.

The steps (``lifecycle.py``: send, reconcile, follow, download; ``outbox.py``: the outbox
sender; ``cancel.py``) are given the ``Engine`` as one of these protocols, never the class, so
each step's reach is written down here, mypy holds it to that, and no step imports the module
that imports it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol

from vidu_desktop.providers.base import Adapter
from vidu_desktop.store import (
    ArtifactStore,
    MediaLayout,
    Outbox,
    ReferenceStore,
    TaskRecord,
    TaskStore,
)

from .events import EventBus
from .settings import EngineSettings

if TYPE_CHECKING:  # httpx is imported when the first request is made (start-up)
    import httpx


class Hosts(Protocol):
    """The adapters and the per-host request limit."""

    def adapter(self, host: str) -> Adapter: ...

    def host_slot(self, host: str) -> AbstractAsyncContextManager[None]: ...


class LifecycleContext(Hosts, Protocol):
    """One task's life: its row and history, its files, its references, the events, the
    outbox it may wait in, and the download client."""

    @property
    def conn(self) -> sqlite3.Connection: ...
    @property
    def tasks(self) -> TaskStore: ...
    @property
    def artifacts(self) -> ArtifactStore: ...
    @property
    def refs(self) -> ReferenceStore: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def layout(self) -> MediaLayout: ...
    @property
    def bus(self) -> EventBus: ...
    @property
    def settings(self) -> EngineSettings: ...
    @property
    def http(self) -> httpx.AsyncClient: ...

    def known_keys(self) -> list[str]: ...

    def start_outbox(self) -> None: ...


class OutboxContext(Hosts, Protocol):
    """The outbox sender: the outbox, the rows it moves, and starting a task's life."""

    @property
    def conn(self) -> sqlite3.Connection: ...
    @property
    def tasks(self) -> TaskStore: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def bus(self) -> EventBus: ...
    @property
    def settings(self) -> EngineSettings: ...

    def track(self, local_id: str, *, resend: bool = False, send: bool = False
              ) -> asyncio.Task[TaskRecord]: ...

    async def wait_until_sent(self, local_id: str) -> TaskRecord: ...


class CancelContext(LifecycleContext, Protocol):
    """Cancelling: a task's life, plus stopping and restarting the work on it."""

    def track(self, local_id: str, *, resend: bool = False, send: bool = False
              ) -> asyncio.Task[TaskRecord]: ...

    async def stop_running(self, local_id: str) -> None: ...
