"""A submit the host answered with "not now" (429, a busy backend, with its own error answer:
proof that no task was made) is sent again after Retry-After or a backoff, on every host, and
ends with exactly one task at the host. A submit whose answer was lost is never sent again on
its own. The waiting task says what it waits for; one that waited too long fails, uncharged."""

from __future__ import annotations

import pytest

from vidu_desktop.core.errors import ErrorKind, Promise
from vidu_desktop.core.states import TaskState

from .conftest import HOSTS, Emu, EngineFactory, assert_playable, reach, request_for, run


def _one_take(emu: Emu, make_engine: EngineFactory, host: str) -> list[str]:
    """Generate one take on ``host``; the details the task showed on the way."""
    details: list[str] = []

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, (done.detail, done.error)
            assert done.submit_attempts == 1  # the refused tries were taken back
            assert_playable(engine.layout.for_record(done).video)
            details.extend(e.detail for e in engine.tasks.events(rec.local_id))
    run(scenario())
    assert emu.fired(), "the fault never fired"
    assert emu.submissions(host) == 1  # one task at the host, one charge
    return details


@pytest.mark.parametrize("host", HOSTS)
def test_429_then_success_ends_succeeded_with_one_task(host: str, emu: Emu,
                                                       make_engine: EngineFactory) -> None:
    emu.fault("status", route="submit", status=429, retry_after=0.2, times=1, provider=host)
    details = _one_take(emu, make_engine, host)
    assert emu.requests(host, "submit") == 2
    name = {"vidu": "Vidu", "novita": "Novita", "highwayapi": "HighwayAPI",
            "segmind": "Segmind", "vtrix": "Vtrix"}[host]
    assert f"waiting for {name}: rate limited, next try in 1 s" in details


@pytest.mark.parametrize("host", HOSTS)
def test_503_then_success_ends_succeeded_with_one_task(host: str, emu: Emu,
                                                       make_engine: EngineFactory) -> None:
    emu.fault("status", route="submit", status=503, times=2, provider=host)
    details = _one_take(emu, make_engine, host)
    assert emu.requests(host, "submit") == 3
    assert any("server busy (HTTP 503)" in d for d in details), details


@pytest.mark.parametrize("host", HOSTS)
def test_cut_after_sending_is_never_sent_twice(host: str, emu: Emu,
                                               make_engine: EngineFactory) -> None:
    """The host made the task, then the connection broke mid-answer: reconcile (Vidu) or ask
    the user ("was it sent?"), never a second task."""
    emu.fault("reset", route="submit", times=1, provider=host)

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            if host == "vidu":
                assert done.state == TaskState.SUCCEEDED, done.detail
            else:
                assert done.state == TaskState.OUTCOME_UNKNOWN, done.detail
                assert done.error is not None and done.error.promise == Promise.RESEND
                assert "charged twice" in done.error.hint
            assert done.submit_attempts == 1
    run(scenario())
    assert emu.requests(host, "submit") == 1
    assert emu.submissions(host) == 1


def test_a_host_that_stays_busy_fails_the_task_uncharged(emu: Emu,
                                                        make_engine: EngineFactory) -> None:
    emu.fault("status", route="submit", status=429, retry_after=0.05, times=None)

    async def scenario() -> None:
        async with make_engine(submit_retry_s=0.5) as engine:
            rec = await engine.submit(request_for("vidu"))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.FAILED
            assert done.error is not None and done.error.kind == ErrorKind.RATE_LIMITED
            assert done.error.promise == Promise.RESEND
            assert "nothing was charged" in done.error.hint
            assert "retries by itself" not in done.error.hint
            assert done.submit_attempts == 0 and done.remote_id is None
    run(scenario())
    assert emu.requests("vidu", "submit") >= 3
    assert emu.submissions("vidu") == 0


def test_a_crash_while_waiting_sends_it_afresh_on_resume(emu: Emu,
                                                        make_engine: EngineFactory) -> None:
    """Killed while waiting for the next try: the row says no submit is out (the refused ones
    were taken back), so the next start sends it, without asking the host first."""
    emu.fault("status", route="submit", status=429, retry_after=30, times=1)

    async def first_run() -> str:
        async with make_engine() as engine:
            rec = await engine.submit(request_for("vidu"))
            waiting = await reach(engine, rec.local_id, lambda r: "waiting for" in r.detail)
            assert waiting.state == TaskState.SUBMITTING and waiting.submit_attempts == 0
            return rec.local_id  # closing the engine here is the crash: nothing more is written

    local_id = run(first_run())

    async def second_run() -> None:
        async with make_engine() as engine:
            assert await engine.start() == [local_id]
            done = await engine.wait(local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
    run(second_run())
    assert emu.submissions("vidu") == 1 and emu.requests("vidu", "list") == 0
