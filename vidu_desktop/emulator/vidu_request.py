"""What a Vidu submission (``POST /ent/v2/reference2video``, ``/img2video``) may hold, read as
strictly as the documentation: the fields, the model, the two forms of a reference request's
pictures (``images[]`` or ``subjects[]``), sound, and the newer extras. The contract
(``vidu``) turns each ``FieldProblem`` into Vidu's error body.

Sources (the platform.vidu.com/docs/reference-to-video page as its public copies show it):

* The subjects form: doc.aimanyi.top/api-407866241 ("创建参考生视频任务(主体调用)"): models
  ``viduq3-mix, viduq3, viduq2-pro, viduq2, viduq1, vidu2.0``, each subject ``{id (newer
  pages: name), images[≤3], voice_id}``, 1-7 subjects, 7 pictures in all. Limits follow the
  capability table's ``SubjectRules``. ``viduq1`` and ``vidu2.0``, which the table sends their
  pictures in order, still take the form here (``DOC_SUBJECT_MODELS``, with
  ``SubjectRules()``, the same numbers); ``viduq3-mix`` does not, as the table has it
  (docs.powertokens.ai: "viduq3-mix does not support the use of entities", the stricter
  source). A subject's ``voice_id`` is taken where the table's rules have ``voice``; its id
  may be called ``name`` or ``id``.
* ``audio`` (speech and sound with the video) and ``audio_type`` (``all`` by default,
  ``speech_only``, ``sound_effect_only``): Tencent Cloud's copy of the reference-to-video API
  (cloud.tencent.com/document/api/1616/130565, "Audio ... 仅上传主体时支持此功能",
  "AudioType ... 默认为all"). Sound only from subjects is held for the q2 models
  (``AUDIO_SUBJECTS_ONLY``, the models that copy documents); the q3 pages list sound in both
  forms. A model the capability table gives no ``supports_audio`` refuses ``audio: true``
  (``audio: false`` is the default and always accepted: ComfyUI's Vidu2 reference node sends
  it). The q3 models make sound unless ``audio`` is false (``AUDIO_ON_BY_DEFAULT``: the
  project's current-models notes; ArcReel ``lib/video_backends/vidu.py``, "q3 系列模型默认开启
  音视频直出"); where the table names an ``audio_type`` (q3) an ``audio: true`` must come with
  one (Tencent's copy: "audio为true时必填"). ``audio`` with ``off_peak`` is refused where the
  table's ``audio_with_off_peak`` is false.
* ``auto_subjects`` (a bool, "intelligent subject library": provider-contracts §1.3b after
  docs.kkiai.com) is accepted and changes nothing here.
* ``bgm`` in the subjects form is accepted and adds no music (Tencent's copy: "Bgm ...
  【仅支持非主体调用时生效】", effective only without subjects).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from vidu_desktop.core.capabilities import Mode, ModelSpec, ProviderSpec, SubjectRules

from . import fields, subjects
from .fields import FieldProblem
from .vidu_callbacks import is_loopback_url

PAYLOAD_LIMIT = 1_048_576
DOC_SUBJECT_MODELS = ("viduq1", "vidu2.0")
AUDIO_TYPES = ("all", "speech_only", "sound_effect_only")
AUDIO_SUBJECTS_ONLY = ("viduq2", "viduq2-pro")
AUDIO_ON_BY_DEFAULT = ("viduq3-mix", "viduq3", "viduq3-pro", "viduq3-turbo")
_OPTIONAL = {"model", "images", "prompt", "duration", "seed", "resolution", "movement_amplitude",
             "bgm", "payload", "callback_url", "off_peak", "watermark", "wm_position", "wm_url",
             "meta_data"}
ALLOWED = {Mode.REFERENCE2VIDEO: _OPTIONAL | {"subjects", "aspect_ratio", "audio", "audio_type",
                                              "voice_id", "auto_subjects"},
           Mode.IMG2VIDEO: _OPTIONAL}


def invalid(name: str, why: str) -> FieldProblem:
    return FieldProblem("invalid", name, f"invalid field: {name} ({why})")


def short(ref: object) -> object:
    """How an image is echoed: URLs as given, data URIs shortened."""
    if not isinstance(ref, str) or not ref.startswith("data:"):
        return ref
    header, _, data = ref.partition(",")
    return f"{header},{data[:16]}...[{len(data) * 3 // 4 - data.count('=')} bytes]"


def loosen(body: dict[str, Any]) -> dict[str, Any]:
    """Numeric strings and "true"/"false", as the documentation's own sample sends them."""
    out = dict(body)
    for name in ("duration", "wm_position"):
        value = out.get(name)
        if isinstance(value, str) and value.strip().isdigit():
            out[name] = int(value)
    for name in ("bgm", "off_peak", "watermark", "audio"):
        if out.get(name) in ("true", "false"):
            out[name] = out[name] == "true"
    return out


