"""Vidu's official API (``/ent/v2``) and the mirrors that re-host its schema under another
address (often with Bearer auth: pass ``base_url`` and ``auth``).

Account: ``account_info`` reads ``GET /ent/v2/credits`` (platform.vidu.com/docs/get-account-info).

Reconciliation: the submit carries the client token in ``payload``, which Vidu echoes on every
task; ``find_by_token`` pages through ``GET /ent/v2/tasks`` to find it. When the user set a
payload too, both travel as JSON: ``{"vidu_desktop_token": <token>, "user": <user payload>}``;
``user_payload`` recovers the user's part.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar

from vidu_desktop.core.capabilities import Mode, ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskState

from .account import AccountInfo
from .base import (
    Adapter,
    CancelOutcome,
    RemoteStatus,
    Submitted,
    as_float,
    as_int,
    as_progress,
    path_segment,
    slim,
    wire_to_state,
)
from .codes import task_failure
from .http import expiry_from_url, trace_id_of
from .wire import references, video_params

log = logging.getLogger(__name__)

TOKEN_FIELD = "vidu_desktop_token"

#: Vidu's task states -> ours. ``failed`` with err_code UserCancelled becomes CANCELLED.
STATES: dict[str, TaskState] = {
    "created": TaskState.QUEUED,
    "queueing": TaskState.QUEUED,
    "queued": TaskState.QUEUED,
    "scheduled": TaskState.QUEUED,
    "processing": TaskState.PROCESSING,
    "success": TaskState.DOWNLOADING,
    "succeeded": TaskState.DOWNLOADING,
    "failed": TaskState.FAILED,
    "cancelled": TaskState.CANCELLED,
    "canceled": TaskState.CANCELLED,
}

_PATHS = {Mode.REFERENCE2VIDEO: "/ent/v2/reference2video", Mode.IMG2VIDEO: "/ent/v2/img2video"}
LIST_PAGE_SIZE = 100
LIST_MAX_PAGES = 20


def encode_payload(client_token: str, user_payload: str) -> str:
    if not user_payload:
        return client_token
    return json.dumps({TOKEN_FIELD: client_token, "user": user_payload}, ensure_ascii=False)


def token_of(payload: object) -> str:
    """The client token inside an echoed ``payload`` ("" when none)."""
    if not isinstance(payload, str) or not payload:
        return ""
    if payload.startswith("{"):
        try:
            data = json.loads(payload)
        except ValueError:
            return payload
        if isinstance(data, dict) and isinstance(data.get(TOKEN_FIELD), str):
            return str(data[TOKEN_FIELD])
    return payload


def user_payload(payload: object) -> str:
    """The user's own part of an echoed ``payload``."""
    if isinstance(payload, str) and payload.startswith("{"):
        try:
            data = json.loads(payload)
        except ValueError:
            return payload
        if isinstance(data, dict) and TOKEN_FIELD in data:
            return str(data.get("user", ""))
    return ""


