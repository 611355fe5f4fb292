"""Reference image checks as the hosts document them: judged by content, not by label.

An image is a data URI (``data:image/<fmt>;base64,...``), an http(s) URL on loopback (fetched;
nothing else is reachable from here, so any other address fails as an image download error), or,
where a host accepts it, bare base64.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import ipaddress
import warnings
from enum import StrEnum
from urllib.parse import urlsplit

import httpx
from PIL import Image, UnidentifiedImageError

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.core.records import record

_FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp", "GIF": "gif", "BMP": "bmp",
            "TIFF": "tiff"}


class Issue(StrEnum):
    DOWNLOAD = "download"  # URL not fetchable
    ENCODING = "encoding"  # not a data URI / bad base64
    FORMAT = "format"  # not PNG/JPEG/WebP by content
    TOO_SMALL = "too_small"
    RATIO = "ratio"
    FILE_TOO_LARGE = "file_too_large"  # > 50 MB
    DECODED_TOO_LARGE = "decoded_too_large"  # base64 decodes to >= 10 MiB


class ImageRejected(Exception):
    def __init__(self, issue: Issue, index: int, detail: str) -> None:
        super().__init__(detail)
        self.issue = issue
        self.index = index
        self.detail = detail


@record
class RefImage:
    data: bytes
    format: str
    width: int
    height: int
    source: str  # "data" | "url" | "base64"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _decode(text: str, index: int, rules: ImageRules, allow_bare: bool) -> tuple[bytes, str]:
    if text.startswith("data:"):
        header, sep, payload = text.partition(",")
        if not sep or ";base64" not in header or not header[5:].startswith("image/"):
            raise ImageRejected(Issue.ENCODING, index, "a data URI must look like "
                                "data:image/<format>;base64,<data>")
        source = "data"
    elif allow_bare:
        payload, source = text, "base64"
    else:
        raise ImageRejected(Issue.ENCODING, index, "image must be a URL or a data URI with "
                            "a content type (data:image/png;base64,...)")
    limit = rules.max_decoded_bytes or rules.max_file_bytes
    if len(payload) * 3 // 4 > limit + 3:
        raise ImageRejected(Issue.DECODED_TOO_LARGE, index, "the base64 decode must be under "
                            f"{limit} bytes")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ImageRejected(Issue.ENCODING, index, "invalid base64 data") from None
    if rules.max_decoded_bytes is not None and len(data) >= rules.max_decoded_bytes:
        raise ImageRejected(Issue.DECODED_TOO_LARGE, index, "the base64 decode must be under "
                            f"{rules.max_decoded_bytes} bytes; it is {len(data)}")
    return data, source


async def _fetch(url: str, index: int, rules: ImageRules) -> bytes:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not _is_loopback(parts.hostname or ""):
        raise ImageRejected(Issue.DOWNLOAD, index, f"cannot download image: {url[:200]}")
    try:
        async with httpx.AsyncClient(timeout=10.0, follow_redirects=True) as client, \
                client.stream("GET", url) as response:
            if response.status_code != 200:
                raise ImageRejected(Issue.DOWNLOAD, index,
                                    f"image download failed: HTTP {response.status_code}")
            chunks: list[bytes] = []
            total = 0
            async for chunk in response.aiter_bytes():
                total += len(chunk)
                if total > rules.max_file_bytes:
                    raise ImageRejected(Issue.FILE_TOO_LARGE, index,
                                        f"image larger than {rules.max_file_bytes} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise ImageRejected(Issue.DOWNLOAD, index, f"image download failed: {exc}") from None


def inspect(data: bytes, index: int, rules: ImageRules, source: str) -> RefImage:
    """Judge one image's bytes against ``rules``: format by content, size, ratio."""
    if len(data) > rules.max_file_bytes:
        raise ImageRejected(Issue.FILE_TOO_LARGE, index,
                            f"image larger than {rules.max_file_bytes} bytes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt = _FORMATS.get(img.format or "", (img.format or "unknown").lower())
                width, height = img.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise ImageRejected(Issue.FORMAT, index, "not a PNG, JPEG or WebP image") from None
    if fmt not in rules.formats:
        raise ImageRejected(Issue.FORMAT, index, f"image format {fmt} is not supported; use "
                            "PNG, JPEG or WebP")
    if min(width, height) < rules.min_side:
        raise ImageRejected(Issue.TOO_SMALL, index, f"image is {width}x{height}; at least "
                            f"{rules.min_side}x{rules.min_side} is required")
    ratio = width / height
    if not rules.min_ratio <= ratio <= rules.max_ratio:
        raise ImageRejected(Issue.RATIO, index, f"image aspect ratio {width}:{height} is "
                            "outside 1:4 to 4:1")
    return RefImage(data, fmt, width, height, source)


async def load(refs: list[object], rules: ImageRules, *, allow_bare: bool = False
               ) -> list[RefImage]:
    """Resolve and check every image; the first failure raises ``ImageRejected``."""
    out: list[RefImage] = []
    for index, ref in enumerate(refs):
        if not isinstance(ref, str) or not ref:
            raise ImageRejected(Issue.ENCODING, index, "each image must be a non-empty string")
        if ref.startswith(("http://", "https://")):
            data, source = await _fetch(ref, index, rules), "url"
        else:
            data, source = await asyncio.to_thread(_decode, ref, index, rules, allow_bare)
        out.append(await asyncio.to_thread(inspect, data, index, rules, source))
    return out
