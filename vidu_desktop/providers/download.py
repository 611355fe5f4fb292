"""Fetching a result video: streamed to a ``.part`` file, resumed with Range, size-capped.

Result URLs are signed storage URLs (S3 and the like) that often redirect. Download requests
carry no auth header at all, whatever client they go through, and every redirect target passes
the same URL policy as the first address (https, or http on loopback). Verifying the MP4 and
renaming the ``.part`` file are the engine's job.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urljoin, urlsplit

from vidu_desktop.core.errors import AppError, ErrorKind

from .http import check_url, error_from_exception, trace_id_of

if TYPE_CHECKING:  # httpx is imported when the first request is made (start-up)
    import httpx

log = logging.getLogger(__name__)

#: Videos above this are refused (a 5 s 1080p clip is a few MB to a few tens of MB).
MAX_VIDEO_BYTES = 500 * 1024 * 1024
MAX_REDIRECTS = 5
#: Headers never sent to a storage host.
_SECRET_HEADERS = ("authorization", "x-api-key", "proxy-authorization", "cookie")
_EXPIRED = re.compile(r"expired|AccessDenied|SignatureDoesNotMatch|InvalidToken|"
                      r"Request has expired", re.IGNORECASE)

Progress = Callable[[int, int | None], None]  # (bytes on disk, total bytes when known)


def _host(url: str) -> str:
    return urlsplit(url).hostname or "the storage host"


def _shown(url: str) -> str:
    """A URL without its (signed) query, for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


async def _open(client: httpx.AsyncClient, url: str, headers: dict[str, str],
                timeout: httpx.Timeout | None) -> httpx.Response:
    """Send a GET without any credentials, following redirects by hand (each target checked
    against the URL policy). The caller closes the returned streamed response."""
    import httpx

    for _ in range(MAX_REDIRECTS + 1):
        check_url(url, what="result URL")
        request = client.build_request("GET", url, headers=headers,
                                       timeout=timeout if timeout is not None else
                                       httpx.USE_CLIENT_DEFAULT)
        for name in _SECRET_HEADERS:
            request.headers.pop(name, None)
        try:
            response = await client.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, host=_host(url), key="") from None
        if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
            await response.aclose()
            url = urljoin(url, response.headers["location"])
            continue
        return response
    raise AppError(ErrorKind.PROTOCOL, f"Too many redirects downloading {_shown(url)}.",
                   retryable=False, code="redirects")


async def _error(response: httpx.Response, url: str) -> AppError:
    import httpx

    try:
        body = (await response.aread())[:2000].decode("utf-8", "replace")
    except httpx.HTTPError:
        body = ""
    status = response.status_code
    trace = trace_id_of(None, response.headers)
    where = _shown(url)
    if status in (401, 403, 410) or (status == 400 and _EXPIRED.search(body)):
        return AppError(ErrorKind.EXPIRED, f"The result link has expired or was refused "
                        f"(HTTP {status}) at {where}.", http_status=status, trace_id=trace,
                        code=_s3_code(body) or str(status))
    if status == 404:
        return AppError(ErrorKind.NOT_FOUND, f"The result file is gone (HTTP 404) at {where}.",
                        "Ask the host for the task again; it may give a fresh link.",
                        http_status=status, trace_id=trace, code=_s3_code(body) or "404")
    if status == 429:
        return AppError(ErrorKind.RATE_LIMITED, f"The storage host is rate-limiting ({where}).",
                        http_status=status, trace_id=trace)
    if status >= 500:
        return AppError(ErrorKind.OUTAGE, f"The storage host failed (HTTP {status}) at "
                        f"{where}.", http_status=status, trace_id=trace)
    return AppError(ErrorKind.PROTOCOL, f"Unexpected HTTP {status} downloading {where}.",
                    http_status=status, trace_id=trace, retryable=False)


def _s3_code(body: str) -> str:
    match = re.search(r"<Code>([^<]+)</Code>", body)
    return match.group(1) if match else ""


