"""The emulator's shared machinery: faults, signed files with Range and expiry, control API,
strict image checks, the command line. Over real loopback HTTP."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import make_image

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.emulator import images
from vidu_desktop.emulator.faults import FaultPlan, FaultRule, parse_fault
from vidu_desktop.emulator.server import EmulatorServer


def test_parse_fault_reads_every_field_and_rejects_nonsense() -> None:
    rule = parse_fault("action=status,status=429,route=submit,retry_after=2,times=3")
    assert (rule.action, rule.status, rule.route, rule.retry_after, rule.times) == (
        "status", 429, "submit", 2.0, 3)
    assert parse_fault("action=fail,code=CreationPolicyViolation").route == "task"
    assert parse_fault("action=slow,delay_s=0.5,times=always").times is None
    # the README's word for the host, and the older one
    assert parse_fault("action=status,host=vidu").provider == "vidu"
    assert parse_fault("action=status,provider=segmind").provider == "segmind"
    for bad in ("status=500", "action=explode", "action=status,route=nowhere", "action=status,x",
                "action=status,host=nowhere", "action=status,host=vidu,provider=vtrix"):
        with pytest.raises(ValueError):
            parse_fault(bad)


def test_fault_plan_counts_times_after_and_probability_deterministically() -> None:
    plan = FaultPlan(seed=7)
    plan.add(FaultRule("status", route="poll", times=2, after=1))
    fired = [plan.take("vidu", "poll") is not None for _ in range(5)]
    assert fired == [False, True, True, False, False]
    assert plan.take("vidu", "submit") is None

    def pattern(seed: int) -> list[bool]:
        p = FaultPlan(seed=seed)
        p.add(FaultRule("status", probability=0.5, times=None))
        return [p.take("novita", "poll") is not None for _ in range(40)]

    assert pattern(3) == pattern(3)
    assert 5 < sum(pattern(3)) < 35
    plan.add(FaultRule("stuck", provider="vtrix"))
    assert plan.take("vidu", "task") is None
    assert plan.take("vtrix", "any") is None  # task rules never fire on HTTP routes
    assert plan.take("vtrix", "task") is not None


def _file(emulator: EmulatorServer, tmp_path: Path, ttl: float = 60.0) -> tuple[str, bytes]:
    data = bytes(range(256)) * 1000
    path = tmp_path / "clip.mp4"
    path.write_bytes(data)
    url, _ = emulator.world.files.url(emulator.url, path, "vidu", ttl)
    return url, data


def test_signed_file_supports_ranges(emulator: EmulatorServer, tmp_path: Path) -> None:
    url, data = _file(emulator, tmp_path)
    whole = httpx.get(url)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    part = httpx.get(url, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.content == data[1000:2000]
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(data)}"
    tail = httpx.get(url, headers={"Range": "bytes=-10"})
    assert tail.content == data[-10:]
    open_end = httpx.get(url, headers={"Range": f"bytes={len(data) - 5}-"})
    assert open_end.content == data[-5:]
    assert httpx.get(url, headers={"Range": f"bytes={len(data)}-"}).status_code == 416


def test_signed_file_refuses_tampering_and_expiry(emulator: EmulatorServer,
                                                  tmp_path: Path) -> None:
    url, _ = _file(emulator, tmp_path)
    forged = httpx.get(url.replace("X-Expires=", "X-Expires=9"))
    assert forged.status_code == 403 and b"SignatureDoesNotMatch" in forged.content
    expired_url, _ = _file(emulator, tmp_path, ttl=-1)
    expired = httpx.get(expired_url)
    assert expired.status_code == 403 and b"Request has expired" in expired.content
    assert httpx.get(f"{emulator.url}/_files/unknown.mp4").status_code == 404


def test_download_faults_truncate_expire_and_fail(emulator: EmulatorServer,
                                                  tmp_path: Path) -> None:
    url, data = _file(emulator, tmp_path)
    rules = [{"action": "truncate", "route": "download"},
             {"action": "expire", "route": "download"},
             {"action": "status", "status": 503, "route": "download"}]
    for rule in rules:
        assert httpx.post(f"{emulator.url}/_emulator/faults", json=rule).status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url)
    assert httpx.get(url).status_code == 403
    assert httpx.get(url).status_code == 503
    assert httpx.get(url).content == data  # every rule was used once


def test_control_api_keys_config_uploads(emulator: EmulatorServer) -> None:
    base = emulator.url
    assert httpx.post(f"{base}/_emulator/keys", json={"key": "poor", "balance": 0}).is_success
    info = httpx.get(f"{base}/_emulator/balance", params={"key": "poor"}).json()
    assert info == {"key_valid": True, "balance": 0.0}
    assert httpx.post(f"{base}/_emulator/keys", json={"nokey": 1}).status_code == 400
    assert httpx.post(f"{base}/_emulator/faults", json={"action": "nope"}).status_code == 400
    cfg = httpx.post(f"{base}/_emulator/config", json={"time_scale": 0.5}).json()
    assert cfg["time_scale"] == 0.5
    png = make_image(200, 200)
    url = httpx.post(f"{base}/_emulator/uploads", content=png,
                     headers={"content-type": "image/png"}).json()["url"]
    assert httpx.get(url).content == png
    assert httpx.delete(f"{base}/_emulator/faults").json()["rules"] == []


def test_unknown_paths_and_verbs_are_answered_not_crashed(emulator: EmulatorServer) -> None:
    missing = httpx.get(f"{emulator.url}/no/such/path")
    assert missing.status_code == 404 and missing.json()["reason"] == "NotFound"
    wrong = httpx.put(f"{emulator.url}/_emulator/counters")
    assert wrong.status_code == 405 and "text/html" in wrong.headers["content-type"]


RULES = ImageRules(min_count=1, max_count=7)


@pytest.mark.parametrize(("data", "issue"), [
    (make_image(100, 300), images.Issue.TOO_SMALL),
    (make_image(1000, 200), images.Issue.RATIO),
    (make_image(300, 300, "GIF"), images.Issue.FORMAT),
    (b"GIF89a not really", images.Issue.FORMAT),
    (b"\x00" * 100, images.Issue.FORMAT),
])
def test_image_inspection_judges_content(data: bytes, issue: images.Issue) -> None:
    with pytest.raises(images.ImageRejected) as caught:
        images.inspect(data, 2, RULES, "data")
    assert caught.value.issue == issue and caught.value.index == 2


def test_image_inspection_ignores_the_label_and_accepts_edges() -> None:
    jpeg = images.inspect(make_image(512, 128, "JPEG"), 0, RULES, "data")  # exactly 4:1
    assert (jpeg.format, jpeg.width, jpeg.height) == ("jpeg", 512, 128)
    assert images.inspect(make_image(128, 128, "WEBP"), 0, RULES, "data").format == "webp"


def test_image_loading_decodes_and_limits() -> None:
    import asyncio
    import base64

    png = make_image(300, 300)
    b64 = base64.b64encode(png).decode()
    ok = asyncio.run(images.load([f"data:image/jpeg;base64,{b64}"], RULES))
    assert ok[0].format == "png"  # the label said jpeg; the content decides
    for ref, issue in ((b64, images.Issue.ENCODING), ("data:image/png;base64,***",
                                                      images.Issue.ENCODING),
                       ("https://example.com/a.png", images.Issue.DOWNLOAD),
                       ("http://127.0.0.1:9/a.png", images.Issue.DOWNLOAD)):
        with pytest.raises(images.ImageRejected) as caught:
            asyncio.run(images.load([ref], RULES))
        assert caught.value.issue == issue
    assert asyncio.run(images.load([b64], RULES, allow_bare=True))[0].source == "base64"
    small = ImageRules(min_count=1, max_count=1, max_decoded_bytes=len(png))
    with pytest.raises(images.ImageRejected) as caught:
        asyncio.run(images.load([f"data:image/png;base64,{b64}"], small))
    assert caught.value.issue == images.Issue.DECODED_TOO_LARGE


def test_command_line_starts_serves_and_rejects_bad_flags(tmp_path: Path) -> None:
    bad = subprocess.run([sys.executable, "-m", "vidu_desktop.emulator", "--fault", "boom"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "fault" in bad.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "vidu_desktop.emulator", "--port", "0", "--threads",
         "--time-scale", "0.01", "--key", "k1=5", "--media-dir", str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Vidu emulator listening on http://127.0.0.1:")
        url = first.split()[-1]
        assert httpx.get(f"{url}/_emulator/health", timeout=10).json()["ok"] is True
        balance = httpx.get(f"{url}/_emulator/balance", params={"key": "k1"}).json()
        assert balance["balance"] == 5.0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
