"""Vidu's account info (``GET /ent/v2/credits``) and the credits of the create answer, over
real loopback HTTP: balance, concurrency and queue as they change, strict query, faults."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from conftest import wait_for

from vidu_desktop.core.capabilities import Mode, ProviderId, provider
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer

ImageUri = Callable[..., str]
CREDITS = "/ent/v2/credits"
REF = "/ent/v2/reference2video"
Q1_COST = provider(ProviderId.VIDU).model("viduq1", Mode.REFERENCE2VIDEO).cost.amount


def auth(key: str = DEMO_KEY) -> dict[str, str]:
    return {"Authorization": f"Token {key}"}


def ref_body(image_uri: ImageUri, **over: Any) -> dict[str, Any]:
    return {"model": "viduq1", "images": [image_uri()], "prompt": "a fox in snow", **over}


def submit(emu: EmulatorServer, body: dict[str, Any], key: str = DEMO_KEY) -> httpx.Response:
    return httpx.post(emu.url + REF, json=body, headers=auth(key), timeout=30)


def created(emu: EmulatorServer, body: dict[str, Any], key: str = DEMO_KEY) -> str:
    response = submit(emu, body, key)
    assert response.status_code == 200, response.text
    return str(response.json()["task_id"])


def until(emu: EmulatorServer, task_id: str, key: str = DEMO_KEY) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        body: dict[str, Any] = httpx.get(f"{emu.url}/ent/v2/tasks/{task_id}/creations",
                                         headers=auth(key)).json()
        return body if body["state"] in ("success", "failed") else None
    return wait_for(done)  # type: ignore[no-any-return]


def expect_error(response: httpx.Response, status: int, reason: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "reason", "message", "metadata"}, body
    assert body["code"] == status and body["reason"] == reason, body
    assert re.fullmatch(r"[0-9a-f]{32}", body["metadata"]["trace_id"])


def control(emu: EmulatorServer, what: str, **values: Any) -> None:
    httpx.post(f"{emu.url}/_emulator/{what}", json=values).raise_for_status()


def set_key(emu: EmulatorServer, key: str, balance: float) -> None:
    control(emu, "keys", key=key, balance=balance)


def account(emu: EmulatorServer, key: str = "acct-key", **params: str) -> dict[str, Any]:
    response = httpx.get(emu.url + CREDITS, params=params, headers=auth(key))
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_the_create_answer_says_what_the_task_will_cost(emulator: EmulatorServer,
                                                        image_uri: ImageUri) -> None:
    body = submit(emulator, ref_body(image_uri)).json()
    assert Q1_COST == 8 and body["credits"] == Q1_COST
    assert "code" not in body  # the official MCP client takes any "code" for an error
    cheaper = submit(emulator, ref_body(image_uri, model="vidu2.0")).json()
    assert cheaper["credits"] == 4
    done = until(emulator, body["task_id"])
    assert done["credits"] == Q1_COST  # consumed, once it succeeded


def test_account_info_reports_balance_concurrency_and_queue(emulator: EmulatorServer,
                                                            image_uri: ImageUri) -> None:
    set_key(emulator, "acct-key", 100)
    idle = account(emulator)
    assert "code" not in idle
    assert idle == {"remains": [{"type": "metered", "credit_remain": 100,
                                 "concurrency_limit": 5, "current_concurrency": 0,
                                 "queue_count": 0}], "packages": []}
    control(emulator, "config", processing_s=3000)  # they stay processing for the test
    for _ in range(7):
        created(emulator, ref_body(image_uri), key="acct-key")

    def load() -> tuple[int, int]:
        remains = account(emulator)["remains"][0]
        return remains["current_concurrency"], remains["queue_count"]

    wait_for(lambda: load() == (5, 2))
    set_key(emulator, "other-key", 50)  # another key's account is its own
    assert account(emulator, "other-key")["remains"][0]["current_concurrency"] == 0


def test_the_balance_drops_by_what_a_task_consumed(emulator: EmulatorServer,
                                                   image_uri: ImageUri) -> None:
    set_key(emulator, "acct-key", 100)
    task_id = created(emulator, ref_body(image_uri), key="acct-key")
    until(emulator, task_id, key="acct-key")
    detail = account(emulator, show_detail="true")
    assert detail["remains"][0]["credit_remain"] == 100 - Q1_COST
    (package,) = detail["packages"]
    assert package["credit_amount"] == 100 and package["credit_remain"] == 100 - Q1_COST
    assert package["type"] == "metered" and package["concurrency"] == 5
    assert {"id", "name", "created_at", "purchase_at", "valid_from", "valid_to"} <= set(package)
    assert package["valid_from"] < package["valid_to"]
    assert "acct-key" not in str(detail)
    assert account(emulator, show_detail="false")["packages"] == []
    bare = httpx.get(f"{emulator.url}{CREDITS}?show_detail", headers=auth("acct-key"))
    assert len(bare.json()["packages"]) == 1


def test_account_info_is_strict_and_faultable(emulator: EmulatorServer) -> None:
    url = emulator.url + CREDITS
    expect_error(httpx.get(url, headers={"Authorization": "Bearer vidu-sandbox-demo-key"}),
                 401, "Unauthorized")
    expect_error(httpx.get(url, params={"detail": "1"}, headers=auth()), 400, "FieldUnwanted")
    expect_error(httpx.get(url, params={"show_detail": "maybe"}, headers=auth()), 400,
                 "FieldInvalid")
    expect_error(httpx.post(url, headers=auth()), 405, "MethodNotAllowed")
    control(emulator, "faults", action="status", status=500, route="account", host="vidu")
    expect_error(httpx.get(url, headers=auth()), 500, "InternalServiceFailure")
    assert httpx.get(f"{emulator.url}/vidu{CREDITS}", headers=auth()).status_code == 200
