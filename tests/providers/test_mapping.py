"""Pure mapping: submit bodies built from one request, and every documented status variant."""

from __future__ import annotations

import json
from typing import Any

import pytest

from vidu_desktop.core.capabilities import Mode, ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.novita import NovitaAdapter
from vidu_desktop.providers.registry import make_adapter
from vidu_desktop.providers.segmind import SegmindAdapter
from vidu_desktop.providers.vidu import ViduAdapter, encode_payload, token_of, user_payload
from vidu_desktop.providers.vtrix import VtrixAdapter

from . import samples as s
from .samples import KEY, PNG, URL, request

H: dict[str, str] = {}
TOKEN = "tok-7f3a"


def adapter(pid: ProviderId, **options: Any) -> Any:
    return make_adapter(pid, KEY, **options)


# -- submit bodies ---------------------------------------------------------------------------

def test_vidu_submit_body() -> None:
    path, body = adapter(ProviderId.VIDU).build_submit(request(ProviderId.VIDU, seed=42), TOKEN)
    assert path == "/ent/v2/reference2video"
    assert body == {
        "model": "viduq1", "images": [PNG, URL], "prompt": request(ProviderId.VIDU).prompt,
        "duration": 5, "resolution": "1080p", "movement_amplitude": "auto", "bgm": False,
        "aspect_ratio": "16:9", "seed": 42, "payload": TOKEN,
    }


def test_vidu_submit_options_and_img2video() -> None:
    req = request(ProviderId.VIDU, payload="mine", off_peak=True, bgm=True,
                  callback_url="https://example.com/cb", movement_amplitude="large",
                  aspect_ratio="9:16")
    _, body = adapter(ProviderId.VIDU).build_submit(req, TOKEN)
    assert body["off_peak"] is True and body["bgm"] is True
    assert body["callback_url"] == "https://example.com/cb"
    assert body["aspect_ratio"] == "9:16" and body["movement_amplitude"] == "large"
    assert json.loads(body["payload"]) == {"vidu_desktop_token": TOKEN, "user": "mine"}
    assert "seed" not in body  # None: the host picks one
    one = request(ProviderId.VIDU, mode=Mode.IMG2VIDEO, images=(ReferenceImage(PNG),))
    path, body = adapter(ProviderId.VIDU).build_submit(one, TOKEN)
    assert path == "/ent/v2/img2video" and "aspect_ratio" not in body


def test_vidu_payload_round_trip() -> None:
    assert token_of(encode_payload(TOKEN, "")) == TOKEN
    assert token_of(encode_payload(TOKEN, '{"a": 1}')) == TOKEN
    assert user_payload(encode_payload(TOKEN, '{"a": 1}')) == '{"a": 1}'
    assert user_payload(encode_payload(TOKEN, "")) == ""
    assert token_of("") == "" and token_of(None) == ""
    assert token_of('{"other": 1}') == '{"other": 1}'


@pytest.mark.parametrize("pid", [ProviderId.NOVITA, ProviderId.HIGHWAYAPI])
def test_novita_family_submit_body(pid: ProviderId) -> None:
    path, body = adapter(pid).build_submit(request(pid, seed=7), TOKEN)
    assert path == "/v3/async/vidu-q1-reference2video"
    assert body == {"images": [PNG, URL], "prompt": request(pid).prompt, "duration": 5,
                    "resolution": "1080p", "movement_amplitude": "auto", "bgm": False,
                    "aspect_ratio": "16:9", "seed": 7}
    assert "payload" not in body and "model" not in body


def test_segmind_submit_body_v2_and_v1() -> None:
    req = request(ProviderId.SEGMIND, seed=42, bgm=True)
    path, body = adapter(ProviderId.SEGMIND).build_submit(req, TOKEN)
    assert path == "/v2/vidu-q1-reference-to-video"
    assert body == {"prompt": req.prompt, "image_urls": [PNG, URL], "duration": 5,
                    "movement_amplitude": "auto", "bgm": True, "aspect_ratio": "16:9",
                    "seed": 42}
    path, _ = adapter(ProviderId.SEGMIND, sync=True).build_submit(req, TOKEN)
    assert path == "/v1/vidu-q1-reference-to-video"


