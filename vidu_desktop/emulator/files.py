"""Result files served like a signed storage bucket: expiring URLs, Range requests, faults."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from .faults import FaultPlan, FaultRule

CHUNK = 64 * 1024
_CONTENT_TYPES = {".mp4": "video/mp4", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                  ".png": "image/png", ".webp": "image/webp"}


class InjectedDisconnect(Exception):
    """Raised inside a response body to cut the connection on purpose (a scripted fault)."""


def _s3_error(status: int, code: str, message: str) -> Response:
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{message}</Message><RequestId>{secrets.token_hex(8)}</RequestId></Error>")
    return Response(body, status_code=status, media_type="application/xml")


class FileStore:
    """Maps public names to files on disk and signs time-limited URLs for them."""

    def __init__(self, faults: FaultPlan) -> None:
        self._secret = secrets.token_bytes(32)
        self._files: dict[str, tuple[Path, str]] = {}  # name -> (path, provider)
        self.faults = faults

    def add(self, path: Path, provider: str) -> str:
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:24]
        name = f"{digest}{path.suffix}"
        self._files[name] = (path, provider)
        return name

    def _sign(self, name: str, expires: int) -> str:
        msg = f"{name}:{expires}".encode()
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def url(self, base_url: str, path: Path, provider: str, ttl_s: float) -> tuple[str, int]:
        """A signed URL for ``path`` valid ``ttl_s`` seconds, and its expiry (epoch seconds)."""
        name = self.add(path, provider)
        expires = int(time.time() + ttl_s)
        query = urlencode({"X-Expires": expires, "X-Signature": self._sign(name, expires)})
        return f"{base_url.rstrip('/')}/_files/{name}?{query}", expires

    async def serve(self, request: Request) -> Response:
        name = request.path_params["name"]
        entry = self._files.get(name)
        if entry is None:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
        path, provider = entry
        try:
            expires = int(request.query_params.get("X-Expires", ""))
        except ValueError:
            return _s3_error(403, "AccessDenied", "Query-string authentication requires "
                             "X-Expires and X-Signature.")
        given = request.query_params.get("X-Signature", "")
        if not hmac.compare_digest(given, self._sign(name, expires)):
            return _s3_error(403, "SignatureDoesNotMatch", "The request signature we "
                             "calculated does not match the signature you provided.")
        fault = self.faults.take(provider, "download")
        if expires < time.time() or (fault is not None and fault.action == "expire"):
            return _s3_error(403, "AccessDenied", "Request has expired")
        if fault is not None and fault.action == "status":
            return _s3_error(fault.status, "ServiceUnavailable" if fault.status >= 500
                             else "SlowDown", fault.message or "Please reduce your request rate.")
        if fault is not None and fault.action == "slow":
            import asyncio
            await asyncio.sleep(fault.delay_s)
        return self._ranged(request, path, fault)

    def _ranged(self, request: Request, path: Path, fault: FaultRule | None) -> Response:
        size = path.stat().st_size
        start, end = 0, size - 1
        status = 200
        header = request.headers.get("range")
        if header:
            parsed = _parse_range(header, size)
            if parsed is None:
                return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
            start, end = parsed
            status = 206
        length = end - start + 1
        cut = None
        if fault is not None and fault.action in ("truncate", "reset"):
            cut = max(1, length // 2) if fault.action == "truncate" else min(length, CHUNK)
        pause = (max(1, length // 2), fault.delay_s) if fault is not None \
            and fault.action == "stall" else None
        headers = {"Accept-Ranges": "bytes", "Content-Length": str(length),
                   "Last-Modified": time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                                  time.gmtime(path.stat().st_mtime)),
                   "ETag": f'"{size:x}-{int(path.stat().st_mtime):x}"'}
        if status == 206:
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        media_type = _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return StreamingResponse(_read(path, start, length, cut, pause), status_code=status,
                                 headers=headers, media_type=media_type)


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    unit, _, spec = header.partition("=")
    if unit.strip() != "bytes" or "," in spec:
        return None
    first, _, last = spec.strip().partition("-")
    try:
        if first == "":
            n = int(last)
            if n <= 0:
                return None
            return max(0, size - n), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


async def _read(path: Path, start: int, length: int, cut: int | None,
                pause: tuple[int, float] | None = None) -> AsyncIterator[bytes]:
    """The bytes, cut off after ``cut``, or (``pause``: bytes, seconds) halted midway."""
    import asyncio

    sent = 0
    limit = length if cut is None else cut
    with path.open("rb") as fh:
        fh.seek(start)
        while sent < limit:
            step = CHUNK if pause is None or sent >= pause[0] else min(CHUNK, pause[0] - sent)
            chunk = fh.read(min(step, limit - sent))
            if not chunk:
                break
            sent += len(chunk)
            yield chunk
            if pause is not None and sent == pause[0]:
                await asyncio.sleep(pause[1])
    if cut is not None:
        raise InjectedDisconnect("scripted fault: connection cut mid-body")
