"""Vidu's task callbacks: signed POSTs of the task's GET-creations body to ``callback_url``.

Per the Vidu docs (callback + callback-signature pages):

* sent when the task's state changes to ``processing``, ``success`` or ``failed``; delivery of
  ``success``/``failed`` is retried (``config.callback_retries`` times, 3 as documented) after a
  non-2xx answer or a connection error, waiting ``config.callback_backoff_s`` x 2^n between tries;
* headers ``Date`` (RFC 1123, GMT), ``x-request-nonce``, ``X-HMAC-SIGNED-HEADERS:
  Date;x-request-nonce``, ``X-HMAC-SIGNATURE``, ``X-HMAC-ALGORITHM: hmac-sha256``,
  ``X-HMAC-ACCESS-KEY: vidu``;
* ``signature = base64(HMAC-SHA256(key = the API key that created the task, signing string))``
  with the signing string ``METHOD\\npath\\nquery\\nvidu\\nDate\\n`` followed by one
  ``Name:value\\n`` line per signed header, in the listed order.

Deliveries of one task go out in order (each waits for the previous one to finish).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import uuid
from collections import deque
from collections.abc import Callable
from email.utils import formatdate
from typing import Any
from urllib.parse import urlsplit

import httpx

from .board import EmuTask, Phase
from .config import EmulatorConfig

log = logging.getLogger(__name__)

ACCESS_KEY = "vidu"
ALGORITHM = "hmac-sha256"
SIGNED_HEADERS = ("Date", "x-request-nonce")
#: phase changes that are reported, and whether their delivery is retried
_REPORTED = {Phase.PROCESSING: False, Phase.SUCCESS: True, Phase.FAILED: True,
             Phase.CANCELLED: True}


def is_loopback_url(url: str) -> bool:
    """True for an http(s) URL whose host is a loopback address (the only reachable ones)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def signing_string(method: str, url: str, date: str, headers: dict[str, str],
                   signed: tuple[str, ...] = SIGNED_HEADERS) -> str:
    """The string Vidu signs for a callback to ``url``."""
    parts = urlsplit(url)
    lines = [method.upper(), parts.path or "/", parts.query, ACCESS_KEY, date]
    return "\n".join(lines) + "\n" + "".join(f"{name}:{headers[name]}\n" for name in signed)


def signature(api_key: str, text: str) -> str:
    digest = hmac.new(api_key.encode(), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_headers(api_key: str, url: str, date: str | None = None,
                   nonce: str | None = None) -> dict[str, str]:
    """Every header of a callback POST to ``url``, signed with ``api_key``."""
    values = {"Date": date or formatdate(usegmt=True),
              "x-request-nonce": nonce or str(uuid.uuid4())}
    text = signing_string("POST", url, values["Date"], values)
    return {
        **values,
        "Content-Type": "application/json",
        "X-HMAC-SIGNED-HEADERS": ";".join(SIGNED_HEADERS),
        "X-HMAC-SIGNATURE": signature(api_key, text),
        "X-HMAC-ALGORITHM": ALGORITHM,
        "X-HMAC-ACCESS-KEY": ACCESS_KEY,
    }


class CallbackSender:
    """Listens to the board and delivers a task's callbacks. ``body(task)`` renders the
    GET-creations body at the moment of the change."""

    def __init__(self, config: EmulatorConfig, provider: str,
                 body: Callable[[EmuTask], dict[str, Any]]) -> None:
        self.config = config
        self.provider = provider
        self.body = body
        #: the latest attempts, for inspection: task_id, url, status (None: no answer), attempt
        self.delivered: deque[dict[str, Any]] = deque(maxlen=1000)
        self._client: httpx.AsyncClient | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._last: dict[str, asyncio.Task[None]] = {}
        self._closed = False

    def on_change(self, task: EmuTask) -> None:
        """Board listener (called on the server loop): schedule the delivery of this change."""
        if self._closed or task.provider != self.provider or task.phase not in _REPORTED:
            return
        url = str(task.extra.get("callback_url") or "")
        if not url:
            return
        body = json.dumps(self.body(task)).encode()
        previous = self._last.get(task.id)
        job = asyncio.get_running_loop().create_task(
            self._deliver(task.id, task.key, url, body, _REPORTED[task.phase], previous))
        self._running.add(job)
        self._last[task.id] = job
        job.add_done_callback(self._done)

    def _done(self, job: asyncio.Task[None]) -> None:
        self._running.discard(job)
        for task_id in [t for t, j in self._last.items() if j is job]:
            del self._last[task_id]

    @property
    def pending(self) -> int:
        """Deliveries scheduled or in progress (retries included)."""
        return len(self._running)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=10.0, follow_redirects=False)
        return self._client

    async def _deliver(self, task_id: str, key: str, url: str, body: bytes, retry: bool,
                       previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await asyncio.wait({previous})  # in order; its outcome does not matter
        attempts = 1 + (max(0, self.config.callback_retries) if retry else 0)
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(self.config.callback_backoff_s * 2 ** (attempt - 1))
            status: int | None = None
            try:
                response = await self._http().post(url, content=body,
                                                   headers=signed_headers(key, url))
                status = response.status_code
            except httpx.HTTPError as exc:
                log.info("vidu callback for %s to %s failed: %s", task_id, url, exc)
            self.delivered.append({"task_id": task_id, "url": url, "status": status,
                                   "attempt": attempt + 1})
            if status is not None and 200 <= status < 300:
                return
        log.info("vidu callback for %s to %s given up after %d attempts", task_id, url,
                 attempts)

    async def close(self) -> None:
        self._closed = True
        jobs = list(self._running)
        for job in jobs:
            job.cancel()
        if jobs:
            await asyncio.wait(jobs, timeout=5)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
