"""Novita's v3 async API (provider-contracts.md §2), also served as HighwayAPI (§3).

HighwayAPI (JieKou.ai) is a white label of the same API: one class, two instances, each with
its own task space (a task is found only through the host that created it, by the key that
created it) and its own balances.

Routes (relative to the host's mount point):

* ``POST /v3/async/vidu-q1-reference2video``: ``images`` (1-7), ``prompt`` (required),
  ``duration``, ``seed``, ``aspect_ratio``, ``resolution``, ``movement_amplitude``, ``bgm``.
  No ``model``, ``payload`` or ``callback_url``: unknown fields are refused. Answers
  ``{"task_id": "<uuid>"}``.
* ``POST /v3/async/vidu-q1-img2video``: one image in ``images``, ``prompt`` optional, no
  ``aspect_ratio`` (the video follows the image).
* The models with subjects (``vidu-q2-reference2video``; on Novita also ``viduq2-pro-fast``):
  ``subjects`` (required, no ``images``), each ``{id (viduq2-pro-fast: name), images,
  voice_id}``, within the capability table's ``SubjectRules``; ``prompt``, ``duration``,
  ``seed``, ``aspect_ratio``, ``resolution``, ``movement_amplitude`` (the host's values:
  ``high`` where Vidu says ``large``), ``bgm``, ``audio``, ``watermark``
  (novita.ai/docs/api-reference/model-apis-vidu-q2-reference2video and
  model-apis-viduq2-pro-fast; docs.jiekou.ai reference-vidu-q2-reference2video). There is no
  ``off_peak`` here. A subject's ``videos`` (viduq2-pro-fast) is not emulated: refused as an
  unknown field. ``audio: true`` gives the video a sound track (the answer's ``audios`` stays
  empty: the sound is in the MP4). HighwayAPI's answer for ``vidu-q2-reference2video`` also
  carries ``provider_request_id`` (docs.jiekou.ai: "Provider request ID (optional)"); its
  form is not documented: here an 18-digit Vidu-style id [I].
* The price of a task is the table's for its duration, resolution and audio.
* ``GET /v3/async/task-result?task_id=``: the §2.2 body. Emulated created and queueing both read
  ``TASK_STATUS_QUEUED``. ``eta`` and ``progress_percent`` come from the emulator's timings.

There is no cancel endpoint on these hosts.

Errors use the gateway's body ``{"code": <status>, "reason": "<REASON>", "message": "...",
"metadata": {}}``. Documented/observed reasons: ``INVALID_REQUEST_BODY`` (400),
``FAILED_TO_AUTH`` (401), ``NOT_ENOUGH_BALANCE`` (403), ``RATE_LIMIT_EXCEEDED`` (429).
Inferred, not documented [I]: ``TASK_NOT_FOUND`` (404, unknown task id or another key's or
host's task), ``REQUEST_ENTITY_TOO_LARGE`` (413), ``INTERNAL_SERVER_ERROR`` (500),
``SERVICE_UNAVAILABLE`` (503), ``GATEWAY_TIMEOUT`` (504), the ``task_type`` strings
(``VIDU_Q1_REFERENCE2VIDEO``, ``VIDU_Q1_IMG2VIDEO``), the failed task's ``reason`` text
(``"<code>: <message>"``) and ``"0"`` for the ``debug_info`` times not reached yet.
A client that hangs up before its body is read gets 499 ``CLIENT_CLOSED_REQUEST`` (never seen).
An unknown path is 404 ``NOT_FOUND`` and a wrong verb 405 ``METHOD_NOT_ALLOWED`` [I], in the
same body.
"""

from __future__ import annotations

import math
import time
import uuid
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from vidu_desktop.core.capabilities import ModelSpec, ProviderId

from . import fields, images, subjects
from .board import EmuTask, Phase
from .contract import BadInput, Contract, Handler, ProviderError
from .faults import FaultRule
from .fields import FieldProblem
from .images import ImageRejected

#: What a task costs when the capability table does not know the price (USD).
FALLBACK_COST = 0.40

_FIELDS = ("prompt", "duration", "seed", "aspect_ratio", "resolution", "movement_amplitude",
           "bgm")
#: HighwayAPI's answers for these also carry ``provider_request_id`` (docs.jiekou.ai)
_PROVIDER_REQUEST_ID = frozenset({"vidu-q2-reference2video"})


def _allowed(spec: ModelSpec) -> set[str]:
    """The body fields ``spec``'s route takes."""
    out = {*_FIELDS, "subjects" if spec.subjects is not None else "images"}
    if not spec.aspect_ratios:
        out.discard("aspect_ratio")
    if spec.supports_audio:
        out.add("audio")
    if spec.supports_watermark:
        out.add("watermark")
    return out

