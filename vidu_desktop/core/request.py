"""The generation request: what the user asks for, independent of any host's wire format."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .capabilities import Mode, ModelSpec, ProviderId, model_spec


@dataclass(frozen=True)
class ReferenceImage:
    """One reference as sent: a data URI or an http(s) URL, with an optional label."""

    uri: str
    label: str = ""  # e.g. "the man in the red coat" (image 1)
    sha256: str = ""  # content hash of the prepared bytes, when known


@dataclass(frozen=True)
class GenerationRequest:
    provider: ProviderId
    model: str
    prompt: str
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
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GenerationRequest:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        values["provider"] = ProviderId(values["provider"])
        values["mode"] = Mode(values.get("mode", Mode.REFERENCE2VIDEO))
        values["images"] = tuple(
            ReferenceImage(**i) if isinstance(i, dict) else ReferenceImage(str(i))
            for i in values.get("images", ())
        )
        return cls(**values)
