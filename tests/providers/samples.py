"""Requests and recorded answers for the provider unit tests, taken from the examples in
provider-contracts.md (values shortened where they do not matter)."""

from __future__ import annotations

from typing import Any

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage

KEY = "sk-test-SECRET-0123456789abcdef"
PNG = "data:image/png;base64,iVBORw0KGgo="
URL = "https://example.com/ref.png"

MODELS = {
    ProviderId.VIDU: "viduq1",
    ProviderId.NOVITA: "vidu-q1",
    ProviderId.HIGHWAYAPI: "vidu-q1",
    ProviderId.SEGMIND: "vidu-q1",
    ProviderId.VTRIX: "viduq1_reference2video",
}


def request(pid: ProviderId, **changes: Any) -> GenerationRequest:
    values: dict[str, Any] = dict(
        provider=pid, model=MODELS[pid], prompt="Santa Claus and the bear hug by the lakeside.",
        images=(ReferenceImage(PNG), ReferenceImage(URL)),
    )
    values.update(changes)
    return GenerationRequest(**values)


VIDU_CREATED = {
    "task_id": "809390691347075072", "type": "character2video", "state": "created",
    "model": "viduq1", "style": "general", "prompt": "…", "images": ["data:" + "A" * 5000],
    "duration": 5, "seed": 305233514, "aspect_ratio": "16:9", "resolution": "1080p",
    "movement_amplitude": "auto", "bgm": False, "payload": "", "off_peak": False, "credits": 0,
    "created_at": "2025-04-14T15:41:33.695830549Z",
}

VIDU_SUCCESS = {
    "id": "817971131377016832", "state": "success", "err_code": "", "credits": 4,
    "payload": "", "bgm": False, "off_peak": False,
    "creations": [{
        "id": "817971246397415422",
        "url": "https://cdn.example.com/video.mp4?X-Amz-Date=20250101T000000Z&X-Amz-Expires=3600",
        "cover_url": "https://cdn.example.com/cover.jpeg", "watermarked_url": "",
        "video": {"duration": 5.0, "fps": 24, "resolution": {"width": 1920, "height": 1080}},
        "moderation_url": [],
    }],
    "something_new": {"ignored": True},
}

VIDU_FAILED = {"id": "817971131377016833", "state": "failed",
               "err_code": "CreationPolicyViolation", "credits": 0, "creations": []}

NOVITA_SUCCESS = {
    "extra": {
        "seed": "158881667", "enable_nsfw_detection": False,
        "debug_info": {"request_info": "", "submit_time_ms": "1710000000000",
                       "execute_time_ms": "1710000001000", "complete_time_ms": "1710000009000"},
    },
    "task": {
        "task_id": "830d9c90-d53f-4c5a-8009-aaaaaaaaaaaa",
        "task_type": "VIDU_Q1_REFERENCE2VIDEO", "status": "TASK_STATUS_SUCCEED",
        "reason": "", "eta": 0, "progress_percent": 100,
    },
    "images": [],
    "videos": [{"video_url": "https://s3.example.com/v.mp4?X-Amz-Signature=abc",
                "video_url_ttl": "3600", "video_type": "mp4"}],
    "audios": [],
}

SEGMIND_SUBMITTED = {
    "request_id": "2c7f0000-aaaa-bbbb-cccc-000000000001", "status": "QUEUED",
    "poll_url": "https://api.segmind.com/v1/requests/2c7f",
    "status_url": "https://api.segmind.com/v2/requests/2c7f/status",
    "response_url": "https://api.segmind.com/v2/requests/2c7f",
}

VTRIX_IN_PROGRESS = {"id": "task-123", "status": "in_progress", "model": "viduq1_img2video",
                     "created_at": 1710000000, "progress": 0.42}
VTRIX_COMPLETED = {
    "id": "task-123", "status": "completed", "model": "viduq1_img2video",
    "created_at": 1710000000,
    "output": [{"content": [{"type": "video", "url": "https://cdn.vtrix.example/v.mp4",
                             "duration": 5, "jobId": "809390691347075072"}]}],
    "usage": {"cost": "0.25", "discount": 0, "quantity": 1, "unit_price": "0.25"},
    "metadata": {},
}
VTRIX_FAILED = {"id": "task-123", "status": "failed", "model": "viduq1_img2video",
                "created_at": 1710000000,
                "error": {"code": "8008003098", "error_message": "Generation failed"}}
