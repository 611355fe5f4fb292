"""Novita's v3 async API, and HighwayAPI (JieKou.ai), a white-label of it with the same paths
and schema. ``POST /v3/async/<model>`` -> ``{task_id}``; ``GET /v3/async/task-result``."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskState

from .base import (
    Adapter,
    RemoteStatus,
    Submitted,
    as_float,
    as_int,
    as_progress,
    slim,
    wire_to_state,
)
from .codes import CREDIT_CODES, IMAGE_CODES, MODERATION_CODES, task_failure
from .http import expiry_from_url, trace_id_of
from .wire import references, video_params

log = logging.getLogger(__name__)

#: ``task.status`` -> ours (the ``TASK_STATUS_`` prefix is optional).
STATES: dict[str, TaskState] = {
    "QUEUED": TaskState.QUEUED,
    "PENDING": TaskState.QUEUED,
    "PROCESSING": TaskState.PROCESSING,
    "RUNNING": TaskState.PROCESSING,
    "SUCCEED": TaskState.DOWNLOADING,
    "SUCCEEDED": TaskState.DOWNLOADING,
    "SUCCESS": TaskState.DOWNLOADING,
    "FAILED": TaskState.FAILED,
    "CANCELED": TaskState.CANCELLED,
    "CANCELLED": TaskState.CANCELLED,
}


def wire_state_key(wire: str) -> str:
    key = wire.strip().upper()
    return key.removeprefix("TASK_STATUS_")


class NovitaAdapter(Adapter):
    pids: ClassVar[frozenset[ProviderId]] = frozenset({ProviderId.NOVITA,
                                                       ProviderId.HIGHWAYAPI})

    def build_submit(self, request: GenerationRequest, client_token: str
                     ) -> tuple[str, dict[str, Any]]:
        req = request.resolved()
        spec = req.spec
        slug = spec.wire_model or spec.model
        # vidu-q2-reference2video: subjects [{"id", "images", "voice_id"}], "@id" in the
        # prompt; viduq2-pro-fast spells the subject's name "name" (the table says which)
        sent, refs = references(req)
        body: dict[str, Any] = {**refs, **video_params(req, prompt=sent.prompt)}
        if req.watermark and spec.supports_watermark:
            body["watermark"] = True
        body.update(req.extra)
        return f"/v3/async/{slug}", body

    def parse_submit(self, data: dict[str, Any], headers: Mapping[str, str]) -> Submitted:
        task = data.get("task") if isinstance(data.get("task"), dict) else {}
        remote_id = data.get("task_id") or (task or {}).get("task_id")
        if not remote_id:
            raise AppError(ErrorKind.PROTOCOL, f"{self.host} accepted the task but sent no "
                           "task id.", trace_id=trace_id_of(data, headers), code="no_task_id")
        return Submitted(str(remote_id), "TASK_STATUS_QUEUED", None,
                         trace_id_of(data, headers), slim(data))

    def parse_status(self, data: dict[str, Any], headers: Mapping[str, str], *,
                     now: float | None = None) -> RemoteStatus:
        now = time.time() if now is None else now
        task = data.get("task") if isinstance(data.get("task"), dict) else None
        if task is None:
            raise AppError(ErrorKind.PROTOCOL, f"{self.host} sent a task result without a "
                           "task object.", trace_id=trace_id_of(data, headers), code="no_task")
        wire = str(task.get("status") or "")
        remote_id = str(task.get("task_id") or "")
        trace = trace_id_of(data, headers)
        state = wire_to_state(STATES, wire_state_key(wire), wire, host=self.host,
                              remote_id=remote_id, trace_id=trace)
        error = None
        if state in (TaskState.FAILED, TaskState.CANCELLED):
            reason = str(task.get("reason") or "")
            code = "UserCancelled" if state == TaskState.CANCELLED else _code_in(reason)
            state, error = task_failure(code, reason, self.host, trace)
        video_url = expires = None
        videos = data.get("videos")
        if isinstance(videos, list):
            for video in videos:
                if isinstance(video, dict) and video.get("video_url"):
                    video_url = str(video["video_url"])
                    ttl = as_float(video.get("video_url_ttl"))
                    expires = now + ttl if ttl else expiry_from_url(video_url)
                    break
        if state == TaskState.DOWNLOADING and not video_url:
            raise AppError(ErrorKind.PROTOCOL, f"{self.host} reports task {remote_id} as "
                           "succeeded but gives no video URL.", trace_id=trace,
                           code="no_video_url")
        extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
        eta = as_float(task.get("eta"))
        return RemoteStatus(
            remote_id=remote_id, state=state, wire_state=wire,
            progress=as_progress(task.get("progress_percent"), percent=True),
            eta_s=eta if eta and eta > 0 else None,
            video_url=video_url, url_expires_at=expires,
            seed=as_int((extra or {}).get("seed")) or None, error=error, raw=slim(data))

    async def status(self, remote_id: str) -> RemoteStatus:
        reply = await self._request("GET", "/v3/async/task-result",
                                    params={"task_id": remote_id})
        status = self.parse_status(reply.data, reply.headers)
        return status if status.remote_id else replace(status, remote_id=remote_id)

    def probe_path(self) -> str:
        return f"/v3/async/task-result?task_id={uuid.uuid4()}"


def _code_in(reason: str) -> str:
    """A Vidu-style symbolic code quoted in a Novita failure reason, if any."""
    for code in (*MODERATION_CODES, *CREDIT_CODES, *IMAGE_CODES):
        if code in reason:
            return code
    return ""
