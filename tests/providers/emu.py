"""Helpers for the tests against the emulator: requests per host, polling with a deadline,
the control API, and a tiny loopback HTTP server that redirects or records headers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.base import Adapter, RemoteStatus, Retry
from vidu_desktop.providers.registry import make_adapter

from .samples import MODELS

HOSTS = list(ProviderId)
FAST = Retry(attempts=4, base=0.02, cap=0.2)


def gen_request(pid: ProviderId, image: str, **changes: Any) -> GenerationRequest:
    values: dict[str, Any] = dict(provider=pid, model=MODELS[pid], prompt="A fox in the snow.",
                                  images=(ReferenceImage(image),))
    values.update(changes)
    return GenerationRequest(**values)


def adapter_for(server: Any, pid: ProviderId, key: str, **options: Any) -> Adapter:
    options.setdefault("retry", FAST)
    return make_adapter(pid, key, f"{server.url}/{pid.value}", **options)


async def until_done(adapter: Adapter, remote_id: str, timeout: float = 20.0) -> RemoteStatus:
    """Poll until the task leaves QUEUED/PROCESSING (fails the test after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        status = await adapter.status(remote_id)
        if status.state not in (TaskState.QUEUED, TaskState.PROCESSING):
            return status
        if time.monotonic() > deadline:
            raise AssertionError(f"task {remote_id} still {status.wire_state} after {timeout} s")
        await asyncio.sleep(0.02)


def fault(server: Any, **rule: Any) -> None:
    httpx.post(f"{server.url}/_emulator/faults", json=rule).raise_for_status()


def set_key(server: Any, key: str, balance: float) -> None:
    httpx.post(f"{server.url}/_emulator/keys", json={"key": key, "balance": balance}
               ).raise_for_status()


def counts(server: Any) -> dict[str, Any]:
    return httpx.get(f"{server.url}/_emulator/counters").json()  # type: ignore[no-any-return]


def requests_for(server: Any, pid: ProviderId, route: str) -> int:
    return int(counts(server)["requests"].get(pid.value, {}).get(route, 0))


def submissions(server: Any, pid: ProviderId, key: str) -> int:
    return int(counts(server)["submissions"].get(pid.value, {}).get(key, 0))


class Recorder:
    """A loopback server on its own port: records each request's headers; answers with
    ``redirect_to + path`` (307) when set, else ``body``."""

    def __init__(self, body: bytes = b"", redirect_to: str = "") -> None:
        self.seen: list[dict[str, str]] = []
        self.paths: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                outer.seen.append({k.lower(): v for k, v in self.headers.items()})
                outer.paths.append(self.path)
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                if outer.redirect_to:
                    self.send_response(307)
                    self.send_header("Location", outer.redirect_to + self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.body = body
        self.redirect_to = redirect_to
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]

    @contextmanager
    def running(self) -> Iterator[Recorder]:
        thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()
            thread.join(5)
