"""The thin HTTP shell shared by the adapters: client, URL policy, auth headers, size caps, and
the translation of httpx exceptions and HTTP error answers into ``AppError``.

Rules kept here so every adapter obeys them:

* HTTPS only; plain http only to loopback (127.0.0.0/8, ::1, localhost). Checked before any I/O.
* The key lives in one header of one request; never in the client's default headers, a URL,
  an exception message, a log line or a repr (``redact`` scrubs host answers that echo it).
* API calls never follow redirects (the key must not reach another host).
* JSON answers are read with a size cap; bigger answers are a PROTOCOL error.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
import ssl
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from vidu_desktop.core.capabilities import AuthScheme
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.records import record

from .codes import kind_for_http

if TYPE_CHECKING:  # httpx is imported when the first client is made (start-up)
    import httpx

log = logging.getLogger(__name__)

#: The largest JSON answer read from a host (task lists with echoed data URIs stay far below).
MAX_JSON_BYTES = 2 * 1024 * 1024
USER_AGENT = "vidu-desktop/0.1"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


@record
class Timeouts:
    """Seconds. ``submit_read`` is longer: submit bodies carry up to 20 MB of images and some
    hosts answer only after storing them; ``sync_read`` covers Segmind v1, which answers with
    the finished video."""

    connect: float = 10.0
    read: float = 60.0
    write: float = 60.0
    pool: float = 10.0
    submit_read: float = 180.0
    sync_read: float = 600.0

    def httpx(self, read: float | None = None) -> httpx.Timeout:
        import httpx

        return httpx.Timeout(connect=self.connect, read=self.read if read is None else read,
                             write=self.write, pool=self.pool)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every client (building one costs ~100 ms); honours
    SSL_CERT_FILE / SSL_CERT_DIR like httpx's default."""
    import httpx

    return httpx.create_ssl_context(trust_env=True)


def make_client(timeouts: Timeouts | None = None) -> httpx.AsyncClient:
    """The long-lived client of one adapter: explicit timeouts, no redirects, no auth headers
    (auth is added per request, so a download through the same client carries no key)."""
    import httpx

    return httpx.AsyncClient(timeout=(timeouts or Timeouts()).httpx(), follow_redirects=False,
                             headers={"User-Agent": USER_AGENT}, verify=tls_context(),
                             trust_env=True)


# -- URL policy ------------------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, what: str = "URL") -> str:
    """``url`` if it may be used: https anywhere, http only on loopback; else AppError naming it.

    Pure: no DNS lookup, no connection.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    shown = url if len(url) <= 200 else url[:200] + "…"
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise AppError(ErrorKind.INVALID_PARAMETER,
                       f"The {what} {shown!r} is not an http(s) address; it was refused.",
                       "Use an https:// address.", retryable=False, code="url_scheme")
    if parts.scheme == "http" and not is_loopback(host):
        raise AppError(ErrorKind.INVALID_PARAMETER,
                       f"The {what} {shown!r} uses plain http to a non-local host; only https "
                       "is allowed (http only for 127.0.0.1, ::1 and localhost).",
                       "Use the https:// address.", retryable=False, code="url_insecure")
    return url


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


def auth_headers(scheme: AuthScheme, key: str) -> dict[str, str]:
    if scheme == AuthScheme.TOKEN:
        return {"Authorization": f"Token {key}"}
    if scheme == AuthScheme.BEARER:
        return {"Authorization": f"Bearer {key}"}
    return {"x-api-key": key}


def redact(text: str, *secrets: str) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


# -- reading answers -------------------------------------------------------------------------

async def read_capped(response: httpx.Response, cap: int, *, host: str) -> bytes:
    """The body of a streamed ``response``, refusing more than ``cap`` bytes."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(host, cap, response)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > cap:
            raise _too_large(host, cap, response)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(host: str, cap: int, response: httpx.Response) -> AppError:
    return AppError(ErrorKind.PROTOCOL, f"{host} sent an answer larger than {cap} bytes; it "
                    "was not read.", http_status=response.status_code, retryable=False,
                    code="too_large", trace_id=trace_id_of(None, response.headers))


