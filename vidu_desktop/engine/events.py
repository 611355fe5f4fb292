"""The engine's event stream: every persisted change, for the UI and the CLI to follow."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from vidu_desktop.core.records import record
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import TaskRecord

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)


class EventKind(StrEnum):
    STATE = "state"  # a stored change: a new state, or a new detail worth telling
    PROGRESS = "progress"  # progress at the host or a retry note (throttled)
    DOWNLOAD = "download"  # bytes of the result arrived (throttled; the last one always)
    MARK = "mark"  # the task was starred, rejected or unmarked (``record.mark``)


@record
class EngineEvent:
    """A task changed; what kind of change is ``kind``."""

    kind: EventKind
    record: TaskRecord
    bytes_done: int | None = None
    bytes_total: int | None = None

    @property
    def local_id(self) -> str:
        return self.record.local_id

    @property
    def state(self) -> TaskState:
        return self.record.state


Listener = Callable[[EngineEvent], None]


class EventBus:
    """Publishes events to callbacks and async streams. State and mark events always go out;
    progress and download events at most once per ``progress_interval_s`` per task (the last
    chunk of a download always goes out, so a bar reaches 100 %)."""

    def __init__(self, progress_interval_s: float = 0.25) -> None:
        self._listeners: list[Listener] = []
        self._queues: list[asyncio.Queue[EngineEvent]] = []
        self._last_progress: dict[str, float] = {}
        self._interval = progress_interval_s

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def stream(self) -> AsyncIterator[EngineEvent]:
        import asyncio

        queue: asyncio.Queue[EngineEvent] = asyncio.Queue()
        self._queues.append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.remove(queue)

    def publish(self, event: EngineEvent) -> None:
        finished = event.kind == EventKind.DOWNLOAD and event.bytes_done == event.bytes_total
        if event.kind in (EventKind.PROGRESS, EventKind.DOWNLOAD) and not finished:
            now = time.monotonic()
            if now - self._last_progress.get(event.local_id, 0.0) < self._interval:
                return
            self._last_progress[event.local_id] = now
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("engine event listener failed")
        for queue in self._queues:
            queue.put_nowait(event)
