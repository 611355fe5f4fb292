"""The Vidu official API (api.vidu.com, ``/ent/v2``), strict as its documentation.

Routes: ``POST /ent/v2/reference2video`` (``images[]`` or ``subjects[]`` form), ``POST
/ent/v2/img2video``, ``GET /ent/v2/tasks/{id}/creations``, ``GET /ent/v2/tasks`` (list),
``POST /ent/v2/tasks/{id}/cancel`` and ``GET /ent/v2/credits`` (account info, in
``vidu_account``). Auth is ``Authorization: Token {key}``. Every error answer, an unknown path
(404 ``NotFound``) or verb (405 ``MethodNotAllowed`` [I]) included, is Kratos-style
``{"code": <status>, "reason": "<Reason>", "message": "...", "metadata": {"trace_id": "..."}}``
(the cancel page's sample). The official MCP client (shengshu-ai/vidu-mcp ``client.py``) takes
any answer with a ``code`` for an error and reports its ``message`` and ``metadata.trace_id``,
so no success answer carries a ``code``. Callbacks (signed, retried) live in ``vidu_callbacks``.
What a submission may hold (the models, the subjects form, ``audio``, the sources) is read in
``vidu_request``.

``credits``: the create answer carries the credits the task will cost, the capability table's
price for its duration, resolution and audio (the create schema lists ``credits``, e.g. the
mirror docs.kfcv50.link/schema-213979541, whose placeholder sample says 0). The query
(``/creations``, the list, callbacks) gives "the number of credits consumed by this task"
(platform.vidu.com/docs/get-generation): 0 until the task succeeded, 0 when it failed.

Emulator choices where the docs are silent:

* Test hook: a prompt containing ``__moderate__`` fails input moderation at submit (HTTP 400
  ``AuditSubmitIllegal``). Output moderation is the task fault ``fail`` with code
  ``CreationPolicyViolation``.
* Like the documentation's own curl sample, ``duration``, ``seed`` and ``wm_position`` may be
  numeric strings and ``bgm``/``off_peak``/``watermark``/``audio`` the strings
  ``"true"``/``"false"``.
* Echoed ``subjects``: each as given (its id under the key it came with, ``voice_id`` when
  given), its pictures shortened as ``images`` are. Echoed ``images``: every picture, the
  subjects' included, URLs as given; data URIs shortened to their header, the first 16 base64
  characters and the decoded size (``data:image/png;base64,iVBORw0KGgoAAAAN...[5120 bytes]``).
* A cancelled task reads ``failed`` with ``err_code`` ``UserCancelled`` and 0 credits.
* ``watermarked_url`` is ``""`` unless ``watermark`` was true (then the video's own URL).
* Only loopback ``callback_url`` values are accepted (nothing else is reachable); others are
  ``FieldInvalid``. An oversized body is 413 ``RequestEntityTooLarge`` in the same error shape.
* ``GET /ent/v2/tasks`` rejects unknown query parameters (``FieldUnwanted``); ``next_page_token``
  is a cursor, so pages stay stable while new tasks arrive.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from vidu_desktop.core.capabilities import Mode, ProviderId

from . import fields, images, vidu_request
from .board import EmuTask, Phase
from .contract import BadInput, Contract, Handler, ProviderError
from .faults import FaultRule
from .fields import FieldProblem
from .images import ImageRejected, Issue
from .vidu_account import ViduAccount, whole_credits
from .vidu_callbacks import CallbackSender
from .vidu_request import invalid as _invalid

if TYPE_CHECKING:
    from .world import World

MODERATION_MARKER = "__moderate__"
FALLBACK_COST = 0.40
_WIRE = {Phase.CREATED: "created", Phase.QUEUEING: "queueing", Phase.PROCESSING: "processing",
         Phase.SUCCESS: "success", Phase.FAILED: "failed", Phase.CANCELLED: "failed"}
_VERSIONS = {"viduq1": "q1", "vidu2.0": "2.0", "vidu1.5": "1.5", "viduq2": "q2",
             "viduq2-pro": "q2-pro"}  # the list's documented values (no q3 among them)
_LIST_VERSIONS = ("1.5", "2.0", "q1", "q2", "q2-pro", "q2-pro-fast")
_LIST_RESOLUTIONS = ("360p", "540p", "720p", "1080p")
_LIST_STATES = ("created", "queueing", "processing", "success", "failed")
_MULTI = ("task_ids", "templates", "model_versions", "resolutions", "states")
_LIST_PARAMS = ({"created_at.from", "created_at.to", "pager.page", "pager.pagesz",
                 "pager.page_token"} | set(_MULTI) | {f"{n}[]" for n in _MULTI})
_REASONS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
            409: "Conflict", 429: "TooManyRequests", 499: "Canceled"}
_MESSAGES = {"Conflict": "resource conflict", "Canceled": "request canceled by client",
             "SystemThrottling": "system is throttling"}  # others: the reason in words
_FIELD_REASONS = {"missing": "FieldLacking", "unknown": "FieldUnwanted", "invalid": "FieldInvalid",
                  "count": "FieldItemCountOutOfRange", "too_long": "FieldInvalid"}
_IMAGE_REASONS = {Issue.DOWNLOAD: ("ImageDownloadFailure", "image download failure"),
                  Issue.ENCODING: ("FieldInvalid", "invalid field"),
                  Issue.FORMAT: ("ImageFormatInvalid", "invalid image format")}


def _rfc3339(ns: int) -> str:
    secs, frac = divmod(ns, 10**9)
    return datetime.fromtimestamp(secs, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{frac:09d}Z"


def _words(reason: str) -> str:
    """``TooManyRequests`` -> ``too many requests``, as Vidu's message templates read."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in reason).strip()


