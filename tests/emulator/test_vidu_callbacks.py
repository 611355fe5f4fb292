"""Vidu callbacks: signed exactly as the callback-signature page says, sent on processing, success
and failed, final deliveries retried. A loopback receiver checks every signature with a verifier
written here from the documentation's text (not with the emulator's own code)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import wait_for

from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer
from vidu_desktop.emulator.vidu import ViduContract
from vidu_desktop.emulator.vidu_callbacks import is_loopback_url, signed_headers, signing_string

ImageUri = Callable[..., str]
DOC_URL = "http://127.0.0.1:8080/vidu/callback?name=james&age=36"
DOC_DATE = "Tue, 06 May 2025 12:09:42 GMT"
DOC_NONCE = "123e4567-e89b-12d3-a456-426614174000"


def doc_signature(token: str, method: str, url: str, headers: Message | dict[str, str]) -> str:
    """The documented algorithm: METHOD, path ("/" if empty), raw query, "vidu", the Date header,
    then "Name:value" for each header named in X-HMAC-SIGNED-HEADERS, each line ending in \\n;
    base64 of HMAC-SHA256 keyed with the API token that created the task."""
    parts = urlsplit(url)  # a full URL or the request target as received
    names = str(headers["X-HMAC-SIGNED-HEADERS"]).split(";")
    text = f"{method}\n{parts.path or '/'}\n{parts.query}\nvidu\n{headers['Date']}\n"
    text += "".join(f"{name}:{headers[name]}\n" for name in names)
    return base64.b64encode(hmac.new(token.encode(), text.encode(), hashlib.sha256).digest()
                            ).decode()


class Receiver:
    """A loopback HTTP server recording callbacks; ``answer(call, calls)`` picks the status."""

    def __init__(self, answer: Callable[[dict[str, Any], list[dict[str, Any]]], int]) -> None:
        self.calls: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                call = {"method": self.command, "path": self.path, "headers": self.headers,
                        "body": json.loads(raw)}
                with outer.lock:
                    outer.calls.append(call)
                    status = answer(call, outer.calls)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def states(self) -> list[str]:
        with self.lock:
            return [c["body"]["state"] for c in self.calls]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(answer: Callable[[dict[str, Any], list[dict[str, Any]]], int] = lambda c, a: 200
             ) -> Receiver:
        made.append(Receiver(answer))
        return made[-1]

    yield make
    for item in made:
        item.close()


def contract(emu: EmulatorServer) -> ViduContract:
    return next(c for c in emu.world.contracts if isinstance(c, ViduContract))


def submit(emu: EmulatorServer, image_uri: ImageUri, callback_url: str,
           key: str = DEMO_KEY) -> str:
    body = {"model": "viduq1", "images": [image_uri()], "prompt": "p",
            "callback_url": callback_url, "payload": "cb"}
    response = httpx.post(f"{emu.url}/ent/v2/reference2video", json=body,
                          headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200, response.text
    return str(response.json()["task_id"])


def settled(emu: EmulatorServer) -> bool:
    return contract(emu).callbacks.pending == 0


def fault(emu: EmulatorServer, **rule: Any) -> None:
    assert httpx.post(f"{emu.url}/_emulator/faults",
                      json={"provider": "vidu", **rule}).status_code == 200


def test_signing_string_matches_the_documented_example() -> None:
    headers = {"Date": DOC_DATE, "x-request-nonce": DOC_NONCE}
    text = signing_string("POST", DOC_URL, DOC_DATE, headers)
    assert text.split("\n") == ["POST", "/vidu/callback", "name=james&age=36", "vidu", DOC_DATE,
                                f"Date:{DOC_DATE}", f"x-request-nonce:{DOC_NONCE}", ""]
    assert signing_string("post", "http://127.0.0.1:1", DOC_DATE, headers).startswith(
        "POST\n/\n\nvidu\n")
    sent = signed_headers("secret-token", DOC_URL, DOC_DATE, DOC_NONCE)
    assert sent["X-HMAC-SIGNED-HEADERS"] == "Date;x-request-nonce"
    assert sent["X-HMAC-ALGORITHM"] == "hmac-sha256" and sent["X-HMAC-ACCESS-KEY"] == "vidu"
    assert sent["X-HMAC-SIGNATURE"] == doc_signature("secret-token", "POST", DOC_URL, sent)
    assert sent["X-HMAC-SIGNATURE"] != doc_signature("other-token", "POST", DOC_URL, sent)


def test_only_loopback_callback_urls() -> None:
    for url in ("http://127.0.0.1:9/cb", "https://localhost/cb", "http://[::1]:80/x"):
        assert is_loopback_url(url), url
    for url in ("https://example.com/cb", "ftp://127.0.0.1/cb", "127.0.0.1/cb", "http://[bad",
                "http://10.0.0.1/cb", ""):
        assert not is_loopback_url(url), url


def test_processing_and_success_are_posted_signed(emulator: EmulatorServer, image_uri: ImageUri,
                                                  receiver: Callable[..., Receiver]) -> None:
    rx = receiver()
    task_id = submit(emulator, image_uri, rx.url + "/vidu/callback?name=james&age=36")
    wait_for(lambda: "success" in rx.states() and settled(emulator))
    assert rx.states() == ["processing", "success"]
    nonces = set()
    for call in rx.calls:
        headers = call["headers"]
        assert call["path"] == "/vidu/callback?name=james&age=36"
        assert headers["Content-Type"] == "application/json"
        assert headers["X-HMAC-ALGORITHM"] == "hmac-sha256"
        assert headers["X-HMAC-ACCESS-KEY"] == "vidu"
        assert headers["X-HMAC-SIGNED-HEADERS"] == "Date;x-request-nonce"
        assert parsedate_to_datetime(headers["Date"]).tzinfo is not None
        assert headers["X-HMAC-SIGNATURE"] == doc_signature(DEMO_KEY, "POST", call["path"],
                                                            headers)
        nonces.add(headers["x-request-nonce"])
    assert len(nonces) == 2
    final = rx.calls[-1]["body"]
    polled = httpx.get(f"{emulator.url}/ent/v2/tasks/{task_id}/creations",
                       headers={"Authorization": f"Token {DEMO_KEY}"}).json()
    assert set(final) == set(polled) == {"id", "state", "err_code", "credits", "payload", "bgm",
                                         "off_peak", "creations"}
    assert (final["id"], final["credits"], final["payload"]) == (task_id, 8, "cb")
    assert httpx.get(final["creations"][0]["url"]).content[4:8] == b"ftyp"
    assert rx.calls[0]["body"]["creations"] == []


def test_signature_uses_the_key_that_created_the_task(
        emulator: EmulatorServer, image_uri: ImageUri, receiver: Callable[..., Receiver]) -> None:
    httpx.post(f"{emulator.url}/_emulator/keys", json={"key": "team-key-2", "balance": 50})
    rx = receiver()
    submit(emulator, image_uri, rx.url + "/hook", key="team-key-2")
    wait_for(lambda: "success" in rx.states())
    headers = rx.calls[-1]["headers"]
    assert headers["X-HMAC-SIGNATURE"] == doc_signature("team-key-2", "POST", "/hook", headers)
    assert headers["X-HMAC-SIGNATURE"] != doc_signature(DEMO_KEY, "POST", "/hook", headers)


def test_the_final_state_is_retried_until_accepted(
        emulator: EmulatorServer, image_uri: ImageUri, receiver: Callable[..., Receiver]) -> None:
    def answer(call: dict[str, Any], calls: list[dict[str, Any]]) -> int:
        finals = [c for c in calls if c["body"]["state"] == "success"]
        return 500 if call["body"]["state"] == "success" and len(finals) <= 2 else 200

    rx = receiver(answer)
    submit(emulator, image_uri, rx.url + "/cb")
    wait_for(lambda: rx.states().count("success") >= 3 and settled(emulator))
    assert rx.states() == ["processing", "success", "success", "success"]
    bodies = [c["body"] for c in rx.calls[1:]]
    assert all(b["state"] == "success" and b["creations"] for b in bodies)


def test_delivery_gives_up_after_the_documented_retries(
        emulator: EmulatorServer, image_uri: ImageUri, receiver: Callable[..., Receiver]) -> None:
    rx = receiver(lambda call, calls: 503)
    task_id = submit(emulator, image_uri, rx.url + "/cb")
    wait_for(lambda: rx.states().count("success") >= 4 and settled(emulator))
    assert rx.states() == ["processing"] + ["success"] * 4  # processing is not retried
    closed = Receiver(lambda call, calls: 200)
    dead_url = closed.url + "/cb"
    closed.close()
    unreachable = submit(emulator, image_uri, dead_url)
    sender = contract(emulator).callbacks
    wait_for(lambda: len([d for d in sender.delivered if d["task_id"] == unreachable]) == 5
             and settled(emulator))
    assert {d["status"] for d in sender.delivered if d["task_id"] == unreachable} == {None}
    polled = httpx.get(f"{emulator.url}/ent/v2/tasks/{unreachable}/creations",
                       headers={"Authorization": f"Token {DEMO_KEY}"}).json()
    assert polled["state"] == "success" and task_id != unreachable


def test_failed_and_cancelled_tasks_call_back(
        emulator: EmulatorServer, image_uri: ImageUri, receiver: Callable[..., Receiver]) -> None:
    rx = receiver()
    fault(emulator, action="fail", code="CreationPolicyViolation")
    failed = submit(emulator, image_uri, rx.url + "/failed")
    wait_for(lambda: "failed" in rx.states())
    assert rx.states() == ["processing", "failed"]
    assert rx.calls[-1]["body"]["err_code"] == "CreationPolicyViolation"
    assert rx.calls[-1]["body"]["id"] == failed and rx.calls[-1]["body"]["credits"] == 0
    fault(emulator, action="stuck")
    stuck = submit(emulator, image_uri, rx.url + "/cancelled")
    auth = {"Authorization": f"Token {DEMO_KEY}"}
    wait_for(lambda: httpx.get(f"{emulator.url}/ent/v2/tasks/{stuck}/creations",
                               headers=auth).json()["state"] == "queueing")
    assert httpx.post(f"{emulator.url}/ent/v2/tasks/{stuck}/cancel", headers=auth).json() == {}
    wait_for(lambda: len(rx.calls) == 3 and settled(emulator))
    last = rx.calls[-1]
    assert last["path"] == "/cancelled"
    assert (last["body"]["state"], last["body"]["err_code"]) == ("failed", "UserCancelled")
