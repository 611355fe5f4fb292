"""What the pipeline is asked to produce: the host's rules plus the user's choices."""

from __future__ import annotations

import json
from dataclasses import asdict, field, replace
from functools import lru_cache
from typing import Any, Literal

from vidu_desktop.core.capabilities import (
    ImageRules,
    Mode,
    ProviderId,
    model_spec,
    provider,
)
from vidu_desktop.core.records import record

FixMode = Literal["crop", "pad"]
OutputFormat = Literal["jpeg", "png", "webp"]

#: Bump when the pipeline's output changes for the same options, so cached results are redone.
PIPELINE_VERSION = 1


def default_rules() -> ImageRules:
    """The image rules of the default host's default reference-to-video model."""
    return provider(ProviderId.VIDU).default_model.images


@record
class PrepareOptions:
    """Everything that decides the prepared bytes (and so the cache key), but not the budget."""

    rules: ImageRules = field(default_factory=default_rules)
    #: The longest side sent; None: the model's ``useful_long_side``.
    max_long_side: int | None = None
    #: How to repair a width:height outside the host's range (None: report it as a problem).
    fix_ratio: FixMode | None = None
    #: Make every picture this output aspect ratio ("16:9", "9:16", "1:1"), by crop or pad.
    aspect: str | None = None
    aspect_mode: FixMode = "crop"
    #: Force an output format (None: JPEG for photos, PNG/WebP to keep transparency or for
    #: graphics with few colours). A forced JPEG flattens transparency onto ``pad_color``.
    output_format: OutputFormat | None = None
    jpeg_quality: int = 90
    #: The lowest quality the budget search may use before it shrinks the picture instead.
    min_quality: int = 40
    pad_color: tuple[int, int, int] = (255, 255, 255)
    thumbnail_side: int = 256
    #: Accept a reduced-scale decode (JPEG DCT scaling, integer box reduction) whose long side
    #: is at least this fraction of the target instead of resampling from a larger decode.
    #: 1.0 always resamples to exactly the target; 0.625 accepts 1280+ px for a 2048 target.
    draft_floor: float = 0.625
    #: Largest source accepted (files, URLs, pasted bytes); None: the host's ``max_file_bytes``.
    max_source_bytes: int | None = None
    url_timeout_s: float = 30.0

    @classmethod
    def for_model(cls, pid: str | ProviderId, model: str | None = None,
                  mode: Mode = Mode.REFERENCE2VIDEO, **choices: Any) -> PrepareOptions:
        """Options with the rules of a host's model (its default model when ``model`` is None)."""
        spec = (provider(pid).models_for(mode)[0] if model is None
                else model_spec(pid, model, mode))
        return replace(cls(rules=spec.images), **choices)

    @property
    def long_side(self) -> int:
        return self.max_long_side or self.rules.useful_long_side

    @property
    def source_cap(self) -> int:
        return self.max_source_bytes or self.rules.max_file_bytes

    def key(self) -> str:
        """A short fingerprint of everything that changes the output (not URL timeouts)."""
        return _fingerprint(self)

    def validate(self) -> None:
        """Raise ValueError for choices that make no sense."""
        if self.aspect is not None:
            parse_ratio(self.aspect)
        if self.fix_ratio not in (None, "crop", "pad") or self.aspect_mode not in ("crop", "pad"):
            raise ValueError("fix_ratio and aspect_mode take 'crop' or 'pad'")
        if self.output_format not in (None, "jpeg", "png", "webp"):
            raise ValueError(f"unknown output format {self.output_format!r}")
        if self.output_format and self.output_format not in self.rules.formats:
            raise ValueError(f"the host does not take {self.output_format}")
        if not 1 <= self.min_quality <= self.jpeg_quality <= 100:
            raise ValueError("need 1 <= min_quality <= jpeg_quality <= 100")
        if self.long_side < self.rules.min_side:
            raise ValueError(f"max_long_side {self.long_side} is below the host's minimum side "
                             f"{self.rules.min_side}")
        if not 0 < self.draft_floor <= 1:
            raise ValueError("draft_floor is a fraction in (0, 1]")


@lru_cache(maxsize=64)
def _fingerprint(options: PrepareOptions) -> str:
    data = asdict(options)
    data.pop("url_timeout_s")
    data.pop("max_source_bytes")
    data["rules"]["formats"] = sorted(options.rules.formats)
    for name in ("min_count", "max_count", "max_file_bytes", "max_decoded_bytes",
                 "max_body_bytes"):  # budgets are handled apart from the options
        data["rules"].pop(name)
    data["version"] = PIPELINE_VERSION
    text = json.dumps(data, sort_keys=True, default=str)
    import hashlib  # (its import, OpenSSL's set-up, is not needed to paint the window)

    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse_ratio(text: str) -> float:
    """ "16:9" -> 1.777..; raises ValueError for anything else."""
    try:
        w, h = (float(x) for x in text.split(":"))
    except ValueError:
        raise ValueError(f"aspect ratio {text!r} is not of the form W:H, e.g. 16:9") from None
    if w <= 0 or h <= 0:
        raise ValueError(f"aspect ratio {text!r} needs positive sides")
    return w / h
