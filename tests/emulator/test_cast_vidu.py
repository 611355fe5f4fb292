"""The cast on the Vidu contract: the current models, the subjects form and audio, accepted and
refused as the documentation says (in Vidu's error body), and the videos they make (length,
size and sound track read back with PyAV)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cast_media import Media, preview_size, probe, serving, upload
from conftest import data_uri, make_image, wait_for

from vidu_desktop.core.capabilities import model_spec
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer
from vidu_desktop.emulator.vidu_account import whole_credits

REF = "/ent/v2/reference2video"
HEADERS = {"Authorization": f"Token {DEMO_KEY}", "Content-Type": "application/json"}
IMG = data_uri(make_image(320, 240))
HTTP = httpx.Client(timeout=30.0)


@pytest.fixture(scope="module", autouse=True)
def _close_client() -> Iterator[None]:
    yield
    HTTP.close()


@pytest.fixture(scope="module")
def full_size(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """Videos rendered at their full size (kept short), so the pixels can be checked."""
    yield from serving(tmp_path_factory, "vidu-full", preview_scale=1.0)


@pytest.fixture(scope="module")
def idle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """For answers only: its tasks stay queued, nothing renders."""
    yield from serving(tmp_path_factory, "vidu-idle", queue_s=1e6)


def submit(emu: EmulatorServer, body: dict[str, Any]) -> httpx.Response:
    # the body as written, key order included (json= would do the same; this is explicit)
    return HTTP.post(emu.url + REF, content=json.dumps(body), headers=HEADERS)


def accepted(emu: EmulatorServer, body: dict[str, Any]) -> dict[str, Any]:
    response = submit(emu, body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    assert re.fullmatch(r"\d{18}", answer["task_id"]) and answer["state"] == "created"
    return answer


def finished(emu: EmulatorServer, task_id: str) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        body: dict[str, Any] = HTTP.get(f"{emu.url}/ent/v2/tasks/{task_id}/creations",
                                        headers=HEADERS).json()
        return body if body["state"] in ("success", "failed") else None
    result: dict[str, Any] = wait_for(done)
    assert result["state"] == "success", result
    return result


def video_of(emu: EmulatorServer, task_id: str, tmp_path: Path) -> tuple[dict[str, Any], Media]:
    creation = finished(emu, task_id)["creations"][0]
    return creation, probe(HTTP, creation["url"], tmp_path / f"{task_id}.mp4")


def refused(emu: EmulatorServer, body: dict[str, Any], reason: str, *words: str) -> str:
    response = submit(emu, body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert set(error) == {"code", "reason", "message", "metadata"}
    assert error["code"] == 400 and error["reason"] == reason, error
    assert re.fullmatch(r"[0-9a-f]{32}", error["metadata"]["trace_id"])
    for word in words:
        assert word in error["message"], error
    return str(error["message"])


def subjects(*counts: int, voice: bool = False) -> list[dict[str, Any]]:
    return [{"id": f"s{i + 1}", "images": [IMG] * n, **({"voice_id": "v1"} if voice else {})}
            for i, n in enumerate(counts)]


# -- accepted, and rendered -----------------------------------------------------------------------
@pytest.mark.parametrize("audio", [False, True])
def test_comfyui_vidu2_reference_request_is_accepted(full_size: EmulatorServer, tmp_path: Path,
                                                      audio: bool) -> None:
    """The body ComfyUI's Vidu2ReferenceVideoNode sends (comfy_api_nodes/nodes_vidu.py and
    apis/vidu.py: TaskCreationRequest dumped without its None fields, in its field order; the
    pictures are URLs of uploaded PNGs, subjects named after the node's inputs). It used to
    get "unwanted field: audio"."""
    a, b, c = (upload(HTTP, full_size.url, 640, 480, color) for color in
               ((200, 40, 40), (40, 200, 40), (40, 40, 200)))
    body = {"model": "viduq2", "prompt": "@subject1 hands @subject2 a lantern at dusk",
            "duration": 3, "seed": 1, "aspect_ratio": "4:3", "resolution": "720p",
            "movement_amplitude": "auto",
            "subjects": [{"id": "subject1", "images": [a, b]}, {"id": "subject2", "images": [c]}],
            "audio": audio}
    answer = accepted(full_size, body)
    assert answer["model"] == "viduq2" and answer["duration"] == 3 and answer["seed"] == 1
    assert [s["id"] for s in answer["subjects"]] == ["subject1", "subject2"]
    assert answer["credits"] == whole_credits(
        model_spec("vidu", "viduq2").cost_at(3, "720p", audio).amount or 0)
    creation, media = video_of(full_size, answer["task_id"], tmp_path)
    assert creation["video"]["resolution"] == {"width": 960, "height": 720}
    assert creation["video"]["duration"] == 3.0
    assert (media.width, media.height) == (960, 720)
    assert media.duration_s == pytest.approx(3.0, abs=0.1)
    if audio:
        assert media.audio_s == pytest.approx(3.0, abs=0.1) and media.channels == 2
    else:
        assert media.audio_s is None


def test_documented_subjects_request_with_voices_runs_ten_seconds(emulator: EmulatorServer,
                                                                  tmp_path: Path) -> None:
    """platform.vidu.com's subjects form as its copies document it: named subjects with a
    voice, the prompt mentioning them as @name, audio with its type, at 1080p 9:16."""
    body = {"model": "viduq2", "prompt": "@mia and @theo share an umbrella; @mia says hello",
            "subjects": [{"name": "mia", "images": [IMG, data_uri(make_image(300, 400))],
                          "voice_id": "female-shaonv"},
                         {"name": "theo", "images": [IMG], "voice_id": "male-qn-qingse"}],
            "duration": 10, "resolution": "1080p", "aspect_ratio": "9:16", "audio": True,
            "audio_type": "speech_only", "seed": 42, "payload": "scene-3"}
    answer = accepted(emulator, body)
    assert [s["name"] for s in answer["subjects"]] == ["mia", "theo"]
    assert answer["subjects"][0]["voice_id"] == "female-shaonv"
    assert len(answer["images"]) == 3
    creation, media = video_of(emulator, answer["task_id"], tmp_path)
    assert creation["video"]["resolution"] == {"width": 1080, "height": 1920}
    assert (media.width, media.height) == preview_size("1080p", "9:16")
    assert media.duration_s == pytest.approx(10.0, abs=0.1)
    assert media.audio_s == pytest.approx(10.0, abs=0.1)


def test_viduq3_makes_sound_unless_told_not_to(emulator: EmulatorServer, tmp_path: Path
                                               ) -> None:
    base = {"model": "viduq3", "prompt": "@s1 runs along the pier", "subjects": subjects(2),
            "duration": 16, "resolution": "540p"}
    loud = accepted(emulator, base)
    quiet = accepted(emulator, {**base, "duration": 3, "audio": False})
    _, loud_media = video_of(emulator, loud["task_id"], tmp_path)
    _, quiet_media = video_of(emulator, quiet["task_id"], tmp_path)
    assert loud_media.duration_s == pytest.approx(16.0, abs=0.1)
    assert loud_media.audio_s == pytest.approx(16.0, abs=0.1)
    assert quiet_media.duration_s == pytest.approx(3.0, abs=0.1) and quiet_media.audio_s is None


def test_viduq3_auto_ratio_follows_the_first_picture(emulator: EmulatorServer) -> None:
    tall = data_uri(make_image(300, 600))
    answer = accepted(emulator, {"model": "viduq3", "prompt": "@s1 waves", "duration": 3,
                                 "subjects": [{"id": "s1", "images": [tall, IMG]}],
                                 "aspect_ratio": "auto", "audio": False})
    assert answer["aspect_ratio"] == "auto"
    creation = finished(emulator, answer["task_id"])["creations"][0]
    assert creation["video"]["resolution"] == {"width": 720, "height": 1280}


def test_bgm_in_the_subjects_form_adds_no_music(emulator: EmulatorServer, tmp_path: Path
                                                ) -> None:
    """Vidu documents bgm as effective only without subjects."""
    with_subjects = accepted(emulator, {"model": "viduq2", "prompt": "@s1 dances",
                                        "subjects": subjects(1), "duration": 2, "bgm": True})
    with_images = accepted(emulator, {"model": "viduq1", "prompt": "a dance", "images": [IMG],
                                      "bgm": True})
    assert with_subjects["bgm"] is True
    assert video_of(emulator, with_subjects["task_id"], tmp_path)[1].audio_s is None
    assert video_of(emulator, with_images["task_id"], tmp_path)[1].audio_s is not None


def test_accepted_without_rendering(idle: EmulatorServer) -> None:
    cases = [
        # a mention that names no subject: no host documents refusing one
        {"model": "viduq2", "prompt": "@nobody meets @s1", "subjects": subjects(1)},
        # the limits exactly: 7 pictures in 3 subjects, a 2000-character prompt
        {"model": "viduq2", "prompt": "@s1 " + "x" * 1996, "subjects": subjects(3, 3, 1)},
        {"model": "viduq2-pro", "prompt": "p", "subjects": subjects(2, 2, 2, 1)},
        {"model": "viduq3", "prompt": "y" * 5000, "subjects": subjects(1), "audio": False},
        # q3 with audio false may run off-peak; audio false is always accepted
        {"model": "viduq3", "prompt": "p", "subjects": subjects(1), "audio": False,
         "off_peak": True},
        {"model": "viduq1", "prompt": "p", "images": [IMG], "audio": False},
        {"model": "viduq2", "prompt": "p", "subjects": subjects(1, voice=True), "audio": True,
         "voice_id": "narrator-1", "auto_subjects": False},
        {"model": "viduq3-mix", "prompt": "p", "images": [IMG] * 7, "audio": True,
         "audio_type": "all", "duration": 16, "aspect_ratio": "3:4"},
    ]
    for body in cases:
        accepted(idle, body)


# -- refused, in Vidu's error body --------------------------------------------------------------
@pytest.mark.parametrize("body, reason, words", [
    ({"model": "viduq9", "prompt": "p", "subjects": subjects(1)}, "FieldInvalid",
     ("model", "viduq2")),
    ({"model": "viduq3-mix", "prompt": "p", "subjects": subjects(1)}, "FieldInvalid",
     ("viduq3-mix", "takes images[]")),
    ({"model": "vidu1.5", "prompt": "p", "subjects": subjects(1)}, "FieldInvalid",
     ("vidu1.5",)),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(*[1] * 8)},
     "FieldItemCountOutOfRange", ("subjects", "8", "1 to 7")),
    ({"model": "viduq2-pro", "prompt": "p", "subjects": subjects(1, 1, 1, 1, 1)},
     "FieldItemCountOutOfRange", ("subjects", "1 to 4")),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(4)}, "FieldItemCountOutOfRange",
     ("subjects[0].images", "1 to 3")),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(3, 3, 2)},
     "FieldItemCountOutOfRange", ("8 pictures in all", "1 to 7")),
    ({"model": "viduq2", "prompt": "p", "subjects": [{"images": [IMG]}]}, "FieldLacking",
     ("subjects[0].name",)),
    ({"model": "viduq1", "prompt": "p", "subjects": subjects(1, voice=True)}, "FieldUnwanted",
     ("subjects[0].voice_id",)),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(1), "duration": 11},
     "FieldInvalid", ("duration", "10")),
    ({"model": "viduq3", "prompt": "p", "subjects": subjects(1), "duration": 2,
      "audio": False}, "FieldInvalid", ("duration", "3")),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(1), "resolution": "540p"},
     "FieldInvalid", ("resolution", "720p, 1080p")),
    ({"model": "viduq3", "prompt": "p", "subjects": subjects(1), "resolution": "360p",
      "audio": False}, "FieldInvalid", ("resolution",)),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(1), "aspect_ratio": "auto"},
     "FieldInvalid", ("aspect_ratio", "4:3")),
    ({"model": "viduq1", "prompt": "p", "images": [IMG], "aspect_ratio": "3:4"},
     "FieldInvalid", ("aspect_ratio",)),
    ({"model": "viduq2", "prompt": "x" * 2001, "subjects": subjects(1)}, "FieldInvalid",
     ("prompt", "2000")),
    ({"model": "viduq3", "prompt": "x" * 5001, "subjects": subjects(1), "audio": False},
     "FieldInvalid", ("prompt", "5000")),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(1), "audio": True,
      "off_peak": True}, "FieldInvalid", ("audio, off_peak", "cannot be combined")),
    ({"model": "viduq3", "prompt": "p", "subjects": subjects(1), "off_peak": True},
     "FieldInvalid", ("audio, off_peak", "unless audio is false")),
    ({"model": "viduq1", "prompt": "p", "images": [IMG], "audio": True}, "FieldInvalid",
     ("audio", "viduq1 makes no sound")),
    ({"model": "viduq2", "prompt": "p", "images": [IMG], "audio": True}, "FieldInvalid",
     ("audio", "only from subjects")),
    ({"model": "viduq3", "prompt": "p", "subjects": subjects(1), "audio": True},
     "FieldLacking", ("audio_type",)),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(1), "audio": True,
      "audio_type": "music"}, "FieldInvalid", ("audio_type", "speech_only")),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(1), "audio": "loud"},
     "FieldInvalid", ("audio",)),
    ({"model": "viduq3", "prompt": "p", "subjects": subjects(1), "bgm": True,
      "audio": False}, "FieldInvalid", ("bgm", "no background music")),
    ({"model": "viduq3", "prompt": "p", "subjects": subjects(1), "audio": False,
      "movement_amplitude": "large"}, "FieldInvalid", ("movement_amplitude",)),
    ({"model": "viduq2", "prompt": "p", "subjects": subjects(1), "auto_subjects": "yes"},
     "FieldInvalid", ("auto_subjects",)),
], ids=["unknown model", "q3-mix subjects", "1.5 subjects", "8 subjects", "q2-pro 5 subjects",
        "4 pictures", "8 in all", "no name", "q1 voice", "q2 11 s", "q3 2 s", "q2 540p",
        "q3 360p", "q2 auto", "q1 3:4", "q2 prompt", "q3 prompt", "audio off-peak",
        "q3 off-peak", "q1 audio", "q2 audio images", "q3 audio_type", "bad audio_type",
        "audio not bool", "q3 bgm", "q3 movement", "auto_subjects"])
def test_refusals(idle: EmulatorServer, body: dict[str, Any], reason: str,
                  words: tuple[str, ...]) -> None:
    refused(idle, body, reason, *words)