def test_vtrix_submit_body_is_wrapped() -> None:
    req = request(ProviderId.VTRIX, seed=3)
    path, body = adapter(ProviderId.VTRIX).build_submit(req, TOKEN)
    assert path == "/model/v1/generation"
    assert body["model"] == "viduq1_reference2video"
    assert list(body) == ["model", "input"] and len(body["input"]) == 1
    params = body["input"][0]["params"]
    assert params["subjects"] == [{"id": "1", "images": [PNG]}, {"id": "2", "images": [URL]}]
    assert params["seed"] == 3 and params["duration"] == 5 and params["resolution"] == "1080p"
    _, flat = adapter(ProviderId.VTRIX, reference_form="images").build_submit(req, TOKEN)
    assert flat["input"][0]["params"]["images"] == [PNG, URL]


def test_extra_fields_pass_through() -> None:
    req = request(ProviderId.VIDU, extra={"wm_position": 2})
    _, body = adapter(ProviderId.VIDU).build_submit(req, TOKEN)
    assert body["wm_position"] == 2


# -- Vidu ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("wire", "state"), [
    ("created", TaskState.QUEUED), ("queueing", TaskState.QUEUED),
    ("scheduled", TaskState.QUEUED), ("processing", TaskState.PROCESSING),
    ("surprise", TaskState.PROCESSING),
])
def test_vidu_running_states(wire: str, state: TaskState) -> None:
    status = ViduAdapter(ProviderId.VIDU, KEY).parse_status({"id": "1", "state": wire,
                                                             "creations": []}, H)
    assert status.state == state and status.wire_state == wire and status.error is None


def test_vidu_parse_submit_keeps_seed_and_slims_raw() -> None:
    sub = ViduAdapter(ProviderId.VIDU, KEY).parse_submit(s.VIDU_CREATED, H)
    assert sub.remote_id == "809390691347075072" and sub.seed == 305233514
    assert sub.wire_state == "created"
    assert len(json.dumps(sub.raw)) < 1000  # echoed data URIs are not kept whole


def test_vidu_success() -> None:
    status = ViduAdapter(ProviderId.VIDU, KEY).parse_status(s.VIDU_SUCCESS, H)
    assert status.state == TaskState.DOWNLOADING
    assert status.video_url is not None and status.video_url.startswith("https://cdn.")
    assert status.cover_url == "https://cdn.example.com/cover.jpeg"
    assert status.cost == 4.0 and status.cost_unit == "credits"
    assert status.url_expires_at == pytest.approx(1735689600 + 3600)


def test_vidu_failure_moderation_and_cancel() -> None:
    vidu = ViduAdapter(ProviderId.VIDU, KEY)
    failed = vidu.parse_status(s.VIDU_FAILED, H)
    assert failed.state == TaskState.FAILED and failed.error is not None
    assert failed.error.kind == ErrorKind.MODERATION
    assert failed.error.code == "CreationPolicyViolation" and failed.cost is None
    cancelled = vidu.parse_status({**s.VIDU_FAILED, "err_code": "UserCancelled"}, H)
    assert cancelled.state == TaskState.CANCELLED
    assert cancelled.error is not None and cancelled.error.kind == ErrorKind.CANCELLED
    other = vidu.parse_status({**s.VIDU_FAILED, "err_code": "InternalServiceFailure"}, H)
    assert other.error is not None and other.error.kind == ErrorKind.GENERATION_FAILED
    assert other.error.retryable


def test_vidu_success_without_url_is_a_protocol_error() -> None:
    with pytest.raises(AppError) as info:
        ViduAdapter(ProviderId.VIDU, KEY).parse_status({"id": "1", "state": "success"}, H)
    assert info.value.kind == ErrorKind.PROTOCOL


# -- Novita / HighwayAPI ----------------------------------------------------------------------

@pytest.mark.parametrize(("wire", "state"), [
    ("TASK_STATUS_QUEUED", TaskState.QUEUED), ("TASK_STATUS_PROCESSING", TaskState.PROCESSING),
    ("TASK_STATUS_SUCCEED", TaskState.DOWNLOADING), ("TASK_STATUS_FAILED", TaskState.FAILED),
    ("TASK_STATUS_CANCELED", TaskState.CANCELLED), ("PROCESSING", TaskState.PROCESSING),
])
def test_novita_states(wire: str, state: TaskState) -> None:
    data = {**s.NOVITA_SUCCESS, "task": {**s.NOVITA_SUCCESS["task"], "status": wire}}
    status = NovitaAdapter(ProviderId.NOVITA, KEY).parse_status(data, H, now=1000.0)
    assert status.state == state


