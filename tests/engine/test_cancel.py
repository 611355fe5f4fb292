"""Cancel says what really happened: cancelled on the server (Vidu, still queued: not charged),
or only untracked (Vidu once processing, every other host), with the charge risk spelled out."""

from __future__ import annotations

import pytest

from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.base import CancelOutcome

from .conftest import Emu, EngineFactory, reach, request_for, run, until


def _emu_task(emu: Emu, remote_id: str | None) -> dict[str, object]:
    return next(t for t in emu.tasks() if t["id"] == remote_id)


def test_vidu_queued_task_is_cancelled_on_the_server(emu: Emu,
                                                     make_engine: EngineFactory) -> None:
    emu.fault("stuck")

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for("vidu"))
            queued = await reach(engine, rec.local_id, lambda r: r.state == TaskState.QUEUED
                                 and r.poll_count >= 2)
            assert await engine.cancel(rec.local_id) == CancelOutcome.CANCELLED_ON_SERVER
            done = engine.tasks.get(rec.local_id)
            assert done is not None and done.state == TaskState.CANCELLED
            assert "not charged" in done.detail
            assert (await engine.wait(rec.local_id)).state == TaskState.CANCELLED
            task = _emu_task(emu, queued.remote_id)
            assert task["phase"] == "cancelled" and task["err_code"] == "UserCancelled"
            status = await engine.adapter("vidu").status(queued.remote_id or "")
            assert status.wire_state == "failed" and status.state == TaskState.CANCELLED
    run(scenario())
    assert emu.requests("vidu", "cancel") == 1


def test_vidu_processing_task_is_too_late(emu: Emu, make_engine: EngineFactory) -> None:
    emu.config(processing_s=60)

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for("vidu"))
            processing = await reach(engine, rec.local_id, TaskState.PROCESSING)
            assert await engine.cancel(rec.local_id) == CancelOutcome.TOO_LATE
            done = engine.tasks.get(rec.local_id)
            assert done is not None and done.state == TaskState.UNTRACKED
            assert "too late to cancel" in done.detail and "charge" in done.detail
            # the host goes on (and bills); the app no longer follows it
            await until(lambda: _emu_task(emu, processing.remote_id)["phase"] == "success")
            assert engine.tasks.get(rec.local_id).state == TaskState.UNTRACKED  # type: ignore[union-attr]
    run(scenario())


@pytest.mark.parametrize("host", ["novita", "highwayapi", "segmind", "vtrix"])
def test_other_hosts_can_only_untrack(host: str, emu: Emu, make_engine: EngineFactory) -> None:
    emu.fault("stuck")

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for(host))
            await reach(engine, rec.local_id, TaskState.QUEUED)
            assert await engine.cancel(rec.local_id) == CancelOutcome.NOT_SUPPORTED
            done = engine.tasks.get(rec.local_id)
            assert done is not None and done.state == TaskState.UNTRACKED
            assert "has no cancel" in done.detail
            assert "may still finish the task and charge it" in done.detail
    run(scenario())
    assert "cancel" not in emu.counters()["requests"].get(host, {})


def test_cancel_while_submitting_untracks_with_the_risk_said(emu: Emu,
                                                             make_engine: EngineFactory) -> None:
    emu.fault("slow", route="submit", delay_s=0.5)

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for("novita"))
            await until(lambda: emu.requests("novita", "submit") == 1)
            assert await engine.cancel(rec.local_id) == CancelOutcome.NOT_SUPPORTED
            done = engine.tasks.get(rec.local_id)
            assert done is not None and done.state == TaskState.UNTRACKED
            assert "the submit may have reached" in done.detail
    run(scenario())


def test_cancel_of_a_finished_task_is_refused(emu: Emu, make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for("vidu"))
            assert (await engine.wait(rec.local_id)).state == TaskState.SUCCEEDED
            with pytest.raises(Exception, match="already succeeded"):
                await engine.cancel(rec.local_id)
    run(scenario())
