"""The cast on Vtrix: ``viduq2_reference2video`` and ``viduq2_pro_fast_reference2video`` in the
subjects form with audio, accepted and refused as doc.vtrix.ai says, with its numeric codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cast_media import preview_size, probe, serving, upload
from conftest import data_uri, make_image, wait_for

from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer

SUBMIT = "/model/v1/generation"
HEADERS = {"Authorization": f"Bearer {DEMO_KEY}", "Content-Type": "application/json"}
IMG = data_uri(make_image(320, 240))
MISSING_IMAGE, INVALID_PARAM, INVALID_IMAGE = 8008003001, 8008003002, 8008003004
HTTP = httpx.Client(timeout=30.0)


@pytest.fixture(scope="module", autouse=True)
def _close_client() -> Iterator[None]:
    yield
    HTTP.close()


@pytest.fixture(scope="module")
def idle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """For answers only: its tasks stay queued, nothing renders."""
    yield from serving(tmp_path_factory, "vtrix-idle", queue_s=1e6)


def post(emu: EmulatorServer, body: dict[str, Any]) -> httpx.Response:
    return HTTP.post(emu.url + SUBMIT, content=json.dumps(body), headers=HEADERS)


def completed(emu: EmulatorServer, task_id: str) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        body: dict[str, Any] = HTTP.get(f"{emu.url}/model/v1/generation/task/{task_id}",
                                        headers=HEADERS).json()
        return body if body["status"] in ("completed", "failed") else None
    body: dict[str, Any] = wait_for(done)
    assert body["status"] == "completed", body
    return body


def subjects(*counts: int) -> list[dict[str, Any]]:
    return [{"id": str(i + 1), "images": [IMG] * n} for i, n in enumerate(counts)]


def q2(model: str = "viduq2_reference2video", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "prompt": "@1 and @2 share a meal",
                            "subjects": subjects(1, 1)}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


# -- accepted, and rendered ---------------------------------------------------------------------
def test_documented_q2_request_in_the_cli_wrapper_runs_with_sound(emulator: EmulatorServer,
                                                                  tmp_path: Path) -> None:
    """doc.vtrix.ai's viduq2_reference2video parameters (subjects with voices, the prompt's
    @id, audio), wrapped as the official CLI sends them: {"model", "input": [{"params"}]}."""
    a, b = upload(HTTP, emulator.url, 640, 360), upload(HTTP, emulator.url, 400, 400)
    params = {"subjects": [{"id": "1", "images": [a, b], "voice_id": "female-shaonv"},
                           {"id": "2", "images": [IMG]}],
              "prompt": "@1 and @2 eat hotpot together; the narrator says everyone loves it",
              "audio": True, "duration": 8, "seed": 0, "aspect_ratio": "16:9",
              "resolution": "1080p", "movement_amplitude": "auto"}
    response = post(emulator, {"model": "viduq2_reference2video",
                               "input": [{"params": params}]})
    assert response.status_code == 200, response.text
    done = completed(emulator, response.json()["id"])
    [content] = done["output"][0]["content"]
    assert content["type"] == "video" and content["duration"] == "8"
    media = probe(HTTP, content["url"], tmp_path / "q2.mp4")
    assert (media.width, media.height) == preview_size("1080p", "16:9")
    assert media.duration_s == pytest.approx(8.0, abs=0.1)
    assert media.audio_s == pytest.approx(8.0, abs=0.1) and media.channels == 2


def test_pro_fast_flat_body_without_sound(emulator: EmulatorServer, tmp_path: Path) -> None:
    response = post(emulator, q2("viduq2_pro_fast_reference2video", duration=2,
                                 resolution="720p", aspect_ratio="1:1", audio=False))
    assert response.status_code == 200, response.text
    content = completed(emulator, response.json()["id"])["output"][0]["content"][0]
    media = probe(HTTP, content["url"], tmp_path / "fast.mp4")
    assert (media.width, media.height) == preview_size("720p", "1:1")
    assert media.audio_s is None
    assert media.duration_s == pytest.approx(2.0, abs=0.1)


def test_accepted_without_rendering(idle: EmulatorServer) -> None:
    for body in (q2(prompt="@nobody waves"),  # no host documents refusing such a mention
                 q2(subjects=subjects(3, 3, 1), duration=10, resolution="540p"),
                 q2(subjects=[{"name": "mia", "images": [IMG], "voice_id": "v"}]),
                 q2("viduq2_pro_fast_reference2video", duration=8, off_peak=False)):
        response = post(idle, body)
        assert response.status_code == 200, response.text


# -- refused, with the document's codes -------------------------------------------------------
@pytest.mark.parametrize("body, code, word", [
    (q2(model="viduq9_reference2video"), INVALID_PARAM, "viduq2_reference2video"),
    (q2(images=[IMG]), INVALID_PARAM, "unwanted field: images"),
    (q2(subjects=None), MISSING_IMAGE, "subjects"),
    (q2(subjects=[]), MISSING_IMAGE, "subjects"),
    (q2(subjects=[{"id": "1", "images": []}]), MISSING_IMAGE, "subjects[0].images"),
    (q2(subjects=subjects(*[1] * 8)), INVALID_PARAM, "1 to 7"),
    (q2(subjects=subjects(4)), INVALID_PARAM, "subjects[0].images"),
    (q2(subjects=subjects(3, 3, 2)), INVALID_PARAM, "8 pictures in all"),
    (q2(subjects=[{"id": "1", "images": [IMG], "videos": []}]), INVALID_PARAM,
     "subjects[0].videos"),
    (q2(duration=11), INVALID_PARAM, "duration"),
    (q2("viduq2_pro_fast_reference2video", duration=9), INVALID_PARAM, "duration"),
    (q2(resolution="360p"), INVALID_PARAM, "resolution"),
    (q2("viduq2_pro_fast_reference2video", resolution="540p"), INVALID_PARAM, "resolution"),
    (q2(aspect_ratio="4:3"), INVALID_PARAM, "aspect_ratio"),
    (q2(bgm=False), INVALID_PARAM, "unwanted field: bgm"),
    (q2(off_peak=True), INVALID_PARAM, "off_peak"),
    (q2(audio="on"), INVALID_PARAM, "audio"),
    (q2(prompt="x" * 2001), INVALID_PARAM, "prompt"),
    (q2(payload="p"), INVALID_PARAM, "unwanted field: payload"),
    (q2(subjects=[{"id": "1", "images": [data_uri(make_image(64, 64))]}]), INVALID_IMAGE,
     "subjects[0].images[0]"),
    ({"model": "viduq1_img2video", "images": [IMG], "subjects": subjects(1)}, INVALID_PARAM,
     "unwanted field: subjects"),
], ids=["unknown model", "images", "no subjects", "empty subjects", "no pictures",
        "8 subjects", "4 pictures", "8 in all", "videos", "q2 11 s", "pro-fast 9 s", "360p",
        "pro-fast 540p", "4:3", "bgm", "off_peak", "audio not bool", "prompt", "payload",
        "small picture", "i2v subjects"])
def test_refusals(idle: EmulatorServer, body: dict[str, Any], code: int, word: str) -> None:
    response = post(idle, body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert set(error) == {"error"} and error["error"]["code"] == code, error
    assert word in error["error"]["message"], error
