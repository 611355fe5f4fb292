"""The Vtrix contract over real loopback HTTP: submit (flat and wrapped bodies), poll, results,
strict validation with the document's numeric codes, auth, balance and every scripted fault."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from conftest import counters, data_uri, make_image, wait_for

from vidu_desktop.emulator.server import EmulatorServer

SUBMIT = "/model/v1/generation"
TASK = "/model/v1/generation/task/"
Body = dict[str, Any]
_clients: dict[str, httpx.Client] = {}


@pytest.fixture(autouse=True)
def http_client(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    """One pooled client per test (a bare ``httpx.post`` builds an SSL context every call)."""
    with httpx.Client(timeout=10) as client:
        _clients[emulator.url] = client
        yield client
        del _clients[emulator.url]


def http(em: EmulatorServer) -> httpx.Client:
    return _clients[em.url]


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def submit(em: EmulatorServer, body: Body, key: str, prefix: str = "") -> httpx.Response:
    return http(em).post(f"{em.url}{prefix}{SUBMIT}", json=body, headers=auth(key))


def poll(em: EmulatorServer, task_id: str, key: str, prefix: str = "") -> httpx.Response:
    return http(em).get(f"{em.url}{prefix}{TASK}{task_id}", headers=auth(key))


def final(em: EmulatorServer, task_id: str, key: str) -> Body:
    def check() -> Body | None:
        body: Body = poll(em, task_id, key).json()
        return body if body["status"] in ("completed", "failed") else None
    result: Body = wait_for(check)
    return result


def add_fault(em: EmulatorServer, **rule: Any) -> None:
    rule.setdefault("provider", "vtrix")
    assert http(em).post(f"{em.url}/_emulator/faults", json=rule).status_code == 200


def i2v(image: str, **extra: Any) -> Body:
    return {"model": "viduq1_img2video", "images": [image], **extra}


def r2v(**extra: Any) -> Body:
    return {"model": "viduq1_reference2video", "prompt": "@1 walks with @2", **extra}


def assert_error(response: httpx.Response, status: int, code: int) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and isinstance(error["message"], str)
    return str(error["message"])


def check_download(em: EmulatorServer, url: str) -> None:
    video = http(em).get(url)
    assert video.status_code == 200 and video.content[4:8] == b"ftyp"
    part = http(em).get(url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == video.content[:100]


# -- the happy paths ------------------------------------------------------------------------


def test_documented_request_is_polled_to_success(emulator: EmulatorServer, api_key: str
                                                 ) -> None:
    """Seed 003's request (the page has no literal example; its parameter table, every
    documented parameter, Bearer auth and JSON), with a data URI image."""
    body = {
        "model": "viduq1_img2video", "images": [data_uri(make_image(1280, 720))],
        "prompt": "The astronaut waved and the camera moved up.", "audio": False,
        "voice_id": "", "is_rec": False, "bgm": False, "duration": 5, "seed": 0,
        "resolution": "1080p", "movement_amplitude": "auto", "payload": "my-ref",
        "off_peak": False, "watermark": False, "wm_position": 3,
        "callback_url": "https://example.com/hook",
    }
    headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
    created = http(emulator).post(f"{emulator.url}{SUBMIT}", content=json.dumps(body),
                                  headers=headers)
    assert created.status_code == 200, created.text
    task = created.json()
    assert task["status"] in ("pending", "in_progress") and task["progress"] == 0.0
    assert task["model"] == "viduq1_img2video" and isinstance(task["created_at"], int)
    assert "output" not in task and "error" not in task
    done = final(emulator, task["id"], api_key)
    assert done["status"] == "completed" and done["id"] == task["id"]
    assert "progress" not in done and "error" not in done and done["metadata"] == {}
    [content] = done["output"][0]["content"]
    assert content["type"] == "video" and content["duration"] == "5"
    assert len(content["jobId"]) == 18 and content["jobId"].isdigit()
    assert done["usage"] == {"cost": "0.40", "discount": 0, "quantity": 1, "unit_price": "0.40"}
    check_download(emulator, content["url"])
    again = poll(emulator, task["id"], api_key).json()["output"][0]["content"][0]["url"]
    assert again.split("?")[0] == content["url"].split("?")[0]


def test_wrapped_body_with_an_uploaded_image_url(emulator: EmulatorServer, api_key: str
                                                 ) -> None:
    image_url = http(emulator).post(f"{emulator.url}/_emulator/uploads", content=make_image(),
                           headers={"Content-Type": "image/png"}).json()["url"]
    params = {"model": "viduq1_img2video", "images": [image_url], "is_rec": True}
    for body in ({"input": [{"params": params}]},
                 {"model": "viduq1_img2video", "input": [{"params": params}]}):
        created = submit(emulator, body, api_key, prefix="/vtrix")
        assert created.status_code == 200, created.text
        done = final(emulator, created.json()["id"], api_key)
        assert done["status"] == "completed"
        check_download(emulator, done["output"][0]["content"][0]["url"])


def test_reference2video_subjects_and_images_forms(emulator: EmulatorServer, api_key: str
                                                   ) -> None:
    a, b = data_uri(make_image(640, 360)), data_uri(make_image(300, 300, "JPEG"), "jpeg")
    subjects = [{"id": "1", "images": [a, b], "voice_id": "v1"}, {"name": "2", "images": [a]}]
    forms = [r2v(subjects=subjects, aspect_ratio="9:16", audio=False, seed=42),
             r2v(images=[a, b, a, b, a, b, a]),
             {"model": "viduq1_reference2video",
              "input": [{"params": r2v(subjects=[{"id": 7, "images": [a]}])}]}]
    ids = []
    for body in forms:
        created = submit(emulator, body, api_key)
        assert created.status_code == 200, created.text
        ids.append(created.json()["id"])
    for task_id in ids:
        done = final(emulator, task_id, api_key)
        assert done["status"] == "completed" and done["model"] == "viduq1_reference2video"


def test_pending_then_in_progress_with_progress(emulator: EmulatorServer, api_key: str,
                                                image_uri: Callable[..., str]) -> None:
    http(emulator).post(f"{emulator.url}/_emulator/config", json={"processing_s": 2000})
    task_id = submit(emulator, i2v(image_uri()), api_key).json()["id"]
    body = wait_for(lambda: (b := poll(emulator, task_id, api_key).json())["status"]
                    == "in_progress" and b)
    assert 0.0 <= body["progress"] < 1.0 and "output" not in body and "usage" not in body


# -- validation --------------------------------------------------------------------------------

IMG = "IMG"  # replaced by a valid data URI in the test
CASES: list[tuple[str, Body, int, int]] = [
    ("no images", {"model": "viduq1_img2video"}, 400, 8008003001),
    ("empty images", i2v(IMG) | {"images": []}, 400, 8008003001),
    ("two images", i2v(IMG) | {"images": [IMG, IMG]}, 400, 8008003002),
    ("images not a list", i2v(IMG) | {"images": IMG}, 400, 8008003002),
    ("prompt too long", i2v(IMG, prompt="x" * 2001), 400, 8008003002),
    ("prompt not a string", i2v(IMG, prompt=5), 400, 8008003002),
    ("duration 4", i2v(IMG, duration=4), 400, 8008003002),
    ("duration as text", i2v(IMG, duration="5"), 400, 8008003002),
    ("resolution 720p", i2v(IMG, resolution="720p"), 400, 8008003002),
    ("movement", i2v(IMG, movement_amplitude="huge"), 400, 8008003002),
    ("negative seed", i2v(IMG, seed=-1), 400, 8008003002),
    ("seed as text", i2v(IMG, seed="12"), 400, 8008003002),
    ("audio not bool", i2v(IMG, audio="yes"), 400, 8008003002),
    ("is_rec not bool", i2v(IMG, is_rec=1), 400, 8008003002),
    ("wm_position 5", i2v(IMG, wm_position=5), 400, 8008003002),
    ("wm_url not a URL", i2v(IMG, wm_url="ftp://x/wm.png"), 400, 8008003002),
    ("off_peak unavailable", i2v(IMG, off_peak=True), 400, 8008003002),
    ("payload too long", i2v(IMG, payload="p" * 1_048_577), 400, 8008003002),
    ("meta_data not JSON", i2v(IMG, meta_data="{nope"), 400, 8008003002),
    ("meta_data not a string", i2v(IMG, meta_data={"a": 1}), 400, 8008003002),
    ("callback_url not a URL", i2v(IMG, callback_url="hook"), 400, 8008003002),
    ("unknown field", i2v(IMG, foo=1), 400, 8008003002),
    ("aspect ratio on img2video", i2v(IMG, aspect_ratio="16:9"), 400, 8008003002),
    ("style", i2v(IMG, style="anime"), 400, 8008003003),
    ("no model", {"images": [IMG]}, 400, 8008003002),
    ("unknown model", i2v(IMG) | {"model": "viduq2_img2video"}, 400, 8008003002),
    ("model not a string", i2v(IMG) | {"model": 1}, 400, 8008003002),
    ("input not a list", {"model": "viduq1_img2video", "input": {"params": {}}}, 400,
     8008003002),
    ("two input blocks", {"model": "viduq1_img2video",
                          "input": [{"params": {"images": [IMG]}}] * 2}, 400, 8008003002),
    ("extra key in input", {"model": "viduq1_img2video",
                            "input": [{"params": {"images": [IMG]}, "x": 1}]}, 400,
     8008003002),
    ("extra top-level key", {"model": "viduq1_img2video", "prompt": "p",
                             "input": [{"params": {"images": [IMG]}}]}, 400, 8008003002),
    ("models disagree", {"model": "viduq1_img2video", "input": [{"params": {
        "model": "viduq1_reference2video", "images": [IMG]}}]}, 400, 8008003002),
    ("no model anywhere", {"input": [{"params": {"images": [IMG]}}]}, 400, 8008003002),
    ("ref: both forms", r2v(images=[IMG], subjects=[{"id": "1", "images": [IMG]}]), 400,
     8008003002),
    ("ref: nothing", r2v(), 400, 8008003001),
    ("ref: no subjects", r2v(subjects=[]), 400, 8008003001),
    ("ref: subject without images", r2v(subjects=[{"id": "1", "images": []}]), 400,
     8008003001),
    ("ref: 8 subjects", r2v(subjects=[{"id": str(i), "images": [IMG]} for i in range(8)]),
     400, 8008003002),
    ("ref: 4 images in a subject", r2v(subjects=[{"id": "1", "images": [IMG] * 4}]), 400,
     8008003002),
    ("ref: 8 images in all", r2v(subjects=[{"id": str(i), "images": [IMG] * n}
                                          for i, n in enumerate((3, 3, 2))]), 400, 8008003002),
    ("ref: 8 images", r2v(images=[IMG] * 8), 400, 8008003002),
    ("ref: subject without id", r2v(subjects=[{"images": [IMG]}]), 400, 8008003002),
    ("ref: duplicate ids", r2v(subjects=[{"id": "a", "images": [IMG]},
                                         {"name": "a", "images": [IMG]}]), 400, 8008003002),
    ("ref: subject videos", r2v(subjects=[{"id": "a", "images": [IMG], "videos": []}]), 400,
     8008003002),
    ("ref: subject not an object", r2v(subjects=["a"]), 400, 8008003002),
    ("ref: no prompt", r2v(images=[IMG]) | {"prompt": ""}, 400, 8008003002),
    ("ref: aspect ratio 4:3", r2v(images=[IMG], aspect_ratio="4:3"), 400, 8008003002),
    ("ref: is_rec", r2v(images=[IMG], is_rec=True), 400, 8008003002),
    ("ref: off_peak", r2v(images=[IMG], off_peak=True), 400, 8008003002),
]


def _fill(value: Any, image: str) -> Any:
    if value == IMG:
        return image
    if isinstance(value, list):
        return [_fill(v, image) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, image) for k, v in value.items()}
    return value


def test_every_validation_error_has_its_code(emulator: EmulatorServer, api_key: str) -> None:
    image = data_uri(make_image(200, 200))
    for name, body, status, code in CASES:
        response = submit(emulator, _fill(body, image), api_key)
        assert response.status_code == status, (name, response.text)
        assert response.json()["error"]["code"] == code, (name, response.text)
    assert not counters(emulator)["submissions"].get("vtrix")
    add_fault(emulator, action="stuck")  # accepted; never rendered (a sound track is slow)
    ok = submit(emulator, i2v(image, prompt="ü" * 2000, wm_url="https://example.com/wm.png",
                              meta_data='{"a": 1}', wm_position=1, audio=True), api_key)
    assert ok.status_code == 200, ok.text


def test_every_image_problem_is_invalid_image(emulator: EmulatorServer, api_key: str) -> None:
    missing = f"{emulator.url}/_emulator/uploads/nothing-here"
    bad = [
        ("bare base64", data_uri(make_image()).split(",", 1)[1]),
        ("gif", data_uri(make_image(fmt="GIF"), "gif")),
        ("too small", data_uri(make_image(100, 100))),
        ("ratio 5:1", data_uri(make_image(700, 140))),
        ("not an image", data_uri(b"hello world" * 20)),
        ("broken base64", "data:image/png;base64,@@@"),
        ("remote URL", "https://example.com/cat.png"),
        ("missing loopback URL", missing),
        ("not a string", 12),
    ]
    for name, image in bad:
        message = assert_error(submit(emulator, i2v(image), api_key), 400, 8008003004)
        assert "images[0]" in message, name
    nested = r2v(subjects=[{"id": "1", "images": [data_uri(make_image()),
                                                  data_uri(make_image(100, 100))]}])
    message = assert_error(submit(emulator, nested, api_key), 400, 8008003004)
    assert "subjects[0].images[1]" in message


def test_bad_bodies(emulator: EmulatorServer, api_key: str) -> None:
    url = f"{emulator.url}{SUBMIT}"
    json_ct = {**auth(api_key), "Content-Type": "application/json"}
    assert_error(http(emulator).post(url, content=b"{}", headers={**auth(api_key),
                                                         "Content-Type": "text/plain"}),
                 400, 8008003002)
    for raw in (b'{"model": ', b"\xff\xfe\x00garbage", b"[1, 2]", b'"text"', b""):
        assert_error(http(emulator).post(url, content=raw, headers=json_ct), 400, 8008003002)
    big = b'{"model": "viduq1_img2video", "payload": "' + b"x" * (21 * 1024 * 1024) + b'"}'
    assert_error(http(emulator).post(url, content=big, headers=json_ct, timeout=30), 413, 413)


# -- auth, balance, ownership --------------------------------------------------------------------


def test_auth_errors(emulator: EmulatorServer, api_key: str) -> None:
    for headers in ({}, {"Authorization": f"Token {api_key}"}, {"Authorization": "Bearer"},
                    auth("not-a-key"), {"x-api-key": api_key}):
        for response in (http(emulator).post(f"{emulator.url}{SUBMIT}", json={}, headers=headers),
                         http(emulator).get(f"{emulator.url}{TASK}x", headers=headers)):
            assert_error(response, 401, 401)


def test_insufficient_balance_is_403(emulator: EmulatorServer,
                                     image_uri: Callable[..., str]) -> None:
    http(emulator).post(f"{emulator.url}/_emulator/keys", json={"key": "poor-key", "balance": 0})
    assert_error(submit(emulator, i2v(image_uri()), "poor-key"), 403, 403)
    http(emulator).post(f"{emulator.url}/_emulator/keys", json={"key": "poor-key", "balance": 0.40})
    assert submit(emulator, i2v(image_uri()), "poor-key").status_code == 200
    assert counters(emulator)["submissions"]["vtrix"] == {"poor-key": 1}


def test_unknown_and_foreign_tasks_are_404(emulator: EmulatorServer, api_key: str,
                                           image_uri: Callable[..., str]) -> None:
    assert_error(poll(emulator, "no-such-task", api_key), 404, 404)
    task_id = submit(emulator, i2v(image_uri()), api_key).json()["id"]
    http(emulator).post(f"{emulator.url}/_emulator/keys", json={"key": "other-key", "balance": 5})
    assert_error(poll(emulator, task_id, "other-key"), 404, 404)
    assert poll(emulator, task_id, api_key).status_code == 200
    cancel = http(emulator).post(f"{emulator.url}{TASK}{task_id}/cancel", headers=auth(api_key))
    assert cancel.status_code in (404, 405)  # no cancel endpoint


def test_one_submission_per_submit(emulator: EmulatorServer, api_key: str,
                                   image_uri: Callable[..., str]) -> None:
    ids = {submit(emulator, i2v(image_uri()), api_key).json()["id"] for _ in range(3)}
    submit(emulator, i2v(image_uri(), duration=8), api_key)
    assert len(ids) == 3
    data = counters(emulator)
    assert data["submissions"]["vtrix"] == {api_key: 3}
    assert data["requests"]["vtrix"]["submit"] == 4


# -- faults ------------------------------------------------------------------------------------


def test_http_faults(emulator: EmulatorServer, api_key: str,
                     image_uri: Callable[..., str]) -> None:
    add_fault(emulator, action="status", status=429, route="submit", retry_after=2)
    limited = submit(emulator, i2v(image_uri()), api_key)
    assert_error(limited, 429, 429)
    assert limited.headers["Retry-After"] == "2"
    task_id = submit(emulator, i2v(image_uri()), api_key).json()["id"]
    for status in (500, 503):
        add_fault(emulator, action="status", status=status, route="poll")
        assert_error(poll(emulator, task_id, api_key), status, status)
    add_fault(emulator, action="status", status=500, route="submit", code="8008003099",
              message="Provider unavailable")
    assert_error(submit(emulator, i2v(image_uri()), api_key), 500, 8008003099)
    add_fault(emulator, action="malformed", route="poll")
    with pytest.raises(json.JSONDecodeError):
        poll(emulator, task_id, api_key).json()
    add_fault(emulator, action="reset", route="poll")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        poll(emulator, task_id, api_key)
    add_fault(emulator, action="slow", route="poll", delay_s=0.6)
    with pytest.raises(httpx.TimeoutException):
        http(emulator).get(f"{emulator.url}{TASK}{task_id}", headers=auth(api_key), timeout=0.2)
    assert final(emulator, task_id, api_key)["status"] == "completed"
    assert counters(emulator)["submissions"]["vtrix"] == {api_key: 1}


def test_download_faults_and_fresh_urls(emulator: EmulatorServer, api_key: str,
                                        image_uri: Callable[..., str]) -> None:
    task_id = submit(emulator, i2v(image_uri()), api_key).json()["id"]
    url = final(emulator, task_id, api_key)["output"][0]["content"][0]["url"]
    size = len(http(emulator).get(url).content)
    add_fault(emulator, action="truncate", route="download")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http(emulator).get(url)
    add_fault(emulator, action="expire", route="download")
    assert http(emulator).get(url).status_code == 403
    http(emulator).post(f"{emulator.url}/_emulator/config", json={"url_ttl_s": -5})
    stale = poll(emulator, task_id, api_key).json()["output"][0]["content"][0]["url"]
    assert http(emulator).get(stale).status_code == 403
    http(emulator).post(f"{emulator.url}/_emulator/config", json={"url_ttl_s": None})
    fresh = poll(emulator, task_id, api_key).json()["output"][0]["content"][0]["url"]
    assert len(http(emulator).get(fresh).content) == size


@pytest.mark.parametrize(("rule", "code", "message"), [
    ({}, 8008003098, "Generation failed"),
    ({"code": "8008003099"}, 8008003099, "Provider unavailable"),
    ({"code": "8008003098", "message": "content flagged"}, 8008003098, "content flagged"),
    ({"code": "CreationPolicyViolation"}, "CreationPolicyViolation", "Generation failed"),
])
def test_tasks_fail_with_the_given_code(emulator: EmulatorServer, api_key: str,
                                        image_uri: Callable[..., str], rule: Body,
                                        code: int | str, message: str) -> None:
    add_fault(emulator, action="fail", **rule)
    task_id = submit(emulator, i2v(image_uri()), api_key).json()["id"]
    done = final(emulator, task_id, api_key)
    assert done["status"] == "failed"
    assert done["error"] == {"code": code, "error_message": message}
    assert "output" not in done and "usage" not in done


def test_stuck_task_stays_pending(emulator: EmulatorServer, api_key: str,
                                  image_uri: Callable[..., str]) -> None:
    add_fault(emulator, action="stuck")
    stuck = submit(emulator, i2v(image_uri()), api_key).json()["id"]
    normal = submit(emulator, i2v(image_uri()), api_key).json()["id"]
    assert final(emulator, normal, api_key)["status"] == "completed"
    body = poll(emulator, stuck, api_key).json()
    assert body["status"] == "pending" and body["progress"] == 0.0
    phases = {t["id"]: t["phase"] for t in
              http(emulator).get(f"{emulator.url}/_emulator/tasks").json()["tasks"]}
    assert phases[stuck] == "queueing"