def _total_of(response: httpx.Response, offset: int) -> int | None:
    """The full size of the resource, from Content-Range or Content-Length."""
    crange = response.headers.get("content-range", "")
    match = re.match(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", crange)
    if match and match.group(3) != "*":
        return int(match.group(3))
    length = response.headers.get("content-length", "")
    return offset + int(length) if length.isdigit() else None


async def write_body(response: httpx.Response, fh: BinaryIO, *, offset: int, max_bytes: int,
                     total: int | None, on_progress: Progress | None, url: str) -> int:
    """Stream ``response`` into ``fh`` (positioned at ``offset``); bytes on disk after."""
    import httpx

    done = offset
    try:
        async for chunk in response.aiter_bytes():  # no chunk_size: it would buffer
            done += len(chunk)
            if done > max_bytes:
                raise _too_big(max_bytes, url)
            fh.write(chunk)
            if on_progress is not None:
                on_progress(done, total)
    except httpx.HTTPError as exc:
        fh.flush()
        err = error_from_exception(exc, host=_host(url), key="")
        err.message = (f"The download from {_shown(url)} was cut off after {done} bytes; "
                       "the partial file is kept for a resume.")
        if err.kind not in (ErrorKind.NETWORK, ErrorKind.TIMEOUT):
            err.kind = ErrorKind.NETWORK
        err.retryable = True
        err.details["partial_bytes"] = str(done)
        raise err from None
    fh.flush()
    if total is not None and done != total:
        raise AppError(ErrorKind.NETWORK, f"The download from {_shown(url)} ended after {done} "
                       f"of {total} bytes; the partial file is kept for a resume.",
                       retryable=True, code="truncated", details={"partial_bytes": str(done)})
    return done


def _too_big(max_bytes: int, url: str) -> AppError:
    return AppError(ErrorKind.BAD_RESULT, f"The result at {_shown(url)} is larger than "
                    f"{max_bytes} bytes; the download was stopped.", retryable=False,
                    code="too_large")


async def download(client: httpx.AsyncClient, url: str, dest_part: Path, *,
                   max_bytes: int = MAX_VIDEO_BYTES, on_progress: Progress | None = None,
                   timeout: httpx.Timeout | None = None) -> int:
    """Fetch ``url`` into ``dest_part``, resuming from its current size; the final size.

    Raises AppError: EXPIRED (signed URL refused: ask the host for a fresh one), NETWORK
    (cut off: the partial file stays, call again to resume), BAD_RESULT (over ``max_bytes``),
    NOT_FOUND, OUTAGE, RATE_LIMITED, TIMEOUT, INVALID_PARAMETER (URL refused by the policy).
    """
    check_url(url, what="result URL")
    dest_part.parent.mkdir(parents=True, exist_ok=True)
    offset = dest_part.stat().st_size if dest_part.exists() else 0
    for _ in range(2):  # a second round only when a resume turned out impossible
        headers = {"Accept": "*/*", "Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        response = await _open(client, url, headers, timeout)
        try:
            status = response.status_code
            if status == 416 and offset:
                total = _total_of(response, 0)
                if total == offset:
                    log.debug("download already complete (%d bytes)", offset)
                    return offset
                log.info("resume refused (416); restarting the download")
                offset = 0
                dest_part.unlink(missing_ok=True)
                continue
            if status not in (200, 206):
                raise await _error(response, url)
            if status == 206 and not response.headers.get("content-range", "").startswith(
                    f"bytes {offset}-"):
                raise AppError(ErrorKind.PROTOCOL, "The storage host answered a resume with "
                               "the wrong byte range.", retryable=True, code="bad_range")
            if status == 200 and offset:
                log.info("storage host ignored Range; restarting from byte 0")
                offset = 0
            total = _total_of(response, offset)
            if total is not None and total > max_bytes:
                raise _too_big(max_bytes, url)
            with dest_part.open("r+b" if offset else "wb") as fh:
                fh.seek(offset)
                fh.truncate()
                return await write_body(response, fh, offset=offset, max_bytes=max_bytes,
                                        total=total, on_progress=on_progress, url=url)
        finally:
            await response.aclose()
    raise AppError(ErrorKind.PROTOCOL, "The storage host refused to resume or restart the "
                   "download.", code="bad_range")
