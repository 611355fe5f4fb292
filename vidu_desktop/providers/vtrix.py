"""Vtrix (SeaCloud gateway): ``POST /model/v1/generation`` with the wrapped body
``{"model", "input": [{"params": {…}}]}``; ``GET /model/v1/generation/task/{id}``.

Tolerant of every documented variant: status spellings pending / in_progress / processing /
completed / failed (and succeeded / success), ``error`` as a string or an object with
``message`` or ``error_message``, ``usage.cost`` as a USD string, answers wrapped in ``data``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from vidu_desktop.core.capabilities import AuthScheme, Mode, ProviderId
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
from .codes import kind_for_http, task_failure
from .http import code_and_message, expiry_from_url, trace_id_of
from .submit_outcome import SubmitOutcome, classify_refusal
from .wire import references, video_params

if TYPE_CHECKING:  # httpx is imported when the first request is made (start-up)
    import httpx

log = logging.getLogger(__name__)

STATES: dict[str, TaskState] = {
    "pending": TaskState.QUEUED,
    "queued": TaskState.QUEUED,
    "queueing": TaskState.QUEUED,
    "created": TaskState.QUEUED,
    "in_progress": TaskState.PROCESSING,
    "processing": TaskState.PROCESSING,
    "running": TaskState.PROCESSING,
    "completed": TaskState.DOWNLOADING,
    "succeeded": TaskState.DOWNLOADING,
    "success": TaskState.DOWNLOADING,
    "failed": TaskState.FAILED,
    "error": TaskState.FAILED,
    "cancelled": TaskState.CANCELLED,
    "canceled": TaskState.CANCELLED,
}

PATH = "/model/v1/generation"
ReferenceForm = Literal["subjects", "images"]


def unwrap(data: dict[str, Any]) -> dict[str, Any]:
    """The task object, also when the gateway wraps it as ``{"code", "data": {…}}``."""
    inner = data.get("data")
    if "status" not in data and "id" not in data and isinstance(inner, dict):
        return inner
    return data


def error_parts(error: object) -> tuple[str, str]:
    """(code, message) of a Vtrix ``error``: a string, or ``{code, message|error_message}``."""
    if isinstance(error, str):
        return "", error
    if isinstance(error, dict):
        return code_and_message({"error": error})
    return "", ""


class VtrixAdapter(Adapter):
    pids: ClassVar[frozenset[ProviderId]] = frozenset({ProviderId.VTRIX})

    def __init__(self, pid: ProviderId, key: str, *, base_url: str | None = None,
                 client: httpx.AsyncClient | None = None, auth: AuthScheme | None = None,
                 timeouts: Timeouts | None = None, retry: Retry | None = None,
                 reference_form: ReferenceForm = "subjects", **kwargs: Any) -> None:
        super().__init__(pid, key, base_url=base_url, client=client, auth=auth,
                         timeouts=timeouts, retry=retry, **kwargs)
        self.reference_form = reference_form

    # -- pure mapping -------------------------------------------------------------------
    def build_submit(self, request: GenerationRequest, client_token: str
                     ) -> tuple[str, dict[str, Any]]:
        req = request.resolved()
        spec = req.spec
        sent, refs = references(req)
        params: dict[str, Any]
        if "subjects" in refs:  # a model with the subjects form: the cast, by name
            params = refs
        elif req.mode == Mode.REFERENCE2VIDEO and self.reference_form == "subjects":
            # Q1: the pictures in order, one subject each, named by its position ("@1")
            params = {"subjects": [{"id": str(i), "images": [uri]}
                                   for i, uri in enumerate(refs["images"], start=1)]}
        else:
            params = refs
        params.update(video_params(req, prompt=sent.prompt))
        if req.payload:
            params["payload"] = req.payload
        if req.watermark:
            params["watermark"] = True
        params.update(req.extra)
        return PATH, {"model": spec.wire_model or spec.model, "input": [{"params": params}]}

    def parse_submit(self, data: dict[str, Any], headers: Mapping[str, str]) -> Submitted:
        task = unwrap(data)
        trace = trace_id_of(task, headers) or trace_id_of(data, headers)
        remote_id = task.get("id") or task.get("task_id")
        if not remote_id:
            code, message = error_parts(task.get("error"))
            kind = kind_for_http(400, code, message) if (code or message) else ErrorKind.PROTOCOL
            raise AppError(kind, f"{self.host} did not accept the task"
                           + (f": {self.redact(message)}" if message else " (no task id)."),
                           trace_id=trace, code=code or "no_task_id",
                           outcome=classify_refusal(self.pid, code) if code or message
                           else SubmitOutcome.UNKNOWN)
        return Submitted(str(remote_id), str(task.get("status") or "pending"),
                         None, trace, slim(data))

    def parse_status(self, data: dict[str, Any], headers: Mapping[str, str], *,
                     now: float | None = None) -> RemoteStatus:
        task = unwrap(data)
        wire = str(task.get("status") or "")
        remote_id = str(task.get("id") or task.get("task_id") or "")
        trace = trace_id_of(task, headers)
        state = wire_to_state(STATES, wire.strip().lower().replace(" ", "_").replace("-", "_"),
                              wire, host=self.host, remote_id=remote_id, trace_id=trace)
        error = None
        if state in (TaskState.FAILED, TaskState.CANCELLED):
            code, message = error_parts(task.get("error"))
            if state == TaskState.CANCELLED:
                code = "UserCancelled"
            state, error = task_failure(code, self.redact(message), self.host, trace)
        video_url = cover_url = None
        outputs = task.get("output")
        for output in outputs if isinstance(outputs, list) else []:
            content = output.get("content") if isinstance(output, dict) else None
            for item in content if isinstance(content, list) else []:
                if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                    continue
                kind = str(item.get("type") or "video").lower()
                if kind == "video" and video_url is None:
                    video_url = item["url"]
                elif kind in ("image", "cover") and cover_url is None:
                    cover_url = item["url"]
        if state == TaskState.DOWNLOADING and not video_url:
            raise AppError(ErrorKind.PROTOCOL, f"{self.host} reports task {remote_id} as "
                           "completed but gives no video URL.", trace_id=trace,
                           code="no_video_url")
        usage = task.get("usage") if isinstance(task.get("usage"), dict) else None
        cost = as_float((usage or {}).get("cost"))
        return RemoteStatus(
            remote_id=remote_id, state=state, wire_state=wire,
            progress=as_progress(task.get("progress"), percent=False),
            video_url=video_url, cover_url=cover_url,
            url_expires_at=expiry_from_url(video_url) if video_url else None,
            seed=as_int(task.get("seed")) or None,
            cost=cost, cost_unit="USD" if cost is not None else "",
            error=error, raw=slim(data))

    # -- calls --------------------------------------------------------------------------
    async def status(self, remote_id: str) -> RemoteStatus:
        reply = await self._request("GET", f"{PATH}/task/{path_segment(remote_id)}")
        status = self.parse_status(reply.data, reply.headers)
        return status if status.remote_id else replace(status, remote_id=remote_id)

    def probe_path(self) -> str:
        return f"{PATH}/task/{uuid.uuid4()}"
