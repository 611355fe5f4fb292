"""Resume at start: a new engine on the same profile picks up every unfinished task from
exactly what its row says, and never sends a task twice on its own."""

from __future__ import annotations

from typing import Any

import pytest

from vidu_desktop.core.states import TaskState
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.providers.registry import make_adapter
from vidu_desktop.store import AppPaths

from .conftest import Emu, EngineFactory, assert_playable, reach, request_for, run


@pytest.mark.parametrize(("state", "setup"), [
    (TaskState.QUEUED, {"config": {"queue_s": 30}}),
    (TaskState.PROCESSING, {"config": {"processing_s": 30}}),
    (TaskState.DOWNLOADING, {"fault": {"action": "slow", "route": "download",
                                       "delay_s": 0.4}}),
])
def test_close_midway_then_start_finishes(state: TaskState, setup: dict[str, Any], emu: Emu,
                                          make_engine: EngineFactory) -> None:
    if "config" in setup:
        emu.config(**setup["config"])
    else:
        emu.fault(**setup["fault"])

    async def scenario() -> None:
        async with make_engine() as first:
            rec = await first.submit(request_for("vidu"))
            await reach(first, rec.local_id, state)
        # the app is gone; the row says exactly how far the task got
        async with make_engine() as second:
            left = second.tasks.get(rec.local_id)
            assert left is not None and left.state == state and left.remote_id
            assert await second.start() == [rec.local_id]
            done = await second.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.submit_attempts == 1
            assert_playable(second.layout.for_record(done).video)
    run(scenario())
    assert emu.requests("vidu", "submit") == 1 and emu.submissions("vidu") == 1


@pytest.mark.parametrize("host", ["vidu", "segmind"])
def test_written_but_never_sent_is_sent_at_start(host: str, emu: Emu,
                                                 make_engine: EngineFactory) -> None:
    """SUBMITTING with no submit attempt: the request provably never left; start sends it."""
    async def scenario() -> None:
        async with make_engine() as first:
            rec = first.create(request_for(host))  # the app died before sending
        async with make_engine() as second:
            assert await second.start() == [rec.local_id]
            done = await second.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.submit_attempts == 1
    run(scenario())
    assert emu.submissions(host) == 1


async def _died_while_sending(make_engine: EngineFactory, emu: Emu, host: str, *,
                              arrived: bool) -> str:
    """A row in SUBMITTING, one attempt counted, no remote id: the app died while the submit
    was in flight. ``arrived``: the host did get it (sent here by a bare adapter)."""
    async with make_engine() as first:
        rec = first.create(request_for(host))
        first.tasks.record_submit_attempt(rec.local_id)
        if arrived:
            adapter = make_adapter(host, DEMO_KEY, emu.base(host))
            try:
                await adapter.submit(first.refs.rehydrate(rec.request), rec.client_token)
            finally:
                await adapter.close()
        return rec.local_id


def test_in_flight_submit_is_reconciled_on_vidu(emu: Emu, make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        local_id = await _died_while_sending(make_engine, emu, "vidu", arrived=True)
        async with make_engine() as second:
            assert await second.start() == [local_id]
            done = await second.wait(local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.submit_attempts == 1
            details = [e.detail for e in second.tasks.events(local_id)]
            assert "the app stopped while submitting; checking the host" in details
    run(scenario())
    assert emu.requests("vidu", "submit") == 1 and emu.submissions("vidu") == 1


def test_in_flight_submit_that_never_arrived_is_not_resent(emu: Emu,
                                                           make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        local_id = await _died_while_sending(make_engine, emu, "vidu", arrived=False)
        async with make_engine(reconcile_attempts=2) as second:
            await second.start()
            left = await second.wait(local_id)
            assert left.state == TaskState.OUTCOME_UNKNOWN
            assert "no task from this submit" in left.detail
    run(scenario())
    assert emu.requests("vidu", "submit") == 0  # the user decides, not the engine


@pytest.mark.parametrize("host", ["novita", "highwayapi", "segmind", "vtrix"])
def test_in_flight_submit_elsewhere_is_outcome_unknown(host: str, emu: Emu,
                                                       make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        local_id = await _died_while_sending(make_engine, emu, host, arrived=True)
        async with make_engine() as second:
            assert await second.start() == [local_id]
            left = await second.wait(local_id)
            assert left.state == TaskState.OUTCOME_UNKNOWN
            assert "cannot be asked whether the task arrived" in left.detail
            assert left.submit_attempts == 1
    run(scenario())
    assert emu.requests(host, "submit") == 1 and emu.submissions(host) == 1


def test_lost_video_is_downloaded_again_without_a_new_submission(
        emu: Emu, make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for("vidu"))
            done = await engine.wait(rec.local_id)
            video = engine.layout.for_record(done).video
            assert done.state == TaskState.SUCCEEDED and video.exists()
            video.unlink()  # the user deleted the file
            again = await engine.resume(rec.local_id)
            assert again.state == TaskState.SUCCEEDED, again.detail
            assert_playable(video)
            assert again.submit_attempts == 1
            # with the file in place, resume changes nothing
            assert (await engine.resume(rec.local_id)).state == TaskState.SUCCEEDED
    run(scenario())
    assert emu.submissions("vidu") == 1


def test_the_start_removes_the_files_of_tasks_no_longer_in_the_library(
        paths: AppPaths, make_engine: EngineFactory) -> None:
    """The start's sweep reads the library (on its worker's own connection) and removes only
    what no task in it owns."""
    async def scenario() -> None:
        async with make_engine() as engine:
            kept = engine.tasks.create(request_for("vidu"))
            engine.tasks.transition(kept.local_id, TaskState.DOWNLOADING)
            engine.tasks.transition(kept.local_id, TaskState.SUCCEEDED)
            owned = paths.media_root / "2026" / f"{kept.local_id}.json"
            orphan = paths.media_root / "2026" / f"{'d' * 32}.json"
            for path in (owned, orphan):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("{}")
            assert await engine.start() == []
            await engine.swept()
            assert owned.exists() and not orphan.exists()
    run(scenario())
