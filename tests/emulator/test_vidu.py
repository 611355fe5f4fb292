"""The Vidu official contract (ent/v2) over real loopback HTTP: submit, poll, list, cancel, strict
validation in Vidu's own error shape, concurrency, and every scripted fault."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from conftest import data_uri, fast_config, make_image, wait_for

from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer

REF = "/ent/v2/reference2video"
I2V = "/ent/v2/img2video"
ImageUri = Callable[..., str]
#: one client for the module: a new httpx client per request costs ~30 ms of TLS set-up
HTTP = httpx.Client(timeout=30.0)


@pytest.fixture(scope="module", autouse=True)
def _close_client() -> Iterator[None]:
    yield
    HTTP.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """One emulator for the checks that never create a task (starting one costs ~0.2 s)."""
    server = EmulatorServer(fast_config(media_dir=tmp_path_factory.mktemp("vidu-emu")))
    server.start()
    yield server
    server.stop()


def auth(key: str = DEMO_KEY) -> dict[str, str]:
    return {"Authorization": f"Token {key}"}


def submit(emu: EmulatorServer, body: dict[str, Any], key: str = DEMO_KEY,
           path: str = REF) -> httpx.Response:
    return HTTP.post(emu.url + path, json=body, headers=auth(key), timeout=30)


def created(emu: EmulatorServer, body: dict[str, Any], key: str = DEMO_KEY,
            path: str = REF) -> str:
    response = submit(emu, body, key, path)
    assert response.status_code == 200, response.text
    return str(response.json()["task_id"])


def poll(emu: EmulatorServer, task_id: str, key: str = DEMO_KEY) -> dict[str, Any]:
    response = HTTP.get(f"{emu.url}/ent/v2/tasks/{task_id}/creations", headers=auth(key))
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def until(emu: EmulatorServer, task_id: str, *states: str, key: str = DEMO_KEY
          ) -> dict[str, Any]:
    wanted = states or ("success", "failed")
    return wait_for(lambda: (b := poll(emu, task_id, key))["state"] in wanted and b)  # type: ignore[no-any-return]


def expect_error(response: httpx.Response, status: int, reason: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == status and body["reason"] == reason, body
    assert set(body) == {"code", "reason", "message", "metadata"}
    assert re.fullmatch(r"[0-9a-f]{32}", body["metadata"]["trace_id"])
    return body


def fault(emu: EmulatorServer, **rule: Any) -> None:
    response = HTTP.post(f"{emu.url}/_emulator/faults", json={"provider": "vidu", **rule})
    assert response.status_code == 200, response.text


def config(emu: EmulatorServer, **values: Any) -> None:
    assert HTTP.post(f"{emu.url}/_emulator/config", json=values).status_code == 200


def set_key(emu: EmulatorServer, key: str, balance: float) -> None:
    assert HTTP.post(f"{emu.url}/_emulator/keys",
                     json={"key": key, "balance": balance}).status_code == 200


def ref_body(image_uri: ImageUri, **over: Any) -> dict[str, Any]:
    return {"model": "viduq1", "images": [image_uri()], "prompt": "a fox in snow", **over}


def submissions(emu: EmulatorServer, key: str = DEMO_KEY) -> int:
    snapshot = HTTP.get(f"{emu.url}/_emulator/counters").json()
    return int(snapshot["submissions"].get("vidu", {}).get(key, 0))


# -- the happy paths ------------------------------------------------------------------------------
def test_reference2video_runs_to_success_with_a_downloadable_mp4(
        emulator: EmulatorServer, image_uri: ImageUri) -> None:
    response = submit(emulator, ref_body(image_uri, payload="tok-1", movement_amplitude="small"))
    assert response.status_code == 200
    body = response.json()
    assert re.fullmatch(r"\d{18}", body["task_id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z", body["created_at"])
    assert body["images"][0].startswith("data:image/png;base64,") and "bytes]" in body["images"][0]
    assert body["seed"] > 0
    assert {k: body[k] for k in ("type", "state", "model", "duration", "aspect_ratio",
                                 "resolution", "movement_amplitude", "bgm", "payload",
                                 "off_peak", "credits", "prompt")} == {
        "type": "reference2video", "state": "created", "model": "viduq1", "duration": 5,
        "aspect_ratio": "16:9", "resolution": "1080p", "movement_amplitude": "small",
        "bgm": False, "payload": "tok-1", "off_peak": False, "credits": 8,  # what it will cost
        "prompt": "a fox in snow"}
    done = until(emulator, body["task_id"])
    assert done["state"] == "success" and done["err_code"] == "" and done["credits"] == 8
    assert done["payload"] == "tok-1" and done["id"] == body["task_id"]
    creation = done["creations"][0]
    assert re.fullmatch(r"\d{18}", creation["id"]) and creation["watermarked_url"] == ""
    assert creation["video"]["resolution"] == {"width": 1920, "height": 1080}
    assert creation["video"]["duration"] == 5.0
    video = HTTP.get(creation["url"])
    assert video.status_code == 200 and video.content[4:8] == b"ftyp"
    part = HTTP.get(creation["url"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert HTTP.get(creation["cover_url"]).content[:3] == b"\xff\xd8\xff"
    phases = [p for p, _ in HTTP.get(f"{emulator.url}/_emulator/tasks").json()["tasks"][0]
              ["history"]]
    assert phases == ["created", "queueing", "processing", "success"]
    balance = HTTP.get(f"{emulator.url}/_emulator/balance", params={"key": DEMO_KEY}).json()
    assert balance["balance"] == 1000 - 8
    assert submissions(emulator) == 1


S3 = "https://prod-ss-images.s3.cn-northwest-1.amazonaws.com.cn/vidu-maas/template"
CURL_SAMPLE = f"""
{{
"model": "viduq1",
"images": ["{S3}/reference2video-1.png","{S3}/reference2video-2.png","{S3}/reference2video-3.png"],
"prompt": "Santa Claus and the bear hug by the lakeside.",
"duration": "5",
"seed": "0",
"aspect_ratio": "16:9",
"resolution": "1080p",
"bgm": "false",
"movement_amplitude": "auto"
}}"""


def test_the_documented_curl_sample_works_with_local_images(emulator: EmulatorServer) -> None:
    """Seed 001's curl sample, byte for byte, except host, key and image addresses."""
    urls = [HTTP.post(f"{emulator.url}/_emulator/uploads", content=make_image(300 + i * 10),
                      headers={"Content-Type": "image/png"}).json()["url"] for i in range(3)]
    sample = CURL_SAMPLE
    for n, url in enumerate(urls, 1):
        sample = sample.replace(f"{S3}/reference2video-{n}.png", url)
    headers = {"Authorization": f"Token {DEMO_KEY}", "Content-Type": "application/json"}
    unreachable = HTTP.post(f"{emulator.url}/ent/v2/reference2video", content=CURL_SAMPLE,
                            headers=headers)
    expect_error(unreachable, 400, "ImageDownloadFailure")  # S3 is not reachable from here
    response = HTTP.post(f"{emulator.url}/ent/v2/reference2video", content=sample,
                         headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["images"] == urls and body["duration"] == 5 and body["bgm"] is False
    assert body["seed"] != 0 and body["state"] == "created"
    assert until(emulator, body["task_id"])["state"] == "success"


def test_the_host_is_also_mounted_under_its_id(emulator: EmulatorServer,
                                               image_uri: ImageUri) -> None:
    task_id = created(emulator, ref_body(image_uri), path="/vidu" + REF)
    response = HTTP.get(f"{emulator.url}/vidu/ent/v2/tasks/{task_id}/creations", headers=auth())
    assert response.json()["id"] == task_id


def test_subjects_form_with_name_references(emulator: EmulatorServer,
                                            image_uri: ImageUri) -> None:
    body = {"model": "viduq1", "prompt": "@cat chases @2 along the shore",
            "subjects": [{"name": "cat", "images": [image_uri(), image_uri(400, 400)]},
                         {"id": "2", "images": [image_uri(300, 500, "JPEG")]}],
            "aspect_ratio": "1:1", "seed": "77"}
    response = submit(emulator, body)
    assert response.status_code == 200, response.text
    echo = response.json()
    assert echo["seed"] == 77 and len(echo["images"]) == 3
    assert [s.get("name") or s.get("id") for s in echo["subjects"]] == ["cat", "2"]
    done = until(emulator, echo["task_id"])
    assert done["creations"][0]["video"]["resolution"] == {"width": 1080, "height": 1080}


@pytest.mark.parametrize("subjects, reason", [
    ([{"images": ["IMG"]}], "FieldLacking"),
    ([{"name": "a", "images": ["IMG"] * 4}], "FieldItemCountOutOfRange"),
    ([{"name": f"s{i}", "images": ["IMG"] * 2} for i in range(4)], "FieldItemCountOutOfRange"),
    ([{"name": f"s{i}", "images": ["IMG"]} for i in range(8)], "FieldItemCountOutOfRange"),
    ([{"name": "a", "images": ["IMG"], "voice": "x"}], "FieldUnwanted"),
    ([{"name": "a", "images": ["IMG"]}, {"name": "a", "images": ["IMG"]}], "FieldInvalid"),
    (["IMG"], "FieldInvalid"),
    ([{"name": "a", "images": []}], "FieldLacking"),
    ("IMG", "FieldInvalid"),
])
def test_subjects_are_checked(shared: EmulatorServer, image_uri: ImageUri,
                              subjects: Any, reason: str) -> None:
    img = image_uri(200, 200)

    def fill(value: Any) -> Any:
        if value == "IMG":
            return img
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    body = {"model": "viduq1", "prompt": "p", "subjects": fill(subjects)}
    expect_error(submit(shared, body), 400, reason)


def test_subjects_exclude_images_and_old_models(emulator: EmulatorServer,
                                                image_uri: ImageUri) -> None:
    subjects = [{"name": "a", "images": [image_uri()]}]
    expect_error(submit(emulator, ref_body(image_uri, subjects=subjects)), 400, "FieldInvalid")
    body = {"model": "vidu1.5", "prompt": "p", "subjects": subjects}
    assert "vidu1.5" in expect_error(submit(emulator, body), 400, "FieldInvalid")["message"]


def test_img2video_follows_the_image_and_takes_one_image(emulator: EmulatorServer,
                                                         image_uri: ImageUri) -> None:
    response = submit(emulator, {"model": "viduq1", "images": [image_uri(360, 640)]}, path=I2V)
    assert response.status_code == 200, response.text
    echo = response.json()
    assert echo["type"] == "img2video" and "aspect_ratio" not in echo and echo["prompt"] == ""
    done = until(emulator, echo["task_id"])
    assert done["creations"][0]["video"]["resolution"] == {"width": 1080, "height": 1920}
    listed = HTTP.get(f"{emulator.url}/ent/v2/tasks", headers=auth()).json()["tasks"]
    assert listed[0]["aspect_ratio"] == "9:16"
    one = {"model": "viduq1", "images": [image_uri()]}
    expect_error(submit(emulator, {**one, "aspect_ratio": "16:9"}, path=I2V), 400,
                 "FieldUnwanted")
    expect_error(submit(emulator, {**one, "images": [image_uri()] * 2}, path=I2V), 400,
                 "FieldItemCountOutOfRange")
    expect_error(submit(emulator, {**one, "model": "viduq9"}, path=I2V), 400, "FieldInvalid")
    old = submit(emulator, {**one, "model": "vidu2.0", "resolution": "1080p"}, path=I2V)
    assert old.status_code == 200 and old.json()["duration"] == 4


def test_models_follow_the_capability_table(emulator: EmulatorServer,
                                            image_uri: ImageUri) -> None:
    eight = submit(emulator, ref_body(image_uri, model="vidu1.5", duration=8))
    assert eight.status_code == 200 and eight.json()["resolution"] == "720p"
    assert submit(emulator, ref_body(image_uri, model="vidu2.0")).json()["resolution"] == "360p"
    expect_error(submit(emulator, ref_body(image_uri, model="vidu2.0",
                                           images=[image_uri()] * 4)),
                 400, "FieldItemCountOutOfRange")
    expect_error(submit(emulator, ref_body(image_uri, model="vidu2.0", duration=5)), 400,
                 "FieldInvalid")
    expect_error(submit(emulator, ref_body(image_uri, resolution="720p")), 400, "FieldInvalid")
    expect_error(submit(emulator, ref_body(image_uri, model="vidu1.5", duration=8,
                                           resolution="1080p")), 400, "FieldInvalid")


# -- strict validation ----------------------------------------------------------------------------
@pytest.mark.parametrize("change, reason, word", [
    ({"model": None}, "FieldLacking", "model"),
    ({"model": "viduq9"}, "FieldInvalid", "model"),
    ({"model": 1}, "FieldInvalid", "model"),
    ({"prompt": None}, "FieldLacking", "prompt"),
    ({"prompt": "   "}, "FieldLacking", "prompt"),
    ({"prompt": "x" * 1501}, "FieldInvalid", "prompt"),
    ({"images": None}, "FieldLacking", "images"),
    ({"images": []}, "FieldLacking", "images"),
    ({"images": "not a list"}, "FieldInvalid", "images"),
    ({"images": ["IMG"] * 8}, "FieldItemCountOutOfRange", "images"),
    ({"style": "general"}, "FieldUnwanted", "style"),
    ({"aspect_ratio": "4:3"}, "FieldInvalid", "aspect_ratio"),
    ({"movement_amplitude": "huge"}, "FieldInvalid", "movement_amplitude"),
    ({"bgm": "yes"}, "FieldInvalid", "bgm"),
    ({"bgm": 1}, "FieldInvalid", "bgm"),
    ({"off_peak": "maybe"}, "FieldInvalid", "off_peak"),
    ({"seed": -1}, "FieldInvalid", "seed"),
    ({"seed": "abc"}, "FieldInvalid", "seed"),
    ({"seed": 2**31}, "FieldInvalid", "seed"),
    ({"seed": 1.5}, "FieldInvalid", "seed"),
    ({"duration": 6}, "FieldInvalid", "duration"),
    ({"duration": "five"}, "FieldInvalid", "duration"),
    ({"resolution": 1080}, "FieldInvalid", "resolution"),
    ({"payload": "x" * 1_048_577}, "FieldInvalid", "payload"),
    ({"payload": 5}, "FieldInvalid", "payload"),
    ({"callback_url": "https://example.com/cb"}, "FieldInvalid", "callback_url"),
    ({"callback_url": "ftp://127.0.0.1/cb"}, "FieldInvalid", "callback_url"),
    ({"wm_position": 5}, "FieldInvalid", "wm_position"),
    ({"watermark": "on"}, "FieldInvalid", "watermark"),
    ({"meta_data": "{not json"}, "FieldInvalid", "meta_data"),
    ({"meta_data": {"a": 1}}, "FieldInvalid", "meta_data"),
])
def test_submit_fields_are_strict(shared: EmulatorServer, image_uri: ImageUri,
                                  change: dict[str, Any], reason: str, word: str) -> None:
    img = image_uri(200, 200)
    body = {k: v for k, v in {**ref_body(image_uri), **change}.items() if v is not None}
    if body.get("images") == ["IMG"] * 8:
        body["images"] = [img] * 8
    error = expect_error(submit(shared, body), 400, reason)
    assert word in error["message"]
    assert submissions(shared) == 0


def test_optional_fields_are_accepted_and_echoed(emulator: EmulatorServer,
                                                 image_uri: ImageUri) -> None:
    biggest = submit(emulator, ref_body(image_uri, payload="p" * 1_048_576))
    assert len(biggest.json()["payload"]) == 1_048_576
    body = ref_body(image_uri, seed=42, bgm=True, off_peak="true", watermark=True,
                    wm_position="1", wm_url="", meta_data='{"k": 1}')
    echo = submit(emulator, body).json()
    assert (echo["seed"], echo["bgm"], echo["off_peak"]) == (42, True, True)
    done = until(emulator, echo["task_id"])
    creation = done["creations"][0]
    assert done["bgm"] is True and done["off_peak"] is True
    assert creation["watermarked_url"].startswith(emulator.url + "/_files/")


@pytest.mark.parametrize("make, reason", [
    (lambda: data_uri(make_image(100, 100)), "PageSizeOutOfRange"),
    (lambda: data_uri(make_image(1000, 200)), "PageSizeOutOfRange"),
    (lambda: data_uri(make_image(300, 300, "GIF"), "gif"), "ImageFormatInvalid"),
    (lambda: data_uri(b"not an image at all", "png"), "ImageFormatInvalid"),
    (lambda: data_uri(make_image(300, 300))[len("data:image/png;base64,"):], "FieldInvalid"),
    (lambda: "data:image/png;base64,@@@not-base64@@@", "FieldInvalid"),
    (lambda: "data:image/png;base64," + "A" * 14_000_000, "PageSizeOutOfRange"),
    (lambda: "https://prod-ss-images.s3.cn-northwest-1.amazonaws.com.cn/x.png",
     "ImageDownloadFailure"),
])
def test_images_are_judged_by_content(shared: EmulatorServer, image_uri: ImageUri,
                                      make: Callable[[], str], reason: str) -> None:
    body = ref_body(image_uri, images=[image_uri(), make()])
    error = expect_error(submit(shared, body), 400, reason)
    assert "images[1]" in error["message"]


def test_image_labels_and_loopback_downloads(emulator: EmulatorServer,
                                             image_uri: ImageUri) -> None:
    jpeg_labelled_png = data_uri(make_image(300, 300, "JPEG"), "png")
    assert submit(emulator, ref_body(image_uri, images=[jpeg_labelled_png])).status_code == 200
    missing = f"{emulator.url}/_emulator/uploads/{'0' * 32}"
    expect_error(submit(emulator, ref_body(image_uri, images=[missing])), 400,
                 "ImageDownloadFailure")
    small = data_uri(make_image(64, 64))
    body = {"model": "viduq1", "prompt": "p",
            "subjects": [{"name": "a", "images": [image_uri(), small]}]}
    assert "subjects[0].images[1]" in expect_error(submit(emulator, body), 400,
                                                   "PageSizeOutOfRange")["message"]


@pytest.mark.parametrize("content, ctype, status, reason", [
    (b'{"model": "viduq1", ', "application/json", 400, "BadRequest"),
    (b"\x00\xff\xfe garbage \x89PNG", "application/json", 400, "BadRequest"),
    (b'["a list"]', "application/json", 400, "BadRequest"),
    (b'{"model": "viduq1"}', "text/plain", 400, "BadRequest"),
    (b'{"model": "viduq1"}', "", 400, "BadRequest"),
])
def test_malformed_bodies_get_vidu_errors(shared: EmulatorServer, content: bytes, ctype: str,
                                          status: int, reason: str) -> None:
    headers = {**auth(), "Content-Type": ctype}
    expect_error(HTTP.post(shared.url + REF, content=content, headers=headers), status, reason)


def test_an_oversized_body_is_413(emulator: EmulatorServer) -> None:
    def chunks() -> Any:
        for _ in range(21):
            yield b" " * (1024 * 1024)

    response = HTTP.post(emulator.url + REF, content=chunks(), timeout=30,
                         headers={**auth(), "Content-Type": "application/json"})
    expect_error(response, 413, "RequestEntityTooLarge")


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": f"Bearer {DEMO_KEY}"}, {"Authorization": "Token wrong-key"},
    {"Authorization": "Token"}, {"Authorization": DEMO_KEY},
])
def test_auth_is_token_only(shared: EmulatorServer, image_uri: ImageUri,
                            headers: dict[str, str]) -> None:
    for method, path in (("POST", REF), ("POST", I2V), ("GET", "/ent/v2/tasks"),
                         ("GET", "/ent/v2/tasks/123/creations"),
                         ("POST", "/ent/v2/tasks/123/cancel")):
        response = HTTP.request(method, shared.url + path, headers=headers,
                                json=ref_body(image_uri) if method == "POST" else None)
        assert expect_error(response, 401, "Unauthorized")["message"] == "unauthorized"


