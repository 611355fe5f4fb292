"""The Novita v3 async contract, served as Novita (root and /novita) and HighwayAPI
(/highwayapi), over real loopback HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import data_uri, fast_config, make_image, wait_for

from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer

REF = "/v3/async/vidu-q1-reference2video"
I2V = "/v3/async/vidu-q1-img2video"
RESULT = "/v3/async/task-result"
HOSTS = {"": "novita", "/novita": "novita", "/highwayapi": "highwayapi"}
FINAL = ("TASK_STATUS_SUCCEED", "TASK_STATUS_FAILED")

IMG = data_uri(make_image())

#: One client for the whole module: creating one costs a few hundred milliseconds (TLS setup).
HTTP = httpx.Client(timeout=10)


def headers(key: str = DEMO_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def body(**changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"images": [IMG], "prompt": "a red fox runs through snow"}
    out.update(changes)
    return {k: v for k, v in out.items() if v is not None}


def submit(server: EmulatorServer, payload: dict[str, Any], base: str = "", path: str = REF,
           key: str = DEMO_KEY) -> httpx.Response:
    return HTTP.post(f"{server.url}{base}{path}", json=payload, headers=headers(key))


def result(server: EmulatorServer, task_id: str, base: str = "", key: str = DEMO_KEY,
           timeout: float = 10) -> httpx.Response:
    return HTTP.get(f"{server.url}{base}{RESULT}", params={"task_id": task_id},
                   headers=headers(key), timeout=timeout)


def status_of(server: EmulatorServer, task_id: str, base: str = "") -> dict[str, Any]:
    return result(server, task_id, base).json()  # type: ignore[no-any-return]


def wait_status(server: EmulatorServer, task_id: str, wanted: tuple[str, ...] = FINAL,
                base: str = "") -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        data = status_of(server, task_id, base)
        return data if data["task"]["status"] in wanted else None
    return wait_for(check)  # type: ignore[no-any-return]


def control(server: EmulatorServer, what: str, data: dict[str, Any]) -> None:
    HTTP.post(f"{server.url}/_emulator/{what}", json=data).raise_for_status()


def assert_error(response: httpx.Response, status: int, reason: str, mention: str = "") -> None:
    assert response.status_code == status, response.text
    data = response.json()
    assert data == {"code": status, "reason": reason, "message": data["message"],
                    "metadata": {}}
    assert mention in data["message"]


def counters(server: EmulatorServer) -> dict[str, Any]:
    return HTTP.get(f"{server.url}/_emulator/counters").json()  # type: ignore[no-any-return]


def submissions(server: EmulatorServer, host: str = "novita") -> int:
    return int(counters(server)["submissions"].get(host, {}).get(DEMO_KEY, 0))


def balance(server: EmulatorServer, host: str, key: str = DEMO_KEY) -> float:
    response = HTTP.get(f"{server.url}/_emulator/balance", params={"key": key, "provider": host})
    return float(response.json()["balance"])


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """One emulator for the many cases that never need a task to finish: its tasks stay
    queued (nothing renders in the background)."""
    server = EmulatorServer(fast_config(media_dir=tmp_path_factory.mktemp("novita-emu"),
                                        queue_s=1e6))
    server.start()
    yield server
    server.stop()


# -- the happy path ----------------------------------------------------------------------------

@pytest.mark.parametrize("base", list(HOSTS))
def test_submit_poll_download(emulator: EmulatorServer, base: str) -> None:
    host = HOSTS[base]
    before = balance(emulator, host)
    response = submit(emulator, body(images=[IMG, data_uri(make_image(300, 300, "JPEG"),
                                                            "jpeg")]), base)
    assert response.status_code == 200
    assert set(response.json()) == {"task_id"}
    task_id = response.json()["task_id"]
    assert uuid.UUID(task_id).version == 4

    data = wait_status(emulator, task_id, base=base)
    assert set(data) == {"extra", "task", "images", "videos", "audios"}
    extra, task = data["extra"], data["task"]
    assert extra["seed"].isdigit() and int(extra["seed"]) > 0
    assert extra["enable_nsfw_detection"] is False
    debug = extra["debug_info"]
    assert debug["request_info"] == ""
    times = [int(debug[k]) for k in ("submit_time_ms", "execute_time_ms", "complete_time_ms")]
    assert 0 < times[0] <= times[1] <= times[2]
    assert task == {"task_id": task_id, "task_type": "VIDU_Q1_REFERENCE2VIDEO",
                    "status": "TASK_STATUS_SUCCEED", "reason": "", "eta": 0,
                    "progress_percent": 100}
    assert data["images"] == [] and data["audios"] == []
    (video,) = data["videos"]
    assert video["video_url_ttl"] == "3600" and video["video_type"] == "mp4"

    whole = HTTP.get(video["video_url"])
    assert whole.status_code == 200
    assert whole.content[4:8] == b"ftyp"
    part = HTTP.get(video["video_url"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.content == whole.content[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(whole.content)}"

    assert counters(emulator)["submissions"] == {host: {DEMO_KEY: 1}}
    assert balance(emulator, host) == pytest.approx(before - 0.40)


def test_states_progress_and_eta(emulator: EmulatorServer) -> None:
    control(emulator, "config", {"queue_s": 30, "processing_s": 60})  # 0.3 s and 0.6 s
    task_id = submit(emulator, body()).json()["task_id"]
    first = status_of(emulator, task_id)
    assert first["task"]["status"] == "TASK_STATUS_QUEUED"
    assert first["task"]["progress_percent"] == 0 and first["task"]["eta"] >= 1
    assert first["videos"] == [] and first["extra"]["debug_info"]["execute_time_ms"] == "0"

    running = wait_status(emulator, task_id, ("TASK_STATUS_PROCESSING",))
    assert 0 <= running["task"]["progress_percent"] < 100
    assert running["task"]["eta"] >= 1 and running["videos"] == []
    assert int(running["extra"]["debug_info"]["execute_time_ms"]) > 0
    assert running["extra"]["debug_info"]["complete_time_ms"] == "0"
    wait_for(lambda: status_of(emulator, task_id)["task"]["progress_percent"] > 0)
    assert wait_status(emulator, task_id)["task"]["status"] == "TASK_STATUS_SUCCEED"


def test_img2video(emulator: EmulatorServer) -> None:
    portrait = data_uri(make_image(360, 640))
    response = submit(emulator, {"images": [portrait], "duration": 5, "resolution": "1080p",
                                 "movement_amplitude": "small", "bgm": False}, path=I2V)
    assert response.status_code == 200, response.text
    data = wait_status(emulator, response.json()["task_id"])
    assert data["task"]["task_type"] == "VIDU_Q1_IMG2VIDEO"
    assert data["task"]["status"] == "TASK_STATUS_SUCCEED"
    assert HTTP.get(data["videos"][0]["video_url"]).content[4:8] == b"ftyp"


def test_seed_is_echoed_or_random(shared: EmulatorServer) -> None:
    def seed(sent: int | None) -> str:
        task_id = submit(shared, body(seed=sent)).json()["task_id"]
        return str(status_of(shared, task_id)["extra"]["seed"])
    assert [seed(123), seed(2_147_483_647)] == ["123", "2147483647"]
    drawn = {seed(0), seed(None), seed(0)}  # 0 or absent: a random seed, echoed
    assert len(drawn) == 3 and all(s.isdigit() and s != "0" for s in drawn)


# -- the seed documents' examples ----------------------------------------------------------------

def _sample_fields(images: list[str]) -> dict[str, Any]:
    """Every field of the documented sample, with documented values for the placeholders."""
    return {"images": images, "prompt": "The girl from the photos waves at the camera",
            "duration": 5, "seed": 123, "aspect_ratio": "9:16", "resolution": "1080p",
            "movement_amplitude": "auto", "bgm": True}


def test_seed_002_highwayapi_curl_sample(emulator: EmulatorServer) -> None:
    upload = HTTP.post(f"{emulator.url}/_emulator/uploads", content=make_image(512, 512),
                       headers={"Content-Type": "image/png"}).json()["url"]
    url = f"{emulator.url}/highwayapi/v3/async/vidu-q1-reference2video"
    sample_headers = {"Authorization": f"Bearer {DEMO_KEY}", "Content-Type": "application/json"}
    literal = {"images": [upload], "prompt": "<string>", "duration": 123, "seed": 123,
               "aspect_ratio": "<string>", "resolution": "<string>",
               "movement_amplitude": "<string>", "bgm": True}
    assert_error(HTTP.post(url, content=json.dumps(literal), headers=sample_headers),
                 400, "INVALID_REQUEST_BODY", "duration")  # the placeholders are not values
    response = HTTP.post(url, content=json.dumps(_sample_fields([upload, upload])),
                         headers=sample_headers)
    assert response.status_code == 200, response.text
    data = wait_status(emulator, response.json()["task_id"], base="/highwayapi")
    assert data["task"]["status"] == "TASK_STATUS_SUCCEED"
    assert data["extra"]["seed"] == "123"
    assert HTTP.get(data["videos"][0]["video_url"]).content[4:8] == b"ftyp"
    assert counters(emulator)["submissions"] == {"highwayapi": {DEMO_KEY: 1}}


def test_seed_004_novita_page_request(emulator: EmulatorServer) -> None:
    front, side = data_uri(make_image(720, 1280)), data_uri(make_image(640, 640, "WEBP"), "webp")
    response = HTTP.post(f"{emulator.url}/v3/async/vidu-q1-reference2video",
                         json=_sample_fields([front, side]),
                         headers={"Content-Type": "application/json",
                                  "Authorization": f"Bearer {DEMO_KEY}"})
    assert response.status_code == 200, response.text
    data = wait_status(emulator, response.json()["task_id"])
    assert data["task"]["status"] == "TASK_STATUS_SUCCEED"
    assert data["extra"]["seed"] == "123"
    assert HTTP.get(data["videos"][0]["video_url"]).content[4:8] == b"ftyp"


# -- task spaces and ownership -------------------------------------------------------------------

def test_hosts_keep_separate_task_spaces(shared: EmulatorServer) -> None:
    highway = submit(shared, body(), "/highwayapi").json()["task_id"]
    novita = submit(shared, body(), "/novita").json()["task_id"]
    assert result(shared, highway, "/highwayapi").status_code == 200
    for base in ("", "/novita"):
        assert_error(result(shared, highway, base), 404, "TASK_NOT_FOUND", highway)
        assert result(shared, novita, base).status_code == 200
    assert_error(result(shared, novita, "/highwayapi"), 404, "TASK_NOT_FOUND")


def test_another_keys_task_is_not_found(shared: EmulatorServer) -> None:
    control(shared, "keys", {"key": "second-key", "balance": 100})
    task_id = submit(shared, body()).json()["task_id"]
    assert_error(result(shared, task_id, key="second-key"), 404, "TASK_NOT_FOUND")


@pytest.mark.parametrize("query", [{}, {"task_id": ""}, {"id": "x"}])
def test_task_result_needs_task_id(shared: EmulatorServer, query: dict[str, str]) -> None:
    response = HTTP.get(f"{shared.url}{RESULT}", params=query, headers=headers())
    assert_error(response, 400, "INVALID_REQUEST_BODY", "task_id")


@pytest.mark.parametrize("task_id", [str(uuid.uuid4()), "not-a-task", "../../etc/passwd"])
def test_unknown_task_is_404(shared: EmulatorServer, task_id: str) -> None:
    assert_error(result(shared, task_id), 404, "TASK_NOT_FOUND")


def test_undefined_routes(shared: EmulatorServer) -> None:
    assert HTTP.post(f"{shared.url}{RESULT}", headers=headers()).status_code == 405
    assert HTTP.get(f"{shared.url}{REF}", headers=headers()).status_code == 405
    assert HTTP.post(f"{shared.url}/highwayapi/v3/async/cancel", headers=headers(),
                     json={}).status_code == 404
    assert HTTP.post(f"{shared.url}/v3/async/vidu-q1-text2video", headers=headers(),
                     json=body()).status_code == 404


# -- authentication and balance ------------------------------------------------------------------

AUTH_CASES = {
    "missing": {},
    "empty": {"Authorization": ""},
    "bearer-no-key": {"Authorization": "Bearer"},
    "token-scheme": {"Authorization": f"Token {DEMO_KEY}"},
    "raw-key": {"Authorization": DEMO_KEY},
    "wrong-key": {"Authorization": "Bearer not-a-real-key"},
    "x-api-key": {"x-api-key": DEMO_KEY},
}


@pytest.mark.parametrize("base", ["", "/highwayapi"])
@pytest.mark.parametrize("case", list(AUTH_CASES))
def test_auth_errors(shared: EmulatorServer, case: str, base: str) -> None:
    before = counters(shared)["submissions"]
    sent = {"Content-Type": "application/json", **AUTH_CASES[case]}
    response = HTTP.post(f"{shared.url}{base}{REF}", json=body(), headers=sent)
    assert_error(response, 401, "FAILED_TO_AUTH")
    response = HTTP.get(f"{shared.url}{base}{RESULT}", params={"task_id": "x"},
                        headers=sent)
    assert_error(response, 401, "FAILED_TO_AUTH")
    assert counters(shared)["submissions"] == before


def test_not_enough_balance(shared: EmulatorServer) -> None:
    control(shared, "keys", {"key": "empty-key", "balance": 0})
    control(shared, "keys", {"key": "nearly", "balance": 0.39})
    for key in ("empty-key", "nearly"):
        for base in ("", "/highwayapi"):
            assert_error(submit(shared, body(), base, key=key), 403, "NOT_ENOUGH_BALANCE")
    control(shared, "keys", {"key": "exact", "balance": 0.40})
    assert submit(shared, body(), key="exact").status_code == 200
    snapshot = counters(shared)["submissions"]
    assert "empty-key" not in snapshot.get("novita", {})
    assert "nearly" not in snapshot.get("highwayapi", {})
    # balances are kept per host
    control(shared, "keys", {"key": "split", "balance": 5})
    control(shared, "keys", {"key": "split", "balance": 0, "provider": "highwayapi"})
    assert submit(shared, body(), key="split").status_code == 200
    assert_error(submit(shared, body(), "/highwayapi", key="split"), 403,
                 "NOT_ENOUGH_BALANCE")


# -- validation ------------------------------------------------------------------------------

TINY = data_uri(make_image(100, 100))
WIDE = data_uri(make_image(1000, 200))
GIF = data_uri(make_image(200, 200, "GIF"), "gif")
BARE = data_uri(make_image(200, 200)).split(",", 1)[1]

FIELD_CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "model": (REF, body(model="vidu-q1"), "model"),
    "payload": (REF, body(payload="x"), "payload"),
    "callback_url": (REF, body(callback_url="http://127.0.0.1/cb"), "callback_url"),
    "style": (REF, body(style="general"), "style"),
    "no-images": (REF, {"prompt": "p"}, "images"),
    "empty-images": (REF, body(images=[]), "images"),
    "images-string": (REF, body(images=IMG), "images"),
    "eight-images": (REF, body(images=[IMG] * 8), "images"),
    "no-prompt": (REF, {"images": [IMG]}, "prompt"),
    "blank-prompt": (REF, body(prompt="   "), "prompt"),
    "prompt-number": (REF, body(prompt=42), "prompt"),
    "prompt-1501": (REF, body(prompt="x" * 1501), "prompt"),
    "duration-4": (REF, body(duration=4), "duration"),
    "duration-10": (REF, body(duration=10), "duration"),
    "duration-string": (REF, body(duration="5"), "duration"),
    "seed-negative": (REF, body(seed=-1), "seed"),
    "seed-too-big": (REF, body(seed=2**31), "seed"),
    "seed-string": (REF, body(seed="123"), "seed"),
    "seed-fraction": (REF, body(seed=1.5), "seed"),
    "aspect-4:3": (REF, body(aspect_ratio="4:3"), "aspect_ratio"),
    "aspect-number": (REF, body(aspect_ratio=1), "aspect_ratio"),
    "resolution-720p": (REF, body(resolution="720p"), "resolution"),
    "movement": (REF, body(movement_amplitude="huge"), "movement_amplitude"),
    "bgm-string": (REF, body(bgm="true"), "bgm"),
    "bgm-int": (REF, body(bgm=1), "bgm"),
    "image-too-small": (REF, body(images=[TINY]), "images[0]"),
    "image-ratio": (REF, body(images=[WIDE]), "images[0]"),
    "image-gif": (REF, body(images=[GIF]), "images[0]"),
    "image-bad-base64": (REF, body(images=["data:image/png;base64,!!!notbase64"]),
                         "images[0]"),
    "image-bare-base64": (REF, body(images=[BARE]), "images[0]"),
    "image-text-uri": (REF, body(images=["data:text/plain;base64,aGVsbG8="]), "images[0]"),
    "image-remote-url": (REF, body(images=["https://example.com/a.png"]), "images[0]"),
    "image-not-string": (REF, body(images=[42]), "images[0]"),
    "second-image-bad": (REF, body(images=[IMG, TINY]), "images[1]"),
    "i2v-aspect": (I2V, {"images": [IMG], "aspect_ratio": "16:9"}, "aspect_ratio"),
    "i2v-two-images": (I2V, {"images": [IMG, IMG]}, "images"),
    "i2v-no-images": (I2V, {"prompt": "p"}, "images"),
    "i2v-prompt-1501": (I2V, {"images": [IMG], "prompt": "y" * 1501}, "prompt"),
}


@pytest.mark.parametrize("case", list(FIELD_CASES))
def test_field_errors(shared: EmulatorServer, case: str) -> None:
    path, payload, mention = FIELD_CASES[case]
    before = counters(shared)["submissions"]
    for base in ("", "/highwayapi"):
        assert_error(submit(shared, payload, base, path), 400, "INVALID_REQUEST_BODY", mention)
    assert counters(shared)["submissions"] == before


def test_loopback_image_url_that_fails(shared: EmulatorServer) -> None:
    missing = f"{shared.url}/_emulator/uploads/{'0' * 32}"
    assert_error(submit(shared, body(images=[missing])), 400, "INVALID_REQUEST_BODY",
                 "images[0]")


def test_limits_that_pass(shared: EmulatorServer) -> None:
    emoji_prompt = "🦊" * 1500  # counted in characters, not bytes
    ok = [body(prompt=emoji_prompt), body(images=[IMG] * 7), body(duration=5.0),
          body(aspect_ratio="1:1", movement_amplitude="large", bgm=False, seed=0)]
    for payload in ok:
        assert submit(shared, payload).status_code == 200


BODY_CASES: dict[str, tuple[bytes, str | None]] = {
    "malformed": (b'{"images": [', "application/json"),
    "garbage": (bytes(range(256)) * 4, "application/json"),
    "empty": (b"", "application/json"),
    "array": (b'[{"prompt": "p"}]', "application/json"),
    "string": (b'"prompt"', "application/json"),
    "text-plain": (json.dumps(body()).encode(), "text/plain"),
    "form": (b"prompt=p", "application/x-www-form-urlencoded"),
    "no-content-type": (json.dumps(body()).encode(), None),
}


@pytest.mark.parametrize("case", list(BODY_CASES))
def test_bad_bodies(shared: EmulatorServer, case: str) -> None:
    content, ctype = BODY_CASES[case]
    sent = {"Authorization": f"Bearer {DEMO_KEY}"}
    if ctype:
        sent["Content-Type"] = ctype
    response = HTTP.post(f"{shared.url}{REF}", content=content, headers=sent)
    assert_error(response, 400, "INVALID_REQUEST_BODY")


def test_oversized_body(emulator: EmulatorServer) -> None:
    emulator.config.max_body_bytes = 1024
    response = submit(emulator, body(prompt="z" * 1000, images=[IMG]))
    assert_error(response, 413, "REQUEST_ENTITY_TOO_LARGE", "1024")
    assert submissions(emulator) == 0


# -- faults ------------------------------------------------------------------------------------

def test_rate_limit_with_retry_after(emulator: EmulatorServer) -> None:
    control(emulator, "faults", {"action": "status", "status": 429, "route": "submit",
                                 "retry_after": 2, "times": 1})
    limited = submit(emulator, body())
    assert_error(limited, 429, "RATE_LIMIT_EXCEEDED")
    assert limited.headers["retry-after"] == "2"
    assert submissions(emulator) == 0
    assert submit(emulator, body()).status_code == 200
    control(emulator, "faults", {"action": "status", "status": 429, "route": "poll"})
    plain = result(emulator, "x")
    assert_error(plain, 429, "RATE_LIMIT_EXCEEDED")
    assert "retry-after" not in plain.headers
    assert submissions(emulator) == 1


@pytest.mark.parametrize(("status", "reason"), [(500, "INTERNAL_SERVER_ERROR"),
                                                (502, "BAD_GATEWAY"),
                                                (503, "SERVICE_UNAVAILABLE"),
                                                (504, "GATEWAY_TIMEOUT")])
def test_outage_statuses(shared: EmulatorServer, status: int, reason: str) -> None:
    task_id = submit(shared, body()).json()["task_id"]
    before = counters(shared)["submissions"]
    for route in ("submit", "poll"):
        control(shared, "faults", {"action": "status", "status": status, "route": route,
                                   "provider": "novita"})
    assert_error(submit(shared, body()), status, reason)
    assert_error(result(shared, task_id), status, reason)
    assert counters(shared)["submissions"] == before
    assert result(shared, task_id).status_code == 200


def test_fault_hits_only_its_host(shared: EmulatorServer) -> None:
    control(shared, "faults", {"action": "status", "status": 503, "route": "submit",
                               "provider": "highwayapi", "code": "SERVICE_OVERLOADED",
                               "message": "overloaded"})
    assert submit(shared, body()).status_code == 200
    response = submit(shared, body(), "/highwayapi")
    assert_error(response, 503, "SERVICE_OVERLOADED", "overloaded")


def test_slow_poll_times_out(emulator: EmulatorServer) -> None:
    task_id = submit(emulator, body()).json()["task_id"]
    control(emulator, "faults", {"action": "slow", "delay_s": 0.5, "route": "poll"})
    with pytest.raises(httpx.TimeoutException):
        result(emulator, task_id, timeout=0.1)
    assert wait_status(emulator, task_id)["task"]["status"] == "TASK_STATUS_SUCCEED"


def test_reset_mid_body_on_submit_still_creates_the_task(emulator: EmulatorServer) -> None:
    control(emulator, "faults", {"action": "reset", "route": "submit"})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        submit(emulator, body())
    assert submissions(emulator) == 1  # the answer was lost, not the submission
    tasks = HTTP.get(f"{emulator.url}/_emulator/tasks").json()["tasks"]
    assert [t["provider"] for t in tasks] == ["novita"]


def test_malformed_poll_answer(emulator: EmulatorServer) -> None:
    task_id = submit(emulator, body()).json()["task_id"]
    control(emulator, "faults", {"action": "malformed", "route": "poll"})
    broken = result(emulator, task_id)
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        broken.json()
    assert result(emulator, task_id).json()["task"]["task_id"] == task_id


def test_truncated_download_then_whole(emulator: EmulatorServer) -> None:
    data = wait_status(emulator, submit(emulator, body(), "/highwayapi").json()["task_id"],
                       base="/highwayapi")
    url = data["videos"][0]["video_url"]
    control(emulator, "faults", {"action": "truncate", "route": "download",
                                 "provider": "highwayapi"})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        HTTP.get(url)
    assert HTTP.get(url).content[4:8] == b"ftyp"


def test_expired_url_refreshes_on_poll(emulator: EmulatorServer) -> None:
    control(emulator, "config", {"url_ttl_s": 0})
    task_id = submit(emulator, body()).json()["task_id"]
    stale = wait_status(emulator, task_id)["videos"][0]
    assert stale["video_url_ttl"] == "0"
    expired = HTTP.get(stale["video_url"])
    assert expired.status_code == 403 and b"Request has expired" in expired.content
    control(emulator, "config", {"url_ttl_s": None})
    fresh = status_of(emulator, task_id)["videos"][0]
    assert fresh["video_url"] != stale["video_url"] and fresh["video_url_ttl"] == "3600"
    assert HTTP.get(fresh["video_url"]).status_code == 200
    control(emulator, "faults", {"action": "expire", "route": "download"})
    assert HTTP.get(fresh["video_url"]).status_code == 403
    assert HTTP.get(status_of(emulator, task_id)["videos"][0]["video_url"]).status_code == 200


def test_task_fails_without_a_code(emulator: EmulatorServer) -> None:
    control(emulator, "faults", {"action": "fail", "provider": "highwayapi"})
    data = wait_status(emulator, submit(emulator, body(), "/highwayapi").json()["task_id"],
                       base="/highwayapi")
    assert data["task"]["status"] == "TASK_STATUS_FAILED"
    assert data["task"]["reason"] == "INTERNAL_SERVER_ERROR: generation failed"


def test_task_fails_with_code(emulator: EmulatorServer) -> None:
    before = balance(emulator, "novita")
    control(emulator, "faults", {"action": "fail", "code": "CONTENT_MODERATION_FAILED",
                                 "message": "output failed moderation"})
    data = wait_status(emulator, submit(emulator, body()).json()["task_id"])
    task = data["task"]
    assert task["status"] == "TASK_STATUS_FAILED"
    assert task["reason"] == "CONTENT_MODERATION_FAILED: output failed moderation"
    assert task["eta"] == 0 and task["progress_percent"] == 0
    assert data["videos"] == []
    assert int(data["extra"]["debug_info"]["complete_time_ms"]) > 0
    assert balance(emulator, "novita") == before  # failed tasks cost nothing


def test_stuck_in_queue(emulator: EmulatorServer) -> None:
    control(emulator, "faults", {"action": "stuck", "provider": "novita"})
    stuck = submit(emulator, body()).json()["task_id"]
    normal = submit(emulator, body()).json()["task_id"]
    assert wait_status(emulator, normal)["task"]["status"] == "TASK_STATUS_SUCCEED"
    task = status_of(emulator, stuck)["task"]
    assert task["status"] == "TASK_STATUS_QUEUED"
    assert task["progress_percent"] == 0 and task["eta"] >= 1


def test_one_submission_per_submit(shared: EmulatorServer) -> None:
    control(shared, "keys", {"key": "counted", "balance": 100})
    for base in ("", "/novita", "/highwayapi"):
        assert submit(shared, body(), base, key="counted").status_code == 200
    submit(shared, body(duration=4), key="counted")  # refused: not counted
    snapshot = counters(shared)["submissions"]
    assert snapshot["novita"]["counted"] == 2
    assert snapshot["highwayapi"]["counted"] == 1
