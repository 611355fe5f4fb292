"""Segmind's wire contract for Vidu Q1 reference-to-video: v1 synchronous and v2 asynchronous.

Routes (relative; mounted at the root and under ``/segmind``):

* ``POST /v1/{model}``: synchronous. The request is held while the task runs, then answered
  200 with the raw MP4 bytes (``video/mp4``) and the accounting headers ``x-cost``,
  ``x-remaining-credits``, ``x-generation-time``, ``x-seed-value``, ``x-request-id``.
* ``POST /v2/{model}``: asynchronous submit, 200 ``{request_id, status: QUEUED, poll_url,
  status_url, response_url}`` (absolute URLs where the client addressed us).
* ``GET /v2/requests/{id}/status`` (and the legacy ``poll_url``, ``GET /v1/requests/{id}``):
  ``{status, request_id, status_url, response_url, metrics}``; FAILED adds ``error`` and is
  served with HTTP 422 (as the official SDK's comments describe).
* ``GET /v2/requests/{id}``: COMPLETED gives ``{status, request_id, error: null, output, video,
  metrics{inference_time, queue_time, total_time, cost, remaining_credits, retry_count}}``;
  FAILED gives 422 with ``error``, ``output: null`` and no cost fields; otherwise the status body.

Auth is ``x-api-key`` only. Error bodies are ``{"error": "<message>"}``; an ``Authorization:
Bearer`` header without ``x-api-key`` gets the documented OAuth-style variant ``{"error":
"invalid_token", "error_description", "status_code": 401}``.

Status choices. The docs use 400 for a malformed body or a missing field and 406 ("Not
Acceptable") for "Not enough credits", "Invalid content type" and rejected parameter values. So:
400 = not JSON, not an object, unknown field, wrong JSON type, missing/empty field, undecodable
base64; 406 = content type not JSON, value out of range or not in the allowed set, too many
images, prompt too long, an image that cannot be used (not downloadable, not PNG/JPEG/WebP, too
small, ratio outside 1:4..4:1, too large), balance below the $0.50 cost; 413 = body over 20 MB;
404 = unknown model slug or unknown/expired request id (``Request <id> not found``), or an
unknown path (``{"error": "Not Found"}`` [I]); 405 = wrong verb (an HTML body); 429 carries
``x-rate-limit-reset-at-utc`` (ISO 8601 UTC) and no ``Retry-After``.

Decisions where the docs are silent [I]:

* v1 task failure -> 500 ``{"error": <the task's message>}``: the v1 page lists only
  200/401/404/405/406/500, and 422 belongs to v2 job records.
* v1 hold: until the task is final, at most the task's expected (scaled) duration plus
  ``config.sync_hold_s`` seconds (unscaled grace for rendering); past that -> 504
  ``{"error": "Request timed out ..."}``. Only HTTP 200 is billed: when the client is not given
  the video (hold timeout, client gone), a later success is refunded.
* Records expire ``config.record_ttl_s`` wall-clock seconds after submission (not scaled, like
  URL lifetimes). Records are per key; v1 requests leave no v2 record.
* ``seed`` absent or 0 -> a random seed in 1..seed_max (the page says 0 means "variation");
  ``bgm`` defaults to true as the model page says.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from vidu_desktop.core.capabilities import ProviderId

from . import fields, images
from .board import EmuTask, Phase
from .contract import BadInput, Contract, Handler, ProviderError
from .faults import FaultRule
from .fields import FieldProblem
from .images import ImageRejected, Issue

if TYPE_CHECKING:
    from .world import World

ALLOWED_FIELDS = frozenset({"prompt", "image_urls", "aspect_ratio", "duration", "seed", "bgm",
                            "movement_amplitude"})
_TYPES = {"prompt": "a string", "image_urls": "a list of strings", "aspect_ratio": "a string",
          "movement_amplitude": "a string", "duration": "an integer", "seed": "an integer",
          "bgm": "a boolean"}
_STATES = {Phase.CREATED: "QUEUED", Phase.QUEUEING: "QUEUED", Phase.PROCESSING: "PROCESSING",
           Phase.SUCCESS: "COMPLETED", Phase.FAILED: "FAILED", Phase.CANCELLED: "FAILED"}
_BAD_REQUEST_KINDS = frozenset({"missing", "unknown", "type"})  # else 406 (rejected value)
MISSING_KEY = "Missing Authorization or x-api-key in header"
INVALID_KEY = "Unauthorized. API key is invalid or may have expired..."
NO_CREDITS = "Not enough credits"
DEFAULT_COST = 0.40


def _has_type(value: object, kind: str) -> bool:
    if kind == "a string":
        return isinstance(value, str)
    if kind == "a boolean":
        return isinstance(value, bool)
    if kind == "an integer":
        if isinstance(value, float):
            return value.is_integer()
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def check_types(body: dict[str, Any]) -> None:
    """Wrong JSON types are a malformed body (400), unlike rejected values (406)."""
    for name, kind in _TYPES.items():
        value = body.get(name)
        if value is not None and not _has_type(value, kind):
            raise FieldProblem("type", name, f"invalid field: {name} (expected {kind})")


def _num(value: float) -> str:
    """0.5 -> "0.5", 999.5 -> "999.5", 1000.0 -> "1000"."""
    return f"{round(value, 6):.6f}".rstrip("0").rstrip(".") or "0"


def _secs(value: float) -> float:
    return round(max(0.0, value), 3)


class SegmindContract(Contract):
    def __init__(self, world: World, pid: ProviderId) -> None:
        super().__init__(world, pid)
        self.model = self.spec.default_model
        self.slug = self.model.wire_model or self.model.model
        self.cost = self.model.cost.amount if self.model.cost.amount is not None \
            else DEFAULT_COST
        self._waiters: dict[str, asyncio.Event] = {}
        world.board.listeners.append(self._on_change)

    def routes(self) -> list[tuple[str, str, str, Handler]]:
        return [
            ("POST", "/v1/{model}", "submit", self.run_sync),
            ("POST", "/v2/{model}", "submit", self.submit_async),
            ("GET", "/v2/requests/{request_id}/status", "poll", self.status),
            ("GET", "/v2/requests/{request_id}", "result", self.result),
            ("GET", "/v1/requests/{request_id}", "poll", self.status),
        ]

    # -- the host's answers -------------------------------------------------------------
    def error(self, err: ProviderError) -> Response:
        if err.code == "invalid_token":
            body: dict[str, Any] = {"error": "invalid_token", "error_description": err.message,
                                    "status_code": err.status}
        else:
            body = {"error": err.message}
        return self.json(body, err.status, err.headers)

    def authenticate(self, request: Request) -> str:
        key = request.headers.get("x-api-key", "").strip()
        if not key:
            if self.bearer(request) is not None:
                raise ProviderError(401, "invalid_token", "Bearer tokens are not accepted; "
                                    "send your API key in the x-api-key header")
            raise ProviderError(401, "missing_key", MISSING_KEY)
        if not self.world.accounts.valid(key):
            raise ProviderError(401, "invalid_key", INVALID_KEY)
        return key

    def bad_input(self, kind: BadInput, message: str) -> ProviderError:
        if kind == BadInput.CONTENT_TYPE:
            return ProviderError(406, kind.value, "Invalid content type")
        return super().bad_input(kind, message)

    def field_error(self, problem: FieldProblem) -> ProviderError:
        status = 400 if problem.kind in _BAD_REQUEST_KINDS else 406
        return ProviderError(status, problem.kind, problem.message)

    def image_error(self, exc: ImageRejected) -> ProviderError:
        status = 400 if exc.issue == Issue.ENCODING else 406
        return ProviderError(status, exc.issue.value, f"image_urls[{exc.index}]: {exc.detail}")

    def unrouted_error(self, status: int, method: str, path: str) -> ProviderError:
        return ProviderError(404, "not_found", "Not Found")  # [I]: 405 is answered as HTML

    def unrouted(self, status: int, method: str, path: str,
                 headers: dict[str, str] | None = None) -> Response:
        if status == 405:  # the docs: a wrong verb gets an HTML page, not JSON
            return Response("<html><head><title>405 Method Not Allowed</title></head><body>"
                            "<h1>405 Method Not Allowed</h1></body></html>", status_code=405,
                            media_type="text/html", headers=headers)
        return super().unrouted(status, method, path, headers)

    def fault_error(self, rule: FaultRule) -> ProviderError:
        if rule.status == 429:
            wait = rule.retry_after if rule.retry_after is not None else 1.0
            reset = datetime.now(UTC) + timedelta(seconds=wait)
            stamp = reset.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            return ProviderError(429, "rate_limited", rule.message or "Rate limit exceeded. "
                                 "Please retry after the reset time.",
                                 {"x-rate-limit-reset-at-utc": stamp})
        message = rule.message or ("Server had some issue with processing"
                                   if rule.status >= 500 else f"HTTP {rule.status}")
        return ProviderError(rule.status, str(rule.status), message)

    # -- submitting ---------------------------------------------------------------------
    def _check_model(self, request: Request) -> None:
        model = str(request.path_params.get("model", ""))
        if model != self.slug:
            raise ProviderError(404, "not_found", f"Model {model[:100]} not found")

    def _params(self, body: dict[str, Any]) -> tuple[dict[str, Any], list[object]]:
        fields.check_unknown(body, set(ALLOWED_FIELDS))
        check_types(body)
        params = fields.parse_generation(body, self.model)
        params["bgm"] = fields.opt_bool(body, "bgm", True)
        if params["seed"] is None:
            params["seed"] = self.rng.randint(1, self.model.seed_max)
        rules = self.model.images
        refs = fields.image_list(body, "image_urls", rules.min_count, rules.max_count)
        return params, refs

    async def _accept(self, request: Request, key: str, api: str) -> EmuTask:
        self._check_model(request)
        body = await self.read_json(request)
        params, refs = self._params(body)
        if not self.world.accounts.can_afford(self.pid.value, key, self.cost):
            raise ProviderError(406, "credits", NO_CREDITS)
        loaded = await images.load(refs, self.model.images, allow_bare=True)
        width, height = fields.output_size(params, (loaded[0].width, loaded[0].height))
        task = EmuTask(
            id=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            provider=self.pid.value, key=key, model=self.model.model,
            mode=self.model.mode.value, params=params, images=[img.data for img in loaded],
            cost=self.cost, width=width, height=height, extra={"api": api},
        )
        return self.world.board.submit(task, self.spec.concurrency)

    def _on_change(self, task: EmuTask) -> None:
        if task.provider != self.pid.value:
            return
        if task.phase == Phase.SUCCESS:
            if task.extra.get("abandoned") and task.charged:
                self.world.accounts.charge(task.provider, task.key, -task.charged)
                task.charged = 0.0
            task.extra["remaining"] = self.world.accounts.balance(task.provider, task.key)
        if task.final:
            waiter = self._waiters.get(task.id)
            if waiter is not None:
                waiter.set()

    async def _hold(self, request: Request, task: EmuTask) -> str:
        """Wait until ``task`` is final: "done", "timeout" (the cap) or "gone" (client left)."""
        cfg = self.world.config
        loop = asyncio.get_running_loop()
        limit = cfg.scaled(cfg.created_s + cfg.queue_s + cfg.processing_s) + cfg.sync_hold_s
        deadline = loop.time() + limit
        event = self._waiters.setdefault(task.id, asyncio.Event())
        try:
            while not task.final:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return "timeout"
                try:
                    await asyncio.wait_for(event.wait(), min(remaining, 0.2))
                except TimeoutError:
                    if await request.is_disconnected():
                        return "gone"
            return "done"
        finally:
            self._waiters.pop(task.id, None)

    async def run_sync(self, request: Request, key: str) -> Response:
        task = await self._accept(request, key, "v1")
        outcome = await self._hold(request, task)
        if outcome != "done":
            task.extra["abandoned"] = True
            raise ProviderError(504, "timeout", f"Request timed out after waiting for "
                                f"request {task.id}; use the v2 API for long generations")
        if task.phase != Phase.SUCCESS or task.result is None:
            raise ProviderError(500, "failed", task.err_message or task.err_code
                                or "Server had some issue with processing")
        data = await asyncio.to_thread(task.result.video_path.read_bytes)
        started = task.started_at or task.created_at
        headers = {
            "x-cost": _num(task.charged),
            "x-remaining-credits": _num(float(task.extra.get("remaining", 0.0))),
            "x-generation-time": _num(_secs((task.finished_at or time.time()) - started)),
            "x-seed-value": str(task.params["seed"]),
            "x-request-id": task.id,
        }
        return Response(data, media_type="video/mp4", headers=headers)

    async def submit_async(self, request: Request, key: str) -> Response:
        task = await self._accept(request, key, "v2")
        base = self.base_url(request)
        return self.json({
            "request_id": task.id,
            "status": "QUEUED",
            "poll_url": f"{base}/v1/requests/{task.id}",
            "status_url": f"{base}/v2/requests/{task.id}/status",
            "response_url": f"{base}/v2/requests/{task.id}",
        })

    # -- querying -----------------------------------------------------------------------
    def _find(self, request: Request, key: str) -> EmuTask:
        request_id = str(request.path_params.get("request_id", ""))
        task = self.world.board.get(request_id)
        expired = task is not None and \
            time.time() - task.created_at > self.world.config.record_ttl_s
        if task is None or expired or task.provider != self.pid.value or task.key != key \
                or task.extra.get("api") != "v2":
            raise ProviderError(404, "not_found", f"Request {request_id[:100]} not found")
        return task

    @staticmethod
    def _times(task: EmuTask) -> dict[str, Any]:
        end = task.finished_at or time.time()
        started = task.started_at
        return {
            "queue_time": _secs((started or end) - task.created_at),
            "inference_time": _secs(end - started) if started is not None else 0.0,
            "total_time": _secs(end - task.created_at),
            "retry_count": 0,
        }

    def _status_body(self, request: Request, task: EmuTask) -> dict[str, Any]:
        base = self.base_url(request)
        body: dict[str, Any] = {
            "status": _STATES[task.phase],
            "request_id": task.id,
            "status_url": f"{base}/v2/requests/{task.id}/status",
            "response_url": f"{base}/v2/requests/{task.id}",
            "metrics": self._times(task),
        }
        if body["status"] == "FAILED":
            body["error"] = task.err_message or task.err_code or "generation failed"
        return body

    async def status(self, request: Request, key: str) -> Response:
        task = self._find(request, key)
        body = self._status_body(request, task)
        return self.json(body, 422 if body["status"] == "FAILED" else 200)

    async def result(self, request: Request, key: str) -> Response:
        task = self._find(request, key)
        body = self._status_body(request, task)
        if body["status"] == "FAILED":
            return self.json({"status": "FAILED", "request_id": task.id, "error": body["error"],
                              "output": None, "metrics": body["metrics"]}, 422)
        if body["status"] != "COMPLETED" or task.result is None:
            return self.json(body)
        url, _expires = self.world.files.url(self.server_url(request), task.result.video_path,
                                             self.pid.value, self.url_ttl())
        metrics = {**body["metrics"], "cost": task.charged,
                   "remaining_credits": float(task.extra.get("remaining", 0.0))}
        return self.json({"status": "COMPLETED", "request_id": task.id, "error": None,
                          "output": url, "video": url, "metrics": metrics})