def test_novita_success_ttl_as_string_and_seed() -> None:
    status = NovitaAdapter(ProviderId.HIGHWAYAPI, KEY).parse_status(s.NOVITA_SUCCESS, H,
                                                                     now=1000.0)
    assert status.video_url == "https://s3.example.com/v.mp4?X-Amz-Signature=abc"
    assert status.url_expires_at == 4600.0
    assert status.seed == 158881667 and status.progress == 1.0
    assert status.remote_id.startswith("830d9c90")
    as_int = {**s.NOVITA_SUCCESS, "videos": [{"video_url": "https://x/v.mp4",
                                              "video_url_ttl": 60}]}
    assert NovitaAdapter(ProviderId.NOVITA, KEY).parse_status(
        as_int, H, now=0.0).url_expires_at == 60.0


def test_novita_progress_eta_and_failure() -> None:
    novita = NovitaAdapter(ProviderId.NOVITA, KEY)
    running = {"task": {"task_id": "u", "status": "TASK_STATUS_PROCESSING", "eta": 12,
                        "progress_percent": 40}, "videos": []}
    status = novita.parse_status(running, H)
    assert status.progress == pytest.approx(0.4) and status.eta_s == 12
    one = {"task": {**running["task"], "progress_percent": 1}, "videos": []}
    assert novita.parse_status(one, H).progress == pytest.approx(0.01)  # 1 %, not done
    failed = {"task": {"task_id": "u", "status": "TASK_STATUS_FAILED",
                       "reason": "CreationPolicyViolation: output refused"}}
    status = novita.parse_status(failed, H)
    assert status.error is not None and status.error.kind == ErrorKind.MODERATION
    plain = {"task": {"task_id": "u", "status": "TASK_STATUS_FAILED", "reason": "boom"}}
    status = novita.parse_status(plain, H)
    assert status.error is not None and status.error.kind == ErrorKind.GENERATION_FAILED
    assert "boom" in status.error.message


def test_novita_submit() -> None:
    sub = NovitaAdapter(ProviderId.NOVITA, KEY).parse_submit({"task_id": "abc",
                                                              "provider_request_id": "p"}, H)
    assert sub.remote_id == "abc"


# -- Segmind ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("wire", "state"), [
    ("QUEUED", TaskState.QUEUED), ("PROCESSING", TaskState.PROCESSING),
    ("FAILED", TaskState.FAILED),
])
def test_segmind_states(wire: str, state: TaskState) -> None:
    data = {"status": wire, "request_id": "r", "status_url": "x", "metrics": {}}
    assert SegmindAdapter(ProviderId.SEGMIND, KEY).parse_status(data, H).state == state


def test_segmind_submit_and_failed_422_body() -> None:
    seg = SegmindAdapter(ProviderId.SEGMIND, KEY)
    sub = seg.parse_submit(s.SEGMIND_SUBMITTED, H)
    assert sub.remote_id == "2c7f0000-aaaa-bbbb-cccc-000000000001" and sub.wire_state == "QUEUED"
    failed = seg.parse_status({"status": "FAILED", "request_id": "r",
                               "error": "content policy violation detected"}, H)
    assert failed.state == TaskState.FAILED and failed.error is not None
    assert failed.error.kind == ErrorKind.MODERATION
    failed = seg.parse_status({"status": "FAILED", "request_id": "r",
                               "error": {"message": "GPU fell over"}}, H)
    assert failed.error is not None and failed.error.kind == ErrorKind.GENERATION_FAILED


@pytest.mark.parametrize("result", [
    {"video": "https://images.segmind.com/o.mp4"},
    {"output": "https://images.segmind.com/o.mp4"},
    {"output": ["https://images.segmind.com/o.mp4"]},
    {"output": {"video": {"url": "https://images.segmind.com/o.mp4"}}},
    {"output": None, "video_url": "https://images.segmind.com/o.mp4"},
])
def test_segmind_result_variants(result: dict[str, Any]) -> None:
    data = {"status": "COMPLETED", "request_id": "r", **result,
            "metrics": {"inference_time": 80.1, "cost": 0.5, "remaining_credits": 12.25}}
    status = SegmindAdapter(ProviderId.SEGMIND, KEY).parse_status(data, H)
    assert status.state == TaskState.DOWNLOADING
    assert status.video_url == "https://images.segmind.com/o.mp4"
    assert status.cost == 0.5 and status.cost_unit == "USD"
    assert status.remaining_balance == 12.25


