"""Strict checks of request bodies, shared by the contracts. Each raises ``FieldProblem``,
which a contract turns into its own error answer."""

from __future__ import annotations

from typing import Any

from vidu_desktop.core.capabilities import ModelSpec, video_size


class FieldProblem(Exception):
    """``kind``: missing | unknown | invalid | count | too_long."""

    def __init__(self, kind: str, field: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.field = field
        self.message = message


def check_unknown(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise FieldProblem("unknown", ",".join(unknown), f"unwanted field: {', '.join(unknown)}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def opt_int(body: dict[str, Any], name: str, default: int | None, *,
            allowed: tuple[int, ...] = (), lo: int | None = None, hi: int | None = None,
            accept_str: bool = False) -> int | None:
    value = body.get(name)
    if value is None:
        return default
    if accept_str and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not _is_int(value):
        raise FieldProblem("invalid", name, f"invalid field: {name} (expected an integer)")
    if allowed and value not in allowed:
        raise FieldProblem("invalid", name, f"invalid field: {name} (allowed: "
                           f"{', '.join(map(str, allowed))})")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise FieldProblem("invalid", name, f"invalid field: {name} (range {lo}..{hi})")
    return int(value)


def opt_str(body: dict[str, Any], name: str, default: str | None = "", *,
            allowed: tuple[str, ...] = (), max_len: int | None = None) -> str | None:
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        raise FieldProblem("invalid", name, f"invalid field: {name} (expected a string)")
    if allowed and value not in allowed:
        raise FieldProblem("invalid", name, f"invalid field: {name} (allowed: "
                           f"{', '.join(allowed)})")
    if max_len is not None and len(value) > max_len:
        raise FieldProblem("too_long", name, f"invalid field: {name} (at most {max_len} "
                           f"characters, got {len(value)})")
    return value


def opt_bool(body: dict[str, Any], name: str, default: bool = False) -> bool:
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise FieldProblem("invalid", name, f"invalid field: {name} (expected true or false)")
    return value


def image_list(body: dict[str, Any], name: str, lo: int, hi: int) -> list[object]:
    value = body.get(name)
    if value is None or value == []:
        raise FieldProblem("missing", name, f"field is missing or empty: {name}")
    if not isinstance(value, list):
        raise FieldProblem("invalid", name, f"invalid field: {name} (expected a list)")
    if not lo <= len(value) <= hi:
        raise FieldProblem("count", name, f"field item count out of range: {name} "
                           f"({len(value)} given, {lo} to {hi} allowed)")
    return value


def parse_generation(body: dict[str, Any], spec: ModelSpec, *,
                     seed_as_str: bool = False, prompt_limit: int | None = None
                     ) -> dict[str, Any]:
    """The common video parameters, checked against the model's table entry (``prompt_limit``:
    the limit of the form sent when it is not the model's, e.g. the subjects form's).

    Returns ``prompt, duration, resolution, aspect_ratio, movement_amplitude, seed, bgm``
    (seed None when absent or 0, for the caller to resolve).
    """
    prompt = opt_str(body, "prompt", None, max_len=prompt_limit or spec.prompt_limit)
    if spec.prompt_required and not (prompt or "").strip():
        raise FieldProblem("missing", "prompt", "field is missing or empty: prompt")
    duration = opt_int(body, "duration", spec.default_duration, allowed=spec.durations)
    assert duration is not None
    resolution = opt_str(body, "resolution", spec.default_resolution(duration),
                         allowed=spec.resolutions_for(duration))
    aspect = None
    if spec.aspect_ratios:
        aspect = opt_str(body, "aspect_ratio", spec.default_aspect_ratio,
                         allowed=spec.aspect_ratios)
    elif "aspect_ratio" in body:
        raise FieldProblem("unknown", "aspect_ratio", "unwanted field: aspect_ratio")
    # the values as the host spells them (Novita's "high" for "large")
    movement = opt_str(body, "movement_amplitude", "auto",
                       allowed=spec.wire_movement_amplitudes)
    seed = opt_int(body, "seed", None, lo=0, hi=spec.seed_max, accept_str=seed_as_str)
    bgm = opt_bool(body, "bgm")
    if bgm and not spec.supports_bgm:
        raise FieldProblem("invalid", "bgm", f"invalid field: bgm (model {spec.model} adds no "
                           "background music; send bgm false or leave it out)")
    return {
        "prompt": prompt or "", "duration": duration, "resolution": resolution,
        "aspect_ratio": aspect, "movement_amplitude": movement, "seed": seed or None,
        "bgm": bgm,
    }


def output_size(params: dict[str, Any], first_image: tuple[int, int]) -> tuple[int, int]:
    """Pixel size of the video: the requested ratio, or (image-to-video, or the ratio ``auto``)
    the first image's."""
    aspect = params.get("aspect_ratio")
    if not aspect or aspect == "auto":
        w, h = first_image
        aspect = "16:9" if w / h > 1.3 else "9:16" if w / h < 0.77 else "1:1"
    return video_size(str(params["resolution"]), str(aspect))
