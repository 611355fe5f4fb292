"""The types of the capability table: hosts, models, their limits and their cost.

The facts themselves are in ``core.models_table``; ``core.capabilities`` joins both and is
what the rest of the app imports.
"""

from __future__ import annotations

from dataclasses import field, replace
from enum import StrEnum

from vidu_desktop.core.records import record

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
#: the ratios of the Q2 and Q3 families (4:3 and 3:4 are new with them)
WIDE_ASPECT_RATIOS = ("16:9", "9:16", "4:3", "3:4", "1:1")
#: an aspect ratio that leaves the choice to the model (it follows the references): Q3 only
AUTO_RATIO = "auto"
MOVEMENT_AMPLITUDES = ("auto", "small", "medium", "large")
IMAGE_FORMATS = frozenset({"png", "jpeg", "webp"})

#: How prompt length is counted: Unicode code points (Python ``len``), which is how the hosts'
#: Go and Python back ends count string length. Emoji outside the BMP count as one.
PROMPT_COUNTING = "Unicode characters (code points); an emoji counts as one"

# Pixel sizes of the output videos, by resolution and aspect ratio.
_HEIGHTS = {"360p": 360, "540p": 540, "720p": 720, "1080p": 1080}


def video_size(resolution: str, aspect_ratio: str) -> tuple[int, int]:
    """Width and height of a video of ``resolution`` ("1080p") at ``aspect_ratio`` ("16:9").
    ``auto`` (the model follows its references) is taken as 16:9, the hosts' default."""
    short = _HEIGHTS[resolution]
    w, h = (int(x) for x in ("16:9" if aspect_ratio == AUTO_RATIO else aspect_ratio).split(":"))
    if w >= h:
        long = round(short * w / h / 2) * 2
        return long, short
    long = round(short * h / w / 2) * 2
    return short, long


@record
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


@record
class SubjectRules:
    """The subjects form of a model: named cast members the prompt mentions as ``@name``.

    A model with these rules is sent the subjects form (loose pictures become one unnamed-style
    subject each: see ``core.mentions``); a model without them gets its pictures in order and
    the mentions put into words. Loose pictures count as subjects and as pictures."""

    max_subjects: int = 7
    max_images_each: int = 3
    max_images_total: int = 7
    #: a subject may carry a voice id (for the speech of ``audio``)
    voice: bool = False
    #: the prompt limit in the subjects form when it differs from the model's (None: same)
    prompt_limit: int | None = None
    #: the key of a subject's name on the wire ("id"; some hosts document "name")
    name_field: str = "id"


