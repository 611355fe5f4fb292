"""Segmind: v2 asynchronous by default (``POST /v2/<model>`` -> ``request_id``; poll
``/v2/requests/{id}/status``; fetch ``/v2/requests/{id}`` for the result), v1 synchronous as an
option (``sync=True``: ``submit_sync`` blocks until the MP4 arrives as the response body, with
the accounting in ``x-*`` headers). A FAILED v2 job is served with HTTP 422 and a status body:
that is a FAILED status, not a request error. Rate limits say when to come back in
``x-rate-limit-reset-at-utc`` rather than Retry-After (``http.retry_after_of`` reads both).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from vidu_desktop.core.capabilities import AuthScheme, ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskState

from .base import (
    Adapter,
    RemoteStatus,
    Retry,
    Submitted,
    Timeouts,
    as_float,
    as_int,
    as_progress,
    path_segment,
    slim,
    wire_to_state,
)
from .codes import task_failure
from .download import MAX_VIDEO_BYTES, Progress, write_body
from .http import (
    code_and_message,
    expiry_from_url,
    parse_json_object,
    read_capped,
    trace_id_of,
)
from .submit_outcome import SubmitOutcome, classify
from .wire import references, video_params

if TYPE_CHECKING:  # httpx is imported when the first request is made (start-up)
    import httpx

log = logging.getLogger(__name__)

STATES: dict[str, TaskState] = {
    "QUEUED": TaskState.QUEUED,
    "PENDING": TaskState.QUEUED,
    "IN_QUEUE": TaskState.QUEUED,
    "PROCESSING": TaskState.PROCESSING,
    "IN_PROGRESS": TaskState.PROCESSING,
    "RUNNING": TaskState.PROCESSING,
    "COMPLETED": TaskState.DOWNLOADING,
    "SUCCEEDED": TaskState.DOWNLOADING,
    "SUCCESS": TaskState.DOWNLOADING,
    "FAILED": TaskState.FAILED,
    "ERROR": TaskState.FAILED,
    "CANCELLED": TaskState.CANCELLED,
    "CANCELED": TaskState.CANCELLED,
}
#: Where the result body may keep the video: the modality key first, then generic ones.
_URL_KEYS = ("video", "video_url", "output", "outputs", "url", "result", "data")


def find_url(value: object, depth: int = 0) -> str | None:
    """The first http(s) URL in a result value: a string, a list, or an object."""
    if depth > 4:
        return None
    if isinstance(value, str):
        return value if value.startswith(("http://", "https://")) else None
    if isinstance(value, list):
        for item in value:
            found = find_url(item, depth + 1)
            if found:
                return found
    if isinstance(value, dict):
        for name in _URL_KEYS:
            if name in value:
                found = find_url(value[name], depth + 1)
                if found:
                    return found
    return None


class SegmindAdapter(Adapter):
    pids: ClassVar[frozenset[ProviderId]] = frozenset({ProviderId.SEGMIND})

    def __init__(self, pid: ProviderId, key: str, *, base_url: str | None = None,
                 client: httpx.AsyncClient | None = None, auth: AuthScheme | None = None,
                 timeouts: Timeouts | None = None, retry: Retry | None = None,
                 sync: bool = False, **kwargs: Any) -> None:
        super().__init__(pid, key, base_url=base_url, client=client, auth=auth,
                         timeouts=timeouts, retry=retry, **kwargs)
        self.sync = sync

    # -- pure mapping -------------------------------------------------------------------
    def build_submit(self, request: GenerationRequest, client_token: str
                     ) -> tuple[str, dict[str, Any]]:
        req = request.resolved()
        spec = req.spec
        # Segmind documents no resolution field (1080p is the only one) and no subjects: a
        # cast goes as pictures in order, its mentions put into words
        sent, refs = references(req, "image_urls")
        body: dict[str, Any] = {**refs, **video_params(req, resolution=False,
                                                       prompt=sent.prompt)}
        body.update(req.extra)
        version = "v1" if self.sync else "v2"
        return f"/{version}/{spec.wire_model or spec.model}", body

    def parse_submit(self, data: dict[str, Any], headers: Mapping[str, str]) -> Submitted:
        remote_id = data.get("request_id") or data.get("id")
        if not remote_id:
            raise AppError(ErrorKind.PROTOCOL, f"{self.host} accepted the request but sent "
                           "no request id.", trace_id=trace_id_of(data, headers),
                           code="no_task_id")
        return Submitted(str(remote_id), str(data.get("status") or "QUEUED"), None,
                         trace_id_of(data, headers), slim(data))

    def parse_status(self, data: dict[str, Any], headers: Mapping[str, str], *,
                     now: float | None = None) -> RemoteStatus:
        """A status body or a result body (the result body adds the video and the cost)."""
        wire = str(data.get("status") or "")
        remote_id = str(data.get("request_id") or data.get("id") or "")
        trace = trace_id_of(data, headers)
        state = wire_to_state(STATES, wire.strip().upper().replace(" ", "_"), wire,
                              host=self.host, remote_id=remote_id, trace_id=trace)
        error = None
        if state in (TaskState.FAILED, TaskState.CANCELLED):
            code, message = code_and_message({"error": data.get("error")}
                                             if data.get("error") else {}, "")
            if state == TaskState.CANCELLED:
                code = "UserCancelled"
            state, error = task_failure(code, self.redact(message), self.host, trace)
        metrics = data.get("metrics") if isinstance(data.get("metrics"), dict) else {}
        metrics = metrics or {}
        video_url = None
        if state == TaskState.DOWNLOADING:
            video_url = find_url({k: data[k] for k in _URL_KEYS if k in data})
        cost = as_float(metrics.get("cost"))
        return RemoteStatus(
            remote_id=remote_id, state=state, wire_state=wire,
            progress=as_progress(data.get("progress")),
            eta_s=None, video_url=video_url,
            url_expires_at=expiry_from_url(video_url) if video_url else None,
            seed=as_int(data.get("seed")) or None,
            cost=cost, cost_unit="USD" if cost is not None else "",
            remaining_balance=as_float(metrics.get("remaining_credits")),
            error=error, raw=slim(data))

    # -- calls --------------------------------------------------------------------------
    async def submit(self, request: GenerationRequest, client_token: str) -> Submitted:
        if self.sync:
            raise AppError(ErrorKind.LOCAL, "This Segmind adapter is synchronous (v1): use "
                           "submit_sync.", retryable=False, code="sync_mode")
        return await super().submit(request, client_token)

    async def status(self, remote_id: str) -> RemoteStatus:
        rid = path_segment(remote_id)
        accept = frozenset({422})
        reply = await self._request("GET", f"/v2/requests/{rid}/status", accept=accept)
        if reply.status == 422 and "status" not in reply.data:  # a plain validation error
            raise self._http_error(422, reply.data, "", reply.headers)
        status = self.parse_status(reply.data, reply.headers)
        if status.state == TaskState.DOWNLOADING and not status.video_url:
            result = await self._request("GET", f"/v2/requests/{rid}", accept=accept)
            status = self.parse_status(result.data, result.headers)
            if status.state == TaskState.DOWNLOADING and not status.video_url:
                raise AppError(ErrorKind.PROTOCOL, f"{self.host} reports request {rid} as "
                               "completed but its result has no video URL.",
                               trace_id=trace_id_of(result.data, result.headers),
                               code="no_video_url")
        return status if status.remote_id else replace(status, remote_id=remote_id)

    def probe_path(self) -> str:
        return f"/v2/requests/{uuid.uuid4()}/status"

    async def submit_sync(self, request: GenerationRequest, dest: Path, *,
                          max_bytes: int = MAX_VIDEO_BYTES,
                          on_progress: Progress | None = None) -> RemoteStatus:
        """v1: send the task and stream the MP4 answer straight into ``dest``.

        Never retried. A lost answer raises AppError with ``outcome == UNKNOWN``
        (the job may have run and been billed; v1 has no way to fetch it again)."""
        import httpx

        spec = request.spec
        path = f"/v1/{spec.wire_model or spec.model}"
        _, body = self.build_submit(request, "")
        url = self.base_url + path
        headers = {**self._headers(), "Accept": "video/mp4, application/json"}
        started = time.monotonic()
        try:
            async with self.client.stream("POST", url, json=body, headers=headers,
                                          timeout=self.timeouts.httpx(self.timeouts.sync_read)
                                          ) as response:
                status = response.status_code
                ctype = response.headers.get("content-type", "").lower()
                if status >= 300 or "json" in ctype:
                    raw = await read_capped(response, self.max_json_bytes, host=self.host)
                    data = parse_json_object(raw)
                    if status >= 300:
                        text = "" if data else raw[:300].decode("utf-8", "replace")
                        err = self._http_error(status, data, text, response.headers)
                        err.outcome = classify(self.pid, err)
                        raise err
                    return self._sync_json(data, response.headers)
                dest.parent.mkdir(parents=True, exist_ok=True)
                length = response.headers.get("content-length", "")
                with dest.open("wb") as fh:
                    size = await write_body(response, fh, offset=0, max_bytes=max_bytes,
                                            total=int(length) if length.isdigit() else None,
                                            on_progress=on_progress, url=url)
        except httpx.HTTPError as exc:
            err = self._transport_error(exc)
            err.outcome = classify(self.pid, err)
            raise err from None
        except AppError as err:
            err.outcome = err.outcome or SubmitOutcome.UNKNOWN
            raise
        return self._sync_status(response.headers, size, time.monotonic() - started)

    def _sync_status(self, headers: Mapping[str, str], size: int, elapsed: float
                     ) -> RemoteStatus:
        cost = as_float(headers.get("x-cost"))
        rid = headers.get("x-request-id") or f"sync-{uuid.uuid4()}"
        return RemoteStatus(
            remote_id=rid, state=TaskState.DOWNLOADING, wire_state="200",
            progress=1.0, seed=as_int(headers.get("x-seed-value")),
            cost=cost, cost_unit="USD" if cost is not None else "",
            remaining_balance=as_float(headers.get("x-remaining-credits")),
            raw={"bytes": size, "elapsed_s": round(elapsed, 3),
                 "generation_time": headers.get("x-generation-time", ""),
                 "content_type": headers.get("content-type", "")})

    def _sync_json(self, data: dict[str, Any] | None, headers: Mapping[str, str]
                   ) -> RemoteStatus:
        """Some v1 answers are JSON with a URL instead of raw bytes: the engine downloads it."""
        url = find_url(data) if data else None
        if not url:
            raise AppError(ErrorKind.PROTOCOL, f"{self.host} answered the synchronous request "
                           "with JSON that holds no video.", trace_id=trace_id_of(data, headers),
                           code="no_video_url", outcome=SubmitOutcome.UNKNOWN)
        status = self._sync_status(headers, 0, 0.0)
        return replace(status, video_url=url, url_expires_at=expiry_from_url(url),
                       raw=slim(data))
