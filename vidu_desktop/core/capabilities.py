"""The one capability table: what each host and model accepts, its limits, defaults and cost.

Every consumer reads these facts: the parameter panel (what to offer), validation (what to
refuse), the image pipeline (byte budgets), the CLI (`vidu-cli providers`) and the emulator (how
strict to be).
A new model or host is one entry in ``core.models_table``, plus an adapter when its wire shape
is new. The types live in ``core.specs``; this module joins them to the facts and is what the
rest of the app imports.

Sources are the provider documents summarised in the project's provider-contracts notes and,
for the Q2/Q3 models, the pages named in ``core.models_table``.
"""

from __future__ import annotations

from .models_table import novita_family, segmind_models, vidu_models, vtrix_models
from .specs import (
    ASPECT_RATIOS,
    AUTO_RATIO,
    IMAGE_FORMATS,
    MB,
    MOVEMENT_AMPLITUDES,
    PROMPT_COUNTING,
    WIDE_ASPECT_RATIOS,
    AuthScheme,
    Cost,
    ImageRules,
    MiB,
    Mode,
    ModelSpec,
    ProviderId,
    ProviderSpec,
    SubjectRules,
    video_size,
)

__all__ = [
    "ASPECT_RATIOS", "AUTO_RATIO", "IMAGE_FORMATS", "MB", "MOVEMENT_AMPLITUDES",
    "PROMPT_COUNTING", "PROVIDERS", "WIDE_ASPECT_RATIOS", "AuthScheme", "Cost", "ImageRules",
    "MiB", "Mode", "ModelSpec", "ProviderId", "ProviderSpec", "SubjectRules", "model_spec",
    "provider", "video_size",
]

PROVIDERS: dict[ProviderId, ProviderSpec] = {
    ProviderId.VIDU: ProviderSpec(
        ProviderId.VIDU, "Vidu", "https://api.vidu.com", AuthScheme.TOKEN, "VIDU_API_KEY",
        vidu_models(), concurrency=5, result_ttl_s=24 * 3600,
        notes="Official API. Tasks can be cancelled while queued. Cost in credits.",
    ),
    ProviderId.NOVITA: ProviderSpec(
        ProviderId.NOVITA, "Novita", "https://api.novita.ai", AuthScheme.BEARER,
        "NOVITA_API_KEY", novita_family(ProviderId.NOVITA), result_ttl_s=3600,
        notes="v3 async API. No cancel endpoint.",
    ),
    ProviderId.HIGHWAYAPI: ProviderSpec(
        ProviderId.HIGHWAYAPI, "HighwayAPI", "https://api.highwayapi.ai", AuthScheme.BEARER,
        "HIGHWAYAPI_API_KEY", novita_family(ProviderId.HIGHWAYAPI), result_ttl_s=3600,
        notes="Novita's v3 async API under another brand. No cancel endpoint.",
    ),
    ProviderId.SEGMIND: ProviderSpec(
        ProviderId.SEGMIND, "Segmind", "https://api.segmind.com", AuthScheme.X_API_KEY,
        "SEGMIND_API_KEY", segmind_models(), result_ttl_s=7 * 24 * 3600,
        notes="v2 asynchronous API (v1 synchronous optional). Status kept 1 hour. No cancel.",
    ),
    ProviderId.VTRIX: ProviderSpec(
        ProviderId.VTRIX, "Vtrix", "https://cloud.vtrix.ai", AuthScheme.BEARER, "VTRIX_API_KEY",
        vtrix_models(), result_ttl_s=24 * 3600,
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
