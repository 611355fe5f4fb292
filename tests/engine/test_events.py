"""The event stream: every state change in order (callbacks and async streams alike), progress
throttled per task."""

from __future__ import annotations

import asyncio
import itertools
import time

from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import EngineEvent

from .conftest import Emu, EngineFactory, request_for, run

ORDER = [TaskState.SUBMITTING, TaskState.QUEUED, TaskState.PROCESSING, TaskState.DOWNLOADING,
         TaskState.SUCCEEDED]


def test_state_events_arrive_in_order(emu: Emu, make_engine: EngineFactory) -> None:
    emu.config(queue_s=20, processing_s=20)  # 0.2 s each: every state is seen

    async def scenario() -> None:
        async with make_engine() as engine:
            heard: list[EngineEvent] = []
            engine.bus.subscribe(heard.append)
            streamed: list[TaskState] = []

            async def listen() -> None:
                async for event in engine.events():
                    if event.kind == "state":
                        streamed.append(event.state)
                        if event.state.is_terminal:
                            return

            listener = asyncio.create_task(listen())
            await asyncio.sleep(0)  # let the stream subscribe before anything happens
            rec = await engine.submit(request_for("vidu"))
            assert (await engine.wait(rec.local_id)).state == TaskState.SUCCEEDED
            await asyncio.wait_for(listener, 5)

            states = [e.state for e in heard if e.kind == "state"]
            assert states == ORDER
            assert streamed == ORDER
            assert all(e.local_id == rec.local_id for e in heard)
            # each event carries the row as stored at that moment
            stored = engine.tasks.get(rec.local_id)
            assert stored is not None and heard[-1].record == stored
            assert heard[1].record.remote_id == stored.remote_id  # QUEUED: the id is known
    run(scenario())


def test_progress_is_throttled_per_task(emu: Emu, make_engine: EngineFactory) -> None:
    emu.config(processing_s=50)
    interval = 0.15

    async def scenario() -> None:
        async with make_engine(progress_interval_s=interval, poll_initial_s=0.01,
                               poll_max_s=0.02) as engine:
            heard: list[tuple[float, EngineEvent]] = []
            engine.bus.subscribe(lambda ev: heard.append((time.monotonic(), ev)))
            first = await engine.submit(request_for("vidu"))
            second = await engine.submit(request_for("vidu", prompt="a dog"))
            for rec in (first, second):
                assert (await engine.wait(rec.local_id)).state == TaskState.SUCCEEDED
            polls = engine.tasks.get(first.local_id).poll_count  # type: ignore[union-attr]

            for rec in (first, second):
                progress = [at for at, ev in heard
                            if ev.local_id == rec.local_id and ev.kind == "progress"]
                assert progress, "no progress at all"
                assert len(progress) < polls / 2  # most polls were not announced
                gaps = [b - a for a, b in itertools.pairwise(progress)]
                assert all(gap >= interval - 0.005 for gap in gaps), gaps
            # throttling is per task: both tasks were announced, interleaved
            kinds = {ev.local_id for _, ev in heard if ev.kind == "progress"}
            assert kinds == {first.local_id, second.local_id}
            # a finished download is always announced (a bar reaches 100 %)
            last = [ev for _, ev in heard if ev.kind == "download"
                    and ev.local_id == first.local_id][-1]
            assert last.bytes_done == last.bytes_total
    run(scenario())
