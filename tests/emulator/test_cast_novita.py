"""The cast on Novita's v3 async API and on HighwayAPI (the same API under another brand):
``vidu-q2-reference2video`` (and Novita's ``viduq2-pro-fast``) in the subjects form with audio,
accepted and refused as their pages say, in the gateway's error body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cast_media import preview_size, probe, serving, upload
from conftest import data_uri, make_image, wait_for

from vidu_desktop.core.capabilities import model_spec
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer

Q2 = "/v3/async/vidu-q2-reference2video"
PRO_FAST = "/v3/async/viduq2-pro-fast"
Q1 = "/v3/async/vidu-q1-reference2video"
HEADERS = {"Authorization": f"Bearer {DEMO_KEY}", "Content-Type": "application/json"}
IMG = data_uri(make_image(320, 240))
HTTP = httpx.Client(timeout=30.0)


@pytest.fixture(scope="module", autouse=True)
def _close_client() -> Iterator[None]:
    yield
    HTTP.close()


@pytest.fixture(scope="module")
def idle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """For answers only: its tasks stay queued, nothing renders."""
    yield from serving(tmp_path_factory, "novita-idle", queue_s=1e6)


def post(emu: EmulatorServer, path: str, body: dict[str, Any], base: str = ""
         ) -> httpx.Response:
    return HTTP.post(f"{emu.url}{base}{path}", content=json.dumps(body), headers=HEADERS)


def result(emu: EmulatorServer, task_id: str, base: str) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        body: dict[str, Any] = HTTP.get(f"{emu.url}{base}/v3/async/task-result",
                                        params={"task_id": task_id}, headers=HEADERS).json()
        status = body["task"]["status"]
        return body if status in ("TASK_STATUS_SUCCEED", "TASK_STATUS_FAILED") else None
    body: dict[str, Any] = wait_for(done)
    assert body["task"]["status"] == "TASK_STATUS_SUCCEED", body
    return body


def subjects(*counts: int, key: str = "id") -> list[dict[str, Any]]:
    return [{key: str(i + 1), "images": [IMG] * n} for i, n in enumerate(counts)]


def q2(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"prompt": "@1 walks with @2", "subjects": subjects(1, 1)}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def refused(emu: EmulatorServer, path: str, body: dict[str, Any], *words: str,
            base: str = "") -> None:
    response = post(emu, path, body, base)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error == {"code": 400, "reason": "INVALID_REQUEST_BODY",
                     "message": error["message"], "metadata": {}}
    for word in words:
        assert word in error["message"], error


# -- accepted, and rendered ---------------------------------------------------------------------
@pytest.mark.parametrize("base, host", [("", "novita"), ("/highwayapi", "highwayapi")])
def test_documented_q2_request_runs_with_sound(emulator: EmulatorServer, tmp_path: Path,
                                               base: str, host: str) -> None:
    """Every field of the page's request sample (novita.ai model-apis-vidu-q2-reference2video;
    docs.jiekou.ai reference-vidu-q2-reference2video), in its order, with real values: picture
    URLs and a data URI, voices, the host's movement word "high"."""
    a, b = upload(HTTP, emulator.url, 640, 360), upload(HTTP, emulator.url, 360, 640)
    body = {"bgm": False, "seed": 123, "audio": True,
            "prompt": "@hero and @guide cross the bridge; @guide says: this way",
            "duration": 7,
            "subjects": [{"id": "hero", "images": [a, b], "voice_id": "male-qn-qingse"},
                         {"id": "guide", "images": [IMG], "voice_id": "female-shaonv"}],
            "watermark": True, "resolution": "1080p", "aspect_ratio": "9:16",
            "movement_amplitude": "high"}
    response = post(emulator, Q2, body, base)
    assert response.status_code == 200, response.text
    answer = response.json()
    if host == "highwayapi":  # its q2 answers carry the upstream request id too
        assert set(answer) == {"task_id", "provider_request_id"}
        assert answer["provider_request_id"].isdigit()
    else:
        assert set(answer) == {"task_id"}
    done = result(emulator, answer["task_id"], base)
    assert done["task"]["task_type"] == "VIDU_Q2_REFERENCE2VIDEO"
    assert done["extra"]["seed"] == "123"
    media = probe(HTTP, done["videos"][0]["video_url"], tmp_path / "q2.mp4")
    assert (media.width, media.height) == preview_size("1080p", "9:16")
    assert media.duration_s == pytest.approx(7.0, abs=0.1)
    assert media.audio_s == pytest.approx(7.0, abs=0.1) and media.channels == 2
    balance = HTTP.get(f"{emulator.url}/_emulator/balance",
                       params={"key": DEMO_KEY, "provider": host}).json()["balance"]
    price = model_spec(host, "vidu-q2").cost_at(7, "1080p", True).amount
    assert price is not None and balance == pytest.approx(1000.0 - price)


