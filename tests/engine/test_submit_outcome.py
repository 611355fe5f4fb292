"""A submit whose answer is lost is never resent by the engine: Vidu reconciles it through its
task list (the client token travels in ``payload``); the other hosts leave it to the user, who
can resend it explicitly (then it is billed twice if the first one did arrive)."""

from __future__ import annotations

import pytest

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.states import TaskState

from .conftest import Emu, EngineFactory, request_for, run, states_seen, until

OTHERS = ["novita", "highwayapi", "segmind", "vtrix"]


def test_vidu_lost_answer_is_reconciled_by_token(emu: Emu, make_engine: EngineFactory) -> None:
    """The host creates the task, then the connection is cut mid-answer."""
    emu.fault("reset", route="submit", times=1)

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for("vidu"))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.submit_attempts == 1
            history = states_seen(engine, rec.local_id)
            assert history[:3] == [TaskState.SUBMITTING, TaskState.OUTCOME_UNKNOWN,
                                   TaskState.QUEUED]
            found = [e.detail for e in engine.tasks.events(rec.local_id)
                     if e.new_state == TaskState.QUEUED]
            assert found and found[0] == f"found at the host as {done.remote_id}"
    run(scenario())
    assert emu.requests("vidu", "submit") == 1 and emu.submissions("vidu") == 1
    assert emu.requests("vidu", "list") >= 1


def test_vidu_slow_submit_times_out_then_is_reconciled(emu: Emu,
                                                       make_engine: EngineFactory) -> None:
    """A submit slower than the submit read timeout: the host creates the task but the answer
    is lost. OUTCOME_UNKNOWN, then looked up in the task list (again, spaced, while the host
    is still busy creating it) and found: followed to the end, never sent twice."""
    emu.fault("slow", route="submit", delay_s=0.6, times=1)

    async def scenario() -> None:
        async with make_engine(submit_read_timeout_s=0.2, reconcile_delay_s=0.25,
                               reconcile_attempts=4) as engine:
            details: list[str] = []
            engine.bus.subscribe(lambda ev: details.append(ev.record.detail))
            rec = await engine.submit(request_for("vidu"))
            sent = await engine.wait_until_sent(rec.local_id)
            assert sent.state == TaskState.OUTCOME_UNKNOWN
            assert sent.error is not None and sent.error.kind == ErrorKind.TIMEOUT
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.submit_attempts == 1
            assert any("not found at the host yet; looking again" in d for d in details)
    run(scenario())
    assert emu.requests("vidu", "submit") == 1 and emu.submissions("vidu") == 1
    assert emu.requests("vidu", "list") >= 2


@pytest.mark.parametrize("host", OTHERS)
def test_lost_answer_elsewhere_is_left_to_the_user_then_resent(
        host: str, emu: Emu, make_engine: EngineFactory) -> None:
    emu.fault("reset", route="submit", times=1)

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for(host))
            left = await engine.wait(rec.local_id)
            assert left.state == TaskState.OUTCOME_UNKNOWN
            assert "Resend it (it may be charged twice)" in left.detail
            assert left.submit_attempts == 1
            assert emu.submissions(host) == 1  # it did arrive: a resend will cost twice
            assert await engine.start() == [rec.local_id]  # looked at again at start ...
            assert (await engine.wait(rec.local_id)).state == TaskState.OUTCOME_UNKNOWN
            assert emu.requests(host, "submit") == 1  # ... and still not sent again

            done = await engine.resume(rec.local_id, resend=True)  # the user's explicit choice
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.submit_attempts == 2
            assert any("sent again at the user's request" in e.detail
                       for e in engine.tasks.events(rec.local_id))
    run(scenario())
    assert emu.requests(host, "submit") == 2 and emu.submissions(host) == 2


def test_novita_slow_submit_is_unknown_until_resent(emu: Emu,
                                                    make_engine: EngineFactory) -> None:
    emu.fault("slow", route="submit", delay_s=0.5, times=1)

    async def scenario() -> None:
        async with make_engine(submit_read_timeout_s=0.2) as engine:
            rec = await engine.submit(request_for("novita"))
            left = await engine.wait(rec.local_id)
            assert left.state == TaskState.OUTCOME_UNKNOWN
            assert left.error is not None and left.error.kind == ErrorKind.TIMEOUT
            assert emu.requests("novita", "submit") == 1
            await until(lambda: emu.submissions("novita") == 1)  # the host did create it
            done = await engine.resume(rec.local_id, resend=True)
            assert done.state == TaskState.SUCCEEDED
            assert done.submit_attempts == 2
            with pytest.raises(AppError, match="already succeeded"):  # refused; sends nothing
                await engine.resume(rec.local_id, resend=True)
            assert engine.tasks.get(rec.local_id).submit_attempts == 2  # type: ignore[union-attr]
    run(scenario())
    assert emu.requests("novita", "submit") == 2 and emu.submissions("novita") == 2
