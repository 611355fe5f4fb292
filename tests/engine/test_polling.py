"""Polling: the interval grows while nothing changes; timeouts are settings and count processing
time only (a task that waits in the host's queue is never failed for it)."""

from __future__ import annotations

import time

import pytest

from vidu_desktop.core.errors import ErrorKind
from vidu_desktop.core.states import TaskState
from vidu_desktop.engine.lifecycle import Lifecycle

from .conftest import Emu, EngineFactory, reach, request_for, run, until


def _emu_phase(emu: Emu, remote_id: str) -> str:
    return next(t["phase"] for t in emu.tasks() if t["id"] == remote_id)


def test_poll_interval_grows_while_nothing_changes(emu: Emu, make_engine: EngineFactory,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    emu.fault("stuck")
    asked: list[float] = []
    pause = Lifecycle.pause

    async def noting(self: Lifecycle, seconds: float, *, at_least: float = 0.0) -> None:
        asked.append(seconds)
        await pause(self, seconds, at_least=at_least)

    monkeypatch.setattr(Lifecycle, "pause", noting)

    async def scenario() -> None:
        async with make_engine(poll_initial_s=0.01, poll_factor=2.0, poll_max_s=0.08) as engine:
            rec = await engine.submit(request_for("vidu"))
            queued = await reach(engine, rec.local_id, lambda r: r.poll_count >= 8)
            assert queued.state == TaskState.QUEUED
    run(scenario())
    assert asked[:4] == pytest.approx([0.02, 0.04, 0.08, 0.08])  # doubled, then capped
    assert max(asked) == pytest.approx(0.08)


def test_interval_starts_again_when_the_state_changes(emu: Emu, make_engine: EngineFactory,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    emu.config(queue_s=30, processing_s=30)  # 0.3 s each at the test time scale
    asked: list[tuple[TaskState, float]] = []
    pause = Lifecycle.pause

    async def noting(self: Lifecycle, seconds: float, *, at_least: float = 0.0) -> None:
        asked.append((self.record().state, seconds))
        await pause(self, seconds, at_least=at_least)

    monkeypatch.setattr(Lifecycle, "pause", noting)

    async def scenario() -> None:
        async with make_engine(poll_initial_s=0.01, poll_factor=2.0, poll_max_s=0.04) as engine:
            rec = await engine.submit(request_for("vidu"))
            assert (await engine.wait(rec.local_id)).state == TaskState.SUCCEEDED
    run(scenario())
    first_processing = next(i for i, (s, _) in enumerate(asked) if s == TaskState.PROCESSING)
    assert asked[first_processing][1] == pytest.approx(0.01)  # back to the first interval
    assert asked[first_processing - 1] == (TaskState.QUEUED, pytest.approx(0.04))


def test_queue_time_never_counts_toward_the_processing_timeout(
        emu: Emu, make_engine: EngineFactory) -> None:
    emu.fault("stuck")

    async def scenario() -> None:
        async with make_engine(processing_timeout_s=0.05, poll_max_s=0.03) as engine:
            rec = await engine.submit(request_for("vidu"))
            started = time.monotonic()
            later = await reach(engine, rec.local_id, lambda r: r.poll_count >= 15)
            assert time.monotonic() - started > 0.2  # four times the processing timeout
            assert later.state == TaskState.QUEUED and later.error is None
            assert engine.tasks.get(rec.local_id).state == TaskState.QUEUED  # type: ignore[union-attr]
    run(scenario())


def test_queue_timeout_is_a_setting(emu: Emu, make_engine: EngineFactory) -> None:
    emu.fault("stuck")

    async def scenario() -> None:
        async with make_engine(queue_timeout_s=0.15) as engine:
            rec = await engine.submit(request_for("vidu"))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.FAILED
            assert done.error is not None and done.error.kind == ErrorKind.TIMEOUT
            assert "queued" in done.error.message and done.error.can_retry
    run(scenario())


def test_processing_timeout_fails_retryable_and_resume_finishes(
        emu: Emu, make_engine: EngineFactory) -> None:
    """Over the processing timeout: FAILED TIMEOUT, retryable. A resume follows the task again
    with a fresh span (not failing at once because it started long ago); once the host has
    finished, a resume downloads it: SUCCEEDED, still one submission."""
    emu.config(processing_s=120)  # 1.2 s at the test time scale

    async def scenario() -> None:
        async with make_engine(processing_timeout_s=0.3, poll_max_s=0.05) as engine:
            rec = await engine.submit(request_for("vidu"))
            failed = await engine.wait(rec.local_id)
            assert failed.state == TaskState.FAILED, failed.detail
            assert failed.error is not None and failed.error.kind == ErrorKind.TIMEOUT
            assert failed.error.can_retry and "Resume" in failed.error.hint
            assert failed.remote_id and _emu_phase(emu, failed.remote_id) == "processing"

            resumed_at = time.monotonic()
            again = await engine.resume(rec.local_id)  # still processing at the host
            assert again.state == TaskState.FAILED
            assert time.monotonic() - resumed_at >= 0.3  # a fresh span, not an instant fail
            assert again.poll_count > failed.poll_count + 1

            await until(lambda: _emu_phase(emu, rec.remote_id or failed.remote_id or "")
                        == "success", timeout=5)
            done = await engine.resume(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.submit_attempts == 1
    run(scenario())
    assert emu.submissions("vidu") == 1