def test_credits_moderation_and_submission_counting(emulator: EmulatorServer,
                                                    image_uri: ImageUri) -> None:
    set_key(emulator, "poor-key", 0)
    expect_error(submit(emulator, ref_body(image_uri), key="poor-key"), 400,
                 "CreditInsufficient")
    set_key(emulator, "poor-key", 7.5)
    expect_error(submit(emulator, ref_body(image_uri), key="poor-key"), 400,
                 "CreditInsufficient")
    assert submit(emulator, ref_body(image_uri, model="vidu2.0"), key="poor-key"
                  ).status_code == 200
    expect_error(submit(emulator, ref_body(image_uri, prompt="x __moderate__ y")), 400,
                 "AuditSubmitIllegal")
    for _ in range(3):
        created(emulator, ref_body(image_uri))
    assert submissions(emulator) == 3 and submissions(emulator, "poor-key") == 1


# -- tasks: poll, list, cancel ---------------------------------------------------------------
def test_tasks_belong_to_their_key(emulator: EmulatorServer, image_uri: ImageUri) -> None:
    set_key(emulator, "other-key", 100)
    mine = created(emulator, ref_body(image_uri))
    theirs = created(emulator, ref_body(image_uri), key="other-key")
    for task_id in (theirs, "123456789012345678", "not-a-number"):
        response = HTTP.get(f"{emulator.url}/ent/v2/tasks/{task_id}/creations", headers=auth())
        expect_error(response, 404, "TaskNotFound")
        expect_error(HTTP.post(f"{emulator.url}/ent/v2/tasks/{task_id}/cancel",
                               headers=auth()), 404, "TaskNotFound")
    listed = HTTP.get(f"{emulator.url}/ent/v2/tasks", headers=auth()).json()["tasks"]
    assert [t["id"] for t in listed] == [mine]