@record
class Cost:
    """What one task costs. ``amount`` None means unknown; ``estimate`` flags unofficial numbers.

    A host that prices by the second has ``per_second`` (and a ``fixed`` part, often 0): one
    task costs ``fixed + per_second × duration``, at rates that may depend on the resolution
    (``by_resolution``) and with ``audio_extra`` added when audio is asked for. ``amount`` is
    then the price at ``seconds`` (the model's default duration) and default resolution, so a
    reader that knows nothing of durations still sees a true price for the default task;
    ``at`` gives the price of another one."""

    amount: float | None
    unit: str  # "credits" or "USD"
    estimate: bool = False
    note: str = ""
    per_second: float | None = None
    fixed: float = 0.0
    #: the duration ``amount`` is the price of (per-second prices only)
    seconds: int | None = None
    #: (resolution, fixed, per_second) where the rate depends on the resolution
    by_resolution: tuple[tuple[str, float, float], ...] = ()
    audio_extra: float = 0.0
    #: whether ``amount`` includes ``audio_extra``
    audio: bool = False

    @classmethod
    def by_the_second(cls, unit: str, rates: dict[str, tuple[float, float]], *,
                      seconds: int, resolution: str, estimate: bool = False, note: str = "",
                      audio_extra: float = 0.0) -> Cost:
        """A per-second price: ``rates`` maps a resolution (or ``"*"`` for all) to
        ``(fixed, per_second)``; the cost of ``seconds`` at ``resolution`` is the default."""
        table = tuple((res, fixed, rate) for res, (fixed, rate) in rates.items())
        base = cls(None, unit, estimate, note, per_second=0.0, by_resolution=table,
                   audio_extra=audio_extra)
        return base.at(seconds, resolution)

    def _rate(self, resolution: str | None) -> tuple[float, float]:
        rates = {res: (fixed, rate) for res, fixed, rate in self.by_resolution}
        for key in (resolution, "*"):
            if key in rates:
                return rates[key]
        return self.fixed, self.per_second or 0.0

    def at(self, duration: int | None, resolution: str | None = None,
           audio: bool = False) -> Cost:
        """The cost of one task of ``duration`` seconds at ``resolution`` (with ``audio``).
        A flat price is the same for every duration (audio extra aside)."""
        extra = self.audio_extra if audio else 0.0
        if self.per_second is None:
            if self.amount is None or audio == self.audio:
                return self
            base = self.amount - (self.audio_extra if self.audio else 0.0)
            return replace(self, amount=base + extra, audio=audio)
        if duration is None:
            return self
        fixed, rate = self._rate(resolution)
        return replace(self, amount=fixed + rate * duration + extra, per_second=rate,
                       fixed=fixed, seconds=duration, audio=audio)

    def _money(self, value: float, per: str = "", *, exact: bool = False) -> str:
        """A total as the app writes money ("$0.23", "4.5 credits"); ``exact`` for the parts
        of a reckoning, whose cents may be fractions ("$0.025")."""
        if self.unit == "USD":
            return (f"${round(value, 6):g}" if exact or per else f"${value:.2f}") + per
        return f"{round(value, 6):g} {self.unit}" + per

    def describe(self, count: int = 1) -> str:
        """"about 16 credits"; by the second, with the reckoning of one task:
        "about 9 credits (5 s × 1 credits/s + 4 credits)"."""
        if self.amount is None:
            return "cost unknown" + (f" ({self.note})" if self.note else "")
        text = ("about " if self.estimate else "") + self._money(self.amount * count)
        if self.per_second is None or self.seconds is None:
            return text
        reckoning = f"{self.seconds} s × {self._money(self.per_second, '/s')}"
        if self.fixed:
            reckoning += f" + {self._money(self.fixed, exact=True)}"
        if self.audio and self.audio_extra:
            reckoning += f" + {self._money(self.audio_extra, exact=True)} for audio"
        return f"{text} ({reckoning}{' each' if count > 1 else ''})"


@record
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
    #: the ``audio_type`` sent with ``audio`` where the host asks for one ("" none)
    audio_type: str = ""
    wire_model: str = ""  # the model string on the wire where it differs from ``model``
    #: movement values the host spells otherwise on the wire (ours -> the host's)
    wire_movement: dict[str, str] = field(default_factory=dict)

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

    @property
    def sent_prompt_limit(self) -> int:
        """The limit of the prompt as sent: the subjects form's where the model has one."""
        if self.subjects is not None and self.subjects.prompt_limit is not None:
            return self.subjects.prompt_limit
        return self.prompt_limit

    def wire_movement_of(self, movement: str) -> str:
        return self.wire_movement.get(movement, movement)

    @property
    def wire_movement_amplitudes(self) -> tuple[str, ...]:
        """The movement values as the host documents them (what its server accepts)."""
        return tuple(self.wire_movement_of(m) for m in self.movement_amplitudes)

    def cost_at(self, duration: int | None = None, resolution: str | None = None,
                audio: bool = False) -> Cost:
        """The cost of one task with these parameters (the model's defaults when None)."""
        duration = duration or self.default_duration
        return self.cost.at(duration, resolution or self.default_resolution(duration), audio)


@record
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