def test_q2_defaults_and_a_silent_video(emulator: EmulatorServer, tmp_path: Path) -> None:
    response = post(emulator, Q2, q2(duration=1, aspect_ratio="1:1"))
    assert response.status_code == 200, response.text
    done = result(emulator, response.json()["task_id"], "")
    media = probe(HTTP, done["videos"][0]["video_url"], tmp_path / "q2.mp4")
    assert (media.width, media.height) == preview_size("720p", "1:1")  # the default 720p
    assert media.audio_s is None
    assert media.duration_s == pytest.approx(1.0, abs=0.1)


def test_viduq2_pro_fast_names_its_subjects(idle: EmulatorServer) -> None:
    body = q2(subjects=subjects(2, 1, key="name"), audio=True, resolution="720p")
    response = post(idle, PRO_FAST, body)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"task_id"}
    refused(idle, PRO_FAST, q2(), "unwanted field: subjects[0].id")
    # HighwayAPI documents no reference form of viduq2-pro-fast
    missing = post(idle, PRO_FAST, body, base="/highwayapi")
    assert missing.status_code == 404 and missing.json()["reason"] == "NOT_FOUND"


def test_accepted_without_rendering(idle: EmulatorServer) -> None:
    for body in (q2(prompt="@nobody is not among the subjects"),  # no host refuses it
                 q2(subjects=subjects(3, 3, 1), duration=10, resolution="540p"),
                 q2(subjects=[{"id": "a", "images": [IMG], "voice_id": "v"}], bgm=True,
                    movement_amplitude="small", seed=0, watermark=False)):
        for base in ("", "/highwayapi"):
            response = post(idle, Q2, body, base)
            assert response.status_code == 200, response.text


# -- refused, in the gateway's error body --------------------------------------------------------
@pytest.mark.parametrize("path, body, words", [
    (Q2, q2(images=[IMG]), ("unwanted field: images",)),
    (Q2, q2(subjects=None), ("subjects",)),
    (Q2, q2(subjects=subjects(*[1] * 8)), ("subjects", "1 to 7")),
    (Q2, q2(subjects=subjects(4)), ("subjects[0].images", "1 to 3")),
    (Q2, q2(subjects=subjects(3, 3, 2)), ("8 pictures in all",)),
    (Q2, q2(subjects=[{"id": "1", "images": [IMG], "videos": ["v.mp4"]}]),
     ("unwanted field: subjects[0].videos",)),
    (Q2, q2(subjects=[{"images": [IMG]}]), ("subjects[0].id",)),
    (Q2, q2(subjects=[{"id": 1, "images": [IMG]}]), ("subjects[0].id",)),
    (Q2, q2(duration=11), ("duration",)),
    (Q2, q2(duration=0), ("duration",)),
    (Q2, q2(resolution="360p"), ("resolution", "540p")),
    (Q2, q2(aspect_ratio="4:3"), ("aspect_ratio", "16:9")),
    (Q2, q2(movement_amplitude="large"), ("movement_amplitude", "high")),
    (Q2, q2(audio="yes"), ("audio",)),
    (Q2, q2(off_peak=True), ("unwanted field: off_peak",)),
    (Q2, q2(model="viduq2"), ("unwanted field: model",)),
    (Q2, q2(prompt="x" * 2001), ("prompt", "2000")),
    (Q2, q2(subjects=[{"id": "1", "images": [data_uri(make_image(64, 64))]}]),
     ("subjects[0].images[0]",)),
    (Q1, {"images": [IMG], "prompt": "p", "subjects": subjects(1)},
     ("unwanted field: subjects",)),
    (Q1, {"images": [IMG], "prompt": "p", "audio": False}, ("unwanted field: audio",)),
], ids=["images", "no subjects", "8 subjects", "4 pictures", "8 in all", "videos", "no id",
        "number id", "11 s", "0 s", "360p", "4:3", "large", "audio not bool", "off_peak",
        "model", "prompt", "small picture", "q1 subjects", "q1 audio"])
def test_refusals(idle: EmulatorServer, path: str, body: dict[str, Any],
                  words: tuple[str, ...]) -> None:
    for base in ("", "/highwayapi"):
        refused(idle, path, body, *words, base=base)


def test_an_unknown_model_is_an_unknown_route(idle: EmulatorServer) -> None:
    for base in ("", "/highwayapi"):
        response = post(idle, "/v3/async/vidu-q9-reference2video", q2(), base)
        assert response.status_code == 404
        assert response.json() == {"code": 404, "reason": "NOT_FOUND",
                                   "message": response.json()["message"], "metadata": {}}