def test_list_filters_pages_and_carries_payload(emulator: EmulatorServer,
                                                image_uri: ImageUri) -> None:
    ids = [created(emulator, ref_body(image_uri, payload=f"client-token-{i}",
                                      model="vidu2.0" if i == 4 else "viduq1"))
           for i in range(5)]
    for task_id in ids:
        until(emulator, task_id)
    url = f"{emulator.url}/ent/v2/tasks"

    def listing(params: Any) -> dict[str, Any]:
        response = HTTP.get(url, params=params, headers=auth())
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    everything = listing({})
    assert [t["id"] for t in everything["tasks"]] == ids[::-1]
    assert everything["next_page_token"] == ""
    item = everything["tasks"][-1]
    assert item["payload"] == "client-token-0" and item["template"] == ""
    assert item["state"] == "success" and item["creations"][0]["url"]
    assert re.fullmatch(r"\d{18}", item["key_id"])
    seen: list[str] = []
    token = ""
    while True:
        page = listing({"pager.pagesz": 2, **({"pager.page_token": token} if token else {})})
        seen += [t["id"] for t in page["tasks"]]
        token = page["next_page_token"]
        if not token:
            break
    assert seen == ids[::-1]
    assert [t["id"] for t in listing({"pager.pagesz": 2, "pager.page": 1})["tasks"]] == \
        ids[::-1][2:4]
    picked = listing([("task_ids", ids[0]), ("task_ids[]", ids[2])])["tasks"]
    assert {t["id"] for t in picked} == {ids[0], ids[2]}
    assert [t["id"] for t in listing({"model_versions[]": "2.0"})["tasks"]] == [ids[4]]
    assert [t["id"] for t in listing({"resolutions": "360p"})["tasks"]] == [ids[4]]
    assert len(listing({"states[]": "success"})["tasks"]) == 5
    assert listing({"states[]": "failed"})["tasks"] == []
    assert listing({"templates[]": "hug"})["tasks"] == []
    assert listing({"created_at.from": "2999-01-01T00:00:00Z"})["tasks"] == []
    assert listing({"created_at.to": "2000-01-01T00:00:00.123456789+00:00"})["tasks"] == []
    assert len(listing({"created_at.from": "2000-01-01T00:00:00Z"})["tasks"]) == 5


