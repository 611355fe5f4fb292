"""Validation of a request against the capability table, naming field, value and allowed values."""

from __future__ import annotations

from dataclasses import dataclass

from .capabilities import PROMPT_COUNTING, ModelSpec
from .request import GenerationRequest


@dataclass(frozen=True)
class Problem:
    field: str
    message: str  # a full sentence for the user
    value: object = None
    allowed: tuple[object, ...] = ()

    def __str__(self) -> str:
        return self.message


def prompt_length(prompt: str) -> int:
    """The prompt's length as the hosts count it (see ``PROMPT_COUNTING``)."""
    return len(prompt)


def _choice(field: str, value: object, allowed: tuple[object, ...], what: str) -> Problem | None:
    if value in allowed:
        return None
    shown = ", ".join(str(a) for a in allowed) or "none"
    return Problem(field, f"{what} {value!r} is not offered by this model; allowed: {shown}.",
                   value, allowed)


def validate(request: GenerationRequest) -> list[Problem]:
    """Every problem with ``request`` for its host and model; empty when it can be sent."""
    try:
        spec: ModelSpec = request.spec
    except KeyError as exc:
        return [Problem("model", str(exc.args[0]), request.model)]
    req = request.resolved()
    problems: list[Problem] = []
    n = prompt_length(req.prompt)
    if spec.prompt_required and not req.prompt.strip():
        problems.append(Problem("prompt", "The prompt is empty; this model needs one."))
    if n > spec.prompt_limit:
        problems.append(Problem(
            "prompt", f"The prompt is {n} characters; the limit is {spec.prompt_limit} "
            f"({PROMPT_COUNTING}). Shorten it by {n - spec.prompt_limit}.", n,
            (spec.prompt_limit,)))
    count = len(req.images)
    rules = spec.images
    if not rules.min_count <= count <= rules.max_count:
        span = (f"exactly {rules.min_count}" if rules.min_count == rules.max_count
                else f"{rules.min_count} to {rules.max_count}")
        problems.append(Problem("images", f"{count} reference images given; this model takes "
                                f"{span}.", count, (rules.min_count, rules.max_count)))
    duration_problem = _choice("duration", req.duration, spec.durations, "Duration")
    checks = [
        duration_problem,
        # the resolutions depend on the duration: judge them only for an offered one
        None if duration_problem else _choice(
            "resolution", req.resolution, spec.resolutions_for(req.duration or 0),
            f"Resolution at {req.duration} s"),
        _choice("movement_amplitude", req.movement_amplitude, spec.movement_amplitudes,
                "Movement amplitude"),
    ]
    if spec.aspect_ratios:
        checks.append(_choice("aspect_ratio", req.aspect_ratio, spec.aspect_ratios,
                              "Aspect ratio"))
    problems.extend(p for p in checks if p is not None)
    if req.seed is not None and not (spec.supports_seed and 0 <= req.seed <= spec.seed_max):
        problems.append(Problem("seed", f"Seed {req.seed} is out of range; use 0 (random) to "
                                f"{spec.seed_max}.", req.seed, (0, spec.seed_max)))
    if req.bgm and not spec.supports_bgm:
        problems.append(Problem("bgm", "This model does not offer background music.", True))
    for flag, supported, what in (
        (bool(req.payload), spec.supports_payload, "payload"),
        (req.off_peak, spec.supports_off_peak, "off_peak"),
        (req.watermark, spec.supports_watermark, "watermark"),
        (bool(req.callback_url), spec.supports_callback, "callback_url"),
    ):
        if flag and not supported:
            problems.append(Problem(what, f"This host does not support {what}.", True))
    if len(req.payload) > 1_048_576:
        problems.append(Problem("payload", "The payload is longer than 1,048,576 characters.",
                                len(req.payload)))
    return problems
