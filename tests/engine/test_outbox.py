"""The outbox: a submit made while the host is unreachable waits as a DRAFT (nothing lost) and
is sent by itself once the host answers; per host, in order; across restarts."""

from __future__ import annotations

import socket

import pytest

from vidu_desktop.core.errors import ErrorKind
from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.base import CancelOutcome

from .conftest import HOSTS, Emu, EngineFactory, request_for, run, states_seen


@pytest.fixture
def dead_url() -> str:
    """A loopback address nobody listens on (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_offline_submit_waits_then_sends_itself(dead_url: str, emu: Emu,
                                                make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine(base_urls={"vidu": f"{dead_url}/vidu"}) as engine:
            rec = await engine.submit(request_for("vidu", seed=77))
            draft = await engine.wait_until_sent(rec.local_id)
            assert draft.state == TaskState.DRAFT
            assert draft.error is not None and draft.error.kind == ErrorKind.NETWORK
            assert engine.outbox.pending() == [rec.local_id]
            assert draft.submit_attempts == 0  # refused connection: known not sent
            assert draft.request.seed == 77 and draft.request.images[0].sha256  # all kept

            engine.set_base_url("vidu", emu.base("vidu"))  # the host is back
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.submit_attempts == 1
            assert len(engine.outbox) == 0
            assert states_seen(engine, rec.local_id) == [
                TaskState.SUBMITTING, TaskState.DRAFT, TaskState.SUBMITTING, TaskState.QUEUED,
                TaskState.PROCESSING, TaskState.DOWNLOADING, TaskState.SUCCEEDED]
    run(scenario())
    assert emu.requests("vidu", "submit") == 1 and emu.submissions("vidu") == 1


def test_outbox_survives_a_restart(dead_url: str, emu: Emu,
                                   make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        offline = {h: f"{dead_url}/{h}" for h in HOSTS}
        async with make_engine(base_urls=offline) as first:
            rec = await first.submit(request_for("novita"))
            assert (await first.wait_until_sent(rec.local_id)).state == TaskState.DRAFT
        async with make_engine() as second:  # online this time
            assert await second.start() == []  # nothing in flight; the outbox runs by itself
            done = await second.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
    run(scenario())
    assert emu.submissions("novita") == 1


def test_one_offline_host_does_not_hold_up_another(dead_url: str, emu: Emu,
                                                   make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        offline = {h: f"{dead_url}/{h}" for h in HOSTS}
        async with make_engine(base_urls=offline) as engine:
            first = await engine.submit(request_for("vidu"))
            second = await engine.submit(request_for("segmind"))
            for rec in (first, second):
                assert (await engine.wait_until_sent(rec.local_id)).state == TaskState.DRAFT
            assert engine.outbox.pending() == [first.local_id, second.local_id]

            engine.set_base_url("segmind", emu.base("segmind"))
            done = await engine.wait(second.local_id)
            assert done.state == TaskState.SUCCEEDED
            assert engine.outbox.pending() == [first.local_id]  # Vidu is still unreachable
            still = engine.tasks.get(first.local_id)
            assert still is not None and still.state == TaskState.DRAFT

            assert await engine.cancel(first.local_id) == CancelOutcome.CANCELLED_ON_SERVER
            gone = engine.tasks.get(first.local_id)
            assert gone is not None and gone.state == TaskState.CANCELLED
            assert "nothing was sent" in gone.detail and len(engine.outbox) == 0
    run(scenario())
    assert emu.requests("vidu", "submit") == 0


def test_key_refused_when_back_online_fails_the_draft(dead_url: str, emu: Emu,
                                                      make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine(key="wrong-key", base_urls={"vtrix": f"{dead_url}/vtrix"}
                               ) as engine:
            rec = await engine.submit(request_for("vtrix"))
            assert (await engine.wait_until_sent(rec.local_id)).state == TaskState.DRAFT
            engine.set_base_url("vtrix", emu.base("vtrix"))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.FAILED
            assert done.error is not None and done.error.kind == ErrorKind.AUTH
            assert "could not send from the outbox" in done.detail
            assert len(engine.outbox) == 0
    run(scenario())
    assert emu.requests("vtrix", "submit") == 0