def test_segmind_completed_status_without_result_has_no_url() -> None:
    data = {"status": "COMPLETED", "request_id": "r", "response_url": "https://x/y"}
    status = SegmindAdapter(ProviderId.SEGMIND, KEY).parse_status(data, H)
    assert status.state == TaskState.DOWNLOADING and status.video_url is None


# -- Vtrix --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("wire", "state"), [
    ("pending", TaskState.QUEUED), ("in_progress", TaskState.PROCESSING),
    ("processing", TaskState.PROCESSING), ("IN_PROGRESS", TaskState.PROCESSING),
    ("failed", TaskState.FAILED), ("cancelled", TaskState.CANCELLED),
])
def test_vtrix_running_states(wire: str, state: TaskState) -> None:
    data = {**s.VTRIX_IN_PROGRESS, "status": wire}
    assert VtrixAdapter(ProviderId.VTRIX, KEY).parse_status(data, H).state == state


@pytest.mark.parametrize("wire", ["completed", "succeeded", "success"])
def test_vtrix_completed_spellings(wire: str) -> None:
    status = VtrixAdapter(ProviderId.VTRIX, KEY).parse_status(
        {**s.VTRIX_COMPLETED, "status": wire}, H)
    assert status.state == TaskState.DOWNLOADING
    assert status.video_url == "https://cdn.vtrix.example/v.mp4"
    assert status.cost == 0.25 and status.cost_unit == "USD"


def test_vtrix_progress() -> None:
    status = VtrixAdapter(ProviderId.VTRIX, KEY).parse_status(s.VTRIX_IN_PROGRESS, H)
    assert status.progress == pytest.approx(0.42)


@pytest.mark.parametrize("error", [
    {"code": "8008003098", "error_message": "Generation failed"},
    {"code": 8008003098, "message": "Generation failed"},
    "Generation failed",
])
def test_vtrix_error_shapes(error: object) -> None:
    status = VtrixAdapter(ProviderId.VTRIX, KEY).parse_status({**s.VTRIX_FAILED,
                                                               "error": error}, H)
    assert status.state == TaskState.FAILED and status.error is not None
    assert status.error.kind == ErrorKind.GENERATION_FAILED
    assert "Generation failed" in status.error.message
    if isinstance(error, dict):
        assert status.error.code == "8008003098"


def test_vtrix_moderation_and_wrapped_answer() -> None:
    vtrix = VtrixAdapter(ProviderId.VTRIX, KEY)
    status = vtrix.parse_status({**s.VTRIX_FAILED, "error": {
        "code": "CreationPolicyViolation", "message": "creation policy violation"}}, H)
    assert status.error is not None and status.error.kind == ErrorKind.MODERATION
    wrapped = vtrix.parse_status({"code": 0, "data": s.VTRIX_COMPLETED}, H)
    assert wrapped.state == TaskState.DOWNLOADING and wrapped.remote_id == "task-123"


def test_vtrix_submit_without_id_reads_the_error() -> None:
    vtrix = VtrixAdapter(ProviderId.VTRIX, KEY)
    assert vtrix.parse_submit({"id": "t-1", "status": "pending"}, H).remote_id == "t-1"
    with pytest.raises(AppError) as info:
        vtrix.parse_submit({"error": {"code": "8008003004", "message": "Invalid image"}}, H)
    assert info.value.kind == ErrorKind.INVALID_IMAGE
    assert info.value.outcome == "rejected"


@pytest.mark.parametrize(("pid", "data"), [
    (ProviderId.VIDU, {"id": "1", "creations": []}),
    (ProviderId.NOVITA, {"task": {"task_id": "u"}}),
    (ProviderId.SEGMIND, {"request_id": "r"}),
    (ProviderId.VTRIX, {"id": "t"}),
])
def test_missing_state_is_a_protocol_error(pid: ProviderId, data: dict[str, Any]) -> None:
    with pytest.raises(AppError) as info:
        adapter(pid).parse_status(data, H)
    assert info.value.kind == ErrorKind.PROTOCOL and info.value.code == "no_state"
