"""One task's life after it is written: send (once), reconcile, follow, download, verify.

Every step persists before it is published; a crash at any instant leaves a row that says what
is known, and ``Lifecycle.run`` picks up from exactly that row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidu_desktop.core.errors import AppError, ErrorKind, Promise, SubmitOutcome
from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.base import Adapter, RemoteStatus
from vidu_desktop.providers.download import download
from vidu_desktop.store import (
    ArtifactKind,
    TaskMedia,
    TaskRecord,
    replace_retrying,
    sidecar_for,
    transaction,
    write_sidecar,
)

from . import hints
from .events import EngineEvent, EventKind
from .verify import NotPlayable, VideoInfo, verify_mp4

if TYPE_CHECKING:
    from .context import LifecycleContext

log = logging.getLogger(__name__)
_S = TaskState


class Lifecycle:
    def __init__(self, engine: LifecycleContext, local_id: str) -> None:
        self.e = engine
        self.id = local_id
        self.rng = random.Random()
        self.downloading: TaskRecord | None = None  # the row shown with download progress

    # -- small helpers -----------------------------------------------------------------------
    def record(self) -> TaskRecord:
        found = self.e.tasks.get(self.id)
        if found is None:
            raise AppError(ErrorKind.LOCAL, f"task {self.id} is not in the library")
        return found

    def move(self, state: TaskState, *, detail: str = "", error: AppError | None = None,
             progress: float | None = None, remote_state: str | None = None) -> TaskRecord:
        rec = self.e.tasks.transition(self.id, state, detail=detail, error=error,
                                      progress=progress, remote_state=remote_state)
        self.e.bus.publish(EngineEvent(EventKind.STATE, rec))
        return rec

    async def pause(self, seconds: float, *, at_least: float = 0.0) -> None:
        """Sleep about ``seconds`` (jittered ±20 %), never less than ``at_least`` (a host's
        Retry-After is a floor, not a hint)."""
        await asyncio.sleep(max(at_least, seconds * (0.8 + 0.4 * self.rng.random())))

    async def guarded(self, host: str, call: Callable[[], Awaitable[RemoteStatus]]
                      ) -> RemoteStatus:
        async with self.e.host_slot(host):
            return await call()

    # -- the whole life ----------------------------------------------------------------------
    async def run(self) -> TaskRecord:
        rec = self.record()
        adapter = self.e.adapter(rec.provider)
        if rec.state == _S.SUBMITTING:
            rec = await (self.send(rec, adapter) if rec.submit_attempts == 0
                         else self.reconcile(rec, adapter))
        elif rec.state == _S.OUTCOME_UNKNOWN:
            rec = await self.reconcile(rec, adapter)
        if rec.state in (_S.QUEUED, _S.PROCESSING):
            rec = await self.follow(rec, adapter)
        if rec.state == _S.DOWNLOADING:
            rec = await self.fetch(rec, adapter)
        return rec

    # -- submit ------------------------------------------------------------------------------
    async def send(self, rec: TaskRecord, adapter: Adapter, *, resend: bool = False
                   ) -> TaskRecord:
        """Submit the task. An answer that proves the host made no task for a passing reason
        (429, a busy backend: ``NOT_CREATED``) is sent again after Retry-After or a backoff,
        for up to ``submit_retry_s``; every other failure is sent exactly once."""
        request = self.e.refs.rehydrate(rec.request)
        cfg = self.e.settings
        started = time.monotonic()
        refusals = 0
        while True:
            self.e.tasks.record_submit_attempt(self.id, resend=resend)
            try:
                async with self.e.host_slot(rec.provider):
                    sent = await adapter.submit(request, rec.client_token)
                break
            except AppError as err:
                outcome = err.outcome
                if outcome is None and err.kind in (ErrorKind.NETWORK, ErrorKind.TIMEOUT):
                    outcome = SubmitOutcome.NOT_SENT if err.sent is False \
                        else SubmitOutcome.UNKNOWN
                if outcome == SubmitOutcome.UNKNOWN:
                    self.move(_S.OUTCOME_UNKNOWN, detail="the submit answer was lost",
                              error=hints.lost_answer(err, adapter.host))
                    return await self.reconcile(self.record(), adapter)
                if outcome == SubmitOutcome.NOT_SENT:
                    return self.to_outbox(err)
                if outcome != SubmitOutcome.NOT_CREATED:
                    return self.move(_S.FAILED, detail="the host refused the task",
                                     error=hints.refused(err))
                # the host made no task: the attempt is taken back (a crash while waiting
                # leaves a row that is simply sent again), then wait and send again
                self.e.tasks.undo_submit_attempt(self.id)
                refusals += 1
                wait = err.retry_after if err.retry_after is not None \
                    else cfg.backoff(refusals)
                waited = time.monotonic() - started
                if waited + wait > cfg.submit_retry_s:
                    return self.move(_S.FAILED, error=hints.gave_up(err, adapter.host, waited),
                                     detail=f"{adapter.host} did not take the task")
                rec = self.e.tasks.transition(self.id, _S.SUBMITTING, error=err, detail=(
                    f"waiting for {adapter.host}: {hints.busy_reason(err)}, next try in "
                    f"{max(1, round(wait))} s"))
                self.e.bus.publish(EngineEvent(EventKind.STATE, rec))  # told, like a state change
                await self.pause(wait, at_least=err.retry_after or 0.0)
        self.e.tasks.set_remote_id(self.id, sent.remote_id, trace_id=sent.trace_id,
                                   remote_state=sent.wire_state, resolved_seed=sent.seed)
        return self.move(_S.QUEUED, detail=f"accepted as {sent.remote_id}",
                         remote_state=sent.wire_state)

    def to_outbox(self, err: AppError) -> TaskRecord:
        """The request never reached the host: keep it in the outbox, send it later."""
        with transaction(self.e.conn):  # never a draft outside the outbox
            self.e.tasks.undo_submit_attempt(self.id)
            rec = self.e.tasks.transition(self.id, _S.DRAFT, error=err,
                                          detail="offline: waiting in the outbox")
            self.e.outbox.enqueue(self.id)
        self.e.bus.publish(EngineEvent(EventKind.STATE, rec))
        self.e.start_outbox()
        return rec

    async def reconcile(self, rec: TaskRecord, adapter: Adapter) -> TaskRecord:
        """A submit may have reached the host: find it, never resend on our own."""
        if rec.state == _S.SUBMITTING:
            rec = self.move(_S.OUTCOME_UNKNOWN,
                            detail="the app stopped while submitting; checking the host")
        if not adapter.supports_reconcile:
            detail = (f"{adapter.spec.display_name} cannot be asked whether the task arrived. "
                      "Resend it (it may be charged twice) or stop tracking it.")
            return self.move(_S.OUTCOME_UNKNOWN, detail=detail, error=hints.unresolved(
                rec.error, detail, Promise.RESEND))
        since = datetime.fromtimestamp(rec.created_at - 600, UTC)
        attempts = max(1, self.e.settings.reconcile_attempts)
        failure: AppError | None = None
        for attempt in range(1, attempts + 1):
            try:
                async with self.e.host_slot(rec.provider):
                    found = await adapter.find_by_token(rec.client_token, since)
                failure = None
            except AppError as err:
                found, failure = None, err
                if not err.can_retry:
                    break
            if found is not None:
                self.e.tasks.set_remote_id(self.id, found.remote_id,
                                           remote_state=found.wire_state)
                return self.move(_S.QUEUED, detail=f"found at the host as {found.remote_id}",
                                 remote_state=found.wire_state)
            if attempt < attempts:  # the host may create it a little after the answer was lost
                rec = self.move(_S.OUTCOME_UNKNOWN, detail=(
                    f"not found at the host yet; looking again ({attempt} of {attempts})"))
                await self.pause(self.e.settings.reconcile_delay_s)
        if failure is not None:
            detail = "could not ask the host whether the task arrived; resume to try again"
            return self.move(_S.OUTCOME_UNKNOWN, detail=detail, error=hints.unresolved(
                failure, detail, Promise.RESUME))
        detail = ("the host has no task from this submit; resend it (it may be charged twice "
                  "if it did arrive) or stop tracking it")
        return self.move(_S.OUTCOME_UNKNOWN, detail=detail, error=hints.unresolved(
            self.record().error, detail, Promise.RESEND))

    # -- follow ------------------------------------------------------------------------------
    async def follow(self, rec: TaskRecord, adapter: Adapter) -> TaskRecord:
        cfg = self.e.settings
        assert rec.remote_id is not None
        remote_id = rec.remote_id
        interval = cfg.poll_initial_s
        failures = unreadable = 0
        followed_since = state_since = time.time()  # a resume gets a fresh timeout span
        while True:
            try:
                status = await self.guarded(rec.provider, lambda: adapter.status(remote_id))
            except AppError as err:
                unreadable = unreadable + 1 if err.kind == ErrorKind.PROTOCOL else 0
                if not err.can_retry or unreadable >= cfg.protocol_error_limit:
                    return self.move(_S.FAILED, error=hints.stopped(err), detail=(
                        f"following stopped: {err.message} Resume the task to look again."))
                failures += 1
                wait = err.retry_after or cfg.backoff(failures)
                rec = self.e.tasks.transition(self.id, rec.state, detail=(
                    f"{err.message} Retrying in {wait:.3g} s."))
                self.e.bus.publish(EngineEvent(EventKind.PROGRESS, rec))
                await self.pause(wait, at_least=err.retry_after or 0.0)
                continue
            failures = unreadable = 0
            self.e.tasks.record_poll(self.id, remote_state=status.wire_state,
                                     progress=None if status.progress is None
                                     else round(status.progress * 100, 1))
            if status.state == _S.DOWNLOADING:
                return self.succeeded_remotely(status)
            if status.state in (_S.FAILED, _S.CANCELLED):
                return self.move(status.state, error=status.error,
                                 remote_state=status.wire_state,
                                 detail=status.error.message if status.error else "")
            if status.state != rec.state:
                rec = self.move(status.state, remote_state=status.wire_state)
                interval = cfg.poll_initial_s
                state_since = time.time()
            else:
                rec = self.record()
                self.e.bus.publish(EngineEvent(EventKind.PROGRESS, rec))
                interval = min(cfg.poll_max_s, interval * cfg.poll_factor)
            timeout = self.timed_out(rec, followed_since, state_since)
            if timeout is not None:
                return self.move(_S.FAILED, error=timeout, detail=timeout.message)
            if status.eta_s:
                interval = max(cfg.poll_initial_s, min(interval, status.eta_s))
            await self.pause(interval)

    def timed_out(self, rec: TaskRecord, followed_since: float, state_since: float
                  ) -> AppError | None:
        """A TIMEOUT error when the task processed (or queued, when a queue limit is set)
        longer than allowed while this run followed it; queue time never counts as processing."""
        cfg = self.e.settings
        now = time.time()
        processing_since = max(rec.started_at or now, followed_since)
        if rec.state == _S.PROCESSING and now - processing_since > cfg.processing_timeout_s:
            return AppError(ErrorKind.TIMEOUT, "Still processing after "
                            f"{hints.span(cfg.processing_timeout_s)}; the app stopped "
                            "following it.",
                            "Resume the task to look again: the host may still finish it.",
                            retryable=True, promise=Promise.RESUME)
        if rec.state == _S.QUEUED and cfg.queue_timeout_s is not None \
                and now - state_since > cfg.queue_timeout_s:
            return AppError(ErrorKind.TIMEOUT, "Still queued at the host after "
                            f"{hints.span(cfg.queue_timeout_s)}, the set limit.",
                            "Resume to keep waiting, or cancel it.", retryable=True,
                            promise=Promise.RESUME)
        return None

    def succeeded_remotely(self, status: RemoteStatus) -> TaskRecord:
        if not status.video_url:
            err = AppError(ErrorKind.PROTOCOL, "The host reported success without a video.")
            return self.move(_S.FAILED, error=hints.stopped(err), detail=err.message)
        self.e.tasks.set_result(self.id, url=status.video_url, expires_at=status.url_expires_at,
                                cover_url=status.cover_url or "", resolved_seed=status.seed)
        if status.cost is not None:
            self.e.tasks.set_cost(self.id, status.cost, status.cost_unit)
            if status.cost_unit == "credits":
                self.e.tasks.set_billing(self.id, credits=status.cost)
        if status.remaining_balance is not None:
            self.e.tasks.set_billing(self.id, balance=status.remaining_balance,
                                     balance_unit=status.cost_unit)
        return self.move(_S.DOWNLOADING, detail="done at the host; downloading",
                         remote_state=status.wire_state)

    # -- download ----------------------------------------------------------------------------
    async def refresh_url(self, rec: TaskRecord, adapter: Adapter) -> TaskRecord:
        assert rec.remote_id is not None
        remote_id = rec.remote_id
        status = await self.guarded(rec.provider, lambda: adapter.status(remote_id))
        if status.video_url:
            self.e.tasks.set_result(self.id, url=status.video_url,
                                    expires_at=status.url_expires_at,
                                    cover_url=status.cover_url or "")
        return self.record()

    async def fetch(self, rec: TaskRecord, adapter: Adapter) -> TaskRecord:
        media = self.e.layout.for_record(rec)
        media.folder.mkdir(parents=True, exist_ok=True)
        info = await self.saved_video(media.video)
        if info is None:  # not saved yet (a crash after saving it skips the download)
            fetched = await self.download_video(rec, adapter, media.part)
            if isinstance(fetched, TaskRecord):
                return fetched
            info = fetched
            try:  # in a thread: on Windows a scanner holding the new file is waited for
                await asyncio.to_thread(replace_retrying, media.part, media.video)
            except OSError as exc:
                err = AppError(ErrorKind.LOCAL, f"The video could not be saved as "
                               f"{media.video}: {exc}", "Close the program that holds the "
                               "file, then resume the task.", promise=Promise.RESUME)
                return self.move(_S.FAILED, error=err, detail="the video could not be saved")
            self.e.artifacts.record(self.id, ArtifactKind.VIDEO, media.video,
                                    size=info.size_bytes, sha256=info.sha256, verified=True)
            rec = self.record()
        if rec.cover_url:
            await self.fetch_cover(rec.cover_url, media.cover_part, media.cover)
        return await self.finish(media, info)

    async def saved_video(self, video: Path) -> VideoInfo | None:
        """The verified video already saved for this task (a resume after a crash that came
        between saving it and finishing the task), or None."""
        known = self.e.artifacts.get(self.id, ArtifactKind.VIDEO)
        if known is None or not known.verified or not video.is_file():
            return None
        try:
            info = await asyncio.to_thread(verify_mp4, video)
        except (NotPlayable, OSError):
            return None
        return info if info.sha256 == known.sha256 else None

    async def fetch_cover(self, url: str, part: Path, cover: Path) -> None:
        """The cover is a nicety: a failure is logged. Its partial file never stays, whatever
        ends the download (a failure, or the app closing)."""
        try:
            await download(self.e.http, url, part, max_bytes=20 * 1024 * 1024)
            await asyncio.to_thread(replace_retrying, part, cover)
            self.e.artifacts.record(self.id, ArtifactKind.COVER, cover,
                                    size=cover.stat().st_size)
        except (AppError, OSError) as exc:
            log.warning("cover of task %s not downloaded: %s", self.id, exc)
        finally:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)  # gone already when it became the cover

    async def download_video(self, rec: TaskRecord, adapter: Adapter, part: Path
                             ) -> VideoInfo | TaskRecord:
        """Download and verify the video into ``part``: its info, or the FAILED record."""
        cfg = self.e.settings
        attempt = 0
        while True:
            attempt += 1
            self.e.tasks.record_download_attempt(self.id)
            try:
                if not rec.result_url or (rec.result_expires_at is not None
                                          and rec.result_expires_at < time.time() + 5):
                    rec = await self.refresh_url(rec, adapter)
                self.downloading = rec
                await download(self.e.http, rec.result_url, part,
                               max_bytes=cfg.max_video_bytes, on_progress=self.on_bytes)
                return await asyncio.to_thread(verify_mp4, part)
            except NotPlayable as exc:
                part.unlink(missing_ok=True)
                err = AppError(ErrorKind.BAD_RESULT, str(exc))
            except AppError as exc:
                err = exc
                if err.kind == ErrorKind.EXPIRED:
                    with contextlib.suppress(AppError):
                        rec = await self.refresh_url(rec, adapter)
                elif not err.can_retry:
                    return self.move(_S.FAILED, error=hints.stopped(err),
                                     detail="the download failed")
            if attempt >= cfg.download_attempts:
                return self.move(_S.FAILED, error=hints.stopped(err), detail=(
                    f"the download failed {attempt} times; resume to try again"))
            rec = self.e.tasks.transition(self.id, _S.DOWNLOADING, detail=(
                f"{err.message} Trying again."))
            self.e.bus.publish(EngineEvent(EventKind.PROGRESS, rec))
            await self.pause(cfg.backoff(attempt))

    async def finish(self, media: TaskMedia, info: VideoInfo) -> TaskRecord:
        rec = self.e.tasks.transition(self.id, _S.SUCCEEDED, detail=(
            f"{info.width}x{info.height}, {info.duration_s:.1f} s, saved"))
        sidecar = sidecar_for(rec, self.e.artifacts.for_task(self.id))
        sidecar["video"] = {"codec": info.codec, "width": info.width, "height": info.height,
                            "duration_s": info.duration_s, "fps": info.fps,
                            "audio": info.has_audio}
        # written and synced to disk off the loop (an fsync can take tens of ms)
        size = await asyncio.to_thread(_write_sidecar, media.sidecar, sidecar,
                                       self.e.known_keys())
        self.e.artifacts.record(self.id, ArtifactKind.SIDECAR, media.sidecar, size=size)
        self.e.bus.publish(EngineEvent(EventKind.STATE, rec))
        return rec

    def on_bytes(self, done: int, total: int | None) -> None:
        if self.downloading is not None:
            self.e.bus.publish(EngineEvent(EventKind.DOWNLOAD, self.downloading, done, total))


def _write_sidecar(path: Path, data: dict[str, Any], secrets: list[str]) -> int:
    write_sidecar(path, data, secrets=secrets)
    return path.stat().st_size
