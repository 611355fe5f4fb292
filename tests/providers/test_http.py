"""The HTTP shell's pure parts: URL policy, error mapping, Retry-After, URL expiry, backoff."""

from __future__ import annotations

import random
from typing import Any

import pytest

from vidu_desktop.core.capabilities import AuthScheme, ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.providers.base import Retry
from vidu_desktop.providers.http import (
    auth_headers,
    check_url,
    error_from_response,
    expiry_from_url,
    is_loopback,
    retry_after_of,
    trace_id_of,
)
from vidu_desktop.providers.registry import make_adapter

from .samples import KEY


@pytest.mark.parametrize("url", [
    "https://api.vidu.com", "http://127.0.0.1:8000/vidu", "http://127.8.9.10",
    "http://localhost:1234", "http://[::1]:99/x", "https://10.0.0.1",
])
def test_allowed_urls(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize("url", [
    "http://api.vidu.com", "http://10.0.0.1/x", "ftp://example.com/a.mp4", "file:///etc/passwd",
    "data:video/mp4;base64,AAAA", "javascript:alert(1)", "https://", "not a url",
    "http://localhost.evil.com/", "http://127.0.0.1.nip.io/",
])
def test_refused_urls(url: str) -> None:
    with pytest.raises(AppError) as info:
        check_url(url)
    assert info.value.kind == ErrorKind.INVALID_PARAMETER and not info.value.retryable


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("LOCALHOST")
    assert not is_loopback("192.168.1.2") and not is_loopback("example.com")


def test_adapter_refuses_plain_http_base_url_without_io() -> None:
    with pytest.raises(AppError) as info:
        make_adapter(ProviderId.VIDU, KEY, "http://api.302.ai/vidu")
    assert "http://api.302.ai/vidu" in info.value.message
    assert KEY not in str(info.value)


def test_auth_headers() -> None:
    assert auth_headers(AuthScheme.TOKEN, "k") == {"Authorization": "Token k"}
    assert auth_headers(AuthScheme.BEARER, "k") == {"Authorization": "Bearer k"}
    assert auth_headers(AuthScheme.X_API_KEY, "k") == {"x-api-key": "k"}


def _vidu(status: int, reason: str, message: str = "") -> dict[str, Any]:
    return {"code": status, "reason": reason, "message": message or reason,
            "metadata": {"trace_id": "tr-1"}}


ERRORS: list[tuple[int, dict[str, Any] | None, str, ErrorKind]] = [
    (400, _vidu(400, "CreditInsufficient", "insufficient credits"), "", ErrorKind.CREDITS),
    (403, {"code": 403, "reason": "NOT_ENOUGH_BALANCE", "message": "not enough balance"}, "",
     ErrorKind.CREDITS),
    (406, {"error": "Not enough credits"}, "", ErrorKind.CREDITS),
    (403, {"message": "insufficient balance"}, "", ErrorKind.CREDITS),
    (402, None, "Payment Required", ErrorKind.CREDITS),
    (401, _vidu(401, "Unauthorized"), "", ErrorKind.AUTH),
    (401, {"error": "invalid_token", "error_description": "bad", "status_code": 401}, "",
     ErrorKind.AUTH),
    (401, {"code": 401, "reason": "FAILED_TO_AUTH", "message": "x"}, "", ErrorKind.AUTH),
    (403, _vidu(403, "Forbidden"), "", ErrorKind.AUTH),
    (403, {"error": "model restricted for team"}, "", ErrorKind.AUTH),
    (400, _vidu(400, "FieldInvalid", "invalid field: duration"), "",
     ErrorKind.INVALID_PARAMETER),
    (400, _vidu(400, "ImageDownloadFailure"), "", ErrorKind.INVALID_IMAGE),
    (400, _vidu(400, "PageSizeOutOfRange"), "", ErrorKind.INVALID_IMAGE),
    (400, {"error": {"code": 8008003004, "message": "Invalid image"}}, "",
     ErrorKind.INVALID_IMAGE),
    (400, {"error": {"code": 8008003002, "message": "Invalid parameter value"}}, "",
     ErrorKind.INVALID_PARAMETER),
    (400, _vidu(400, "AuditSubmitIllegal"), "", ErrorKind.MODERATION),
    (400, _vidu(400, "TaskPromptPolicyViolation"), "", ErrorKind.MODERATION),
    (404, _vidu(404, "TaskNotFound"), "", ErrorKind.NOT_FOUND),
    (404, {"error": "Request abc not found"}, "", ErrorKind.NOT_FOUND),
    (408, None, "", ErrorKind.TIMEOUT),
    (429, _vidu(429, "TooManyRequests"), "", ErrorKind.RATE_LIMITED),
    (429, {"code": 429, "reason": "RATE_LIMIT_EXCEEDED", "message": "x"}, "",
     ErrorKind.RATE_LIMITED),
    (400, _vidu(400, "OperationInProcess"), "", ErrorKind.RATE_LIMITED),
    (500, _vidu(500, "InternalServiceFailure"), "", ErrorKind.OUTAGE),
    (503, None, "<html>Service Unavailable</html>", ErrorKind.OUTAGE),
    (504, None, "", ErrorKind.OUTAGE),
    (405, None, "<html><h1>405 Method Not Allowed</h1></html>", ErrorKind.PROTOCOL),
    (422, {"detail": "bad value"}, "", ErrorKind.INVALID_PARAMETER),
    (400, {"code": 400, "reason": "INVALID_REQUEST_BODY",
           "message": "invalid field: images[1] (image is 64x64, at least 128x128)"}, "",
     ErrorKind.INVALID_IMAGE),
    (400, {"code": 400, "reason": "INVALID_REQUEST_BODY",
           "message": "field item count out of range: images (8 given, 1 to 7 allowed)"}, "",
     ErrorKind.INVALID_PARAMETER),
    (406, {"error": "image_urls[0]: not PNG, JPEG or WebP"}, "", ErrorKind.INVALID_IMAGE),
    (413, {"code": 413, "reason": "RequestEntityTooLarge", "message": "too large"}, "",
     ErrorKind.INVALID_PARAMETER),
]


@pytest.mark.parametrize(("status", "data", "text", "kind"), ERRORS)
def test_error_mapping(status: int, data: dict[str, Any] | None, text: str,
                       kind: ErrorKind) -> None:
    err = error_from_response(status, data, text, {"x-request-id": "req-9"}, host="Host",
                              key=KEY)
    assert err.kind == kind
    assert err.http_status == status
    assert err.trace_id == ("tr-1" if data and "metadata" in data else "req-9")
    assert err.retryable == (kind in (ErrorKind.RATE_LIMITED, ErrorKind.OUTAGE,
                                      ErrorKind.TIMEOUT, ErrorKind.PROTOCOL))


def test_error_mapping_reads_retry_after_and_redacts_key() -> None:
    err = error_from_response(429, {"message": f"slow down {KEY}"}, "", {"Retry-After": "7"},
                              host="Vidu", key=KEY)
    assert err.retry_after == 7.0 and KEY not in err.message and "***" in err.message
    err = error_from_response(400, _vidu(400, "FieldInvalid"), "", {}, host="Vidu", key=KEY)
    assert err.code == "FieldInvalid" and "Vidu says" in err.message


def test_retry_after_forms() -> None:
    assert retry_after_of({"retry-after": "3"}) == 3.0
    assert retry_after_of({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"},
                          now=1445412480.0) == 10.0
    assert retry_after_of({"x-rate-limit-reset-at-utc": "2025-01-01T00:00:05Z"},
                          now=1735689600.0) == 5.0
    assert retry_after_of({"x-rate-limit-reset-at-utc": "2025-01-01T00:00:05"},
                          now=1735689600.0) == 5.0
    assert retry_after_of({"x-rate-limit-reset-at-utc": "1735689602"}, now=1735689600.0) == 2.0
    assert retry_after_of({}) is None
    assert retry_after_of({"retry-after": "soon"}) is None


def test_trace_id_sources() -> None:
    assert trace_id_of({"metadata": {"trace_id": "a"}}, {"x-request-id": "b"}) == "a"
    assert trace_id_of({}, {"x-request-id": "b"}) == "b"
    assert trace_id_of(None, {}) == ""


def test_expiry_from_signed_urls() -> None:
    assert expiry_from_url("https://s3/x.mp4?X-Amz-Date=20250101T000000Z&X-Amz-Expires=60") \
        == 1735689660.0
    assert expiry_from_url("http://127.0.0.1/_files/a.mp4?X-Expires=123&X-Signature=s") == 123
    assert expiry_from_url("https://oss/x.mp4?Expires=456&OSSAccessKeyId=a") == 456
    assert expiry_from_url("https://cdn/x.mp4") is None


def test_retry_delays_are_deterministic_and_capped() -> None:
    a = Retry(base=1.0, cap=8.0, jitter=0.5, rng=random.Random(1))
    b = Retry(base=1.0, cap=8.0, jitter=0.5, rng=random.Random(1))
    first = [a.delay(n) for n in range(6)]
    assert first == [b.delay(n) for n in range(6)]
    for n, value in enumerate(first):
        full = min(8.0, 2.0 ** n)
        assert full * 0.5 <= value <= full
    assert a.delay(3, retry_after=2.5) == 2.5