def parse_json_object(body: bytes) -> dict[str, Any] | None:
    """The JSON object in ``body``, or None when it is not one."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _ci(headers: Mapping[str, str]) -> httpx.Headers:
    """Case-insensitive view of ``headers``."""
    import httpx

    return headers if isinstance(headers, httpx.Headers) else httpx.Headers(dict(headers))


def trace_id_of(data: Mapping[str, Any] | None, headers: Mapping[str, str]) -> str:
    headers = _ci(headers)
    if data:
        meta = data.get("metadata")
        if isinstance(meta, dict) and meta.get("trace_id"):
            return str(meta["trace_id"])
        for name in ("trace_id", "request_id"):
            if isinstance(data.get(name), str) and data[name]:
                return str(data[name])
    for name in ("x-request-id", "x-trace-id", "x-amzn-requestid", "x-amz-request-id"):
        value = headers.get(name)
        if value:
            return str(value)
    return ""


def retry_after_of(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or Segmind's
    ``x-rate-limit-reset-at-utc`` (ISO 8601 or epoch seconds)."""
    now = time.time() if now is None else now
    headers = _ci(headers)
    value = (headers.get("retry-after") or "").strip()
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        import email.utils  # an HTTP date: rare, and the module is not needed at start-up

        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - now)
        except (TypeError, ValueError, IndexError):
            pass
    reset = (headers.get("x-rate-limit-reset-at-utc") or "").strip()
    if reset:
        try:
            stamp = float(reset)
            if stamp > 1e12:  # milliseconds
                stamp /= 1000
            return max(0.0, stamp - now)
        except ValueError:
            pass
        try:
            when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
            if when.tzinfo is None:  # the header's name says UTC
                when = when.replace(tzinfo=UTC)
            return max(0.0, when.timestamp() - now)
        except ValueError:
            pass
    return None


def expiry_from_url(url: str) -> float | None:
    """When a signed URL expires (epoch seconds), from its query, if it says: S3 v4
    (``X-Amz-Date`` + ``X-Amz-Expires``), S3 v2 / OSS / CDN style ``Expires``, ``X-Expires``."""
    try:
        query = {k.lower(): v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    except ValueError:
        return None
    try:
        if "x-amz-date" in query and "x-amz-expires" in query:
            start = datetime.strptime(query["x-amz-date"] + "+0000", "%Y%m%dT%H%M%SZ%z")
            return start.timestamp() + float(query["x-amz-expires"])
        for name in ("x-expires", "expires", "x-oss-expires"):
            if name in query:
                return float(query[name])
    except ValueError:
        return None
    return None


# -- errors ----------------------------------------------------------------------------------

def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for name in ("message", "error_message", "error_description", "detail", "msg"):
            if isinstance(value.get(name), str) and value[name]:
                return str(value[name])
    return ""


def code_and_message(data: Mapping[str, Any] | None, text: str = "") -> tuple[str, str]:
    """The host's symbolic code and message from any of the documented error envelopes:
    Vidu/Novita ``{code, reason, message}``, Segmind ``{error}`` / ``{error, error_description}``,
    Vtrix ``{error: {code, message|error_message}}`` or ``{error: "..."}``, ``{message}``."""
    if not data:
        return "", text.strip()[:300]
    code = ""
    err = data.get("error")
    for value in (data.get("reason"), data.get("err_code"),
                  err.get("code") if isinstance(err, dict) else None, data.get("code")):
        if value not in (None, "", 0) and not isinstance(value, bool):
            code = str(value)
            break
    message = (_text(data) or _text(err) or (err if isinstance(err, str) else "")
               or str(data.get("reason") or ""))
    if isinstance(err, str) and err and message != err and not data.get("message"):
        message = err
    if isinstance(err, str) and err == "invalid_token" and data.get("error_description"):
        code, message = "invalid_token", str(data["error_description"])
    return code, message


def error_from_response(status: int, data: Mapping[str, Any] | None, text: str,
                        headers: Mapping[str, str], *, host: str, key: str) -> AppError:
    """AppError for an HTTP error answer (status >= 400) from ``host``."""
    code, message = code_and_message(data, text)
    message = redact(message, key)
    kind = kind_for_http(status, code, message)
    base = AppError(kind).message
    said = f" {host} says: {message}" if message else f" ({host}, HTTP {status})"
    retry_after = retry_after_of(headers) if status in (429, 503) or kind in (
        ErrorKind.RATE_LIMITED, ErrorKind.OUTAGE) else None
    return AppError(kind, base + said, http_status=status, code=redact(code, key),
                    trace_id=trace_id_of(data, headers), retry_after=retry_after,
                    from_host=bool(data))


def error_from_exception(exc: httpx.HTTPError, *, host: str, key: str) -> AppError:
    """AppError for a transport failure. ``sent`` says whether the request may have reached
    the host (False only when the connection was never made)."""
    import httpx

    detail = redact(str(exc) or type(exc).__name__, key)
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return AppError(ErrorKind.TIMEOUT, f"Could not connect to {host} in time ({detail}).",
                        sent=False)
    if isinstance(exc, httpx.TimeoutException):
        return AppError(ErrorKind.TIMEOUT, f"{host} did not answer in time ({detail}).",
                        sent=True)
    if isinstance(exc, httpx.ConnectError):
        return AppError(ErrorKind.NETWORK, f"Could not reach {host} ({detail}).",
                        sent=False)
    if isinstance(exc, httpx.TransportError):
        return AppError(ErrorKind.NETWORK, f"The connection to {host} failed ({detail}).",
                        sent=True)
    return AppError(ErrorKind.PROTOCOL, f"{host}: unexpected HTTP failure ({detail}).",
                    sent=True)
