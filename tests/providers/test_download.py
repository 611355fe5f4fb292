"""download(): resume with Range, restart when Range is ignored, caps, expiry, redirects
without credentials, URL policy — on a fake transport."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.providers.download import download

from .mock import CutStream, Fake

VIDEO = bytes(range(256)) * 400  # 102,400 bytes
URL = "https://storage.example.test/v.mp4?X-Amz-Signature=abc"


def serve(data: bytes = VIDEO, *, honour_range: bool = True):  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        header = request.headers.get("range")
        if header and honour_range:
            start = int(re.match(r"bytes=(\d+)-", header).group(1))  # type: ignore[union-attr]
            if start >= len(data):
                return httpx.Response(416, headers={"content-range": f"bytes */{len(data)}"})
            body = data[start:]
            return httpx.Response(206, content=body, headers={
                "content-range": f"bytes {start}-{len(data) - 1}/{len(data)}"})
        return httpx.Response(200, content=data)
    return handler


def fetch(fake: Fake, dest: Path, url: str = URL, **kwargs: object) -> int:
    return asyncio.run(download(fake.client, url, dest, **kwargs))  # type: ignore[arg-type]


def test_full_download_with_progress(tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    dest = tmp_path / "v.mp4.part"
    size = fetch(Fake(serve()), dest, on_progress=lambda d, t: seen.append((d, t)))
    assert size == len(VIDEO) and dest.read_bytes() == VIDEO
    assert seen[-1] == (len(VIDEO), len(VIDEO))


def test_resume_sends_range_and_appends(tmp_path: Path) -> None:
    dest = tmp_path / "v.mp4.part"
    dest.write_bytes(VIDEO[:1000])
    fake = Fake(serve())
    assert fetch(fake, dest) == len(VIDEO)
    assert fake.requests[0].headers["range"] == "bytes=1000-"
    assert dest.read_bytes() == VIDEO


def test_range_ignored_restarts_from_zero(tmp_path: Path) -> None:
    dest = tmp_path / "v.mp4.part"
    dest.write_bytes(b"garbage" * 10)
    assert fetch(Fake(serve(honour_range=False)), dest) == len(VIDEO)
    assert dest.read_bytes() == VIDEO


def test_already_complete_part(tmp_path: Path) -> None:
    dest = tmp_path / "v.mp4.part"
    dest.write_bytes(VIDEO)
    assert fetch(Fake(serve()), dest) == len(VIDEO)
    assert dest.read_bytes() == VIDEO


def test_truncated_body_keeps_partial_then_resumes(tmp_path: Path) -> None:
    dest = tmp_path / "v.mp4.part"
    cut = httpx.Response(200, headers={"content-length": str(len(VIDEO))},
                         stream=CutStream(VIDEO[:5000]))
    with pytest.raises(AppError) as info:
        fetch(Fake(cut), dest)
    assert info.value.kind == ErrorKind.NETWORK and info.value.retryable
    assert dest.read_bytes() == VIDEO[:5000]
    fake = Fake(serve())
    assert fetch(fake, dest) == len(VIDEO)
    assert fake.requests[0].headers["range"] == "bytes=5000-"
    assert dest.read_bytes() == VIDEO


def test_short_body_without_error_is_truncation(tmp_path: Path) -> None:
    class Short(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            yield VIDEO[:100]

    short = httpx.Response(200, headers={"content-length": str(len(VIDEO))}, stream=Short())
    with pytest.raises(AppError) as info:
        fetch(Fake(short), tmp_path / "p")
    assert info.value.kind == ErrorKind.NETWORK and info.value.code == "truncated"


@pytest.mark.parametrize(("status", "body", "kind"), [
    (403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
     ErrorKind.EXPIRED),
    (403, "<Error><Code>SignatureDoesNotMatch</Code></Error>", ErrorKind.EXPIRED),
    (400, "<Error><Code>ExpiredToken</Code><Message>token expired</Message></Error>",
     ErrorKind.EXPIRED),
    (404, "<Error><Code>NoSuchKey</Code></Error>", ErrorKind.NOT_FOUND),
    (503, "slow down", ErrorKind.OUTAGE),
    (429, "", ErrorKind.RATE_LIMITED),
])
def test_http_errors(tmp_path: Path, status: int, body: str, kind: ErrorKind) -> None:
    with pytest.raises(AppError) as info:
        fetch(Fake(httpx.Response(status, text=body)), tmp_path / "p")
    assert info.value.kind == kind
    assert "X-Amz-Signature" not in info.value.message  # signed query not shown


def test_size_cap(tmp_path: Path) -> None:
    with pytest.raises(AppError) as info:
        fetch(Fake(serve()), tmp_path / "p", max_bytes=1000)
    assert info.value.kind == ErrorKind.BAD_RESULT
    no_length = httpx.Response(200, stream=CutStream(VIDEO, httpx.ReadError("x")))
    with pytest.raises(AppError) as info:
        fetch(Fake(no_length), tmp_path / "q", max_bytes=1000)
    assert info.value.kind == ErrorKind.BAD_RESULT


@pytest.mark.parametrize("url", ["ftp://storage.example.test/v.mp4", "file:///tmp/v.mp4",
                                 "http://storage.example.test/v.mp4", "data:video/mp4,AAAA"])
def test_url_policy_without_io(tmp_path: Path, url: str) -> None:
    fake = Fake(serve())
    with pytest.raises(AppError) as info:
        fetch(fake, tmp_path / "p", url)
    assert info.value.kind == ErrorKind.INVALID_PARAMETER and fake.requests == []


def test_redirects_followed_without_credentials(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.example.test":
            return httpx.Response(302, headers={"location": URL})
        return serve()(request)

    fake = Fake(handler)
    fake.client.headers["Authorization"] = "Token SECRET"  # a careless shared client
    fake.client.headers["x-api-key"] = "SECRET"
    dest = tmp_path / "p"
    assert fetch(fake, dest, "https://api.example.test/result/1") == len(VIDEO)
    assert [r.url.host for r in fake.requests] == ["api.example.test", "storage.example.test"]
    for sent in fake.requests:
        assert "authorization" not in sent.headers and "x-api-key" not in sent.headers


def test_redirect_to_plain_http_refused(tmp_path: Path) -> None:
    fake = Fake(httpx.Response(302, headers={"location": "http://evil.test/v.mp4"}))
    with pytest.raises(AppError) as info:
        fetch(fake, tmp_path / "p")
    assert info.value.kind == ErrorKind.INVALID_PARAMETER and len(fake.requests) == 1
