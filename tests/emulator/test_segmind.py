"""The Segmind contract over real loopback HTTP: v1 synchronous MP4, v2 submit/status/result."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import counters, data_uri, fast_config, make_image, wait_for

from vidu_desktop.emulator.server import EmulatorServer

SLUG = "vidu-q1-reference-to-video"
PROMPT = "A man reads a book on a park bench; the camera zooms in on the cover."


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"prompt": PROMPT, "image_urls": [data_uri(make_image())],
                            "aspect_ratio": "16:9", "duration": 5}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def hdr(key: str) -> dict[str, str]:
    return {"x-api-key": key}


def control(server: EmulatorServer, path: str, data: Any) -> None:
    response = httpx.post(f"{server.url}/_emulator/{path}", json=data)
    assert response.status_code == 200, response.text


def fault(server: EmulatorServer, **rule: Any) -> None:
    control(server, "faults", {"provider": "segmind", **rule})


def submit(server: EmulatorServer, key: str, prefix: str = "", **overrides: Any
           ) -> dict[str, Any]:
    r = httpx.post(f"{server.url}{prefix}/v2/{SLUG}", json=body(**overrides), headers=hdr(key))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def status_of(job: dict[str, Any], key: str) -> httpx.Response:
    return httpx.get(job["status_url"], headers=hdr(key))


def finished(job: dict[str, Any], key: str) -> httpx.Response:
    def check() -> httpx.Response | None:
        r = status_of(job, key)
        return r if r.json()["status"] in ("COMPLETED", "FAILED") else None
    return wait_for(check)  # type: ignore[no-any-return]


def balance(server: EmulatorServer, key: str) -> float:
    r = httpx.get(f"{server.url}/_emulator/balance", params={"key": key, "provider": "segmind"})
    return float(r.json()["balance"])


def phase(server: EmulatorServer, task_id: str) -> str:
    tasks = httpx.get(f"{server.url}/_emulator/tasks").json()["tasks"]
    return next((t["phase"] for t in tasks if t["id"] == task_id), "")


def is_mp4(data: bytes) -> bool:
    return len(data) > 12 and data[4:8] == b"ftyp"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """One server for the read-only validation cases (they never create a task)."""
    media: Path = tmp_path_factory.mktemp("segmind-shared")
    server = EmulatorServer(fast_config(media_dir=media))
    server.start()
    yield server
    server.stop()


# -- v2 happy path ---------------------------------------------------------------------------
def test_v2_submit_poll_result_download(emulator: EmulatorServer, api_key: str) -> None:
    prefix = "/segmind"
    job = submit(emulator, api_key, prefix, seed=42, bgm=False, movement_amplitude="small")
    rid = job["request_id"]
    assert job["status"] == "QUEUED"
    base = f"{emulator.url}{prefix}"
    assert job["status_url"] == f"{base}/v2/requests/{rid}/status"
    assert job["response_url"] == f"{base}/v2/requests/{rid}"
    assert job["poll_url"] == f"{base}/v1/requests/{rid}"
    first = status_of(job, api_key).json()
    assert first["status"] in ("QUEUED", "PROCESSING", "COMPLETED")
    assert set(first) >= {"status", "request_id", "status_url", "response_url", "metrics"}
    done = finished(job, api_key)
    assert done.status_code == 200 and done.json()["status"] == "COMPLETED"
    assert httpx.get(job["poll_url"], headers=hdr(api_key)).json()["status"] == "COMPLETED"
    result = httpx.get(job["response_url"], headers=hdr(api_key))
    assert result.status_code == 200
    out = result.json()
    assert out["status"] == "COMPLETED" and out["error"] is None
    assert out["output"] == out["video"] and out["output"].startswith(emulator.url + "/_files/")
    metrics = out["metrics"]
    assert set(metrics) == {"inference_time", "queue_time", "total_time", "cost",
                            "remaining_credits", "retry_count"}
    assert metrics["cost"] == 0.5 and metrics["remaining_credits"] == 999.5
    video = httpx.get(out["video"])
    assert video.status_code == 200 and is_mp4(video.content)
    assert video.headers["content-type"] == "video/mp4"
    part = httpx.get(out["video"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == video.content[:100]
    assert balance(emulator, api_key) == 999.5
    assert counters(emulator)["submissions"]["segmind"] == {api_key: 1}


def test_v2_result_before_completion_is_the_status_body(emulator: EmulatorServer,
                                                        api_key: str) -> None:
    fault(emulator, action="stuck")
    job = submit(emulator, api_key)  # at the root this time
    rid = job["request_id"]
    assert job["status_url"] == f"{emulator.url}/v2/requests/{rid}/status"
    assert job["response_url"] == f"{emulator.url}/v2/requests/{rid}"
    wait_for(lambda: phase(emulator, job["request_id"]) == "queueing")
    r = httpx.get(job["response_url"], headers=hdr(api_key))
    assert r.status_code == 200
    assert r.json()["status"] == "QUEUED" and "output" not in r.json()
    assert status_of(job, api_key).json()["status"] == "QUEUED"


def test_v2_random_seed_and_defaults(emulator: EmulatorServer, api_key: str) -> None:
    fault(emulator, action="stuck")
    job = submit(emulator, api_key, aspect_ratio=None, duration=None, seed=0)
    tasks = emulator.world.board.tasks
    params = tasks[job["request_id"]].params
    assert 1 <= params["seed"] <= 999_999
    assert params["aspect_ratio"] == "16:9" and params["duration"] == 5
    assert params["bgm"] is True and params["movement_amplitude"] == "auto"


# -- v1 synchronous --------------------------------------------------------------------------
def test_v1_returns_mp4_with_accounting_headers(emulator: EmulatorServer, api_key: str) -> None:
    r = httpx.post(f"{emulator.url}/segmind/v1/{SLUG}", json=body(seed=7), headers=hdr(api_key),
                   timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "video/mp4" and is_mp4(r.content)
    assert r.headers["x-cost"] == "0.5"
    assert r.headers["x-remaining-credits"] == "999.5"
    assert r.headers["x-seed-value"] == "7"
    assert float(r.headers["x-generation-time"]) >= 0
    rid = r.headers["x-request-id"]
    assert phase(emulator, rid) == "success"
    # a synchronous request leaves no v2 record
    gone = httpx.get(f"{emulator.url}/v2/requests/{rid}/status", headers=hdr(api_key))
    assert gone.status_code == 404
    assert counters(emulator)["submissions"]["segmind"] == {api_key: 1}


def test_seed_sample_request(emulator: EmulatorServer, api_key: str) -> None:
    """Segmind's Python sample (seed 000), with only host, key and image addresses changed."""
    images = [make_image(800, 600, "JPEG"), make_image(600, 600, "PNG"),
              make_image(640, 900, "JPEG")]
    urls = []
    for image, ctype in zip(images, ("image/jpeg", "image/png", "image/jpeg"), strict=True):
        up = httpx.post(f"{emulator.url}/_emulator/uploads", content=image,
                        headers={"Content-Type": ctype})
        urls.append(up.json()["url"])

    def image_url_to_base64(image_url: str) -> str:
        return base64.b64encode(httpx.get(image_url).content).decode("utf-8")

    url = f"{emulator.url}/v1/vidu-q1-reference-to-video"
    headers = {"x-api-key": api_key}
    for image_urls in (urls, [image_url_to_base64(u) for u in urls]):
        data = {
            "prompt": "A middle-aged man sits on a wooden bench in a sunny park, reading an "
                      "open hardcover book titled 'Vidu Q1 Reference'. The camera gently zooms "
                      "in on the book’s cover and pages showing technical content, then back "
                      "to the man turning pages thoughtfully. Soft sunlight filters through "
                      "the trees, blending the three reference images naturally into one "
                      "smooth scene.",
            "image_urls": image_urls,
            "aspect_ratio": "16:9",
            "duration": 5,
            "seed": 42,
            "bgm": True,
            "movement_amplitude": "auto",
        }
        response = httpx.post(url, json=data, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        assert is_mp4(response.content)
        assert response.headers["x-seed-value"] == "42"


def test_v1_task_failure_is_500(emulator: EmulatorServer, api_key: str) -> None:
    fault(emulator, action="fail", code="NSFW", message="content moderation failed")
    r = httpx.post(f"{emulator.url}/v1/{SLUG}", json=body(), headers=hdr(api_key), timeout=30)
    assert r.status_code == 500
    assert r.json() == {"error": "content moderation failed"}
    assert balance(emulator, api_key) == 1000.0


def test_v1_stuck_task_times_out_with_504(emulator: EmulatorServer, api_key: str) -> None:
    control(emulator, "config", {"sync_hold_s": 0.2})
    fault(emulator, action="stuck")
    r = httpx.post(f"{emulator.url}/v1/{SLUG}", json=body(), headers=hdr(api_key), timeout=30)
    assert r.status_code == 504
    assert r.json()["error"].startswith("Request timed out")


def test_v1_client_gone_is_not_billed(emulator: EmulatorServer, api_key: str) -> None:
    control(emulator, "config", {"processing_s": 100})  # about 1 s at the test time scale
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{emulator.url}/v1/{SLUG}", json=body(), headers=hdr(api_key), timeout=0.3)
    tasks = emulator.world.board.tasks
    task = wait_for(lambda: next(iter(tasks.values()), None))
    wait_for(lambda: task.extra.get("abandoned"))
    wait_for(lambda: phase(emulator, task.id) == "success")
    assert balance(emulator, api_key) == 1000.0


def test_v1_hold_does_not_block_other_requests(emulator: EmulatorServer, api_key: str) -> None:
    control(emulator, "config", {"sync_hold_s": 1})
    fault(emulator, action="stuck")
    with httpx.Client(timeout=30) as held, httpx.Client(timeout=2) as other:
        answers: list[int] = []
        thread = threading.Thread(target=lambda: answers.append(
            held.post(f"{emulator.url}/v1/{SLUG}", json=body(), headers=hdr(api_key))
            .status_code))
        thread.start()
        wait_for(lambda: emulator.world.board.tasks)
        job = submit(emulator, api_key)
        assert other.get(job["status_url"], headers=hdr(api_key)).status_code == 200
        thread.join()
    assert answers == [504]


# -- v2 failure, expiry, lookups -------------------------------------------------------------
def test_v2_failed_task_is_422_without_cost(emulator: EmulatorServer, api_key: str) -> None:
    fault(emulator, action="fail", code="GenerationFailed", message="generation failed")
    job = submit(emulator, api_key)
    r = finished(job, api_key)
    assert r.status_code == 422
    assert r.json()["status"] == "FAILED" and r.json()["error"] == "generation failed"
    res = httpx.get(job["response_url"], headers=hdr(api_key))
    assert res.status_code == 422
    out = res.json()
    assert out["status"] == "FAILED" and out["output"] is None and out["error"]
    assert "cost" not in out["metrics"] and "remaining_credits" not in out["metrics"]
    assert balance(emulator, api_key) == 1000.0


def test_records_expire(emulator: EmulatorServer, api_key: str) -> None:
    fault(emulator, action="stuck")  # a record expires whatever its state
    job = submit(emulator, api_key)
    assert status_of(job, api_key).status_code == 200
    control(emulator, "config", {"record_ttl_s": 0.2})
    rid = job["request_id"]
    expected = {"error": f"Request {rid} not found"}
    for url in (job["status_url"], job["response_url"]):
        def gone(u: str = url) -> httpx.Response | None:
            r = httpx.get(u, headers=hdr(api_key))
            return r if r.status_code == 404 else None
        assert wait_for(gone).json() == expected


def test_unknown_request_and_other_key(emulator: EmulatorServer, api_key: str) -> None:
    r = httpx.get(f"{emulator.url}/v2/requests/nope/status", headers=hdr(api_key))
    assert r.status_code == 404 and r.json() == {"error": "Request nope not found"}
    fault(emulator, action="stuck")
    job = submit(emulator, api_key)
    control(emulator, "keys", {"key": "other-key", "balance": 10})
    assert status_of(job, "other-key").status_code == 404


def test_result_url_expiry_refresh_and_truncation(emulator: EmulatorServer,
                                                 api_key: str) -> None:
    job = submit(emulator, api_key)
    finished(job, api_key)
    control(emulator, "config", {"url_ttl_s": -5})
    stale = httpx.get(job["response_url"], headers=hdr(api_key)).json()["video"]
    assert httpx.get(stale).status_code == 403
    control(emulator, "config", {"url_ttl_s": None})
    fresh = httpx.get(job["response_url"], headers=hdr(api_key)).json()["video"]
    assert fresh != stale and is_mp4(httpx.get(fresh).content)
    fault(emulator, action="expire", route="download")
    assert httpx.get(fresh).status_code == 403
    fault(emulator, action="truncate", route="download")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.get(fresh)
    assert is_mp4(httpx.get(fresh).content)  # the next download is whole


# -- auth, credits, validation ---------------------------------------------------------------
def test_auth_errors(emulator: EmulatorServer, api_key: str) -> None:
    url = f"{emulator.url}/v2/{SLUG}"
    r = httpx.post(url, json=body())
    assert r.status_code == 401
    assert r.json() == {"error": "Missing Authorization or x-api-key in header"}
    r = httpx.post(url, json=body(), headers={"x-api-key": "wrong"})
    assert r.status_code == 401
    assert r.json() == {"error": "Unauthorized. API key is invalid or may have expired..."}
    r = httpx.post(url, json=body(), headers={"Authorization": f"Bearer {api_key}"})
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_token" and r.json()["status_code"] == 401
    r = httpx.get(f"{emulator.url}/v2/requests/x/status", headers={"x-api-key": "wrong"})
    assert r.status_code == 401
    assert counters(emulator)["submissions"] == {}


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_not_enough_credits(emulator: EmulatorServer, api: str) -> None:
    control(emulator, "keys", {"key": "poor", "balance": 0.49})
    r = httpx.post(f"{emulator.url}/{api}/{SLUG}", json=body(), headers=hdr("poor"))
    assert r.status_code == 406 and r.json() == {"error": "Not enough credits"}
    assert counters(emulator)["submissions"] == {}


@pytest.mark.parametrize(("overrides", "status", "word"), [
    ({"prompt": None}, 400, "prompt"),
    ({"prompt": "   "}, 400, "prompt"),
    ({"image_urls": None}, 400, "image_urls"),
    ({"image_urls": []}, 400, "image_urls"),
    ({"resolution": "1080p"}, 400, "resolution"),
    ({"prompt": 5}, 400, "prompt"),
    ({"image_urls": "https://x/y.png"}, 400, "image_urls"),
    ({"image_urls": [1]}, 400, "image_urls"),
    ({"duration": "5"}, 400, "duration"),
    ({"seed": 1.5}, 400, "seed"),
    ({"bgm": "yes"}, 400, "bgm"),
    ({"image_urls": ["data:image/png;base64,@@@"]}, 400, "image_urls[0]"),
    ({"image_urls": ["!!not base64!!"]}, 400, "image_urls[0]"),
    ({"prompt": "x" * 1501}, 406, "prompt"),
    ({"duration": 10}, 406, "duration"),
    ({"aspect_ratio": "4:3"}, 406, "aspect_ratio"),
    ({"movement_amplitude": "huge"}, 406, "movement_amplitude"),
    ({"seed": 1_000_000}, 406, "seed"),
    ({"seed": -1}, 406, "seed"),
    ({"image_urls": ["a"] * 8}, 406, "image_urls"),
    ({"image_urls": ["https://example.com/a.png"]}, 406, "image_urls[0]"),
    ({"image_urls": [data_uri(make_image(100, 100))]}, 406, "image_urls[0]"),
    ({"image_urls": [data_uri(make_image(1000, 200))]}, 406, "image_urls[0]"),
    ({"image_urls": [data_uri(make_image(200, 200, "GIF"), "gif")]}, 406, "image_urls[0]"),
    ({"image_urls": [base64.b64encode(b"not an image" * 10).decode()]}, 406, "image_urls[0]"),
])
def test_validation(shared: EmulatorServer, api_key: str, overrides: dict[str, Any],
                    status: int, word: str) -> None:
    for api in ("v1", "v2"):
        r = httpx.post(f"{shared.url}/{api}/{SLUG}", json=body(**overrides),
                       headers=hdr(api_key))
        assert r.status_code == status, (api, r.text)
        assert list(r.json()) == ["error"] and word in r.json()["error"]
    assert counters(shared)["submissions"] == {}


def test_bad_bodies(emulator: EmulatorServer, api_key: str) -> None:
    url = f"{emulator.url}/v2/{SLUG}"
    json_h = {**hdr(api_key), "Content-Type": "application/json"}
    cases = [
        (b"{not json", json_h, 400),
        (b"\xff\xfe\x00garbage", json_h, 400),
        (b"[1, 2]", json_h, 400),
        (b"prompt=x", {**hdr(api_key), "Content-Type": "application/x-www-form-urlencoded"}, 406),
        (b'{"prompt": "x"}', hdr(api_key), 406),
    ]
    for content, headers, status in cases:
        r = httpx.post(url, content=content, headers=headers)
        assert r.status_code == status, (content, r.text)
        assert list(r.json()) == ["error"]
    r = httpx.post(url, content=b"prompt=x", headers={**hdr(api_key),
                                                      "Content-Type": "text/plain"})
    assert r.json() == {"error": "Invalid content type"}
    emulator.config.max_body_bytes = 2000
    r = httpx.post(url, json=body(), headers=hdr(api_key))
    assert r.status_code == 413 and list(r.json()) == ["error"]
    assert counters(emulator)["submissions"] == {}


def test_unknown_model_and_wrong_verb(emulator: EmulatorServer, api_key: str) -> None:
    for api in ("v1", "v2"):
        r = httpx.post(f"{emulator.url}/{api}/vidu-q9", json=body(), headers=hdr(api_key))
        assert r.status_code == 404 and list(r.json()) == ["error"]
    for method, path in (("GET", f"/v1/{SLUG}"), ("GET", f"/segmind/v2/{SLUG}"),
                         ("DELETE", "/v2/requests/abc"), ("POST", "/v2/requests/abc/status")):
        r = httpx.request(method, f"{emulator.url}{path}", headers=hdr(api_key))
        assert r.status_code == 405, (method, path)
        assert r.headers["content-type"].startswith("text/html")


# -- HTTP faults -----------------------------------------------------------------------------
def test_rate_limit_has_reset_header_not_retry_after(emulator: EmulatorServer,
                                                     api_key: str) -> None:
    fault(emulator, action="status", status=429, route="submit", retry_after=30)
    r = httpx.post(f"{emulator.url}/v2/{SLUG}", json=body(), headers=hdr(api_key))
    assert r.status_code == 429 and list(r.json()) == ["error"]
    assert "retry-after" not in r.headers
    reset = datetime.fromisoformat(r.headers["x-rate-limit-reset-at-utc"])
    assert 25 < (reset - datetime.now(UTC)).total_seconds() <= 30
    assert counters(emulator)["submissions"] == {}
    fault(emulator, action="stuck")
    submit(emulator, api_key)  # the next one goes through


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors(emulator: EmulatorServer, api_key: str, status: int) -> None:
    fault(emulator, action="stuck")
    job = submit(emulator, api_key)
    fault(emulator, action="status", status=status, route="poll")
    r = status_of(job, api_key)
    assert r.status_code == status and list(r.json()) == ["error"]
    assert "retry-after" not in r.headers
    assert status_of(job, api_key).status_code == 200


def test_slow_reset_malformed(emulator: EmulatorServer, api_key: str) -> None:
    fault(emulator, action="stuck", times=2)
    job = submit(emulator, api_key)
    fault(emulator, action="slow", delay_s=0.5, route="poll")
    with pytest.raises(httpx.TimeoutException):
        httpx.get(job["status_url"], headers=hdr(api_key), timeout=0.2)
    fault(emulator, action="reset", route="submit")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.post(f"{emulator.url}/v2/{SLUG}", json=body(), headers=hdr(api_key))
    fault(emulator, action="malformed", route="result")
    r = httpx.get(job["response_url"], headers=hdr(api_key))
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()
    # one submission per accepted submit (the reset one was accepted before the cut)
    assert counters(emulator)["submissions"]["segmind"] == {api_key: 2}
