"""Each emulator fault ends in the right state with the right message; transient ones recover.

Decision on malformed JSON while polling: an unreadable answer is retried like a 5xx (the task
is already paid for, a glitch must not lose it), so a one-off recovers; a host that keeps
answering garbage fails the task as PROTOCOL after ``protocol_error_limit`` consecutive rounds,
retryable: ``resume`` looks again.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from vidu_desktop.core.errors import ErrorKind
from vidu_desktop.core.states import TaskState

from .conftest import (
    HOSTS,
    Emu,
    EngineFactory,
    assert_playable,
    request_for,
    run,
    states_seen,
)


def _succeeds_after(emu: Emu, make_engine: EngineFactory, host: str = "vidu",
                    **settings: Any) -> None:
    async def scenario() -> None:
        async with make_engine(**settings) as engine:
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, (done.detail, done.error)
            assert_playable(engine.layout.for_record(done).video)
    run(scenario())
    assert emu.fired(), "the fault never fired"
    assert emu.submissions(host) == 1


@pytest.mark.parametrize("fault", [
    pytest.param({"action": "status", "status": 429, "retry_after": 0.2}, id="429-retry-after"),
    pytest.param({"action": "status", "status": 500}, id="500"),
    pytest.param({"action": "status", "status": 503}, id="503"),
    pytest.param({"action": "reset"}, id="reset-mid-body"),
    pytest.param({"action": "malformed"}, id="malformed-json"),
])
def test_transient_poll_faults_recover(fault: dict[str, Any], emu: Emu,
                                       make_engine: EngineFactory) -> None:
    emu.fault(route="poll", times=2, **fault)
    _succeeds_after(emu, make_engine)


def test_poll_faults_beyond_the_adapters_retries_recover(emu: Emu,
                                                         make_engine: EngineFactory) -> None:
    """Eight 503s in a row: the adapter gives up after two tries, the engine keeps following."""
    emu.fault("status", route="poll", status=503, times=8)
    _succeeds_after(emu, make_engine, http_attempts=2)


def test_retry_after_is_honoured(emu: Emu, make_engine: EngineFactory) -> None:
    """A 429 with Retry-After: the next status request waits at least that long."""
    emu.fault("status", route="poll", status=429, retry_after=0.4, times=1)
    seen: list[float] = []

    async def scenario() -> None:
        async with make_engine() as engine:
            import time

            async def stamp(request: httpx.Request) -> None:
                if request.method == "GET" and "/creations" in request.url.path:
                    seen.append(time.monotonic())

            adapter = engine.adapter("vidu")
            adapter.client.event_hooks["request"].append(stamp)
            rec = await engine.submit(request_for("vidu"))
            assert (await engine.wait(rec.local_id)).state == TaskState.SUCCEEDED

    run(scenario())
    gaps = [b - a for a, b in itertools.pairwise(seen)]
    assert gaps and gaps[0] >= 0.39  # the first poll got the 429; the retry came 0.4 s later


def test_persistent_malformed_answers_fail_as_protocol(emu: Emu,
                                                       make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine(http_attempts=1, protocol_error_limit=3) as engine:
            rec = await engine.submit(request_for("vidu"))
            await engine.wait_until_sent(rec.local_id)
            emu.fault("malformed", route="poll", times=None)
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.FAILED
            assert done.error is not None and done.error.kind == ErrorKind.PROTOCOL
            assert done.error.can_retry and "Resume" in done.detail
            emu.clear_faults()
            again = await engine.resume(rec.local_id)  # the host reads fine again
            assert again.state == TaskState.SUCCEEDED
    run(scenario())


@pytest.mark.parametrize("host", HOSTS)
def test_wrong_key_fails_as_auth_without_retry(host: str, emu: Emu,
                                               make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine(key="not-the-right-key") as engine:
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.FAILED
            assert done.error is not None and done.error.kind == ErrorKind.AUTH
            assert not done.error.can_retry
            assert done.submit_attempts == 1 and done.remote_id is None
    run(scenario())
    assert emu.requests(host, "submit") == 1  # refused once, never sent again
    assert emu.submissions(host) == 0


@pytest.mark.parametrize("host", HOSTS)
def test_empty_balance_fails_as_credits_at_submit(host: str, emu: Emu,
                                                  make_engine: EngineFactory) -> None:
    emu.set_key("broke-key", 0)

    async def scenario() -> None:
        async with make_engine(key="broke-key") as engine:
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.FAILED, done.detail
            assert done.error is not None and done.error.kind == ErrorKind.CREDITS, done.error
            assert done.remote_id is None
            assert states_seen(engine, rec.local_id) == [TaskState.SUBMITTING,
                                                         TaskState.FAILED]
    run(scenario())
    assert emu.requests(host, "submit") == 1 and emu.submissions(host) == 0


@pytest.mark.parametrize("host", HOSTS)
def test_policy_violation_fails_as_moderation(host: str, emu: Emu,
                                              make_engine: EngineFactory) -> None:
    emu.fault("fail", code="CreationPolicyViolation", message="output refused by policy")

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.FAILED
            assert done.error is not None and done.error.kind == ErrorKind.MODERATION, \
                done.error
            assert not done.error.can_retry
            assert done.remote_id  # it ran at the host
            assert not engine.layout.for_record(done).video.exists()
    run(scenario())


@pytest.mark.parametrize("host", HOSTS)
def test_other_task_failure_is_generation_failed(host: str, emu: Emu,
                                                 make_engine: EngineFactory) -> None:
    emu.fault("fail", code="ModelOverloadedError", message="the render crashed")

    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.FAILED
            assert done.error is not None
            assert done.error.kind == ErrorKind.GENERATION_FAILED, done.error
            assert "could not generate" in done.error.message
    run(scenario())


@pytest.mark.parametrize("host", ["vidu", "novita"])
def test_truncated_download_resumes_with_range(host: str, emu: Emu,
                                               make_engine: EngineFactory) -> None:
    emu.fault("truncate", route="download", times=1)
    ranges: list[str | None] = []

    async def scenario() -> None:
        async with make_engine() as engine:
            async def note(request: httpx.Request) -> None:
                if "/_files/" in request.url.path and request.url.path.endswith(".mp4"):
                    ranges.append(request.headers.get("range"))

            engine.http.event_hooks["request"].append(note)
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert done.download_attempts == 2
            assert_playable(engine.layout.for_record(done).video)
    run(scenario())
    assert ranges[0] is None and ranges[1] is not None
    assert ranges[1].startswith("bytes=") and ranges[1] != "bytes=0-"


@pytest.mark.parametrize("host", ["vidu", "vtrix"])
def test_expired_download_url_is_refreshed(host: str, emu: Emu,
                                           make_engine: EngineFactory) -> None:
    emu.fault("expire", route="download", times=1)
    calls: list[str] = []

    async def scenario() -> None:
        async with make_engine() as engine:
            async def note(request: httpx.Request) -> None:
                calls.append("file" if "/_files/" in request.url.path else "api")

            engine.http.event_hooks["request"].append(note)
            engine.adapter(host).client.event_hooks["request"].append(note)
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.detail
            assert_playable(engine.layout.for_record(done).video)
    run(scenario())
    first = calls.index("file")
    assert calls[first + 1] == "api", calls  # refused link -> ask the host for the task again
    assert "file" in calls[first + 2:]