class ViduContract(Contract):
    def __init__(self, world: World, pid: ProviderId) -> None:
        super().__init__(world, pid)
        self.callbacks = CallbackSender(world.config, pid.value, self._callback_body)
        world.board.listeners.append(self.callbacks.on_change)
        self.account = ViduAccount(self)

    def routes(self) -> list[tuple[str, str, str, Handler]]:
        return [
            ("POST", "/ent/v2/reference2video", "submit", self.reference2video),
            ("POST", "/ent/v2/img2video", "submit", self.img2video),
            ("GET", "/ent/v2/tasks/{id}/creations", "poll", self.creations),
            ("GET", "/ent/v2/tasks", "list", self.list_tasks),
            ("POST", "/ent/v2/tasks/{id}/cancel", "cancel", self.cancel),
            ("GET", "/ent/v2/credits", "account", self.account.credits),
        ]

    async def close(self) -> None:
        await self.callbacks.close()

    # -- the host's error answers -------------------------------------------------------------
    def error(self, err: ProviderError) -> Response:
        body = {"code": err.status, "reason": err.code, "message": err.message,
                "metadata": {"trace_id": self.trace_id()}}
        return self.json(body, err.status, err.headers or None)

    def authenticate(self, request: Request) -> str:
        key = self.bearer(request, "Token")
        if key is None or not self.world.accounts.valid(key):
            raise ProviderError(401, "Unauthorized", "unauthorized")
        return key

    def bad_input(self, kind: BadInput, message: str) -> ProviderError:
        if kind == BadInput.TOO_LARGE:
            return ProviderError(413, "RequestEntityTooLarge", f"request entity too large: "
                                 f"{message}")
        return ProviderError(400, "BadRequest", f"bad request: {message}")

    def field_error(self, problem: FieldProblem) -> ProviderError:
        return ProviderError(400, _FIELD_REASONS.get(problem.kind, "FieldInvalid"),
                             problem.message)

    def image_error(self, exc: ImageRejected) -> ProviderError:
        return self._image_error(exc, f"images[{exc.index}]")

    def _image_error(self, exc: ImageRejected, label: str) -> ProviderError:
        reason, text = _IMAGE_REASONS.get(exc.issue, ("PageSizeOutOfRange",
                                                      "page size out of range"))
        return ProviderError(400, reason, f"{text}: {label}: {exc.detail}")

    def unrouted_error(self, status: int, method: str, path: str) -> ProviderError:
        if status == 405:  # not in the error table [I]: Kratos-style reason for the verb
            return ProviderError(405, "MethodNotAllowed", "method not allowed")
        return ProviderError(404, "NotFound", "not found")  # the table's 404 NotFound

    def fault_error(self, rule: FaultRule) -> ProviderError:
        reason = rule.code or _REASONS.get(rule.status, "InternalServiceFailure")
        message = rule.message or _MESSAGES.get(reason) or _words(reason)
        return ProviderError(rule.status, reason, message, super().fault_error(rule).headers)

    # -- submit -------------------------------------------------------------------------------
    async def reference2video(self, request: Request, key: str) -> Response:
        return await self._submit(request, key, Mode.REFERENCE2VIDEO)

    async def img2video(self, request: Request, key: str) -> Response:
        return await self._submit(request, key, Mode.IMG2VIDEO)

    async def _submit(self, request: Request, key: str, mode: Mode) -> Response:
        body = await self.read_json(request)
        fields.check_unknown(body, vidu_request.ALLOWED[mode])
        spec = vidu_request.model(self.spec, body, mode)
        loose = vidu_request.loosen(body)
        sent = vidu_request.pictures(body, spec, self.spec)
        rules = vidu_request.subject_rules(spec) if sent.echo is not None else None
        params = fields.parse_generation(loose, spec, seed_as_str=True,
                                         prompt_limit=rules.prompt_limit if rules else None)
        params.update(vidu_request.extras(loose))
        if mode == Mode.REFERENCE2VIDEO:
            params.update(vidu_request.sound(loose, spec, sent.echo is not None,
                                             params["off_peak"]))
        # the music of bgm only without subjects (see vidu_request)
        params["sound"] = bool(params.get("audio") or (params["bgm"] and sent.echo is None))
        refs, labels = sent.refs, sent.labels
        try:
            loaded = await images.load(refs, spec.images)
        except ImageRejected as exc:
            raise self._image_error(exc, labels[exc.index]) from None
        if MODERATION_MARKER in params["prompt"]:
            raise ProviderError(400, "AuditSubmitIllegal", "submit is illegal")
        price = spec.cost_at(params["duration"], params["resolution"],
                             bool(params.get("audio"))).amount
        cost = price if price is not None else FALLBACK_COST
        if not self.world.accounts.can_afford(self.pid.value, key, cost):
            raise ProviderError(400, "CreditInsufficient", "insufficient credits")
        params["seed"] = params["seed"] or self.rng.randint(1, spec.seed_max)
        width, height = fields.output_size(params, (loaded[0].width, loaded[0].height))
        created_ns = time.time_ns()
        task = EmuTask(id=self._new_id(), provider=self.pid.value, key=key, model=spec.model,
                       mode=mode.value, params=params, images=[i.data for i in loaded],
                       cost=cost, width=width, height=height, created_at=created_ns / 1e9)
        ratio = width / height
        task.extra.update(
            created_ns=created_ns, creation_id=self._new_id(), subjects=sent.echo,
            images=[vidu_request.short(r) for r in refs], callback_url=params["callback_url"],
            server_url=self.server_url(request),
            aspect_ratio=params["aspect_ratio"] or ("16:9" if ratio > 1.3 else
                                                    "9:16" if ratio < 0.77 else "1:1"))
        self.world.board.submit(task, concurrency=self.spec.concurrency)
        return self.json(self._create_body(task))

    def _new_id(self) -> str:
        while True:
            candidate = str(self.rng.randrange(10**17, 10**18))
            if self.world.board.get(candidate) is None:
                return candidate

    def _create_body(self, task: EmuTask) -> dict[str, Any]:
        p = task.params
        out: dict[str, Any] = {
            "task_id": task.id, "type": task.mode, "state": _WIRE[task.phase],
            "model": task.model, "prompt": p["prompt"], "images": task.extra["images"]}
        if task.extra["subjects"] is not None:
            out["subjects"] = task.extra["subjects"]
        out.update(duration=p["duration"], seed=p["seed"])
        if task.mode == Mode.REFERENCE2VIDEO:
            out["aspect_ratio"] = p["aspect_ratio"]
        out.update(resolution=p["resolution"], movement_amplitude=p["movement_amplitude"],
                   bgm=p["bgm"], payload=p["payload"], off_peak=p["off_peak"],
                   credits=whole_credits(task.cost),
                   created_at=_rfc3339(task.extra["created_ns"]))
        return out

    # -- tasks --------------------------------------------------------------------------------
    def _own(self, request: Request, key: str) -> EmuTask:
        task = self.world.board.get(str(request.path_params.get("id", "")))
        if task is None or task.provider != self.pid.value or task.key != key:
            raise ProviderError(404, "TaskNotFound", "task not found")
        return task

    def _credits(self, task: EmuTask) -> float | int:
        """What the task consumed (the query's ``credits``): 0 until it succeeded."""
        return whole_credits(task.charged) if task.phase == Phase.SUCCESS else 0

    def _creations(self, task: EmuTask, server_url: str) -> list[dict[str, Any]]:
        result = task.result
        if task.phase != Phase.SUCCESS or result is None:
            return []
        files, ttl = self.world.files, self.url_ttl()
        url, _ = files.url(server_url, result.video_path, self.pid.value, ttl)
        cover, _ = files.url(server_url, result.cover_path, self.pid.value, ttl)
        return [{"id": task.extra["creation_id"], "url": url, "cover_url": cover,
                 "watermarked_url": url if task.params["watermark"] else "",
                 "video": {"duration": float(result.duration_s), "fps": result.fps,
                           "resolution": {"width": task.width, "height": task.height}}}]

    def _task_body(self, task: EmuTask, server_url: str) -> dict[str, Any]:
        p = task.params
        return {"id": task.id, "state": _WIRE[task.phase], "err_code": task.err_code,
                "credits": self._credits(task), "payload": p["payload"], "bgm": p["bgm"],
                "off_peak": p["off_peak"], "creations": self._creations(task, server_url)}

    def _callback_body(self, task: EmuTask) -> dict[str, Any]:
        return self._task_body(task, str(task.extra["server_url"]))

    async def creations(self, request: Request, key: str) -> Response:
        return self.json(self._task_body(self._own(request, key), self.server_url(request)))

    async def cancel(self, request: Request, key: str) -> Response:
        declared = request.headers.get("content-length")
        if declared != "0" and (declared is not None or "transfer-encoding" in request.headers):
            body = await self.read_json(request)
            fields.check_unknown(body, {"id"})
            given = body.get("id")
            if given is not None and str(given) != request.path_params.get("id"):
                raise _invalid("id", "does not match the task id in the path")
        task = self._own(request, key)
        if not self.world.board.cancel(task):
            raise ProviderError(400, "BadRequest",
                                f"task state is {_WIRE[task.phase]}, can not cancel")
        return self.json({})

    # -- list ---------------------------------------------------------------------------------
    async def list_tasks(self, request: Request, key: str) -> Response:
        q = request.query_params
        unknown = sorted(set(q.keys()) - _LIST_PARAMS)
        if unknown:
            raise FieldProblem("unknown", ",".join(unknown),
                               f"unwanted field: {', '.join(unknown)}")
        multi = {n: [*q.getlist(n), *q.getlist(f"{n}[]")] for n in _MULTI}
        for name, allowed in (("model_versions", _LIST_VERSIONS),
                              ("resolutions", _LIST_RESOLUTIONS), ("states", _LIST_STATES)):
            bad = [v for v in multi[name] if v not in allowed]
            if bad:
                raise _invalid(f"{name}[]", f"{bad[0]!r}; allowed: {', '.join(allowed)}")
        now = time.time()
        start = self._time(q.get("created_at.from"), "created_at.from", now - 7 * 86400)
        end = self._time(q.get("created_at.to"), "created_at.to", math.inf)
        page = self._count(q.get("pager.page"), "pager.page")
        size = self._count(q.get("pager.pagesz"), "pager.pagesz") or 10
        found = [t for t in self.world.board.tasks.values()
                 if t.provider == self.pid.value and t.key == key
                 and start <= t.created_at <= end
                 and (not multi["task_ids"] or t.id in multi["task_ids"])
                 and (not multi["templates"] or "" in multi["templates"])
                 and (not multi["model_versions"]
                      or _VERSIONS.get(t.model) in multi["model_versions"])
                 and (not multi["resolutions"] or t.params["resolution"] in multi["resolutions"])
                 and (not multi["states"] or _WIRE[t.phase] in multi["states"])]
        found.sort(key=lambda t: (t.extra["created_ns"], t.id), reverse=True)
        token = q.get("pager.page_token") or ""
        if token:
            cursor = self._cursor(token)
            found = [t for t in found if (t.extra["created_ns"], t.id) < cursor]
            page = 0
        chunk = found[page * size:(page + 1) * size]
        next_token = ""
        if chunk and len(found) > (page + 1) * size:
            last = chunk[-1]
            next_token = base64.urlsafe_b64encode(
                f"{last.extra['created_ns']}:{last.id}".encode()).decode()
        server_url = self.server_url(request)
        return self.json({"next_page_token": next_token,
                          "tasks": [self._list_item(t, server_url) for t in chunk]})

    def _list_item(self, task: EmuTask, server_url: str) -> dict[str, Any]:
        p = task.params
        key_id = int(hashlib.sha256(task.key.encode()).hexdigest()[:15], 16) % 10**17
        return {"id": task.id, "key_id": str(10**17 + key_id), "template": "",
                "type": task.mode, "model": task.model, "prompt": p["prompt"],
                "images": task.extra["images"], "duration": p["duration"],
                "resolution": p["resolution"], "aspect_ratio": task.extra["aspect_ratio"],
                "seed": p["seed"], "movement_amplitude": p["movement_amplitude"],
                "bgm": p["bgm"], "off_peak": p["off_peak"], "state": _WIRE[task.phase],
                "err_code": task.err_code, "credits": self._credits(task),
                "payload": p["payload"], "created_at": _rfc3339(task.extra["created_ns"]),
                "creations": self._creations(task, server_url)}

    @staticmethod
    def _time(text: str | None, name: str, default: float) -> float:
        if not text:
            return default
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            raise _invalid(name, "expected an RFC 3339 time") from None
        if when.tzinfo is None:
            raise _invalid(name, "an RFC 3339 time needs a zone (Z or +hh:mm)")
        return when.timestamp()

    @staticmethod
    def _count(text: str | None, name: str) -> int:
        try:
            value = int(text or 0)
        except ValueError:
            raise _invalid(name, "expected a whole number") from None
        if name == "pager.pagesz" and not 0 <= value <= 100:
            raise ProviderError(400, "PageSizeOutOfRange", f"page size out of range: {name} "
                                f"is {value}, 1 to 100 allowed")
        if value < 0:
            raise _invalid(name, "expected a whole number from 0")
        return value

    @staticmethod
    def _cursor(token: str) -> tuple[int, str]:
        try:
            created, _, task_id = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
            return int(created), task_id
        except (binascii.Error, UnicodeError, ValueError):
            raise _invalid("pager.page_token", "not a token this service issued") from None
