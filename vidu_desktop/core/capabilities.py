"""The one capability table: what each host and model accepts, its limits, defaults and cost.

Every consumer reads these facts: the parameter panel (what to offer), validation (what to
refuse), the image pipeline (byte budgets), the CLI (`vidu-cli providers`) and the emulator (how
strict to be).
A new model or host is one entry here, plus an adapter when its wire shape is new.

Sources are the provider documents summarised in the project's provider-contracts notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

MiB = 1024 * 1024
MB = 1_000_000


class ProviderId(StrEnum):
    VIDU = "vidu"
    NOVITA = "novita"
    HIGHWAYAPI = "highwayapi"
    SEGMIND = "segmind"
    VTRIX = "vtrix"


class Mode(StrEnum):
    REFERENCE2VIDEO = "reference2video"
    IMG2VIDEO = "img2video"


class AuthScheme(StrEnum):
    TOKEN = "token"  # Authorization: Token {key}
    BEARER = "bearer"  # Authorization: Bearer {key}
    X_API_KEY = "x-api-key"  # x-api-key: {key}


ASPECT_RATIOS = ("16:9", "9:16", "1:1")
MOVEMENT_AMPLITUDES = ("auto", "small", "medium", "large")
IMAGE_FORMATS = frozenset({"png", "jpeg", "webp"})

#: How prompt length is counted: Unicode code points (Python ``len``), which is how the hosts'
#: Go and Python back ends count string length. Emoji outside the BMP count as one.
PROMPT_COUNTING = "Unicode characters (code points); an emoji counts as one"

# Pixel sizes of the output videos, by resolution and aspect ratio.
_HEIGHTS = {"360p": 360, "540p": 540, "720p": 720, "1080p": 1080}


def video_size(resolution: str, aspect_ratio: str) -> tuple[int, int]:
    """Width and height of a video of ``resolution`` ("1080p") at ``aspect_ratio`` ("16:9")."""
    short = _HEIGHTS[resolution]
    w, h = (int(x) for x in aspect_ratio.split(":"))
    if w >= h:
        long = round(short * w / h / 2) * 2
        return long, short
    long = round(short * h / w / 2) * 2
    return short, long


@dataclass(frozen=True)
class ImageRules:
    """What a host accepts as reference images (sent as URLs or base64 data URIs)."""

    min_count: int
    max_count: int
    formats: frozenset[str] = IMAGE_FORMATS
    min_side: int = 128
    min_ratio: float = 1 / 4  # width / height
    max_ratio: float = 4.0
    max_file_bytes: int = 50 * MiB
    #: The decoded bytes of one base64 image must be under this (None: no such rule).
    max_decoded_bytes: int | None = 10 * MiB
    #: The whole HTTP request body must not exceed this (None: not documented).
    max_body_bytes: int | None = 20 * MiB
    #: The longest side worth sending: the model renders at most 1080p.
    useful_long_side: int = 2048


@dataclass(frozen=True)
class SubjectRules:
    """The subjects form of a model: named cast members the prompt mentions as ``@name``.

    A model with these rules is sent the subjects form (loose pictures become one unnamed-style
    subject each: see ``core.mentions``); a model without them gets its pictures in order and
    the mentions put into words."""

    max_subjects: int = 7
    max_images_each: int = 3
    max_images_total: int = 7
    #: a subject may carry a voice id (for the speech of ``audio``)
    voice: bool = False
    #: the prompt limit in the subjects form when it differs from the model's (None: same)
    prompt_limit: int | None = None


@dataclass(frozen=True)
class Cost:
    """What one task costs. ``amount`` None means unknown; ``estimate`` flags unofficial numbers."""

    amount: float | None
    unit: str  # "credits" or "USD"
    estimate: bool = False
    note: str = ""

    def describe(self, count: int = 1) -> str:
        if self.amount is None:
            return "cost unknown" + (f" ({self.note})" if self.note else "")
        total = self.amount * count
        text = f"${total:.2f}" if self.unit == "USD" else f"{total:g} {self.unit}"
        return ("about " if self.estimate else "") + text


@dataclass(frozen=True)
class ModelSpec:
    provider: ProviderId
    model: str  # the id the user picks (and the wire id where the host has one)
    mode: Mode
    #: duration (s) -> resolutions allowed at that duration; the first is the default
    resolutions: dict[int, tuple[str, ...]]
    default_duration: int
    prompt_limit: int
    images: ImageRules
    cost: Cost
    aspect_ratios: tuple[str, ...] = ASPECT_RATIOS
    default_aspect_ratio: str = "16:9"
    movement_amplitudes: tuple[str, ...] = MOVEMENT_AMPLITUDES
    prompt_required: bool = True
    supports_bgm: bool = True
    supports_seed: bool = True
    seed_max: int = 2_147_483_647
    supports_payload: bool = False
    supports_off_peak: bool = False
    supports_watermark: bool = False
    supports_callback: bool = False
    supports_cancel: bool = False
    #: the subjects form (None: pictures only, in order)
    subjects: SubjectRules | None = None
    #: speech and sound generated with the video
    supports_audio: bool = False
    #: whether ``audio`` may be combined with ``off_peak`` (Vidu: it may not)
    audio_with_off_peak: bool = False
    wire_model: str = ""  # the model string on the wire where it differs from ``model``

    @property
    def durations(self) -> tuple[int, ...]:
        return tuple(self.resolutions)

    def resolutions_for(self, duration: int) -> tuple[str, ...]:
        return self.resolutions.get(duration, ())

    def default_resolution(self, duration: int | None = None) -> str:
        """The default resolution at ``duration`` (the model's default duration when that
        duration is not offered: validation reports the duration itself)."""
        choices = self.resolutions.get(duration or self.default_duration)
        return (choices or self.resolutions[self.default_duration])[0]

    @property
    def all_resolutions(self) -> tuple[str, ...]:
        seen: list[str] = []
        for values in self.resolutions.values():
            seen.extend(v for v in values if v not in seen)
        return tuple(seen)


@dataclass(frozen=True)
class ProviderSpec:
    id: ProviderId
    display_name: str
    base_url: str
    auth: AuthScheme
    key_env: str
    models: tuple[ModelSpec, ...]
    #: tasks run at once per account; more wait queued (None: not documented)
    concurrency: int | None = None
    #: how long result URLs stay valid, in seconds, as documented
    result_ttl_s: int = 3600
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def model(self, model: str, mode: Mode = Mode.REFERENCE2VIDEO) -> ModelSpec:
        for spec in self.models:
            if spec.model == model and spec.mode == mode:
                return spec
        allowed = ", ".join(m.model for m in self.models if m.mode == mode) or "none"
        raise KeyError(f"{self.display_name} has no {mode} model {model!r} (allowed: {allowed})")

    def models_for(self, mode: Mode) -> tuple[ModelSpec, ...]:
        return tuple(m for m in self.models if m.mode == mode)

    @property
    def default_model(self) -> ModelSpec:
        return self.models[0]


_Q1_REF = ImageRules(min_count=1, max_count=7)
_OLD_REF = ImageRules(min_count=1, max_count=3)
_ONE = ImageRules(min_count=1, max_count=1)

_VIDU_CREDITS_NOTE = "Vidu publishes no price list; estimate from a reseller's table"


def _vidu_models() -> tuple[ModelSpec, ...]:
    p = ProviderId.VIDU
    common: dict[str, Any] = {
        "supports_payload": True,
        "supports_off_peak": True,
        "supports_callback": True,
        "supports_cancel": True,
    }
    return (
        ModelSpec(p, "viduq1", Mode.REFERENCE2VIDEO, {5: ("1080p",)}, 5, 1500, _Q1_REF,
                  Cost(8, "credits", estimate=True, note=_VIDU_CREDITS_NOTE), **common),
        ModelSpec(p, "vidu2.0", Mode.REFERENCE2VIDEO, {4: ("360p", "720p")}, 4, 1500, _OLD_REF,
                  Cost(4, "credits", estimate=True, note=_VIDU_CREDITS_NOTE), **common),
        ModelSpec(p, "vidu1.5", Mode.REFERENCE2VIDEO,
                  {4: ("360p", "720p", "1080p"), 8: ("720p",)}, 4, 1500, _OLD_REF,
                  Cost(10, "credits", estimate=True, note=_VIDU_CREDITS_NOTE), **common),
        ModelSpec(p, "viduq1", Mode.IMG2VIDEO, {5: ("1080p",)}, 5, 1500, _ONE,
                  Cost(8, "credits", estimate=True, note=_VIDU_CREDITS_NOTE),
                  aspect_ratios=(), prompt_required=False, **common),
        ModelSpec(p, "vidu2.0", Mode.IMG2VIDEO, {4: ("360p", "720p", "1080p"), 8: ("720p",)},
                  4, 1500, _ONE, Cost(4, "credits", estimate=True, note=_VIDU_CREDITS_NOTE),
                  aspect_ratios=(), prompt_required=False, **common),
        ModelSpec(p, "vidu1.5", Mode.IMG2VIDEO, {4: ("360p", "720p", "1080p"), 8: ("720p",)},
                  4, 1500, _ONE, Cost(10, "credits", estimate=True, note=_VIDU_CREDITS_NOTE),
                  aspect_ratios=(), prompt_required=False, **common),
    )


def _novita_family(p: ProviderId) -> tuple[ModelSpec, ...]:
    return (
        ModelSpec(p, "vidu-q1", Mode.REFERENCE2VIDEO, {5: ("1080p",)}, 5, 1500, _Q1_REF,
                  Cost(None, "USD", note="see the host's pricing page"),
                  wire_model="vidu-q1-reference2video"),
        ModelSpec(p, "vidu-q1", Mode.IMG2VIDEO, {5: ("1080p",)}, 5, 1500, _ONE,
                  Cost(None, "USD", note="see the host's pricing page"), aspect_ratios=(),
                  prompt_required=False, wire_model="vidu-q1-img2video"),
    )


def _segmind_models() -> tuple[ModelSpec, ...]:
    p = ProviderId.SEGMIND
    rules = ImageRules(min_count=1, max_count=7, max_decoded_bytes=None)
    return (
        ModelSpec(p, "vidu-q1", Mode.REFERENCE2VIDEO, {5: ("1080p",)}, 5, 1500, rules,
                  Cost(0.50, "USD"), seed_max=999_999,
                  wire_model="vidu-q1-reference-to-video"),
    )


def _vtrix_models() -> tuple[ModelSpec, ...]:
    p = ProviderId.VTRIX
    return (
        ModelSpec(p, "viduq1_reference2video", Mode.REFERENCE2VIDEO, {5: ("1080p",)}, 5, 2000,
                  ImageRules(min_count=1, max_count=7, max_decoded_bytes=None),
                  Cost(None, "USD", note="the task reports its cost in USD"),
                  supports_payload=True, supports_watermark=True),
        ModelSpec(p, "viduq1_img2video", Mode.IMG2VIDEO, {5: ("1080p",)}, 5, 2000,
                  ImageRules(min_count=1, max_count=1, max_decoded_bytes=None),
                  Cost(None, "USD", note="the task reports its cost in USD"),
                  aspect_ratios=(), prompt_required=False, supports_payload=True,
                  supports_watermark=True),
    )


PROVIDERS: dict[ProviderId, ProviderSpec] = {
    ProviderId.VIDU: ProviderSpec(
        ProviderId.VIDU, "Vidu", "https://api.vidu.com", AuthScheme.TOKEN, "VIDU_API_KEY",
        _vidu_models(), concurrency=5, result_ttl_s=24 * 3600,
        notes="Official API. Tasks can be cancelled while queued. Cost in credits.",
    ),
    ProviderId.NOVITA: ProviderSpec(
        ProviderId.NOVITA, "Novita", "https://api.novita.ai", AuthScheme.BEARER,
        "NOVITA_API_KEY", _novita_family(ProviderId.NOVITA), result_ttl_s=3600,
        notes="v3 async API. No cancel endpoint.",
    ),
    ProviderId.HIGHWAYAPI: ProviderSpec(
        ProviderId.HIGHWAYAPI, "HighwayAPI", "https://api.highwayapi.ai", AuthScheme.BEARER,
        "HIGHWAYAPI_API_KEY", _novita_family(ProviderId.HIGHWAYAPI), result_ttl_s=3600,
        notes="Novita's v3 async API under another brand. No cancel endpoint.",
    ),
    ProviderId.SEGMIND: ProviderSpec(
        ProviderId.SEGMIND, "Segmind", "https://api.segmind.com", AuthScheme.X_API_KEY,
        "SEGMIND_API_KEY", _segmind_models(), result_ttl_s=7 * 24 * 3600,
        notes="v2 asynchronous API (v1 synchronous optional). Status kept 1 hour. No cancel.",
    ),
    ProviderId.VTRIX: ProviderSpec(
        ProviderId.VTRIX, "Vtrix", "https://cloud.vtrix.ai", AuthScheme.BEARER, "VTRIX_API_KEY",
        _vtrix_models(), result_ttl_s=24 * 3600,
        notes="SeaCloud gateway. Cost reported in USD. No cancel.",
    ),
}


def provider(pid: str | ProviderId) -> ProviderSpec:
    try:
        return PROVIDERS[ProviderId(pid)]
    except ValueError:
        allowed = ", ".join(p.value for p in ProviderId)
        raise KeyError(f"unknown host {pid!r} (allowed: {allowed})") from None


def model_spec(pid: str | ProviderId, model: str, mode: Mode = Mode.REFERENCE2VIDEO) -> ModelSpec:
    return provider(pid).model(model, mode)
