"""Keys stay with their host: no key on redirects (API or download), none in logs or errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vidu_desktop.core.capabilities import AuthScheme, ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.download import download
from vidu_desktop.providers.registry import make_adapter

from .emu import FAST, HOSTS, Recorder, adapter_for, fault, gen_request, until_done

ImageUri = Callable[..., str]
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100


def _auth_headers(headers: dict[str, str]) -> list[str]:
    return [h for h in ("authorization", "x-api-key") if h in headers]


@pytest.mark.parametrize("pid", HOSTS)
def test_api_redirect_to_another_host_does_not_carry_the_key(pid: ProviderId) -> None:
    key = "redirect-test-key-0001"
    with Recorder(MP4).running() as target, \
            Recorder(redirect_to=f"http://localhost:{target.port}").running() as mirror:
        async def flow() -> None:
            adapter = make_adapter(pid, key, f"http://127.0.0.1:{mirror.port}", retry=FAST)
            for call in (adapter.status("123"), adapter.check_key()):
                with pytest.raises(AppError) as info:
                    await call
                assert info.value.kind == ErrorKind.PROTOCOL and info.value.code == "redirect"
                assert key not in str(info.value)
            await adapter.close()

        asyncio.run(flow())
        assert mirror.seen and all(_auth_headers(h) for h in mirror.seen)  # the host itself
        assert target.seen == []  # never contacted, so never given the key


def test_download_redirect_carries_no_credentials(tmp_path: Path) -> None:
    with Recorder(MP4).running() as storage, \
            Recorder(redirect_to=f"http://localhost:{storage.port}").running() as api:
        async def flow() -> int:
            adapter = make_adapter(ProviderId.VIDU, "download-key-0001",
                                   f"http://127.0.0.1:{api.port}")
            adapter.client.headers["Authorization"] = "Token leaked"  # even on a careless client
            try:
                return await download(adapter.client, f"http://127.0.0.1:{api.port}/v.mp4?s=1",
                                      tmp_path / "v.part")
            finally:
                await adapter.close()

        assert asyncio.run(flow()) == len(MP4)
        assert (tmp_path / "v.part").read_bytes() == MP4
        assert storage.paths == ["/v.mp4?s=1"]
        for headers in api.seen + storage.seen:
            assert _auth_headers(headers) == []


def test_mirror_with_bearer_auth(emulator: Any, api_key: str, image_uri: ImageUri) -> None:
    """A Vidu-schema mirror under another address with Bearer auth: the header follows the
    override (the emulator's Vidu wants Token, so it refuses Bearer with AUTH)."""
    async def flow() -> None:
        mirror = adapter_for(emulator, ProviderId.VIDU, api_key, auth=AuthScheme.BEARER)
        with pytest.raises(AppError) as info:
            await mirror.check_key()
        assert info.value.kind == ErrorKind.AUTH
        await mirror.close()

    asyncio.run(flow())


def test_key_absent_from_logs_and_errors(emulator: Any, api_key: str, image_uri: ImageUri,
                                         tmp_path: Path, caplog: pytest.LogCaptureFixture
                                         ) -> None:
    """A full run with faults at DEBUG: no log record, error, repr or status has the key."""
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []

    async def flow() -> None:
        for pid in HOSTS:
            adapter = adapter_for(emulator, pid, api_key)
            texts.append(repr(adapter))
            fault(emulator, action="status", status=503, route="poll", times=1,
                  provider=pid.value)
            fault(emulator, action="reset", route="poll", times=1, provider=pid.value)
            sub = await adapter.submit(gen_request(pid, image_uri()), "tok")
            texts.append(repr(sub))
            status = await until_done(adapter, sub.remote_id)
            assert status.state == TaskState.DOWNLOADING and status.video_url
            texts.append(repr(status))
            fault(emulator, action="truncate", route="download", provider=pid.value)
            for _ in range(2):
                try:
                    await download(adapter.client, status.video_url, tmp_path / f"{pid}.part")
                except AppError as err:
                    texts.extend([str(err), repr(err)])
            for call in (adapter.status("nope"), adapter.submit(
                    gen_request(pid, image_uri(), prompt=""), "t")):
                try:
                    await call
                except AppError as err:
                    texts.extend([str(err), repr(err), err.hint])
            await adapter.close()
            bad = adapter_for(emulator, pid, api_key + "-wrong")
            try:
                await bad.check_key()
            except AppError as err:
                texts.extend([str(err), repr(err)])
            await bad.close()

    asyncio.run(flow())
    mine = [r for r in caplog.records
            if r.name.startswith(("vidu_desktop.providers", "httpx", "httpcore"))]
    assert mine  # DEBUG logging really was captured
    texts += [r.getMessage() for r in mine]
    assert [t for t in texts if api_key in t] == []
