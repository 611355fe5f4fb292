"""Background coroutines started from Qt slots, kept alive until they finish.

qasync 0.28's ``asyncSlot`` keeps no reference to the task it starts (the event loop holds only
a weak one), so a slot's coroutine can be garbage-collected mid-flight. ``Background`` holds a
strong reference to each task, logs an exception that escapes it, and cancels what is left at
shutdown: :meth:`Background.close_all` cancels every instance's tasks and waits for them while
the loop still runs (a task only cancelled would take its last steps after the loop stopped,
where httpx's and anyio's clean-up find no running loop).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)


class Background:
    _every: ClassVar[weakref.WeakSet[Background]] = weakref.WeakSet()

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        Background._every.add(self)

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str = "") -> asyncio.Task[Any]:
        import asyncio

        task = asyncio.get_running_loop().create_task(coro, name=name or None)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("background task %s failed", task.get_name(), exc_info=exc)

    @property
    def pending(self) -> list[asyncio.Task[Any]]:
        return [t for t in self._tasks if not t.done()]

    async def close(self, timeout: float = 5.0) -> None:
        import asyncio

        pending = self.pending
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    @classmethod
    async def close_all(cls, timeout: float = 5.0) -> None:
        """Cancel what every ``Background`` still runs and wait (up to ``timeout``) until it
        has finished: the app's last step before it closes the engine."""
        import asyncio

        pending = [t for bg in list(cls._every) for t in bg.pending]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=timeout)
