"""The generation request: what the user asks for, independent of any host's wire format."""

from __future__ import annotations

from dataclasses import asdict, field, replace
from typing import Any

from vidu_desktop.core.records import record

from .capabilities import Mode, ModelSpec, ProviderId, model_spec


@record
class ReferenceImage:
    """One reference as sent: a data URI or an http(s) URL, with an optional label."""

    uri: str
    label: str = ""  # e.g. "the man in the red coat" (image 1)
    sha256: str = ""  # content hash of the prepared bytes, when known


@record
class Subject:
    """A cast member as sent: a name the prompt mentions as ``@name``, 1–3 pictures and an
    optional voice. How it reaches a host (a ``subjects`` entry, or pictures in order with the
    mentions put into words) is decided by ``core.mentions.sent_references``."""

    name: str
    images: tuple[ReferenceImage, ...]
    voice_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "images": [asdict(i) for i in self.images],
                "voice_id": self.voice_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Subject:
        return cls(str(data.get("name", "")), _images(data.get("images", ())),
                   str(data.get("voice_id", "") or ""))


def _images(values: Any) -> tuple[ReferenceImage, ...]:
    return tuple(ReferenceImage(**i) if isinstance(i, dict) else ReferenceImage(str(i))
                 for i in values or ())


@record
class GenerationRequest:
    provider: ProviderId
    model: str
    prompt: str
    #: loose pictures (not part of a cast member), in the tray's order
    images: tuple[ReferenceImage, ...]
    mode: Mode = Mode.REFERENCE2VIDEO
    duration: int | None = None  # None: the model's default
    resolution: str | None = None
    aspect_ratio: str | None = None
    movement_amplitude: str | None = None
    seed: int | None = None  # None or 0: the host picks a random seed
    bgm: bool = False
    payload: str = ""
    off_peak: bool = False
    watermark: bool = False
    callback_url: str = ""
    #: cast members the draft uses; their pictures go before the loose ones
    subjects: tuple[Subject, ...] = ()
    #: speech and sound generated with the video (models with ``supports_audio``)
    audio: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> ModelSpec:
        return model_spec(self.provider, self.model, self.mode)

    def resolved(self) -> GenerationRequest:
        """The request with every unset parameter replaced by the model's default."""
        spec = self.spec
        duration = self.duration or spec.default_duration
        return replace(
            self,
            duration=duration,
            resolution=self.resolution or spec.default_resolution(duration),
            aspect_ratio=self.aspect_ratio or (spec.default_aspect_ratio
                                               if spec.aspect_ratios else None),
            movement_amplitude=self.movement_amplitude or "auto",
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["provider"] = self.provider.value
        data["mode"] = self.mode.value
        data["images"] = [asdict(i) for i in self.images]
        data["subjects"] = [s.to_dict() for s in self.subjects]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GenerationRequest:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        values["provider"] = ProviderId(values["provider"])
        values["mode"] = Mode(values.get("mode", Mode.REFERENCE2VIDEO))
        values["images"] = _images(values.get("images", ()))
        values["subjects"] = tuple(Subject.from_dict(s) for s in values.get("subjects", ())
                                   if isinstance(s, dict))
        return cls(**values)

    @property
    def all_images(self) -> tuple[ReferenceImage, ...]:
        """Every picture, the cast members' first (in cast order), then the loose ones."""
        return tuple(i for s in self.subjects for i in s.images) + self.images
