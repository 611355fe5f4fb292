"""The interface the engine uses: one ``Adapter`` per API host, and what its calls return.

An adapter is pure mapping (``build_submit``, ``parse_status``: unit-testable on recorded JSON)
over a thin HTTP shell (``_request``: auth, caps, retries, error mapping). Submits are never
retried here: they cost money; the adapter says what a failed one proves (``submit_outcome``)
and the engine sends again only what the host proved it did not make. Polls are retried with
backoff, jitter and Retry-After.
"""

from __future__ import annotations

import asyncio
import logging
import random
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from vidu_desktop.core.capabilities import (
    AuthScheme,
    ProviderId,
    ProviderSpec,
    provider,
)
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.records import record
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskState

from .http import (
    MAX_JSON_BYTES,
    Timeouts,
    auth_headers,
    check_url,
    error_from_exception,
    error_from_response,
    make_client,
    parse_json_object,
    read_capped,
    redact,
    trace_id_of,
)
from .submit_outcome import SubmitOutcome, classify

if TYPE_CHECKING:  # httpx is imported when the first request is made (start-up)
    import httpx

log = logging.getLogger(__name__)

__all__ = ["Adapter", "CancelOutcome", "RemoteStatus", "Reply", "Retry", "Submitted",
           "Timeouts"]

#: Error kinds worth another try of an idempotent request.
RETRY_KINDS = frozenset({ErrorKind.NETWORK, ErrorKind.TIMEOUT, ErrorKind.RATE_LIMITED,
                         ErrorKind.OUTAGE, ErrorKind.PROTOCOL})


@record
class Submitted:
    """What a submit returned (or what reconciliation found)."""

    remote_id: str
    wire_state: str
    seed: int | None = None
    trace_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@record
class RemoteStatus:
    """One poll, in our terms. ``state`` is QUEUED, PROCESSING, DOWNLOADING (the host succeeded:
    the result is ready to fetch), FAILED or CANCELLED."""

    remote_id: str
    state: TaskState
    wire_state: str
    progress: float | None = None  # 0..1
    eta_s: float | None = None
    video_url: str | None = None
    cover_url: str | None = None
    url_expires_at: float | None = None  # epoch seconds, when the host tells
    seed: int | None = None
    cost: float | None = None
    cost_unit: str = ""  # "credits" | "USD" | ""
    remaining_balance: float | None = None
    error: AppError | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


class CancelOutcome(StrEnum):
    CANCELLED_ON_SERVER = "cancelled_on_server"
    TOO_LATE = "too_late"  # the host has started; it will finish (and bill)
    NOT_SUPPORTED = "not_supported"  # the host has no cancel endpoint


