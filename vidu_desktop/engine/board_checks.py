"""What a board or shot may hold, and what is wrong with a shot before it is generated.

Parameters are kept as drafts keep them (``core/choices.py``); a board holds the defaults of its
shots, a shot only what it changes. A value of the wrong type or an unknown name is refused when
it is set; a value the model does not offer is refused too, and reported again by the plan when
the board's model changed since. Every message names the board or the shot ("Shot 3: ...") and
the bad value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from vidu_desktop.core.capabilities import Mode, ModelSpec, ProviderId, provider
from vidu_desktop.core.choices import Choices
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.validation import Problem, validate
from vidu_desktop.store.errors import board_error

#: the parameters a board or a shot may set, and their types
PARAMETER_TYPES: dict[str, type] = {
    "duration": int, "resolution": str, "aspect_ratio": str, "movement_amplitude": str,
    "seed": int, "random_seed": bool, "bgm": bool, "audio": bool, "off_peak": bool,
    "watermark": bool, "payload": str,
}
_WORDS = {"duration": "duration", "resolution": "resolution", "aspect_ratio": "aspect ratio",
          "movement_amplitude": "movement amplitude"}
_UNITS = {"duration": " s"}


def model_of(host: str, model: str) -> ModelSpec:
    """The host's reference-to-video model, or AppError naming the models there are."""
    try:
        return provider(host).model(model, Mode.REFERENCE2VIDEO)
    except KeyError as exc:
        hosts = ", ".join(p.value for p in ProviderId)
        raise board_error(str(exc.args[0]).rstrip(".") + ".",
                          f"Pick a host ({hosts}) and one of its models "
                          "(`vidu-cli providers` lists them).") from None


def model_label(spec: ModelSpec) -> str:
    """"Vidu viduq1": the host's name and the model."""
    return f"{provider(spec.provider).display_name} {spec.model}"


def check_types(parameters: Mapping[str, Any] | None, where: str) -> dict[str, Any]:
    """``parameters`` as a dict, or AppError naming an unknown name or a value of the wrong
    type (``where``: "Board Beach day", "Shot 3")."""
    checked: dict[str, Any] = {}
    for name, value in (parameters or {}).items():
        kind = PARAMETER_TYPES.get(name)
        if kind is None:
            known = ", ".join(PARAMETER_TYPES)
            raise board_error(f"{where}: there is no parameter {name!r}.",
                              f"Use one of: {known}.")
        wrong = (not isinstance(value, kind) or (kind is int and isinstance(value, bool))
                 or (isinstance(value, float) and not math.isfinite(value)))
        if wrong:
            raise board_error(f"{where}: {name} {value!r} is not a "
                              f"{'whole number' if kind is int else kind.__name__}.",
                              f"Give {name} as a {_example(kind)}.")
        checked[name] = value
    return checked


def _example(kind: type) -> str:
    return {int: "whole number (5)", bool: "yes or no", str: "word"}.get(kind, kind.__name__)


def value_problems(spec: ModelSpec, parameters: Mapping[str, Any]) -> list[str]:
    """What the model does not offer among ``parameters`` (the effective ones of a shot):
    "duration 7 s is not offered by Vidu viduq1 (offered: 5 s)"."""
    choices = Choices.for_model(spec.provider, spec.model, dict(parameters))
    stand_in = (ReferenceImage("data:,"),) * max(1, spec.images.min_count)
    [request] = choices.requests("a stand-in prompt", stand_in)
    found = [parameter_words(spec, p) for p in validate(request)
             if p.field in PARAMETER_TYPES]
    # what the composer's requests leave out on a model without it is refused here
    for name, offered in (("audio", spec.supports_audio), ("bgm", spec.supports_bgm),
                          ("off_peak", spec.supports_off_peak),
                          ("watermark", spec.supports_watermark),
                          ("payload", spec.supports_payload)):
        if parameters.get(name) and not offered:
            found.append(f"{name.replace('_', '-')} is not offered by {model_label(spec)}")
    return found


def parameter_words(spec: ModelSpec, problem: Problem) -> str:
    """A validation problem in the words of a board: the value, the model, what it offers."""
    if problem.field in _WORDS and problem.allowed:
        unit = _UNITS.get(problem.field, "")
        offered = ", ".join(f"{a}{unit}" for a in problem.allowed)
        return (f"{_WORDS[problem.field]} {problem.value}{unit} is not offered by "
                f"{model_label(spec)} (offered: {offered})")
    return problem.message.rstrip(".")


def check_values(spec: ModelSpec, parameters: Mapping[str, Any], where: str) -> None:
    problems = value_problems(spec, parameters)
    if problems:
        raise board_error(f"{where}: {'; '.join(problems)}.",
                          "Pick values the model offers (`vidu-cli providers` lists them), "
                          "or leave them to the board's defaults.")


def request_problems(request: GenerationRequest) -> list[str]:
    """Everything that keeps a shot's request from being sent, in a board's words."""
    spec = request.spec
    out = []
    for problem in validate(request):
        if problem.field in PARAMETER_TYPES:
            out.append(parameter_words(spec, problem))
        elif problem.field == "prompt" and not request.prompt.strip():
            out.append("the prompt is empty")
        else:
            out.append(problem.message.rstrip("."))
    return out
