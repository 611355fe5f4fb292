"""A host's account info: Vidu's ``/ent/v2/credits`` read into ``AccountInfo`` against the
emulator over real loopback HTTP (balance, running and queued tasks, failures), and the
parsing of the documented answer's two spellings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.providers.account import AccountInfo, AccountSource
from vidu_desktop.providers.vidu import ViduAdapter, parse_account

from .emu import HOSTS, adapter_for, fault, gen_request, set_key, until_done

ImageUri = Callable[..., str]


def test_only_vidu_has_an_account_endpoint(emulator: Any, api_key: str) -> None:
    for pid in HOSTS:
        adapter = adapter_for(emulator, pid, api_key)
        assert isinstance(adapter, AccountSource) == (pid == ProviderId.VIDU)


def test_vidu_account_follows_balance_and_load(emulator: Any, image_uri: ImageUri) -> None:
    set_key(emulator, "account-key", 100)
    httpx.post(f"{emulator.url}/_emulator/config", json={"processing_s": 3000}
               ).raise_for_status()  # the tasks stay processing while we look

    async def flow() -> None:
        adapter = adapter_for(emulator, ProviderId.VIDU, "account-key")
        assert isinstance(adapter, ViduAdapter)
        try:
            assert await adapter.account_info() == AccountInfo(100.0, "credits", 5, 0, 0)
            for i in range(7):
                await adapter.submit(gen_request(ProviderId.VIDU, image_uri()), f"tok-{i}")
            for _ in range(500):
                info = await adapter.account_info()
                if (info.running, info.queued) == (5, 2):
                    break
                await asyncio.sleep(0.02)
            assert (info.running, info.queued, info.concurrency_limit) == (5, 2, 5)
            assert info.balance == 100.0  # nothing consumed before a task succeeds
        finally:
            await adapter.close()

    asyncio.run(flow())


def test_vidu_account_balance_drops_by_the_cost(emulator: Any, image_uri: ImageUri) -> None:
    set_key(emulator, "account-key", 100)

    async def flow() -> None:
        adapter = adapter_for(emulator, ProviderId.VIDU, "account-key")
        try:
            sub = await adapter.submit(gen_request(ProviderId.VIDU, image_uri()), "tok")
            done = await until_done(adapter, sub.remote_id)
            info = await adapter.account_info()
            assert done.cost == 8 and info.balance == 100 - 8
            assert (info.running, info.queued) == (0, 0)
        finally:
            await adapter.close()

    asyncio.run(flow())


def test_vidu_account_failures_are_app_errors(emulator: Any) -> None:
    async def ask(key: str) -> AppError:
        adapter = adapter_for(emulator, ProviderId.VIDU, key)
        try:
            with pytest.raises(AppError) as caught:
                await adapter.account_info()
            return caught.value
        finally:
            await adapter.close()

    refused = asyncio.run(ask("not-a-key"))
    assert refused.kind == ErrorKind.AUTH and refused.http_status == 401
    assert refused.trace_id  # Vidu's metadata.trace_id reaches the error
    fault(emulator, action="status", status=500, route="account", host="vidu")
    broken = asyncio.run(ask("vidu-sandbox-demo-key"))
    assert broken.http_status == 500 and broken.kind == ErrorKind.OUTAGE


@pytest.mark.parametrize(("data", "expected"), [
    ({"remains": [{"type": "metered", "credit_remain": 120, "concurrency_limit": 5,
                   "current_concurrency": 2, "queue_count": 20}], "packages": []},
     AccountInfo(120.0, "credits", 5, 2, 20)),
    # the field table's spelling; two package types: credits add up, concurrency is the org's
    ({"remaining_credits": [
        {"type": "test", "credit_remain": 10, "concurrency_limit": 1,
         "current_concurrency": 0, "queue_count": 0},
        {"type": "concurrent", "credit_remain": 300, "concurrency_limit": 10,
         "current_concurrency": 3, "queue_count": 1}]},
     AccountInfo(310.0, "credits", 10, 3, 1)),
    ({"remains": []}, AccountInfo(0.0, "credits")),
    ({"remains": [{"type": "metered"}]}, AccountInfo(None, "credits")),
])
def test_parse_account_reads_the_documented_answer(data: dict[str, Any],
                                                   expected: AccountInfo) -> None:
    assert parse_account(data, "Vidu") == expected


@pytest.mark.parametrize("data", [{}, {"remains": "lots"}, {"remains": [3]}])
def test_parse_account_refuses_other_answers(data: dict[str, Any]) -> None:
    with pytest.raises(AppError) as caught:
        parse_account(data, "Vidu", "trace-1")
    assert caught.value.kind == ErrorKind.PROTOCOL and caught.value.trace_id == "trace-1"
