"""The stdlib core: the capability table, validation, the state machine, errors, requests."""

from __future__ import annotations

import pytest

from vidu_desktop.core.capabilities import (
    PROVIDERS,
    Mode,
    ProviderId,
    model_spec,
    provider,
    video_size,
)
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import (
    ACTIVE,
    TERMINAL,
    TRANSITIONS,
    InvalidTransition,
    TaskState,
    check_transition,
)
from vidu_desktop.core.validation import prompt_length, validate

IMG = ReferenceImage("data:image/png;base64,AAAA")


def req(host: str = "vidu", model: str = "viduq1", prompt: str = "a cat", images: int = 1,
        **values: object) -> GenerationRequest:
    return GenerationRequest(ProviderId(host), model, prompt, (IMG,) * images,
                             **values)  # type: ignore[arg-type]


def test_table_covers_five_hosts_and_their_documented_limits() -> None:
    assert set(PROVIDERS) == set(ProviderId)
    q1 = model_spec("vidu", "viduq1")
    assert (q1.durations, q1.resolutions_for(5), q1.images.max_count) == ((5,), ("1080p",), 7)
    assert model_spec("vidu", "vidu2.0").images.max_count == 3
    assert model_spec("vidu", "vidu1.5").resolutions_for(8) == ("720p",)
    assert model_spec("segmind", "vidu-q1").seed_max == 999_999
    assert model_spec("vtrix", "viduq1_reference2video").prompt_limit == 2000
    assert model_spec("vidu", "viduq1", Mode.IMG2VIDEO).aspect_ratios == ()
    assert provider("vidu").concurrency == 5
    with pytest.raises(KeyError, match="allowed: vidu-q1"):
        provider("novita").model("viduq1")
    with pytest.raises(KeyError, match="unknown host"):
        provider("nowhere")


def test_video_sizes_follow_ratio_and_resolution() -> None:
    assert video_size("1080p", "16:9") == (1920, 1080)
    assert video_size("1080p", "9:16") == (1080, 1920)
    assert video_size("720p", "1:1") == (720, 720)
    assert video_size("360p", "16:9") == (640, 360)


def test_cost_is_described_honestly() -> None:
    assert model_spec("segmind", "vidu-q1").cost.describe(3) == "$1.50"
    assert model_spec("vidu", "viduq1").cost.describe(2) == "about 16 credits"
    assert model_spec("novita", "vidu-q1").cost.describe().startswith("cost unknown")


def test_validation_names_field_value_and_allowed_values() -> None:
    assert validate(req()) == []
    problems = {p.field: p for p in validate(req(prompt="x" * 1501, images=8,
                                                 resolution="720p", aspect_ratio="4:3",
                                                 movement_amplitude="wild"))}
    assert set(problems) == {"prompt", "images", "resolution", "aspect_ratio",
                             "movement_amplitude"}
    assert "1501 characters; the limit is 1500" in problems["prompt"].message
    assert "Shorten it by 1" in problems["prompt"].message
    assert "allowed: 1080p" in problems["resolution"].message
    assert "1 to 7" in problems["images"].message
    assert problems["aspect_ratio"].allowed == ("16:9", "9:16", "1:1")


def test_an_unoffered_duration_is_reported_not_crashed() -> None:
    problems = validate(req(duration=7))
    assert [p.field for p in problems] == ["duration"]
    assert "allowed: 5" in problems[0].message


@pytest.mark.parametrize(("values", "field"), [
    ({"seed": 1_000_000, "host": "segmind", "model": "vidu-q1"}, "seed"),
    ({"seed": -1}, "seed"),
    ({"payload": "x", "host": "novita", "model": "vidu-q1"}, "payload"),
    ({"off_peak": True, "host": "segmind", "model": "vidu-q1"}, "off_peak"),
    ({"prompt": "   "}, "prompt"),
    ({"images": 0}, "images"),
    ({"model": "vidu9"}, "model"),
])
def test_each_bad_value_is_named(values: dict[str, object], field: str) -> None:
    assert field in {p.field for p in validate(req(**values))}  # type: ignore[arg-type]


def test_prompt_length_counts_code_points() -> None:
    assert prompt_length("héllo 🎬") == 7
    assert validate(req(prompt="🎬" * 1500)) == []
    assert validate(req(prompt="🎬" * 1501))[0].field == "prompt"


def test_resolved_fills_defaults_per_model() -> None:
    r = req("vidu", "vidu2.0").resolved()
    assert (r.duration, r.resolution, r.aspect_ratio, r.movement_amplitude) == (
        4, "360p", "16:9", "auto")
    assert req("vidu", "vidu1.5", duration=8).resolved().resolution == "720p"
    assert GenerationRequest(ProviderId.VIDU, "viduq1", "", (IMG,), mode=Mode.IMG2VIDEO
                             ).resolved().aspect_ratio is None


def test_request_round_trips_through_a_dict() -> None:
    original = req(seed=42, bgm=True, payload="p", extra={"k": 1})
    assert GenerationRequest.from_dict(original.to_dict()) == original


def test_state_machine() -> None:
    assert TERMINAL.isdisjoint(ACTIVE)
    assert set(TRANSITIONS) == set(TaskState)
    check_transition(TaskState.SUBMITTING, TaskState.QUEUED)
    check_transition(TaskState.QUEUED, TaskState.QUEUED)  # staying is allowed
    for old, new in ((TaskState.CANCELLED, TaskState.QUEUED),
                     (TaskState.QUEUED, TaskState.SUBMITTING),
                     (TaskState.DOWNLOADING, TaskState.CANCELLED)):
        with pytest.raises(InvalidTransition):
            check_transition(old, new)


def test_errors_carry_defaults_and_round_trip() -> None:
    err = AppError(ErrorKind.RATE_LIMITED, trace_id="t-1", code="TooManyRequests",
                   http_status=429)
    assert err.can_retry and "rate-limiting" in err.message and err.hint
    assert str(err) == f"{err.message} [TooManyRequests] (trace id t-1)"
    back = AppError.from_dict(err.to_dict())
    assert (back.kind, back.trace_id, back.http_status, back.code) == (
        ErrorKind.RATE_LIMITED, "t-1", 429, "TooManyRequests")
    assert not AppError(ErrorKind.AUTH).can_retry
    with pytest.raises(AppError):
        raise AppError(ErrorKind.MODERATION)