@pytest.mark.parametrize("params, reason", [
    ({"pager.pagesz": "101"}, "PageSizeOutOfRange"),
    ({"pager.pagesz": "-1"}, "PageSizeOutOfRange"),
    ({"pager.pagesz": "ten"}, "FieldInvalid"),
    ({"pager.page": "-2"}, "FieldInvalid"),
    ({"pager.page_token": "%%%"}, "FieldInvalid"),
    ({"paper.page": "0"}, "FieldUnwanted"),
    ({"created_at.from": "yesterday"}, "FieldInvalid"),
    ({"created_at.to": "2025-01-01T00:00:00"}, "FieldInvalid"),
    ({"states[]": "done"}, "FieldInvalid"),
    ({"model_versions": "viduq1"}, "FieldInvalid"),
    ({"resolutions[]": "4k"}, "FieldInvalid"),
])
def test_list_parameters_are_strict(shared: EmulatorServer, params: dict[str, str],
                                    reason: str) -> None:
    response = HTTP.get(f"{shared.url}/ent/v2/tasks", params=params, headers=auth())
    expect_error(response, 400, reason)


def test_cancel_while_queued_only(emulator: EmulatorServer, image_uri: ImageUri) -> None:
    fault(emulator, action="stuck")
    stuck = created(emulator, ref_body(image_uri, payload="p1"))
    until(emulator, stuck, "queueing")
    cancel = f"{emulator.url}/ent/v2/tasks/{stuck}/cancel"
    expect_error(HTTP.post(cancel, json={"id": "999999999999999999"}, headers=auth()), 400,
                 "FieldInvalid")
    expect_error(HTTP.post(cancel, json={"id": stuck, "why": "x"}, headers=auth()), 400,
                 "FieldUnwanted")
    response = HTTP.post(cancel, json={"id": stuck}, headers=auth())
    assert response.status_code == 200 and response.json() == {}
    done = poll(emulator, stuck)
    assert (done["state"], done["err_code"], done["credits"], done["creations"]) == (
        "failed", "UserCancelled", 0, [])
    again = expect_error(HTTP.post(cancel, headers=auth()), 400, "BadRequest")
    assert again["message"] == "task state is failed, can not cancel"
    finished = created(emulator, ref_body(image_uri))
    until(emulator, finished)
    late = HTTP.post(f"{emulator.url}/ent/v2/tasks/{finished}/cancel", headers=auth())
    assert expect_error(late, 400, "BadRequest")["message"] == \
        "task state is success, can not cancel"