_STATUS = {
    Phase.CREATED: "TASK_STATUS_QUEUED",
    Phase.QUEUEING: "TASK_STATUS_QUEUED",
    Phase.PROCESSING: "TASK_STATUS_PROCESSING",
    Phase.SUCCESS: "TASK_STATUS_SUCCEED",
    Phase.FAILED: "TASK_STATUS_FAILED",
    Phase.CANCELLED: "TASK_STATUS_FAILED",  # unreachable: no cancel endpoint
}

_REASONS = {
    400: "INVALID_REQUEST_BODY",
    401: "FAILED_TO_AUTH",
    403: "NOT_ENOUGH_BALANCE",
    404: "TASK_NOT_FOUND",
    413: "REQUEST_ENTITY_TOO_LARGE",
    429: "RATE_LIMIT_EXCEEDED",
    500: "INTERNAL_SERVER_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}

_FAULT_MESSAGES = {
    429: "rate limit exceeded, please try again later",
    500: "internal server error",
    502: "bad gateway",
    503: "service is temporarily unavailable, please try again later",
    504: "upstream request timed out",
}

#: Codes the shared framework uses, in this gateway's words.
_FRAMEWORK_CODES = {"InternalServiceFailure": "INTERNAL_SERVER_ERROR"}


def _ms(stamp: float | None) -> str:
    return str(int(stamp * 1000)) if stamp else "0"


class NovitaContract(Contract):
    """The v3 async contract for one host (Novita or HighwayAPI)."""

    def routes(self) -> list[tuple[str, str, str, Handler]]:
        out: list[tuple[str, str, str, Handler]] = []
        for spec in self.spec.models:
            out.append(("POST", f"/v3/async/{spec.wire_model}", "submit",
                        self._submitter(spec)))
        out.append(("GET", "/v3/async/task-result", "poll", self.task_result))
        return out

    # -- error shapes ---------------------------------------------------------------------------
    def error(self, err: ProviderError) -> Response:
        reason = _FRAMEWORK_CODES.get(err.code, err.code)
        body = {"code": err.status, "reason": reason, "message": err.message, "metadata": {}}
        return self.json(body, err.status, err.headers or None)

    def _fail(self, status: int, message: str, headers: dict[str, str] | None = None
              ) -> ProviderError:
        return ProviderError(status, _REASONS.get(status, "UNKNOWN_ERROR"), message, headers)

    def authenticate(self, request: Request) -> str:
        if "authorization" not in request.headers:
            raise self._fail(401, "missing Authorization header; use 'Bearer {API Key}'")
        key = self.bearer(request)
        if key is None:
            raise self._fail(401, "invalid Authorization header; use 'Bearer {API Key}'")
        if not self.world.accounts.valid(key):
            raise self._fail(401, "invalid API key")
        return key

    def bad_input(self, kind: BadInput, message: str) -> ProviderError:
        return self._fail(413 if kind == BadInput.TOO_LARGE else 400, message)

    def field_error(self, problem: FieldProblem) -> ProviderError:
        return self._fail(400, problem.message)

    def image_error(self, exc: ImageRejected) -> ProviderError:
        return self._fail(400, f"invalid field: images[{exc.index}] ({exc.detail})")

    def unrouted_error(self, status: int, method: str, path: str) -> ProviderError:
        # [I]: the gateway's reasons for a path or verb it does not serve are not documented
        if status == 405:
            return ProviderError(405, "METHOD_NOT_ALLOWED", f"method {method} not allowed")
        return ProviderError(404, "NOT_FOUND", f"no such endpoint: {path[:200]}")

    def fault_error(self, rule: FaultRule) -> ProviderError:
        headers = {}
        if rule.retry_after is not None:
            headers["Retry-After"] = f"{rule.retry_after:g}"
        reason = rule.code or _REASONS.get(rule.status, "UNKNOWN_ERROR")
        message = rule.message or _FAULT_MESSAGES.get(rule.status, "request failed")
        return ProviderError(rule.status, reason, message, headers)

    # -- submit ---------------------------------------------------------------------------------
    def _submitter(self, spec: ModelSpec) -> Handler:
        async def submit(request: Request, key: str) -> Response:
            return await self._submit(request, key, spec)
        return submit

    async def _submit(self, request: Request, key: str, spec: ModelSpec) -> Response:
        try:
            body = await self.read_json(request)
        except ClientDisconnect:  # the client gave up before its body could be read
            raise ProviderError(499, "CLIENT_CLOSED_REQUEST", "client closed request") from None
        fields.check_unknown(body, _allowed(spec))
        labels: list[str] = []
        if spec.subjects is not None:
            found = subjects.parse(body.get("subjects"), spec.subjects,
                                   id_keys=(spec.subjects.name_field,))
            refs, labels = found.refs, found.labels
        else:
            refs = fields.image_list(body, "images", spec.images.min_count,
                                     spec.images.max_count)
        params = fields.parse_generation(body, spec, prompt_limit=spec.sent_prompt_limit)
        params.update(audio=fields.opt_bool(body, "audio"),
                      watermark=fields.opt_bool(body, "watermark"))
        try:
            loaded = await images.load(refs, spec.images)
        except ImageRejected as exc:
            if not labels:
                raise
            raise self._fail(400, f"invalid field: {labels[exc.index]} ({exc.detail})"
                             ) from None
        price = spec.cost_at(params["duration"], params["resolution"], params["audio"]).amount
        cost = price if price is not None else FALLBACK_COST
        if not self.world.accounts.can_afford(self.pid.value, key, cost):
            raise self._fail(403, "not enough balance to run this task; please top up")
        if params["seed"] is None:
            params["seed"] = self.rng.randint(1, spec.seed_max)
        width, height = fields.output_size(params, (loaded[0].width, loaded[0].height))
        task = EmuTask(
            id=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            provider=self.pid.value, key=key, model=spec.wire_model, mode=spec.mode.value,
            params=params, images=[img.data for img in loaded], cost=cost,
            width=width, height=height,
        )
        task.extra["task_type"] = spec.wire_model.upper().replace("-", "_")
        self.world.board.submit(task, self.spec.concurrency)
        answer = {"task_id": task.id}
        if self.pid == ProviderId.HIGHWAYAPI and spec.wire_model in _PROVIDER_REQUEST_ID:
            answer["provider_request_id"] = str(self.rng.randrange(10**17, 10**18))
        return self.json(answer)

    # -- task result ----------------------------------------------------------------------------
    async def task_result(self, request: Request, key: str) -> Response:
        task_id = request.query_params.get("task_id", "").strip()
        if not task_id:
            raise self._fail(400, "field is missing or empty: task_id (query parameter)")
        task = self.world.board.get(task_id)
        if task is None or task.provider != self.pid.value or task.key != key:
            raise self._fail(404, f"task not found: {task_id}")
        return self.json(self._result_body(request, task))

    def _timings(self) -> tuple[float, float]:
        """(scaled seconds from submit to processing, scaled seconds of processing)."""
        cfg = self.world.config
        return cfg.scaled(cfg.created_s + cfg.queue_s), cfg.scaled(cfg.processing_s)

    def _eta(self, task: EmuTask) -> int:
        before, processing = self._timings()
        now = time.time()
        if task.phase in (Phase.CREATED, Phase.QUEUEING):
            left = before - (now - task.created_at) + processing
            return max(1, math.ceil(max(left, processing)))
        if task.phase == Phase.PROCESSING and task.started_at is not None:
            return max(1, math.ceil(processing - (now - task.started_at)))
        return 0

    def _result_body(self, request: Request, task: EmuTask) -> dict[str, Any]:
        _, processing = self._timings()
        reason = ""
        if task.phase in (Phase.FAILED, Phase.CANCELLED):
            code = _FRAMEWORK_CODES.get(task.err_code, task.err_code)
            reason = ": ".join(p for p in (code, task.err_message) if p) or "failed"
        videos: list[dict[str, str]] = []
        if task.phase == Phase.SUCCESS and task.result is not None:
            ttl = self.url_ttl()
            url, _ = self.world.files.url(self.server_url(request), task.result.video_path,
                                          self.pid.value, ttl)
            videos.append({"video_url": url, "video_url_ttl": str(int(ttl)),
                           "video_type": "mp4"})
        return {
            "extra": {
                "seed": str(task.params.get("seed") or 0),
                "enable_nsfw_detection": False,
                "debug_info": {
                    "request_info": "",
                    "submit_time_ms": _ms(task.created_at),
                    "execute_time_ms": _ms(task.started_at),
                    "complete_time_ms": _ms(task.finished_at),
                },
            },
            "task": {
                "task_id": task.id,
                "task_type": str(task.extra.get("task_type", "")),
                "status": _STATUS[task.phase],
                "reason": reason,
                "eta": self._eta(task),
                "progress_percent": int(task.progress(processing) * 100),
            },
            "images": [],
            "videos": videos,
            "audios": [],
        }