def model(spec: ProviderSpec, body: dict[str, Any], mode: Mode) -> ModelSpec:
    name = body.get("model")
    if name is None or name == "":
        raise FieldProblem("missing", "model", "field is missing or empty: model")
    choices = [m.model for m in spec.models_for(mode)]
    if not isinstance(name, str) or name not in choices:
        raise invalid("model", f"allowed: {', '.join(choices)}")
    return spec.model(name, mode)


def subject_rules(spec: ModelSpec) -> SubjectRules | None:
    """The subjects form's limits for ``spec`` (None: the model takes ``images[]`` only)."""
    if spec.mode != Mode.REFERENCE2VIDEO:
        return None
    if spec.subjects is not None:
        return spec.subjects
    return SubjectRules() if spec.model in DOC_SUBJECT_MODELS else None


def extras(body: dict[str, Any]) -> dict[str, Any]:
    callback = fields.opt_str(body, "callback_url", "") or ""
    if callback and not is_loopback_url(callback):
        raise invalid("callback_url", "an http(s) URL the service can reach is required; "
                      "the emulator reaches loopback only")
    meta = fields.opt_str(body, "meta_data", "") or ""
    if meta:
        try:
            json.loads(meta)
        except ValueError:
            raise invalid("meta_data", "expected a JSON string") from None
    return {
        "payload": fields.opt_str(body, "payload", "", max_len=PAYLOAD_LIMIT) or "",
        "off_peak": fields.opt_bool(body, "off_peak"),
        "watermark": fields.opt_bool(body, "watermark"),
        "wm_position": fields.opt_int(body, "wm_position", 3, lo=1, hi=4),
        "wm_url": fields.opt_str(body, "wm_url", "") or "", "meta_data": meta,
        "callback_url": callback,
    }


@dataclass
class Pictures:
    """A reference request's pictures: in order, where each came from, and the subjects."""

    refs: list[object]
    labels: list[str]
    #: the subjects as echoed (None: the images form)
    echo: list[dict[str, Any]] | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)


def pictures(body: dict[str, Any], spec: ModelSpec, host: ProviderSpec) -> Pictures:
    if spec.mode != Mode.REFERENCE2VIDEO or body.get("subjects") is None:
        refs = fields.image_list(body, "images", spec.images.min_count, spec.images.max_count)
        return Pictures(refs, [f"images[{i}]" for i in range(len(refs))])
    if body.get("images") is not None:
        raise invalid("images", "send images or subjects, not both")
    value = body["subjects"]
    if not isinstance(value, list):
        raise invalid("subjects", "expected a list")
    rules = subject_rules(spec)
    if rules is None:
        takes = [m.model for m in host.models_for(spec.mode) if subject_rules(m) is not None]
        raise invalid("subjects", f"model {spec.model} takes images[]; models with subjects: "
                      f"{', '.join(takes)}")
    found = subjects.parse(value, rules, id_keys=("name", "id"))
    echo = [{**{k: subject[k] for k in ("id", "name", "voice_id") if k in subject},
             "images": [short(r) for r in subject["images"]]} for subject in value]
    return Pictures(found.refs, found.labels, echo, found.entries)


def sound(body: dict[str, Any], spec: ModelSpec, subjects_form: bool, off_peak: bool
          ) -> dict[str, Any]:
    """``audio`` (whether the video has speech and sound), ``audio_type`` and ``voice_id``,
    checked against the model; see the module's docstring for the sources."""
    default = spec.supports_audio and spec.model in AUDIO_ON_BY_DEFAULT
    audio = fields.opt_bool(body, "audio", default)
    audio_type = fields.opt_str(body, "audio_type", "all", allowed=AUDIO_TYPES)
    voice = fields.opt_str(body, "voice_id", "") or ""
    if audio and not spec.supports_audio:
        raise invalid("audio", f"model {spec.model} makes no sound; send audio false or "
                      "leave it out")
    if audio and not subjects_form and spec.model in AUDIO_SUBJECTS_ONLY:
        raise invalid("audio", f"model {spec.model} makes sound only from subjects: send "
                      "subjects[] instead of images[], or audio false")
    if audio and spec.audio_type and body.get("audio") is not None \
            and body.get("audio_type") is None:
        raise FieldProblem("missing", "audio_type", "field is missing or empty: audio_type "
                           f"(model {spec.model} needs one with audio: "
                           f"{', '.join(AUDIO_TYPES)})")
    if audio and off_peak and not spec.audio_with_off_peak:
        why = ("audio cannot be combined with off_peak" if body.get("audio") is not None else
               f"model {spec.model} makes sound unless audio is false, and audio cannot be "
               "combined with off_peak")
        raise FieldProblem("invalid", "audio,off_peak", f"invalid field: audio, off_peak "
                           f"({why}; send one of them)")
    return {"audio": audio, "audio_type": audio_type, "voice_id": voice,
            "auto_subjects": fields.opt_bool(body, "auto_subjects")}