def test_five_process_at_once_and_the_rest_queue(emulator: EmulatorServer,
                                                 image_uri: ImageUri) -> None:
    config(emulator, processing_s=3000)  # 30 s at the test time scale: they stay processing
    ids = [created(emulator, ref_body(image_uri)) for _ in range(7)]

    def states() -> list[str]:
        return sorted(poll(emulator, task_id)["state"] for task_id in ids)

    wait_for(lambda: states() == ["processing"] * 5 + ["queueing"] * 2)
    queued = next(t for t in ids if poll(emulator, t)["state"] == "queueing")
    busy = next(t for t in ids if poll(emulator, t)["state"] == "processing")
    assert HTTP.post(f"{emulator.url}/ent/v2/tasks/{queued}/cancel", headers=auth()).json() == {}
    refused = HTTP.post(f"{emulator.url}/ent/v2/tasks/{busy}/cancel", headers=auth())
    assert expect_error(refused, 400, "BadRequest")["message"] == \
        "task state is processing, can not cancel"
    set_key(emulator, "second-key", 100)  # another key has its own five slots
    other = created(emulator, ref_body(image_uri), key="second-key")
    until(emulator, other, "processing", key="second-key")


# -- scripted faults ------------------------------------------------------------------------------
def test_http_faults_in_vidu_shape(emulator: EmulatorServer, image_uri: ImageUri) -> None:
    fault(emulator, action="status", status=429, route="submit", retry_after=2)
    limited = submit(emulator, ref_body(image_uri))
    expect_error(limited, 429, "TooManyRequests")
    assert limited.headers["retry-after"] == "2"
    fault(emulator, action="status", status=429, route="submit", code="QuotaExceeded")
    assert expect_error(submit(emulator, ref_body(image_uri)), 429, "QuotaExceeded")[
        "message"] == "quota exceeded"
    assert submissions(emulator) == 0
    task_id = created(emulator, ref_body(image_uri))
    fault(emulator, action="status", status=500, route="poll")
    expect_error(HTTP.get(f"{emulator.url}/ent/v2/tasks/{task_id}/creations", headers=auth()),
                 500, "InternalServiceFailure")
    fault(emulator, action="status", status=503, route="list")
    expect_error(HTTP.get(f"{emulator.url}/ent/v2/tasks", headers=auth()), 503,
                 "InternalServiceFailure")
    fault(emulator, action="status", status=500, route="cancel")
    expect_error(HTTP.post(f"{emulator.url}/ent/v2/tasks/{task_id}/cancel", headers=auth()),
                 500, "InternalServiceFailure")
    assert submissions(emulator) == 1


