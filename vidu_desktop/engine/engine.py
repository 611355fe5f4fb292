"""The engine: submits, follows, downloads, resumes and cancels tasks on asyncio. No Qt.

Persist first: ``submit`` writes the task row before any request leaves, and every change after
is written before it is published. ``start`` resumes every unfinished task. One long-lived
adapter per host and a limit of requests in flight per host (``hosts.py``); an outbox for
submissions made while a host was unreachable.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskState
from vidu_desktop.core.validation import validate
from vidu_desktop.store import (
    RESUMABLE,
    AppPaths,
    ArtifactKind,
    ArtifactStore,
    MediaLayout,
    Outbox,
    ReferenceStore,
    TaskRecord,
    TaskStore,
    open_database,
    read_library_facts,
    sweep,
    transaction,
)

from . import references
from .boards import BoardVerbs
from .events import EngineEvent, EventBus, EventKind
from .hosts import HostVerbs, KeySource
from .library import LibraryVerbs
from .outbox import OutboxSender
from .settings import EngineSettings

if TYPE_CHECKING:  # httpx is imported when the first client is made, not at start-up
    import asyncio
    from pathlib import Path

    import httpx

    # the providers (httpx's layer): when the first request is made or an account asked for
    from vidu_desktop.providers.base import Adapter, CancelOutcome

    from .lifecycle import Lifecycle

log = logging.getLogger(__name__)
_S = TaskState


class Engine(HostVerbs, LibraryVerbs, BoardVerbs):
    """The hosts (adapters, the per-host limit, the download client, accounts) are
    :class:`HostVerbs`'; the verbs over the library (tasks, files, deletion, references,
    outbox, spend) :class:`LibraryVerbs`', those over the cast :class:`~.cast.CastVerbs`',
    those over the storyboards :class:`BoardVerbs`' (over the cast's); the stores themselves
    are the engine's business."""

    def __init__(self, paths: AppPaths, keys: KeySource,
                 settings: EngineSettings | None = None) -> None:
        self.paths = paths.ensure()
        self.settings = settings or EngineSettings()
        self.conn = open_database(paths.database)
        self.tasks = TaskStore(self.conn)
        self.artifacts = ArtifactStore(self.conn, paths.media_root)
        self.refs = ReferenceStore(self.conn, paths.refs_dir)
        self.use_cast(self.conn, self.refs)
        self.use_boards(self.conn)
        self.outbox = Outbox(self.conn)
        self.layout = MediaLayout(paths.media_root)
        self.bus = EventBus(self.settings.progress_interval_s)
        self._keys = keys
        self._adapters: dict[str, Adapter] = {}
        self._retired: list[Adapter] = []  # replaced adapters, still used by running tasks
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._running: dict[str, asyncio.Task[TaskRecord]] = {}
        self._sender = OutboxSender(self)
        self._http: httpx.AsyncClient | None = None
        self._sweep: asyncio.Task[None] | None = None

    def events(self) -> AsyncIterator[EngineEvent]:
        return self.bus.stream()

    def listen(self, listener: Callable[[EngineEvent], None]) -> Callable[[], None]:
        """Call ``listener`` with every event from now on; returns the call that stops it."""
        return self.bus.subscribe(listener)

    # -- the public verbs ----------------------------------------------------------------------
    def store_references(self, request: GenerationRequest) -> GenerationRequest:
        """Keep inline images (the subjects' too) in the reference store so the task row holds
        only their hash."""
        return references.store_references(self.refs, request)

    def create(self, request: GenerationRequest, *, draft_id: str | None = None,
               group_id: str | None = None, take_index: int | None = None,
               with_row: Callable[[TaskRecord], None] | None = None) -> TaskRecord:
        """Validate and write the task (state SUBMITTING); nothing is sent yet. ``with_row``
        writes what goes with the row in its transaction (a board's take: its shot)."""
        problems = validate(request)
        if problems:
            raise AppError(ErrorKind.INVALID_PARAMETER, " ".join(str(p) for p in problems),
                           "Change the named values.", details={p.field: str(p)
                                                                for p in problems})
        self.adapter(request.provider.value)  # a missing key fails before anything is written
        request = self.store_references(request)
        with transaction(self.conn):  # the row and the cast members it was made with
            rec = self.tasks.create(request, draft_id=draft_id, group_id=group_id,
                                    take_index=take_index)
            self.link_cast(rec.local_id, request)
            if with_row is not None:
                with_row(rec)
        self.bus.publish(EngineEvent(EventKind.STATE, rec))
        return rec

    async def submit(self, request: GenerationRequest, **kwargs: str | int | None
                     ) -> TaskRecord:
        """Create the task and start it in the background; returns the stored row."""
        rec = self.create(request, **kwargs)  # type: ignore[arg-type]
        self.track(rec.local_id)
        return rec

    def _life(self, local_id: str) -> Lifecycle:
        from .lifecycle import Lifecycle  # the steps: at the first task, not at start-up

        return Lifecycle(self, local_id)

    def track(self, local_id: str, *, resend: bool = False, send: bool = False
              ) -> asyncio.Task[TaskRecord]:
        """Run (or join) the task's lifecycle in the background. ``send``: the task is
        SUBMITTING and known not to have reached the host (the outbox); ``resend``: the user
        chose to send it again although an earlier submit may have arrived (billed twice)."""
        import asyncio

        running = self._running.get(local_id)
        if running is not None and not running.done():
            return running
        life = self._life(local_id)

        async def go() -> TaskRecord:
            if not (resend or send):
                return await life.run()
            rec = life.record()
            if rec.state != _S.SUBMITTING:
                rec = life.move(_S.SUBMITTING, detail="sent again at the user's request")
            rec = await life.send(rec, self.adapter(rec.provider), resend=True)
            return rec if rec.state.is_terminal else await life.run()

        task = asyncio.get_running_loop().create_task(self._guard(life, go()))
        self._running[local_id] = task
        task.add_done_callback(lambda t: self._running.pop(local_id, None)
                               if self._running.get(local_id) is t else None)
        return task

    async def _guard(self, life: Lifecycle, work: Coroutine[Any, Any, TaskRecord]
                     ) -> TaskRecord:
        """Run ``work``; an error that escapes it ends the task in a state that says so."""
        import asyncio

        try:
            return await work
        except asyncio.CancelledError:
            raise
        except AppError as exc:
            log.warning("task %s stopped: %s", life.id, exc)
            error = exc
        except Exception as exc:
            log.exception("task %s failed in the app", life.id)
            error = AppError(ErrorKind.LOCAL, f"The app failed while handling this task: "
                             f"{exc}", "Resume it; the task itself is kept.", retryable=True)
        rec = life.record()
        if rec.state.is_terminal or rec.state in (_S.DRAFT, _S.OUTCOME_UNKNOWN):
            return rec
        if rec.state == _S.SUBMITTING and rec.submit_attempts:  # it may have been sent
            return life.move(_S.OUTCOME_UNKNOWN, error=error, detail=error.message)
        return life.move(_S.FAILED, error=error, detail=error.message)

    def _record(self, local_id: str) -> TaskRecord:
        rec = self.tasks.get(local_id)
        if rec is None:
            raise AppError(ErrorKind.LOCAL, f"No task {local_id} in the library.")
        return rec

    async def _next_change(self, local_id: str, *others: asyncio.Future[Any]) -> None:
        """Until the task's next published event (or one of ``others`` is done)."""
        import asyncio

        changed = asyncio.Event()
        unsubscribe = self.bus.subscribe(
            lambda ev: changed.set() if ev.local_id == local_id and ev.kind == EventKind.STATE
            else None)
        waiter = asyncio.ensure_future(changed.wait())
        try:
            await asyncio.wait({waiter, *others}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            unsubscribe()

    async def wait(self, local_id: str) -> TaskRecord:
        """Until the engine has nothing more to do for the task by itself: it is finished,
        or its submit outcome is unknown (the user decides), or it is not being worked on.
        A task waiting in the outbox is waited for until it is sent and finished."""
        import asyncio

        while True:
            running = self._running.get(local_id)
            if running is not None and not running.done():
                await asyncio.shield(running)
                continue
            rec = self._record(local_id)
            if rec.state == _S.DRAFT and local_id in self.outbox and self._sender.running:
                assert self._sender.task is not None
                await self._next_change(local_id, self._sender.task)
                continue
            return rec

    async def wait_until_sent(self, local_id: str) -> TaskRecord:
        """Wait until the task has left SUBMITTING (accepted, refused, offline or unknown)."""
        while True:
            rec = self._record(local_id)
            running = self._running.get(local_id)
            if rec.state != _S.SUBMITTING or running is None or running.done():
                return rec
            await self._next_change(local_id, running)

    async def start(self) -> list[str]:
        """Resume every unfinished task (and the outbox), and clear away the partial files a
        crash left (in the background). Returns the ids resumed."""
        self.start_sweep()
        resumed = []
        for rec in self.tasks.in_states(RESUMABLE):
            try:
                self.adapter(rec.provider)
            except AppError as err:
                log.warning("cannot resume %s: %s", rec.local_id, err)
                continue
            self.track(rec.local_id)
            resumed.append(rec.local_id)
        if len(self.outbox):
            self.wake_outbox()
        return resumed

    def start_sweep(self) -> None:
        """Remove, off the loop, the partial and orphaned files crashed runs left (the
        library's facts are read there too, over a connection of the worker's own)."""
        import asyncio

        paths = self.paths

        def facts_then_sweep() -> list[Path]:
            states, recorded = read_library_facts(paths.database)
            return sweep(paths.media_root, paths.refs_dir, paths.cache_dir, states=states,
                         recorded=recorded)

        async def run() -> None:
            removed = await asyncio.to_thread(facts_then_sweep)
            if removed:
                log.info("removed %d partial or orphaned file(s)", len(removed))

        self._sweep = asyncio.get_running_loop().create_task(run())

    async def swept(self) -> None:
        """Wait for the start's clean-up (tests, ``vidu-cli resume``)."""
        if self._sweep is not None:
            await self._sweep

    async def resume(self, local_id: str, *, resend: bool = False) -> TaskRecord:
        """Pick a task up again: reconcile, follow, download; or (``resend``) submit a task
        whose submit outcome is unknown once more: said explicitly, it may be billed twice."""
        rec = self._record(local_id)
        if rec.state == _S.SUCCEEDED:
            if resend:
                raise AppError(ErrorKind.LOCAL, f"Task {local_id} already succeeded; "
                               "generate again for a new take.")
            video = self.artifacts.get(local_id, ArtifactKind.VIDEO)
            if video is not None and video.path.exists():
                return rec
            self._life(local_id).move(_S.DOWNLOADING,
                                      detail="the video file is missing: downloading it "
                                             "again")
        elif resend:
            if rec.state not in (_S.OUTCOME_UNKNOWN, _S.DRAFT):
                raise AppError(ErrorKind.LOCAL, f"Task {local_id} is {rec.state}; only a task "
                               "whose submit outcome is unknown (or a draft) can be resent. "
                               "Retry a failed task as a new submission.")
            self.outbox.remove(local_id)
        else:
            target = self._resume_state(rec)
            if target is not None and target != rec.state:
                self._life(local_id).move(target, detail="resumed")
            if rec.state == _S.DRAFT:
                self.wake_outbox()
                return await self.wait(local_id)
        return await self.track(local_id, resend=resend)

    def _resume_state(self, rec: TaskRecord) -> TaskState | None:
        if rec.state in (_S.FAILED, _S.UNTRACKED):
            if rec.result_url:
                return _S.DOWNLOADING
            if rec.remote_id:
                return _S.PROCESSING if rec.started_at else _S.QUEUED
            if rec.state == _S.FAILED:
                raise AppError(ErrorKind.LOCAL, "This task never reached the host; retry it "
                               "as a new submission.")
        return None

    async def cancel(self, local_id: str) -> CancelOutcome:
        """Cancel on the server where the host allows it, else stop tracking. Says which."""
        from .cancel import cancel_task  # with the steps: not needed at start-up

        return await cancel_task(self, local_id)

    async def stop_running(self, local_id: str) -> None:
        """Stop working on the task in this process (its row stays as it is)."""
        import asyncio

        running = self._running.pop(local_id, None)
        if running is not None:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await running

    # -- outbox ----------------------------------------------------------------------------
    def wake_outbox(self) -> None:
        """Send the outbox now (the network may be back) rather than at the next probe."""
        self._sender.wake()

    def start_outbox(self) -> None:
        """Make sure the outbox sender runs (it probes at ``outbox_probe_s``)."""
        self._sender.ensure_running()

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        import asyncio

        await self._sender.close()  # first: it would start new work
        if self._sweep is not None:
            with contextlib.suppress(Exception):
                await self._sweep  # a file walk in a thread: it cannot be cancelled midway
        pending: list[asyncio.Task[Any]] = list(self._running.values())
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)
        try:
            for adapter in [*self._adapters.values(), *self._retired]:
                await adapter.close()
            if self._http is not None:
                await self._http.aclose()
        except (RuntimeError, OSError) as exc:
            # e.g. the display went away and Qt's loop stopped under us: the sockets go with
            # the process, but the library must still be closed cleanly
            log.warning("network clients not closed cleanly: %s", exc)
        finally:
            self._adapters.clear()
            self._retired.clear()
            self.conn.close()