@record
class Retry:
    """Backoff for idempotent requests: ``attempts`` tries in all, waits of
    ``base * 2**n`` capped at ``cap``, each scaled by a random factor in ``[1 - jitter, 1]``.
    A host's Retry-After wins when given; above ``max_wait`` the error is raised instead, with
    ``retry_after`` set for the caller to schedule. Deterministic with ``rng``."""

    attempts: int = 5
    base: float = 0.5
    cap: float = 20.0
    jitter: float = 0.5
    max_wait: float = 60.0
    rng: random.Random | None = field(default=None, compare=False, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try number ``attempt + 1`` (``attempt`` counts from 0)."""
        if retry_after is not None:
            return max(0.0, retry_after)
        backoff = min(self.cap, self.base * (2 ** attempt))
        draw = (self.rng or random).random()
        return float(backoff * (1.0 - self.jitter * draw))


@record
class Reply:
    status: int
    headers: httpx.Headers
    data: dict[str, Any]


def slim(value: Any, limit: int = 2048) -> Any:
    """``value`` with long strings (echoed data URIs) shortened, for keeping as ``raw``."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:64]}…<{len(value)} chars>"
    if isinstance(value, dict):
        return {k: slim(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [slim(v, limit) for v in value]
    return value


def wire_to_state(table: Mapping[str, TaskState], key: str, wire: str, *, host: str,
                  remote_id: str, trace_id: str) -> TaskState:
    """Our state for the wire state ``wire`` (looked up as ``key``). A missing state is a
    PROTOCOL error; an unknown one is taken as PROCESSING (keep polling), with a warning."""
    if not wire.strip():
        raise AppError(ErrorKind.PROTOCOL, f"{host} sent a task answer without a state.",
                       trace_id=trace_id, code="no_state")
    state = table.get(key)
    if state is None:
        log.warning("%s task %s: unknown state %r, treated as processing", host, remote_id,
                    wire)
        return TaskState.PROCESSING
    return state


def path_segment(remote_id: str) -> str:
    """A remote id as one URL path segment; refuses ids that could change the path."""
    if not remote_id or any(c in remote_id for c in "/?#%\\ ") or remote_id in (".", ".."):
        raise AppError(ErrorKind.INVALID_PARAMETER, f"{remote_id!r} is not a task id.",
                       retryable=False, code="bad_task_id")
    return remote_id


def as_int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def as_float(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def as_progress(value: object, *, percent: bool | None = None) -> float | None:
    """0..1 from a percentage (``percent=True``), a fraction (``False``) or, where the host
    does not document which, a guess (above 1 means a percentage)."""
    number = as_float(value)
    if number is None or number < 0:
        return None
    if percent is None:
        percent = number > 1.0
    return min(1.0, number / 100.0 if percent else number)


class Adapter(ABC):
    """One API host. Construct with the host id and key; ``base_url`` overrides the host's
    address (mirrors), ``auth`` its auth scheme (mirrors re-hosting Vidu's schema with Bearer),
    ``client`` shares an httpx client (then ``close`` leaves it open)."""

    supports_cancel: ClassVar[bool] = False
    supports_reconcile: ClassVar[bool] = False
    pids: ClassVar[frozenset[ProviderId]] = frozenset()

    def __init__(self, pid: ProviderId, key: str, *, base_url: str | None = None,
                 client: httpx.AsyncClient | None = None, auth: AuthScheme | None = None,
                 timeouts: Timeouts | None = None, retry: Retry | None = None,
                 max_json_bytes: int = MAX_JSON_BYTES) -> None:
        pid = ProviderId(pid)
        if self.pids and pid not in self.pids:
            raise ValueError(f"{type(self).__name__} does not serve {pid.value}")
        self.pid = pid
        self.spec: ProviderSpec = provider(pid)
        self.base_url = check_url((base_url or self.spec.base_url).rstrip("/"),
                                  what=f"{self.spec.display_name} base URL")
        self.auth = auth or self.spec.auth
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or Retry()
        self.max_json_bytes = max_json_bytes
        self.__key = key
        self._own_client = client is None
        self._client = client
        self._sleep = asyncio.sleep  # replaced in tests

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.pid.value} {self.base_url} key=***>"

    @property
    def client(self) -> httpx.AsyncClient:
        """The adapter's httpx client (created on first use when none was given). It holds
        no auth headers: the engine may pass it to ``download``."""
        if self._client is None:
            self._client = make_client(self.timeouts)
        return self._client

    @property
    def host(self) -> str:
        return self.spec.display_name

    # -- the interface -------------------------------------------------------------------
    @abstractmethod
    def build_submit(self, request: GenerationRequest, client_token: str
                     ) -> tuple[str, dict[str, Any]]:
        """Pure: the path (below ``base_url``) and JSON body of the submit request."""

    @abstractmethod
    def parse_submit(self, data: dict[str, Any], headers: Mapping[str, str]) -> Submitted:
        """Pure: the submit answer."""

    @abstractmethod
    def parse_status(self, data: dict[str, Any], headers: Mapping[str, str], *,
                     now: float | None = None) -> RemoteStatus:
        """Pure: one status answer (``now``: epoch seconds, for relative TTLs)."""

    @abstractmethod
    async def status(self, remote_id: str) -> RemoteStatus:
        """The task's state now; transient failures retried, others raised as AppError."""

    async def submit(self, request: GenerationRequest, client_token: str) -> Submitted:
        """Send the task once; never retried here. A failed submit's AppError carries
        ``outcome``, a :class:`SubmitOutcome`: whether a task may exist at the host
        (``unknown``: reconcile before sending again), proved not made (``not_created``: safe to
        send again later), refused (``rejected``) or never sent (``not_sent``)."""
        path, body = self.build_submit(request, client_token)
        reply = await self._request("POST", path, json_body=body, retry=False, submit=True,
                                    read_timeout=self.timeouts.submit_read)
        try:
            return self.parse_submit(reply.data, reply.headers)
        except AppError as err:
            err.outcome = err.outcome or SubmitOutcome.UNKNOWN
            raise

    async def cancel(self, remote_id: str) -> CancelOutcome:
        return CancelOutcome.NOT_SUPPORTED

    async def find_by_token(self, client_token: str, since: datetime) -> Submitted | None:
        """The task sent with ``client_token`` since ``since``, where the host can tell."""
        return None

    async def check_key(self) -> None:
        """A cheap authenticated request; AppError(AUTH) when the host refuses the key.
        Default: the status of a task that does not exist (404 means the key is fine)."""
        try:
            await self._request("GET", self.probe_path(), retry=False)
        except AppError as err:
            if err.kind in (ErrorKind.NOT_FOUND, ErrorKind.INVALID_PARAMETER):
                return
            raise

    def probe_path(self) -> str:
        return "/"

    async def close(self) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- the HTTP shell ------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {"Accept": "application/json", **auth_headers(self.auth, self.__key)}

    def redact(self, text: str) -> str:
        return redact(text, self.__key)

    def _http_error(self, status: int, data: Mapping[str, Any] | None, text: str,
                    headers: Mapping[str, str]) -> AppError:
        return error_from_response(status, data, text, headers, host=self.host,
                                   key=self.__key)

    def _transport_error(self, exc: httpx.HTTPError) -> AppError:
        return error_from_exception(exc, host=self.host, key=self.__key)

    async def _once(self, method: str, path: str, *, params: Mapping[str, Any] | None,
                    json_body: Any, read_timeout: float | None,
                    accept: frozenset[int]) -> Reply:
        import httpx

        url = self.base_url + path
        log.debug("%s %s %s", self.pid.value, method, path)
        try:
            async with self.client.stream(
                method, url, params=params, json=json_body, headers=self._headers(),
                timeout=self.timeouts.httpx(read_timeout),
            ) as response:
                if 300 <= response.status_code < 400:
                    raise self._redirected(response)
                body = await read_capped(response, self.max_json_bytes, host=self.host)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from None
        data = parse_json_object(body)
        status = response.status_code
        if 200 <= status < 300 or status in accept:
            if data is None:
                raise AppError(ErrorKind.PROTOCOL, f"{self.host} answered HTTP {status} with "
                               "something that is not a JSON object.", http_status=status,
                               trace_id=trace_id_of(None, response.headers), code="bad_json")
            return Reply(status, response.headers, data)
        text = "" if data else body[:300].decode("utf-8", "replace")
        raise self._http_error(status, data, text, response.headers)

    def _redirected(self, response: httpx.Response) -> AppError:
        location = self.redact(response.headers.get("location", ""))
        return AppError(ErrorKind.PROTOCOL, f"{self.host} redirected the request to "
                        f"{location or 'another address'}; the app does not follow API "
                        "redirects, so the key stays with the configured host.",
                        "Check the host's base URL in Settings.", retryable=False,
                        http_status=response.status_code, code="redirect")

    async def _request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                       json_body: Any = None, retry: bool = True, submit: bool = False,
                       read_timeout: float | None = None,
                       accept: frozenset[int] = frozenset()) -> Reply:
        attempts = max(1, self.retry.attempts) if retry and not submit else 1
        attempt = 0
        while True:
            try:
                return await self._once(method, path, params=params, json_body=json_body,
                                        read_timeout=read_timeout, accept=accept)
            except AppError as err:
                if submit:
                    err.outcome = classify(self.pid, err)
                    raise
                attempt += 1
                if attempt >= attempts or err.kind not in RETRY_KINDS or err.code in (
                        "redirect", "too_large"):
                    raise
                wait = self.retry.delay(attempt - 1, err.retry_after)
                if wait > self.retry.max_wait:
                    raise
                log.info("%s %s %s failed (%s); try %d of %d in %.2f s", self.pid.value,
                         method, path, err.kind.value, attempt + 1, attempts, wait)
                await self._sleep(wait)
