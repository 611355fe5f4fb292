"""The adapters against the emulator over real loopback HTTP: the whole path for every host,
retries, fail-fast errors, moderation, cancel, reconciliation, download resume and expiry."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.base import CancelOutcome
from vidu_desktop.providers.download import download
from vidu_desktop.providers.segmind import SegmindAdapter

from .emu import (
    HOSTS,
    adapter_for,
    fault,
    gen_request,
    requests_for,
    set_key,
    submissions,
    until_done,
)

ImageUri = Callable[..., str]


def is_mp4(path: Path) -> bool:
    return path.read_bytes()[4:8] == b"ftyp"


@pytest.mark.parametrize("pid", HOSTS)
def test_submit_poll_download(emulator: Any, api_key: str, image_uri: ImageUri,
                              tmp_path: Path, pid: ProviderId) -> None:
    async def flow() -> None:
        adapter = adapter_for(emulator, pid, api_key)
        try:
            sub = await adapter.submit(gen_request(pid, image_uri(), seed=1234), "tok-1")
            assert sub.remote_id
            status = await until_done(adapter, sub.remote_id)
            assert status.state == TaskState.DOWNLOADING, status.error
            assert status.video_url and status.remote_id == sub.remote_id
            assert status.url_expires_at is not None
            if pid in (ProviderId.VIDU, ProviderId.SEGMIND, ProviderId.VTRIX):
                assert status.cost is not None and status.cost > 0
            size = await download(adapter.client, status.video_url, tmp_path / "v.mp4.part")
            assert size == (tmp_path / "v.mp4.part").stat().st_size > 1000
            assert is_mp4(tmp_path / "v.mp4.part")
            await adapter.check_key()
        finally:
            await adapter.close()

    asyncio.run(flow())
    assert submissions(emulator, pid, api_key) == 1


def test_segmind_v1_sync_streams_the_video(emulator: Any, api_key: str, image_uri: ImageUri,
                                           tmp_path: Path) -> None:
    async def flow() -> Any:
        seg = adapter_for(emulator, ProviderId.SEGMIND, api_key, sync=True)
        assert isinstance(seg, SegmindAdapter)
        try:
            return await seg.submit_sync(gen_request(ProviderId.SEGMIND, image_uri(), seed=7),
                                         tmp_path / "s.mp4")
        finally:
            await seg.close()

    status = asyncio.run(flow())
    assert status.state == TaskState.DOWNLOADING and is_mp4(tmp_path / "s.mp4")
    assert status.cost == 0.5 and status.cost_unit == "USD"
    assert status.remaining_balance is not None and status.seed == 7
    assert status.raw["bytes"] == (tmp_path / "s.mp4").stat().st_size


@pytest.mark.parametrize("pid", [ProviderId.VIDU, ProviderId.SEGMIND])
def test_429_retry_after_then_success(emulator: Any, api_key: str, image_uri: ImageUri,
                                      pid: ProviderId) -> None:
    async def flow() -> None:
        adapter = adapter_for(emulator, pid, api_key)
        slept: list[float] = []
        real_sleep = adapter._sleep

        async def sleep(seconds: float) -> None:
            slept.append(seconds)
            await real_sleep(seconds)

        adapter._sleep = sleep  # type: ignore[method-assign]
        sub = await adapter.submit(gen_request(pid, image_uri()), "t")
        before = requests_for(emulator, pid, "poll")
        fault(emulator, action="status", status=429, route="poll", retry_after=0.3, times=2,
              provider=pid.value)
        status = await adapter.status(sub.remote_id)
        assert status.state in (TaskState.QUEUED, TaskState.PROCESSING, TaskState.DOWNLOADING)
        assert requests_for(emulator, pid, "poll") - before == 3
        assert len(slept) == 2 and all(0.0 <= s <= 0.35 for s in slept)
        if pid == ProviderId.VIDU:  # Retry-After honoured exactly
            assert slept == [0.3, 0.3]
        await adapter.close()

    asyncio.run(flow())
    assert submissions(emulator, pid, api_key) == 1


@pytest.mark.parametrize("pid", HOSTS)
def test_5xx_and_reset_on_poll_are_retried(emulator: Any, api_key: str, image_uri: ImageUri,
                                           pid: ProviderId) -> None:
    async def flow() -> None:
        adapter = adapter_for(emulator, pid, api_key)
        sub = await adapter.submit(gen_request(pid, image_uri()), "t")
        fault(emulator, action="status", status=503, route="poll", times=1, provider=pid.value)
        fault(emulator, action="status", status=500, route="poll", times=1, provider=pid.value)
        fault(emulator, action="reset", route="poll", times=1, provider=pid.value)
        before = requests_for(emulator, pid, "poll")
        status = await until_done(adapter, sub.remote_id)
        assert status.state == TaskState.DOWNLOADING
        assert requests_for(emulator, pid, "poll") - before >= 4
        await adapter.close()

    asyncio.run(flow())
    assert submissions(emulator, pid, api_key) == 1


def test_malformed_json(emulator: Any, api_key: str, image_uri: ImageUri) -> None:
    pid = ProviderId.NOVITA

    async def flow() -> None:
        adapter = adapter_for(emulator, pid, api_key)
        sub = await adapter.submit(gen_request(pid, image_uri()), "t")
        fault(emulator, action="malformed", route="poll", times=1, provider=pid.value)
        assert (await adapter.status(sub.remote_id)).remote_id == sub.remote_id  # retried
        fault(emulator, action="malformed", route="poll", times=None, provider=pid.value)
        with pytest.raises(AppError) as info:
            await adapter.status(sub.remote_id)
        assert info.value.kind == ErrorKind.PROTOCOL
        fault(emulator, action="malformed", route="submit", times=1, provider=pid.value)
        with pytest.raises(AppError) as info:
            await adapter.submit(gen_request(pid, image_uri()), "t2")
        assert info.value.kind == ErrorKind.PROTOCOL
        assert info.value.outcome == "unknown"
        await adapter.close()

    asyncio.run(flow())


@pytest.mark.parametrize("pid", HOSTS)
def test_bad_key_fails_fast_with_auth(emulator: Any, image_uri: ImageUri,
                                      pid: ProviderId) -> None:
    async def flow() -> None:
        adapter = adapter_for(emulator, pid, "wrong-key-123456")
        with pytest.raises(AppError) as info:
            await adapter.submit(gen_request(pid, image_uri()), "t")
        assert info.value.kind == ErrorKind.AUTH and info.value.http_status == 401
        assert info.value.outcome == "rejected"
        before = requests_for(emulator, pid, "poll")
        with pytest.raises(AppError) as info:
            await adapter.status("0123456789")
        assert info.value.kind == ErrorKind.AUTH
        assert requests_for(emulator, pid, "poll") - before == 1
        with pytest.raises(AppError) as info:
            await adapter.check_key()
        assert info.value.kind == ErrorKind.AUTH
        await adapter.close()

    asyncio.run(flow())


@pytest.mark.parametrize("pid", HOSTS)
def test_insufficient_balance_is_credits(emulator: Any, image_uri: ImageUri,
                                         pid: ProviderId) -> None:
    set_key(emulator, "poor-key-0001", 0.0)

    async def flow() -> None:
        adapter = adapter_for(emulator, pid, "poor-key-0001")
        with pytest.raises(AppError) as info:
            await adapter.submit(gen_request(pid, image_uri()), "t")
        assert info.value.kind == ErrorKind.CREDITS, info.value
        assert not info.value.retryable
        await adapter.close()

    asyncio.run(flow())
    assert submissions(emulator, pid, "poor-key-0001") == 0


@pytest.mark.parametrize("pid", HOSTS)
def test_output_moderation_is_failed_with_moderation(emulator: Any, api_key: str,
                                                     image_uri: ImageUri,
                                                     pid: ProviderId) -> None:
    fault(emulator, action="fail", code="CreationPolicyViolation",
          message="creation policy violation", provider=pid.value)

    async def flow() -> Any:
        adapter = adapter_for(emulator, pid, api_key)
        sub = await adapter.submit(gen_request(pid, image_uri()), "t")
        status = await until_done(adapter, sub.remote_id)
        await adapter.close()
        return status

    status = asyncio.run(flow())
    assert status.state == TaskState.FAILED
    assert status.error is not None and status.error.kind == ErrorKind.MODERATION
    assert status.video_url is None


def test_plain_generation_failure(emulator: Any, api_key: str, image_uri: ImageUri) -> None:
    fault(emulator, action="fail", code="8008003098", provider="vtrix")

    async def flow() -> Any:
        adapter = adapter_for(emulator, ProviderId.VTRIX, api_key)
        sub = await adapter.submit(gen_request(ProviderId.VTRIX, image_uri()), "t")
        return await until_done(adapter, sub.remote_id)

    status = asyncio.run(flow())
    assert status.state == TaskState.FAILED and status.error is not None
    assert status.error.kind == ErrorKind.GENERATION_FAILED
    assert status.error.code == "8008003098"


def test_vidu_cancel_while_queued(emulator: Any, api_key: str, image_uri: ImageUri) -> None:
    fault(emulator, action="stuck", provider="vidu")

    async def flow() -> None:
        vidu = adapter_for(emulator, ProviderId.VIDU, api_key)
        stuck = await vidu.submit(gen_request(ProviderId.VIDU, image_uri()), "t1")
        assert await vidu.cancel(stuck.remote_id) == CancelOutcome.CANCELLED_ON_SERVER
        status = await vidu.status(stuck.remote_id)
        assert status.state == TaskState.CANCELLED
        assert status.error is not None and status.error.kind == ErrorKind.CANCELLED
        done = await vidu.submit(gen_request(ProviderId.VIDU, image_uri()), "t2")
        await until_done(vidu, done.remote_id)
        assert await vidu.cancel(done.remote_id) == CancelOutcome.TOO_LATE
        await vidu.close()

    asyncio.run(flow())


@pytest.mark.parametrize("pid", [p for p in HOSTS if p != ProviderId.VIDU])
def test_cancel_not_supported_elsewhere(emulator: Any, api_key: str, pid: ProviderId) -> None:
    adapter = adapter_for(emulator, pid, api_key)
    assert not adapter.supports_cancel and not adapter.supports_reconcile
    assert asyncio.run(adapter.cancel("x")) == CancelOutcome.NOT_SUPPORTED
    assert asyncio.run(adapter.find_by_token("t", datetime.now(UTC))) is None


def test_vidu_find_by_token(emulator: Any, api_key: str, image_uri: ImageUri) -> None:
    since = datetime.now(UTC) - timedelta(minutes=1)

    async def flow() -> None:
        vidu = adapter_for(emulator, ProviderId.VIDU, api_key)
        assert vidu.supports_reconcile
        first = await vidu.submit(gen_request(ProviderId.VIDU, image_uri()), "token-A")
        second = await vidu.submit(gen_request(ProviderId.VIDU, image_uri(), payload="mine"),
                                   "token-B")
        found = await vidu.find_by_token("token-A", since)
        assert found is not None and found.remote_id == first.remote_id
        found = await vidu.find_by_token("token-B", since)
        assert found is not None and found.remote_id == second.remote_id
        assert await vidu.find_by_token("token-C", since) is None
        assert await vidu.find_by_token("token-A", datetime.now(UTC) + timedelta(hours=1)) \
            is None
        await vidu.close()

    asyncio.run(flow())


def _ready(emulator: Any, pid: ProviderId, key: str, image: str) -> tuple[Any, str]:
    """A finished task on ``pid``: (adapter, remote id)."""
    async def flow() -> str:
        adapter = adapter_for(emulator, pid, key)
        sub = await adapter.submit(gen_request(pid, image), "t")
        await until_done(adapter, sub.remote_id)
        return sub.remote_id

    remote_id = asyncio.run(flow())
    return adapter_for(emulator, pid, key), remote_id


def test_download_resumes_after_truncation(emulator: Any, api_key: str, image_uri: ImageUri,
                                           tmp_path: Path) -> None:
    pid = ProviderId.NOVITA
    adapter, remote_id = _ready(emulator, pid, api_key, image_uri())
    ranges: list[str | None] = []

    async def hook(request: httpx.Request) -> None:
        ranges.append(request.headers.get("range"))

    async def flow() -> None:
        async with httpx.AsyncClient(event_hooks={"request": [hook]}) as client:
            url = (await adapter.status(remote_id)).video_url
            assert url is not None
            fresh = tmp_path / "fresh.part"
            await download(client, url, fresh)
            part = tmp_path / "resumed.part"
            fault(emulator, action="truncate", route="download", provider=pid.value)
            with pytest.raises(AppError) as info:
                await download(client, url, part)
            assert info.value.kind == ErrorKind.NETWORK and info.value.retryable
            partial = part.stat().st_size
            assert 0 < partial < fresh.stat().st_size
            size = await download(client, url, part)
            assert ranges[-1] == f"bytes={partial}-"
            assert size == fresh.stat().st_size
            assert part.read_bytes() == fresh.read_bytes() and is_mp4(part)

    asyncio.run(flow())


@pytest.mark.parametrize("pid", [ProviderId.VIDU, ProviderId.SEGMIND])
def test_expired_url_then_fresh_status_gives_a_working_url(
        emulator: Any, api_key: str, image_uri: ImageUri, tmp_path: Path,
        pid: ProviderId) -> None:
    adapter, remote_id = _ready(emulator, pid, api_key, image_uri())

    async def flow() -> None:
        old = (await adapter.status(remote_id)).video_url
        assert old is not None
        fault(emulator, action="expire", route="download", provider=pid.value)
        with pytest.raises(AppError) as info:
            await download(adapter.client, old, tmp_path / "v.part")
        assert info.value.kind == ErrorKind.EXPIRED and info.value.http_status == 403
        fresh = await adapter.status(remote_id)
        assert fresh.video_url
        await download(adapter.client, fresh.video_url, tmp_path / "v.part")
        assert is_mp4(tmp_path / "v.part")
        await adapter.close()

    asyncio.run(flow())


def test_really_expired_signature_is_expired(emulator: Any, api_key: str, image_uri: ImageUri,
                                             tmp_path: Path) -> None:
    httpx.post(f"{emulator.url}/_emulator/config", json={"url_ttl_s": -5}).raise_for_status()
    adapter, remote_id = _ready(emulator, ProviderId.VTRIX, api_key, image_uri())

    async def flow() -> None:
        status = await adapter.status(remote_id)
        assert status.video_url and status.url_expires_at is not None
        with pytest.raises(AppError) as info:
            await download(adapter.client, status.video_url, tmp_path / "v.part")
        assert info.value.kind == ErrorKind.EXPIRED
        await adapter.close()

    asyncio.run(flow())


def test_http_base_url_to_remote_host_refused_without_io() -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise AssertionError("network I/O happened")

    client = httpx.AsyncClient(transport=httpx.MockTransport(explode))
    for pid in HOSTS:
        with pytest.raises(AppError) as info:
            from vidu_desktop.providers.registry import make_adapter
            make_adapter(pid, "k" * 16, "http://api.example.com", client=client)
        assert info.value.kind == ErrorKind.INVALID_PARAMETER
    with pytest.raises(AppError):
        asyncio.run(download(client, "http://cdn.example.com/v.mp4", Path("/nonexistent/x")))


@pytest.mark.parametrize("pid", HOSTS)
def test_small_image_is_invalid_image(emulator: Any, api_key: str, image_uri: ImageUri,
                                      pid: ProviderId) -> None:
    async def flow() -> AppError:
        adapter = adapter_for(emulator, pid, api_key)
        try:
            with pytest.raises(AppError) as info:
                await adapter.submit(gen_request(pid, image_uri(64, 64)), "t")
            return info.value
        finally:
            await adapter.close()

    err = asyncio.run(flow())
    assert err.kind == ErrorKind.INVALID_IMAGE, err
    assert err.outcome == "rejected" and not err.retryable


def test_vidu_input_moderation_at_submit(emulator: Any, api_key: str,
                                         image_uri: ImageUri) -> None:
    async def flow() -> AppError:
        vidu = adapter_for(emulator, ProviderId.VIDU, api_key)
        with pytest.raises(AppError) as info:
            await vidu.submit(gen_request(ProviderId.VIDU, image_uri(),
                                          prompt="a fox __moderate__"), "t")
        await vidu.close()
        return info.value

    err = asyncio.run(flow())
    assert err.kind == ErrorKind.MODERATION and err.code == "AuditSubmitIllegal"
    assert err.trace_id  # Vidu's metadata.trace_id
