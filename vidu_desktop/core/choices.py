"""A composition's parameters as the user chose them, and the requests they make.

``Choices`` is what the parameter panel shows and a draft or a storyboard keeps (everything but
the prompt and the pictures); ``requests`` turns it into the requests of one Generate, one per
variation, with only what the host takes. The panel's rules that keep the choices valid are in
``ui/common/parameter_choices.py``; a board's shots use :meth:`Choices.for_model`.
"""

from __future__ import annotations

import random
from dataclasses import asdict, fields
from typing import Any

from vidu_desktop.core.records import record

from .capabilities import Mode, ModelSpec, ProviderId, provider
from .request import GenerationRequest, ReferenceImage, Subject

MAX_VARIATIONS = 8


@record
class Choices:
    provider: ProviderId = ProviderId.VIDU
    model: str = "viduq1"
    duration: int = 5
    resolution: str = "1080p"
    aspect_ratio: str = "16:9"
    movement_amplitude: str = "auto"
    seed: int = 1
    random_seed: bool = True
    bgm: bool = False
    variations: int = 1
    payload: str = ""
    off_peak: bool = False
    watermark: bool = False
    #: speech and sound with the video (drafts saved before it existed open with it off)
    audio: bool = False

    @property
    def spec(self) -> ModelSpec:
        return provider(self.provider).model(self.model, Mode.REFERENCE2VIDEO)

    def to_parameters(self) -> dict[str, Any]:
        """For a draft: everything but host and model (which the draft keeps apart)."""
        data = asdict(self)
        data.pop("provider")
        data.pop("model")
        return data

    @classmethod
    def from_draft(cls, host: str, model: str, parameters: dict[str, Any]) -> Choices:
        """Choices as saved (not yet fitted: call ``fit``). Unknown keys are ignored."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in parameters.items():
            if name in known and name not in ("provider", "model"):
                values[name] = value
        try:
            pid = ProviderId(host)
        except ValueError:
            pid = ProviderId.VIDU
        return cls(provider=pid, model=model or provider(pid).default_model.model, **values)

    @classmethod
    def for_model(cls, host: str, model: str, parameters: dict[str, Any]) -> Choices:
        """The choices of ``parameters`` where they speak, else the model's defaults (a
        board's shot: its board's defaults overridden by its own). A ``seed`` given without
        ``random_seed`` is used as given (0: the host picks)."""
        spec = provider(host).model(model, Mode.REFERENCE2VIDEO)
        duration = parameters.get("duration")
        values = {**model_defaults(spec, duration if isinstance(duration, int) else None),
                  **parameters}
        if "seed" in parameters and "random_seed" not in parameters:
            values["random_seed"] = not parameters["seed"]
            values["seed"] = parameters["seed"] or 1
        return cls.from_draft(host, model, values)

    def seeds(self, rng: random.Random | None = None) -> list[int]:
        """One seed per variation: random ones drawn here (so each take's seed is known), or
        the chosen seed and the ones after it (wrapping at the host's maximum)."""
        spec = self.spec
        top = spec.seed_max
        if self.random_seed:
            rng = rng or random.Random()
            return [rng.randint(1, top) for _ in range(self.variations)]
        return [(self.seed - 1 + i) % top + 1 for i in range(self.variations)]

    def requests(self, prompt: str, images: tuple[ReferenceImage, ...],
                 rng: random.Random | None = None, *, subjects: tuple[Subject, ...] = ()
                 ) -> list[GenerationRequest]:
        """The requests of one Generate (one per variation), with only what the host takes.
        ``images`` are the loose pictures, ``subjects`` the draft's cast members."""
        spec = self.spec
        seeds = self.seeds(rng) if spec.supports_seed else [None] * self.variations
        return [GenerationRequest(
            provider=self.provider, model=self.model, prompt=prompt, images=images,
            mode=Mode.REFERENCE2VIDEO, duration=self.duration, resolution=self.resolution,
            aspect_ratio=self.aspect_ratio if spec.aspect_ratios else None,
            movement_amplitude=self.movement_amplitude, seed=seed,
            bgm=self.bgm and spec.supports_bgm,
            payload=self.payload if spec.supports_payload else "",
            off_peak=self.off_peak and spec.supports_off_peak,
            watermark=self.watermark and spec.supports_watermark,
            subjects=subjects, audio=self.audio and spec.supports_audio,
        ) for seed in seeds]


def model_defaults(spec: ModelSpec, duration: int | None = None) -> dict[str, Any]:
    """The model's own defaults as parameters (the resolution at ``duration`` when given)."""
    duration = duration or spec.default_duration
    return {"duration": duration, "resolution": spec.default_resolution(duration),
            "aspect_ratio": spec.default_aspect_ratio if spec.aspect_ratios else "16:9",
            "movement_amplitude": spec.movement_amplitudes[0]}
