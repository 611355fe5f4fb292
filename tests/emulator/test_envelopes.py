"""Every error answer in the envelope of the host asked, on every mount: an unknown path, a
wrong verb, a bad key, an injected 429 and 500, a malformed JSON body. Over real loopback HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from conftest import fast_config

from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer

HTTP = httpx.Client(timeout=30.0)

#: host -> (submit path, auth header for a key)
SUBMIT = {
    "vidu": "/ent/v2/reference2video",
    "novita": "/v3/async/vidu-q1-reference2video",
    "highwayapi": "/v3/async/vidu-q1-reference2video",
    "segmind": "/v2/vidu-q1-reference-to-video",
    "vtrix": "/model/v1/generation",
}
#: an unknown path that, at the root, still reads as the host's own
UNKNOWN = {"vidu": "/ent/v2/no-such-thing", "novita": "/v3/async/no-such-model",
           "highwayapi": "/v3/async/no-such-model", "segmind": "/v2/no/such/thing",
           "vtrix": "/model/v1/no-such-thing"}
ROOT_HOSTS = ("vidu", "novita", "segmind", "vtrix")
MOUNTS = [(host, f"/{host}") for host in SUBMIT] + [(host, "") for host in ROOT_HOSTS]

#: case -> host -> the reason (Vidu, Novita, HighwayAPI) or code (Vtrix) expected
REASONS: dict[str, dict[str, Any]] = {
    "unknown_path": {"vidu": "NotFound", "novita": "NOT_FOUND", "vtrix": 404},
    "wrong_method": {"vidu": "MethodNotAllowed", "novita": "METHOD_NOT_ALLOWED", "vtrix": 405},
    "bad_key": {"vidu": "Unauthorized", "novita": "FAILED_TO_AUTH", "vtrix": 401},
    "fault_429": {"vidu": "TooManyRequests", "novita": "RATE_LIMIT_EXCEEDED", "vtrix": 429},
    "fault_500": {"vidu": "InternalServiceFailure", "novita": "INTERNAL_SERVER_ERROR",
                  "vtrix": 500},
    "bad_json": {"vidu": "BadRequest", "novita": "INVALID_REQUEST_BODY", "vtrix": 8008003002},
}
STATUS = {"unknown_path": 404, "wrong_method": 405, "bad_key": 401, "fault_429": 429,
          "fault_500": 500, "bad_json": 400}


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    server = EmulatorServer(fast_config(media_dir=tmp_path_factory.mktemp("envelopes")))
    server.start()
    yield server
    server.stop()
    HTTP.close()


@pytest.fixture(autouse=True)
def _no_faults_left(emu: EmulatorServer) -> Iterator[None]:
    yield
    HTTP.delete(f"{emu.url}/_emulator/faults")


def auth(host: str, key: str = DEMO_KEY) -> dict[str, str]:
    if host == "vidu":
        return {"Authorization": f"Token {key}"}
    if host == "segmind":
        return {"x-api-key": key}
    return {"Authorization": f"Bearer {key}"}


def ask(emu: EmulatorServer, host: str, base: str, case: str) -> httpx.Response:
    url = emu.url + base
    submit = url + SUBMIT[host]
    json_headers = {**auth(host), "content-type": "application/json"}
    if case == "unknown_path":
        return HTTP.get(url + UNKNOWN[host], headers=auth(host))
    if case == "wrong_method":
        return HTTP.delete(submit, headers=auth(host))
    if case == "bad_key":
        return HTTP.post(submit, headers={**auth(host, "not-a-key"),
                                          "content-type": "application/json"}, content=b"{}")
    if case.startswith("fault_"):
        rule = {"action": "status", "status": STATUS[case], "route": "submit", "host": host,
                "retry_after": 2}
        HTTP.post(f"{emu.url}/_emulator/faults", json=rule).raise_for_status()
        return HTTP.post(submit, headers=json_headers, content=b"{}")
    return HTTP.post(submit, headers=json_headers, content=b'{"prompt": "a fox", ')


def check_envelope(host: str, case: str, response: httpx.Response) -> None:
    status = STATUS[case]
    assert response.status_code == status, response.text
    if host == "segmind" and case == "wrong_method":  # documented: an HTML page, not JSON
        assert response.headers["content-type"].startswith("text/html")
        assert "405" in response.text
        return
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    family = "novita" if host == "highwayapi" else host
    if family in ("vidu", "novita"):
        assert set(body) == {"code", "reason", "message", "metadata"}, body
        assert body["code"] == status and body["reason"] == REASONS[case][family], body
        assert isinstance(body["message"], str) and body["message"], body
        if family == "vidu":
            assert set(body["metadata"]) == {"trace_id"}
            assert re.fullmatch(r"[0-9a-f]{32}", body["metadata"]["trace_id"])
        else:
            assert body["metadata"] == {}
    elif family == "segmind":
        assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
    else:
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
        assert body["error"]["code"] == REASONS[case]["vtrix"], body
        assert body["error"]["message"]


@pytest.mark.parametrize("case", list(STATUS))
@pytest.mark.parametrize(("host", "base"), MOUNTS, ids=[f"{h}@{b or '/'}" for h, b in MOUNTS])
def test_every_error_is_in_the_hosts_envelope(emu: EmulatorServer, host: str, base: str,
                                              case: str) -> None:
    response = ask(emu, host, base, case)
    check_envelope(host, case, response)
    if case == "wrong_method":
        assert "POST" in response.headers.get("allow", "")
    if case == "fault_429":
        if host == "segmind":  # Segmind: a reset time, never Retry-After
            assert "retry-after" not in response.headers
            reset = datetime.fromisoformat(response.headers["x-rate-limit-reset-at-utc"])
            assert reset > datetime.now(UTC)
        else:
            assert response.headers["retry-after"] == "2"


@pytest.mark.parametrize(("host", "path"), [
    ("vidu", "/ent/v2/tasks/"), ("vidu", "/vidu/ent/v2/tasks/"), ("vidu", "/vidu"),
    ("novita", "/novita/v3/async/task-result/"), ("highwayapi", "/highwayapi/"),
    ("segmind", "/segmind/v2/requests/abc/status/"), ("vtrix", "/vtrix/model/v1/generation/"),
])
def test_a_slash_too_many_is_not_found_not_redirected(emu: EmulatorServer, host: str,
                                                      path: str) -> None:
    check_envelope(host, "unknown_path", HTTP.get(emu.url + path, headers=auth(host)))


def test_unknown_root_paths_follow_the_auth_header(emu: EmulatorServer) -> None:
    vidu = HTTP.get(f"{emu.url}/no/such/path")
    check_envelope("vidu", "unknown_path", vidu)
    segmind = HTTP.get(f"{emu.url}/no/such/path", headers={"x-api-key": "k"})
    check_envelope("segmind", "unknown_path", segmind)
    # the emulator's own routes keep their plain answers
    own = HTTP.put(f"{emu.url}/_emulator/counters")
    assert own.status_code == 405 and own.headers["content-type"].startswith("text/html")


def test_faults_name_their_host_with_host_or_provider(emu: EmulatorServer) -> None:
    url = f"{emu.url}/_emulator/faults"
    HTTP.post(url, json={"action": "status", "status": 503, "route": "list", "host": "vidu"}
              ).raise_for_status()
    HTTP.post(url, json={"action": "status", "status": 503, "route": "list",
                         "provider": "vidu"}).raise_for_status()
    assert [r["provider"] for r in HTTP.get(url).json()["rules"]] == ["vidu", "vidu"]
    bad = HTTP.post(url, json={"action": "status", "host": "nowhere"})
    assert bad.status_code == 400 and "nowhere" in bad.json()["error"]
    clash = HTTP.post(url, json={"action": "status", "host": "vidu", "provider": "vtrix"})
    assert clash.status_code == 400
    listed = HTTP.get(f"{emu.url}/ent/v2/tasks", headers=auth("vidu"))
    assert listed.status_code == 503 and listed.json()["reason"] == "InternalServiceFailure"
