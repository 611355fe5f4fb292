"""The outbox sender: submissions made while a host was unreachable, sent when it answers again.

Each round goes through the outbox in order, probes each host once (a cheap authenticated
request), and sends the tasks of the hosts that answered, one at a time: a task leaves the
outbox and becomes SUBMITTING in one transaction, then runs its normal lifecycle. A host that
is still unreachable keeps its tasks (in order) for the next round; other hosts are not held up.
Between rounds the sender rests ``outbox_probe_s``, or less when ``wake`` is called (the
network is back, a base URL changed).
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import transaction

from .events import EngineEvent, EventKind

if TYPE_CHECKING:
    import asyncio

    from .context import OutboxContext

log = logging.getLogger(__name__)
_S = TaskState

#: Probe failures that mean "not reachable now": keep the tasks and try again later.
OFFLINE_KINDS = frozenset({ErrorKind.NETWORK, ErrorKind.TIMEOUT, ErrorKind.OUTAGE,
                           ErrorKind.RATE_LIMITED})


class OutboxSender:
    def __init__(self, engine: OutboxContext) -> None:
        self.e = engine
        self.task: asyncio.Task[None] | None = None
        self._woken: asyncio.Event | None = None  # made with the first use (asyncio too)

    @property
    def _wake(self) -> asyncio.Event:
        import asyncio

        if self._woken is None:
            self._woken = asyncio.Event()
        return self._woken

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def ensure_running(self) -> None:
        """Start the sender unless it is already under way (it stops when the outbox is empty)."""
        import asyncio

        if not self.running:
            self.task = asyncio.get_running_loop().create_task(self._drain())
            self.task.add_done_callback(_report)

    def wake(self) -> None:
        """Try the outbox now rather than after the probe interval."""
        self._wake.set()
        self.ensure_running()

    async def close(self) -> None:
        import asyncio

        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _rest(self) -> None:
        import asyncio

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.e.settings.outbox_probe_s)
        self._wake.clear()

    async def _drain(self) -> None:
        while self.e.outbox.pending():
            offline: set[str] = set()
            refused: dict[str, AppError] = {}
            reachable: set[str] = set()
            for local_id in self.e.outbox.pending():
                rec = self.e.tasks.get(local_id)
                if rec is None or rec.state != _S.DRAFT:
                    self.e.outbox.remove(local_id)
                    continue
                host = rec.provider
                if host not in offline | reachable | set(refused):
                    err = await self._probe(host)
                    if err is None:
                        reachable.add(host)
                    elif err.kind in OFFLINE_KINDS:
                        offline.add(host)
                    else:
                        refused[host] = err
                if host in refused:
                    self._fail(local_id, refused[host])
                elif host in reachable and not await self._send(local_id):
                    reachable.discard(host)  # it went back to the outbox: gone again
                    offline.add(host)
            if offline:
                await self._rest()

    async def _probe(self, host: str) -> AppError | None:
        """None when ``host`` answers with the key accepted, else why not."""
        try:
            adapter = self.e.adapter(host)
            async with self.e.host_slot(host):
                await adapter.check_key()
        except AppError as err:
            if err.kind in OFFLINE_KINDS:
                log.debug("outbox: %s still unreachable (%s)", host, err.kind.value)
            else:
                log.warning("outbox: %s refused: %s", host, err)
            return err
        return None

    def _fail(self, local_id: str, err: AppError) -> None:
        with transaction(self.e.conn):
            self.e.outbox.remove(local_id)
            rec = self.e.tasks.transition(local_id, _S.FAILED, error=err,
                                          detail="could not send from the outbox: "
                                                 + err.message)
        self.e.bus.publish(EngineEvent(EventKind.STATE, rec))

    async def _send(self, local_id: str) -> bool:
        """Send one task; False when it came back to the outbox (offline again)."""
        with transaction(self.e.conn):
            self.e.outbox.remove(local_id)
            rec = self.e.tasks.transition(local_id, _S.SUBMITTING,
                                          detail="online again: sending")
        self.e.bus.publish(EngineEvent(EventKind.STATE, rec))
        self.e.track(local_id, send=True)
        rec = await self.e.wait_until_sent(local_id)
        return rec.state != _S.DRAFT


def _report(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the outbox sender stopped", exc_info=task.exception())
