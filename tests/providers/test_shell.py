"""The HTTP shell on a fake transport: retries, fail-fast, submit outcomes, caps, redirects,
and that the key never shows in an error, a repr or a log line."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import httpx
import pytest

from vidu_desktop.core.capabilities import AuthScheme, ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.base import CancelOutcome
from vidu_desktop.providers.vidu import ViduAdapter

from . import samples as s
from .mock import Fake, js
from .samples import KEY, request

VIDU_RUNNING = {"id": "1", "state": "processing", "creations": []}


def run_error(coro: object) -> AppError:
    with pytest.raises(AppError) as info:
        asyncio.run(coro)  # type: ignore[arg-type]
    return info.value


def test_status_retries_5xx_then_succeeds() -> None:
    fake = Fake(js({"code": 503}, 503), httpx.ReadError("reset"), js(VIDU_RUNNING))
    vidu, slept = fake.adapter(ProviderId.VIDU)
    status = asyncio.run(vidu.status("1"))
    assert status.state == TaskState.PROCESSING
    assert len(fake.requests) == 3 and len(slept) == 2
    assert fake.requests[0].url.path == "/ent/v2/tasks/1/creations"
    assert fake.requests[0].headers["authorization"] == f"Token {KEY}"


def test_status_honours_retry_after() -> None:
    fake = Fake(js({"reason": "TooManyRequests"}, 429, {"Retry-After": "2"}), js(VIDU_RUNNING))
    vidu, slept = fake.adapter(ProviderId.VIDU)
    asyncio.run(vidu.status("1"))
    assert slept == [2.0]


def test_retry_after_beyond_max_wait_is_raised() -> None:
    fake = Fake(js({"reason": "TooManyRequests"}, 429, {"Retry-After": "3600"}))
    vidu, slept = fake.adapter(ProviderId.VIDU)
    err = run_error(vidu.status("1"))
    assert err.kind == ErrorKind.RATE_LIMITED and err.retry_after == 3600 and slept == []


def test_status_gives_up_after_attempts() -> None:
    fake = Fake(js({"code": 500, "reason": "InternalServiceFailure"}, 500))
    vidu, slept = fake.adapter(ProviderId.VIDU)
    err = run_error(vidu.status("1"))
    assert err.kind == ErrorKind.OUTAGE and len(fake.requests) == 4 and len(slept) == 3


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 422])
def test_status_fails_fast(status: int) -> None:
    fake = Fake(js({"code": status, "reason": "X", "message": "no"}, status))
    vidu, slept = fake.adapter(ProviderId.VIDU)
    err = run_error(vidu.status("1"))
    assert len(fake.requests) == 1 and slept == [] and err.http_status == status


def test_malformed_json_retried_then_protocol() -> None:
    bad = httpx.Response(200, content=b'{"task_id": "tr', headers={"content-type":
                                                                    "application/json"})
    fake = Fake(bad)
    vidu, _ = fake.adapter(ProviderId.VIDU)
    err = run_error(vidu.status("1"))
    assert err.kind == ErrorKind.PROTOCOL and len(fake.requests) == 4


def test_json_size_cap() -> None:
    fake = Fake(js({"id": "1", "state": "processing", "pad": "x" * 5000}))
    vidu, _ = fake.adapter(ProviderId.VIDU, max_json_bytes=1000)
    err = run_error(vidu.status("1"))
    assert err.kind == ErrorKind.PROTOCOL and err.code == "too_large"
    assert len(fake.requests) == 1


def test_api_redirect_is_not_followed() -> None:
    fake = Fake(httpx.Response(307, headers={"location": "https://evil.test/steal"}))
    vidu, _ = fake.adapter(ProviderId.VIDU)
    err = run_error(vidu.status("1"))
    assert err.kind == ErrorKind.PROTOCOL and err.code == "redirect"
    assert [r.url.host for r in fake.requests] == ["api.example.test"]


def test_submit_is_never_retried() -> None:
    fake = Fake(js({"code": 503}, 503), js({"task_id": "1", "state": "created"}))
    vidu, slept = fake.adapter(ProviderId.VIDU)
    err = run_error(vidu.submit(request(ProviderId.VIDU), "tok"))
    assert err.kind == ErrorKind.OUTAGE and len(fake.requests) == 1 and slept == []
    # the host's own error answer proves no task was made: the engine may send it again
    assert err.outcome == "not_created"


@pytest.mark.parametrize(("answer", "kind", "outcome"), [
    (httpx.ReadError("reset"), ErrorKind.NETWORK, "unknown"),
    (httpx.ReadTimeout("slow"), ErrorKind.TIMEOUT, "unknown"),
    (httpx.RemoteProtocolError("cut"), ErrorKind.NETWORK, "unknown"),
    (httpx.ConnectError("refused"), ErrorKind.NETWORK, "not_sent"),
    (httpx.ConnectTimeout("no"), ErrorKind.TIMEOUT, "not_sent"),
    (httpx.Response(200, content=b"{oops"), ErrorKind.PROTOCOL, "unknown"),
    (js({"code": 502}, 502), ErrorKind.OUTAGE, "unknown"),
    (js({"state": "created"}), ErrorKind.PROTOCOL, "unknown"),
    (js({"reason": "CreditInsufficient", "code": 400}, 400), ErrorKind.CREDITS, "rejected"),
    (js({"reason": "TooManyRequests", "code": 429}, 429), ErrorKind.RATE_LIMITED,
     "not_created"),
    (js({"reason": "InternalServiceFailure", "code": 500}, 500), ErrorKind.OUTAGE,
     "not_created"),
    # a 503 page from something in front of the host proves nothing about the task
    (httpx.Response(503, content=b"<html>busy</html>"), ErrorKind.OUTAGE, "unknown"),
    (js({"reason": "Canceled", "code": 499}, 499), ErrorKind.CANCELLED, "unknown"),
])
def test_submit_outcomes(answer: object, kind: ErrorKind, outcome: str) -> None:
    fake = Fake(answer)  # type: ignore[arg-type]
    vidu, _ = fake.adapter(ProviderId.VIDU)
    err = run_error(vidu.submit(request(ProviderId.VIDU), "tok"))
    assert err.kind == kind and err.outcome == outcome
    assert len(fake.requests) == 1


def test_submit_success_and_auth_schemes() -> None:
    fake = Fake(js(s.VIDU_CREATED))
    vidu, _ = fake.adapter(ProviderId.VIDU)
    sub = asyncio.run(vidu.submit(request(ProviderId.VIDU), "tok"))
    assert sub.remote_id == "809390691347075072" and sub.seed == 305233514
    mirror, _ = fake.adapter(ProviderId.VIDU, auth=AuthScheme.BEARER)
    asyncio.run(mirror.submit(request(ProviderId.VIDU), "tok"))
    assert fake.requests[-1].headers["authorization"] == f"Bearer {KEY}"
    seg, _ = Fake(js(s.SEGMIND_SUBMITTED)).adapter(ProviderId.SEGMIND)
    assert asyncio.run(seg.submit(request(ProviderId.SEGMIND), "t")).wire_state == "QUEUED"


def test_segmind_422_failed_is_a_status_and_completed_fetches_result() -> None:
    failed = js({"status": "FAILED", "request_id": "r", "error": "boom"}, 422)
    seg, _ = Fake(failed).adapter(ProviderId.SEGMIND)
    status = asyncio.run(seg.status("r"))
    assert status.state == TaskState.FAILED and status.error is not None
    fake = Fake(js({"status": "COMPLETED", "request_id": "r"}),
                js({"status": "COMPLETED", "output": "https://images.segmind.com/o.mp4",
                    "metrics": {"cost": 0.5, "remaining_credits": 9.5}}))
    seg, _ = fake.adapter(ProviderId.SEGMIND)
    status = asyncio.run(seg.status("r"))
    assert status.video_url == "https://images.segmind.com/o.mp4" and status.cost == 0.5
    assert [r.url.path for r in fake.requests] == ["/v2/requests/r/status", "/v2/requests/r"]
    assert fake.requests[0].headers["x-api-key"] == KEY
    assert "authorization" not in fake.requests[0].headers


def test_segmind_rate_limit_reset_header() -> None:
    reset = datetime.fromtimestamp(datetime.now(UTC).timestamp() + 3, UTC).isoformat()
    fake = Fake(js({"error": "rate limited"}, 429, {"x-rate-limit-reset-at-utc": reset}),
                js({"status": "QUEUED", "request_id": "r"}))
    seg, slept = fake.adapter(ProviderId.SEGMIND)
    asyncio.run(seg.status("r"))
    assert len(slept) == 1 and 1.0 < slept[0] <= 3.0


def test_check_key() -> None:
    seg, _ = Fake(js({"error": "Request x not found"}, 404)).adapter(ProviderId.SEGMIND)
    asyncio.run(seg.check_key())
    seg, _ = Fake(js({"error": "Unauthorized. API key is invalid"}, 401)).adapter(
        ProviderId.SEGMIND)
    assert run_error(seg.check_key()).kind == ErrorKind.AUTH
    vidu, _ = Fake(js({"tasks": [], "next_page_token": ""})).adapter(ProviderId.VIDU)
    asyncio.run(vidu.check_key())


def test_vidu_cancel_outcomes_and_others_not_supported() -> None:
    vidu, _ = Fake(js({})).adapter(ProviderId.VIDU)
    assert asyncio.run(vidu.cancel("1")) == CancelOutcome.CANCELLED_ON_SERVER
    late = js({"code": 400, "reason": "BadRequest",
               "message": "task state is scheduled, can not cancel"}, 400)
    vidu, _ = Fake(late).adapter(ProviderId.VIDU)
    assert asyncio.run(vidu.cancel("1")) == CancelOutcome.TOO_LATE
    for pid in (ProviderId.NOVITA, ProviderId.HIGHWAYAPI, ProviderId.SEGMIND, ProviderId.VTRIX):
        fake = Fake(js({}))
        other, _ = fake.adapter(pid)
        assert asyncio.run(other.cancel("1")) == CancelOutcome.NOT_SUPPORTED
        assert fake.requests == []


def test_vidu_find_by_token_pages() -> None:
    page1 = {"tasks": [{"id": str(i), "state": "success", "payload": f"other-{i}"}
                       for i in range(100)], "next_page_token": "p2"}
    page2 = {"tasks": [{"id": "777", "state": "queueing",
                        "payload": '{"vidu_desktop_token": "tok", "user": "u"}'}],
             "next_page_token": ""}
    fake = Fake(js(page1), js(page2))
    vidu, _ = fake.adapter(ProviderId.VIDU)
    found = asyncio.run(vidu.find_by_token("tok", datetime(2025, 1, 1, tzinfo=UTC)))
    assert found is not None and found.remote_id == "777" and found.wire_state == "queueing"
    assert fake.requests[0].url.params["created_at.from"] == "2025-01-01T00:00:00Z"
    assert fake.requests[1].url.params["pager.page_token"] == "p2"
    fake = Fake(js({"tasks": [], "next_page_token": ""}))
    vidu, _ = fake.adapter(ProviderId.VIDU)
    assert asyncio.run(vidu.find_by_token("tok", datetime(2025, 1, 1))) is None
    novita, _ = Fake(js({})).adapter(ProviderId.NOVITA)
    assert asyncio.run(novita.find_by_token("tok", datetime(2025, 1, 1))) is None


def test_bad_remote_id_refused() -> None:
    fake = Fake(js(VIDU_RUNNING))
    vidu, _ = fake.adapter(ProviderId.VIDU)
    assert run_error(vidu.status("../../etc")).kind == ErrorKind.INVALID_PARAMETER
    assert fake.requests == []


def test_key_never_leaks(caplog: pytest.LogCaptureFixture) -> None:
    """Every error raised, every repr and every log record at DEBUG is free of the key."""
    caplog.set_level(logging.DEBUG)
    echo = {"code": 401, "reason": "Unauthorized", "message": f"bad key {KEY}"}
    answers: list[object] = [
        js(echo, 401), js({"error": f"Unauthorized {KEY}"}, 401), httpx.ReadError(KEY[:3]),
        js({"code": 500}, 500), httpx.Response(200, content=b"nope"),
        httpx.Response(307, headers={"location": f"https://x.test/?k={KEY}"}),
        js({"status": "FAILED", "error": f"echo {KEY}"}, 422),
    ]
    errors: list[AppError] = []
    seen: list[str] = []
    for answer in answers:
        for pid in ProviderId:
            adapter, _ = Fake(answer).adapter(pid)  # type: ignore[arg-type]
            seen.append(repr(adapter))
            for call in (adapter.status("1"), adapter.submit(request(pid), "t"),
                         adapter.check_key()):
                try:
                    result = asyncio.run(call)
                    seen.append(repr(result))
                except AppError as err:
                    errors.append(err)
    assert errors
    for err in errors:
        seen += [str(err), repr(err), err.message, err.hint, err.code, repr(err.details)]
    seen += [r.getMessage() for r in caplog.records]
    seen += [repr(r.args) for r in caplog.records]
    assert not [text for text in seen if KEY in text]
    assert repr(ViduAdapter(ProviderId.VIDU, KEY)).endswith("key=***>")


def test_segmind_422_without_status_is_an_error() -> None:
    seg, _ = Fake(js({"error": "invalid field: prompt"}, 422)).adapter(ProviderId.SEGMIND)
    err = run_error(seg.status("r"))
    assert err.kind == ErrorKind.INVALID_PARAMETER and err.http_status == 422