def rfc3339(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_account(data: Mapping[str, Any], host: str, trace_id: str = "") -> AccountInfo:
    """The account from a ``/ent/v2/credits`` answer. The page's field table calls the array
    ``remaining_credits``, its example ``remains``: either is read. One entry per package type
    (test, metered, concurrent): the credits add up; the concurrency figures describe the
    organisation, so the largest is taken [I: the docs do not say how the entries combine]."""
    remains = data.get("remains", data.get("remaining_credits"))
    if not isinstance(remains, list) or not all(isinstance(r, dict) for r in remains):
        raise AppError(ErrorKind.PROTOCOL, f"{host} sent account info without the remaining "
                       "credits.", trace_id=trace_id, code="no_remains")
    credits = [c for c in (as_float(r.get("credit_remain")) for r in remains) if c is not None]

    def largest(name: str) -> int | None:
        values = [v for v in (as_int(r.get(name)) for r in remains) if v is not None]
        return max(values) if values else None

    return AccountInfo(balance=sum(credits) if credits or not remains else None,
                       unit="credits", concurrency_limit=largest("concurrency_limit"),
                       running=largest("current_concurrency"), queued=largest("queue_count"))


class ViduAdapter(Adapter):
    supports_cancel: ClassVar[bool] = True
    supports_reconcile: ClassVar[bool] = True
    pids: ClassVar[frozenset[ProviderId]] = frozenset({ProviderId.VIDU})

    # -- pure mapping -------------------------------------------------------------------
    def build_submit(self, request: GenerationRequest, client_token: str
                     ) -> tuple[str, dict[str, Any]]:
        req = request.resolved()
        spec = req.spec
        # subjects: [{"id", "images", "voice_id"}] with "@id" in the prompt, as ComfyUI's
        # Vidu2 reference node sends it (the newer docs also spell it "name" / "[@name]")
        sent, refs = references(req)
        body: dict[str, Any] = {"model": spec.wire_model or spec.model, **refs,
                                **video_params(req, prompt=sent.prompt)}
        payload = encode_payload(client_token, req.payload)
        if payload:
            body["payload"] = payload
        if req.off_peak:
            body["off_peak"] = True
        if req.watermark:
            body["watermark"] = True
        if req.callback_url:
            body["callback_url"] = req.callback_url
        body.update(req.extra)
        return _PATHS[req.mode], body

    def parse_submit(self, data: dict[str, Any], headers: Mapping[str, str]) -> Submitted:
        remote_id = data.get("task_id") or data.get("id")
        if not remote_id:
            raise AppError(ErrorKind.PROTOCOL, f"{self.host} accepted the task but sent no "
                           "task id.", trace_id=trace_id_of(data, headers), code="no_task_id")
        return Submitted(str(remote_id), str(data.get("state") or "created"),
                         as_int(data.get("seed")) or None, trace_id_of(data, headers),
                         slim(data))

    def parse_status(self, data: dict[str, Any], headers: Mapping[str, str], *,
                     now: float | None = None) -> RemoteStatus:
        wire = str(data.get("state") or "").strip()
        remote_id = str(data.get("id") or data.get("task_id") or "")
        trace = trace_id_of(data, headers)
        state = wire_to_state(STATES, wire.lower(), wire, host=self.host, remote_id=remote_id,
                              trace_id=trace)
        error = None
        err_code = str(data.get("err_code") or "")
        if state in (TaskState.FAILED, TaskState.CANCELLED):
            state, error = task_failure(err_code or ("UserCancelled"
                                                     if state == TaskState.CANCELLED else ""),
                                        str(data.get("err_msg") or data.get("message") or ""),
                                        self.host, trace)
        video_url = cover_url = None
        creations = data.get("creations")
        if isinstance(creations, list):
            for creation in creations:
                if isinstance(creation, dict) and creation.get("url"):
                    video_url = str(creation["url"])
                    cover_url = str(creation.get("cover_url") or "") or None
                    break
        if state == TaskState.DOWNLOADING and not video_url:
            raise AppError(ErrorKind.PROTOCOL, f"{self.host} reports task {remote_id} as "
                           "succeeded but gives no video URL.", trace_id=trace,
                           code="no_video_url")
        credits = data.get("credits")
        cost = float(credits) if isinstance(credits, (int, float)) and not isinstance(
            credits, bool) and state == TaskState.DOWNLOADING else None
        return RemoteStatus(
            remote_id=remote_id, state=state, wire_state=wire,
            progress=as_progress(data.get("progress")),
            eta_s=None, video_url=video_url, cover_url=cover_url,
            url_expires_at=expiry_from_url(video_url) if video_url else None,
            seed=as_int(data.get("seed")) or None, cost=cost,
            cost_unit="credits" if cost is not None else "", error=error, raw=slim(data))

    # -- calls --------------------------------------------------------------------------
    async def status(self, remote_id: str) -> RemoteStatus:
        reply = await self._request("GET", f"/ent/v2/tasks/{path_segment(remote_id)}/creations")
        status = self.parse_status(reply.data, reply.headers)
        return status if status.remote_id else replace(status, remote_id=remote_id)

    async def cancel(self, remote_id: str) -> CancelOutcome:
        try:
            await self._request("POST", f"/ent/v2/tasks/{path_segment(remote_id)}/cancel",
                                json_body={"id": remote_id})
        except AppError as err:
            if err.http_status in (400, 409) and err.kind in (
                    ErrorKind.INVALID_PARAMETER, ErrorKind.RATE_LIMITED, ErrorKind.CANCELLED):
                return CancelOutcome.TOO_LATE
            raise
        return CancelOutcome.CANCELLED_ON_SERVER

    async def find_by_token(self, client_token: str, since: datetime) -> Submitted | None:
        params: dict[str, Any] = {"created_at.from": rfc3339(since),
                                  "pager.pagesz": LIST_PAGE_SIZE}
        for page in range(LIST_MAX_PAGES):
            reply = await self._request("GET", "/ent/v2/tasks", params=params)
            tasks = reply.data.get("tasks")
            if not isinstance(tasks, list):
                return None
            for task in tasks:
                if isinstance(task, dict) and token_of(task.get("payload")) == client_token:
                    remote_id = str(task.get("id") or task.get("task_id") or "")
                    if remote_id:
                        return Submitted(remote_id, str(task.get("state") or ""),
                                         as_int(task.get("seed")) or None,
                                         trace_id_of(reply.data, reply.headers), slim(task))
            token = reply.data.get("next_page_token")
            if not tasks or (len(tasks) < LIST_PAGE_SIZE and not token):
                return None
            if token:
                params["pager.page_token"] = token
                params.pop("pager.page", None)
            else:
                params["pager.page"] = page + 1
        return None

    async def check_key(self) -> None:
        await self._request("GET", "/ent/v2/tasks", params={"pager.pagesz": 1}, retry=False)

    async def account_info(self) -> AccountInfo:
        """Balance, concurrency and queue now. Not retried: the caller asks again later."""
        reply = await self._request("GET", "/ent/v2/credits", retry=False)
        return parse_account(reply.data, self.host, trace_id_of(reply.data, reply.headers))