def test_slow_reset_and_malformed_answers(emulator: EmulatorServer, image_uri: ImageUri) -> None:
    task_id = created(emulator, ref_body(image_uri))
    url = f"{emulator.url}/ent/v2/tasks/{task_id}/creations"
    fault(emulator, action="slow", route="poll", delay_s=0.6)
    with pytest.raises(httpx.TimeoutException):
        HTTP.get(url, headers=auth(), timeout=0.2)
    fault(emulator, action="reset", route="poll")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        HTTP.get(url, headers=auth())
    fault(emulator, action="malformed", route="submit")
    broken = submit(emulator, ref_body(image_uri))
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()
    assert poll(emulator, task_id)["id"] == task_id


def test_task_faults_fail_or_stick(emulator: EmulatorServer, image_uri: ImageUri) -> None:
    fault(emulator, action="fail", code="CreationPolicyViolation")
    failed = created(emulator, ref_body(image_uri))
    done = until(emulator, failed)
    assert (done["state"], done["err_code"], done["credits"], done["creations"]) == (
        "failed", "CreationPolicyViolation", 0, [])
    balance = HTTP.get(f"{emulator.url}/_emulator/balance", params={"key": DEMO_KEY}).json()
    assert balance["balance"] == 1000
    fault(emulator, action="stuck")
    stuck = created(emulator, ref_body(image_uri))
    normal = created(emulator, ref_body(image_uri))
    until(emulator, normal, "success")
    assert poll(emulator, stuck)["state"] == "queueing"


def test_download_faults_and_expired_urls(emulator: EmulatorServer, image_uri: ImageUri) -> None:
    task_id = created(emulator, ref_body(image_uri))
    url = until(emulator, task_id)["creations"][0]["url"]
    fault(emulator, action="truncate", route="download")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        HTTP.get(url)
    fault(emulator, action="expire", route="download")
    assert HTTP.get(url).status_code == 403
    config(emulator, url_ttl_s=0)
    stale = poll(emulator, task_id)["creations"][0]["url"]
    expired = HTTP.get(stale)
    assert expired.status_code == 403 and b"expired" in expired.content
    config(emulator, url_ttl_s=None)
    fresh = poll(emulator, task_id)["creations"][0]["url"]
    assert fresh != stale and HTTP.get(fresh).content[4:8] == b"ftyp"
