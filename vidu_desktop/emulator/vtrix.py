"""The Vtrix (SeaCloud gateway) wire contract: ``/model/v1/generation`` and its task query.

Routes (mounted at the root and under ``/vtrix``):

* ``POST /model/v1/generation`` (submit): the official CLI's wrapped body
  ``{"model": ..., "input": [{"params": {...}}]}`` (the model may also sit in
  ``input[0].params.model``; when both are given they must agree) or a flat body
  ``{"model": ..., "images": [...], "prompt": ..., ...}``. Models come from the capability
  table: ``viduq1_img2video`` (exactly one image), ``viduq1_reference2video`` (``subjects``
  per contracts section 5.2, or a plain ``images`` list), and the models the table gives
  ``SubjectRules`` (``viduq2_reference2video``, ``viduq2_pro_fast_reference2video``:
  ``subjects`` only, within those rules, ``audio``, no ``bgm``: doc.vtrix.ai's pages for
  them). Durations, resolutions, ratios and prompt limits are the table's (the subjects
  form's limit for a subjects body). The answer is the task object.
* ``GET /model/v1/generation/task/{id}`` (poll): the task object. Created/queueing tasks are
  ``pending``, processing ones ``in_progress`` (with ``progress`` 0.0-1.0), then ``completed``
  (``output[].content[]``, ``usage``) or ``failed`` (``error{code, error_message}``).
  No cancel endpoint: the gateway documents none.

Errors. Every error answer is ``{"error": {"code": <code>, "message": "<text>"}}``. ``code`` is
an integer, as the source document types it ("code integer"; the official CLI's comment shows
``{"code": 123, ...}`` too). Status and code per case:

* 400 + the document's numeric codes for request problems: 8008003001 Missing image (no
  ``images``/``subjects``, or a subject without images), 8008003002 Invalid parameter value
  (unknown or missing model, unknown fields, wrong types, enum/range/count/length violations,
  bad JSON, wrong content type, ``off_peak: true``), 8008003003 Invalid Style (a ``style``
  field: neither Q1 image model has styles), 8008003004 Invalid image (encoding, format, size,
  ratio, download failure).
* 401 (code 401) missing/other-scheme/unknown key; 403 (code 403) insufficient balance;
  404 (code 404) unknown task or another key's task, or an unknown path; 405 (code 405) a
  verb the path does not take [I]; 413 (code 413) body over 20 MB;
  429 / 500 / 503 injected faults (code = the rule's ``code`` when set, e.g. 8008003099
  Provider unavailable, else the status), with ``Retry-After`` when the rule has one.

A failed task carries ``{"code": 8008003098, "error_message": "Generation failed"}``; a
task-level fault's ``code`` replaces the code (an integer when numeric, else the string as is)
and its ``message`` the text. Task ids are UUIDs (Vtrix's format is undocumented); ``jobId`` is
an 18-digit Vidu-style id.

Choices where the documents are silent: ``off_peak`` is documented "temporarily unavailable",
so ``true`` is refused (8008003002) and ``false`` accepted. ``callback_url`` is accepted and
stored, never called (no callback format is documented). ``meta_data`` must be a JSON string.
``is_rec`` costs nothing extra here. ``audio: true`` renders a sound track. ``content[].duration``
is a string ("5"), as the official CLI decodes it. No cover URL: ``content[].type`` is
documented as ``video`` only. Tasks are not echoed (no ``seed``/``payload`` in answers).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from vidu_desktop.core.capabilities import ModelSpec, SubjectRules

from . import fields, images, subjects
from .board import EmuTask, Phase
from .contract import BadInput, Contract, Handler, ProviderError
from .fields import FieldProblem

MISSING_IMAGE = 8008003001
INVALID_PARAM = 8008003002
INVALID_STYLE = 8008003003
INVALID_IMAGE = 8008003004
GENERATION_FAILED = 8008003098
PROVIDER_UNAVAILABLE = 8008003099
_TEXT = {MISSING_IMAGE: "Missing image", INVALID_PARAM: "Invalid parameter value",
         INVALID_STYLE: "Invalid Style", INVALID_IMAGE: "Invalid image",
         GENERATION_FAILED: "Generation failed", PROVIDER_UNAVAILABLE: "Provider unavailable"}

DEFAULT_COST = 0.40  # USD, when the capability table has no price
PAYLOAD_LIMIT = 1_048_576
#: the subjects form of a model the capability table gives no rules (viduq1_reference2video:
#: 1-7 subjects of at most 3 pictures, 7 in all, each with a voice_id; contracts section 5.2)
_DOC_SUBJECTS = SubjectRules(voice=True)
_COMMON = {"prompt", "audio", "voice_id", "bgm", "duration", "seed", "resolution",
           "movement_amplitude", "off_peak", "callback_url"}
_I2V = _COMMON | {"images", "is_rec"}
_R2V = _COMMON | {"images", "subjects", "aspect_ratio"}


def _bad(code: int, detail: str, status: int = 400) -> ProviderError:
    return ProviderError(status, str(code), f"{_TEXT.get(code, 'Error')}: {detail}")


def _wire_code(code: str) -> int | str:
    return int(code) if code.isdigit() else code


def _url_field(params: dict[str, Any], name: str) -> str:
    value = fields.opt_str(params, name, "") or ""
    if value and not value.startswith(("http://", "https://")):
        raise FieldProblem("invalid", name, f"invalid field: {name} (expected an http(s) URL)")
    return value


class VtrixContract(Contract):
    def routes(self) -> list[tuple[str, str, str, Handler]]:
        return [
            ("POST", "/model/v1/generation", "submit", self.submit),
            ("GET", "/model/v1/generation/task/{task_id}", "poll", self.poll),
        ]

    # -- error shapes ----------------------------------------------------------------------
    def error(self, err: ProviderError) -> Response:
        body = {"error": {"code": _wire_code(err.code), "message": err.message}}
        return self.json(body, err.status, err.headers)

    def authenticate(self, request: Request) -> str:
        key = self.bearer(request, "Bearer")
        if key is None:
            raise ProviderError(401, "401", "missing or malformed Authorization header; "
                                "use Authorization: Bearer YOUR_API_KEY")
        if not self.world.accounts.valid(key):
            raise ProviderError(401, "401", "invalid API key")
        return key

    def bad_input(self, kind: BadInput, message: str) -> ProviderError:
        if kind == BadInput.TOO_LARGE:
            return ProviderError(413, "413", f"request entity too large: {message}")
        return _bad(INVALID_PARAM, message)

    def field_error(self, problem: FieldProblem) -> ProviderError:
        if problem.kind == "missing" and problem.field.split(".")[-1] in ("images", "subjects"):
            return _bad(MISSING_IMAGE, problem.message)
        return _bad(INVALID_PARAM, problem.message)

    # -- submit ----------------------------------------------------------------------------
    async def submit(self, request: Request, key: str) -> Response:
        body = await self.read_json(request)
        model, params = self._unwrap(body)
        spec = self._model(model)
        parsed = self._parse(params, spec)
        refs, paths, entries = self._references(params, spec)
        try:
            loaded = await images.load(refs, spec.images, allow_bare=False)
        except images.ImageRejected as exc:
            raise _bad(INVALID_IMAGE, f"{paths[exc.index]}: {exc.detail}") from None
        price = spec.cost_at(parsed["duration"], parsed["resolution"], parsed["audio"]).amount
        cost = price if price is not None else DEFAULT_COST
        if not self.world.accounts.can_afford(self.pid.value, key, cost):
            raise ProviderError(403, "403", "insufficient balance")
        parsed["seed"] = parsed["seed"] or self.rng.randint(1, spec.seed_max)
        parsed["subjects"] = entries
        width, height = fields.output_size(parsed, (loaded[0].width, loaded[0].height))
        task = EmuTask(
            id=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            provider=self.pid.value, key=key, model=spec.model, mode=spec.mode.value,
            params=parsed, images=[img.data for img in loaded], cost=cost,
            width=width, height=height,
            extra={"job_id": str(self.rng.randrange(10**17, 10**18))},
        )
        self.world.board.submit(task, self.spec.concurrency)
        return self.json(self._task_body(task, request))

    def _unwrap(self, body: dict[str, Any]) -> tuple[object, dict[str, Any]]:
        """(model, params) from a wrapped or a flat body."""
        if "input" not in body:
            return body.get("model"), {k: v for k, v in body.items() if k != "model"}
        fields.check_unknown(body, {"model", "input"})
        block = body["input"]
        if (not isinstance(block, list) or len(block) != 1 or not isinstance(block[0], dict)
                or not isinstance(block[0].get("params"), dict)):
            raise _bad(INVALID_PARAM, 'invalid field: input (expected [{"params": {...}}])')
        extra = sorted(set(block[0]) - {"params"})
        if extra:
            raise _bad(INVALID_PARAM, f"unwanted field: input[0].{', input[0].'.join(extra)}")
        params: dict[str, Any] = dict(block[0]["params"])
        inner = params.pop("model", None)
        outer = body.get("model")
        if outer is not None and inner is not None and outer != inner:
            raise _bad(INVALID_PARAM, f"model {outer!r} and input[0].params.model {inner!r} "
                       "disagree")
        return (outer if outer is not None else inner), params

    def _model(self, model: object) -> ModelSpec:
        allowed = ", ".join(m.model for m in self.spec.models)
        if model is None or model == "":
            raise _bad(INVALID_PARAM, f"field is missing: model (one of {allowed})")
        if not isinstance(model, str):
            raise _bad(INVALID_PARAM, "invalid field: model (expected a string)")
        for spec in self.spec.models:
            if spec.model == model:
                return spec
        raise _bad(INVALID_PARAM, f"unknown model {model[:100]!r} (supported: {allowed})")

    def _parse(self, params: dict[str, Any], spec: ModelSpec) -> dict[str, Any]:
        if "style" in params:
            raise _bad(INVALID_STYLE, f"{spec.model} takes no style")
        allowed = set(_I2V if spec.mode.value == "img2video" else _R2V)
        if not spec.aspect_ratios:
            allowed.discard("aspect_ratio")
        if spec.subjects is not None:  # a model of the subjects form takes no images list
            allowed.discard("images")
        if not spec.supports_bgm:
            allowed.discard("bgm")
        if spec.supports_payload:
            allowed.add("payload")
        if spec.supports_watermark:
            allowed |= {"watermark", "wm_position", "wm_url", "meta_data"}
        fields.check_unknown(params, allowed)
        subjects_form = params.get("subjects") is not None and params.get("images") is None
        parsed = fields.parse_generation(
            params, spec, prompt_limit=spec.sent_prompt_limit if subjects_form else None)
        audio = fields.opt_bool(params, "audio")
        if fields.opt_bool(params, "off_peak"):
            raise _bad(INVALID_PARAM, "off_peak is temporarily unavailable")
        meta = fields.opt_str(params, "meta_data", "") or ""
        if meta:
            try:
                json.loads(meta)
            except ValueError:
                raise FieldProblem("invalid", "meta_data",
                                   "invalid field: meta_data (expected a JSON string)") from None
        parsed.update(
            audio=audio, bgm_requested=parsed["bgm"], bgm=parsed["bgm"] or audio,
            voice_id=fields.opt_str(params, "voice_id", ""),
            is_rec=fields.opt_bool(params, "is_rec"),
            payload=fields.opt_str(params, "payload", "", max_len=PAYLOAD_LIMIT),
            off_peak=False, watermark=fields.opt_bool(params, "watermark"),
            wm_position=fields.opt_int(params, "wm_position", 3, allowed=(1, 2, 3, 4)),
            wm_url=_url_field(params, "wm_url"), meta_data=meta,
            callback_url=_url_field(params, "callback_url"),
        )
        return parsed

    def _references(self, params: dict[str, Any], spec: ModelSpec
                    ) -> tuple[list[object], list[str], list[dict[str, Any]]]:
        """The image references, where each came from (for messages), and the subjects."""
        rules = spec.images
        if spec.subjects is None and ("subjects" not in params
                                      or params.get("images") is not None):
            if params.get("subjects") is not None:
                raise _bad(INVALID_PARAM, "send either subjects or images, not both")
            listed = fields.image_list(params, "images", rules.min_count, rules.max_count)
            return listed, [f"images[{i}]" for i in range(len(listed))], []
        found = subjects.parse(params.get("subjects"), spec.subjects or _DOC_SUBJECTS,
                               id_keys=("id", "name"), int_ids=True)
        return found.refs, found.labels, found.entries

    # -- poll ------------------------------------------------------------------------------
    async def poll(self, request: Request, key: str) -> Response:
        task_id = request.path_params.get("task_id", "")
        task = self.world.board.get(task_id)
        if task is None or task.provider != self.pid.value or task.key != key:
            raise ProviderError(404, "404", f"task not found: {task_id[:100]}")
        return self.json(self._task_body(task, request))

    def _task_body(self, task: EmuTask, request: Request) -> dict[str, Any]:
        body: dict[str, Any] = {"id": task.id, "status": "pending", "model": task.model,
                                "created_at": int(task.created_at)}
        if task.phase == Phase.SUCCESS and task.result is not None:
            url, _ = self.world.files.url(self.server_url(request), task.result.video_path,
                                          self.pid.value, self.url_ttl())
            price = f"{task.charged or task.cost:.2f}"
            body.update(status="completed", output=[{"content": [{
                "type": "video", "url": url, "duration": str(task.params.get("duration", 5)),
                "jobId": task.extra["job_id"]}]}],
                usage={"cost": price, "discount": 0, "quantity": 1, "unit_price": price})
        elif task.phase in (Phase.FAILED, Phase.CANCELLED):
            fault = task.fault
            code: int | str = GENERATION_FAILED
            message = _TEXT[GENERATION_FAILED]
            if fault is not None and fault.action == "fail":
                code = _wire_code(fault.code) if fault.code else code
                message = fault.message or _TEXT.get(code if isinstance(code, int) else 0,
                                                     message)
            body.update(status="failed", error={"code": code, "error_message": message})
        elif task.phase == Phase.PROCESSING or task.phase == Phase.SUCCESS:
            cfg = self.world.config
            body.update(status="in_progress",
                        progress=round(task.progress(cfg.scaled(cfg.processing_s)), 3))
        else:
            body.update(status="pending", progress=0.0)
        body["metadata"] = {}
        return body
