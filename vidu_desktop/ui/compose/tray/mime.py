"""What a drop or a paste brings: files, folders, http(s) URLs, image bytes or image data.

``incoming(mime)`` reads a ``QMimeData`` (a drag from a file manager or browser, or the
clipboard) without decoding any picture on the UI thread, preferring in this order: local
files; raw image bytes (``image/png``...); the ``<img src>`` of browser HTML or http(s) links;
Qt image data (``application/x-qt-image``, a QImage handed to a worker to encode); text that
is a link or a path.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from PySide6 import QtCore, QtGui  # QUrl, QImage: made with the first drop or paste

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QImage

#: Files a folder drop picks up (others in a folder are skipped; a file dropped on its own is
#: always tried, so the user learns why it is refused).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".webp", ".gif", ".bmp",
                            ".tif", ".tiff", ".heic", ".heif", ".avif"})
#: Raw image formats read as bytes, best first.
RAW_IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                      re.IGNORECASE)


@dataclass
class Incoming:
    """What a drop or paste brings: files, links, picture bytes and Qt images."""

    paths: list[Path] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    blobs: list[tuple[bytes, str]] = field(default_factory=list)  # (bytes, name)
    images: list[QImage] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.paths or self.urls or self.blobs or self.images)


def data_url_bytes(url: str) -> bytes | None:
    """The bytes of a ``data:image/...`` URL, else None."""
    head, sep, payload = url.partition(",")
    if not sep or not head.lower().startswith("data:image/"):
        return None
    try:
        if head.lower().endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None


def img_sources(markup: str) -> list[str]:
    """The absolute http(s) or data: ``src`` of each ``<img>`` in browser HTML."""
    import html  # with the first HTML drop, not with the window (start-up)

    found: list[str] = []
    for match in _IMG_SRC.finditer(markup):
        src = html.unescape(next(g for g in match.groups() if g is not None)).strip()
        if src.lower().startswith(("http://", "https://", "data:image/")) and src not in found:
            found.append(src)
    return found


def _split_urls(urls: list[QUrl], into: Incoming, name: str) -> list[str]:
    """Local files to ``into.paths``, data: URLs to ``into.blobs``; returns the http(s) ones."""
    web: list[str] = []
    for url in urls:
        scheme = url.scheme().lower()
        if url.isLocalFile():
            into.paths.append(Path(url.toLocalFile()))
        elif scheme in ("http", "https"):
            web.append(url.toString())
        elif scheme == "data":
            data = data_url_bytes(url.toString())
            if data:
                into.blobs.append((data, name))
    return web


def _text_links(text: str) -> Incoming:
    found = Incoming()
    for line in text.splitlines():
        line = line.strip().strip('"')
        if line.lower().startswith(("http://", "https://")) and " " not in line:
            found.urls.append(line)
        elif line.lower().startswith("file://"):
            found.paths.append(Path(QtCore.QUrl(line).toLocalFile()))
        elif line and Path(line).is_absolute() and Path(line).exists():
            found.paths.append(Path(line))
    return found


def incoming(mime: QMimeData, name: str = "dropped image") -> Incoming:
    """Everything usable in ``mime`` (see the module docstring for the order)."""
    found = Incoming()
    web = _split_urls(mime.urls(), found, name) if mime.hasUrls() else []
    if found.paths:
        found.urls.extend(web)
        return found
    for fmt in RAW_IMAGE_TYPES:
        if mime.hasFormat(fmt):
            data = bytes(mime.data(fmt).data())
            if data:
                found.blobs.append((data, name))
                return found
    if mime.hasHtml():
        for src in img_sources(mime.html()):
            inline = data_url_bytes(src) if src.lower().startswith("data:") else None
            if inline:
                found.blobs.append((inline, name))
            elif not src.lower().startswith("data:") and src not in found.urls:
                found.urls.append(src)
        if found.urls or found.blobs:
            return found
    if web or found.blobs:
        found.urls.extend(web)
        return found
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QtGui.QImage) and not image.isNull():
            found.images.append(QtGui.QImage(image))
            return found
    if mime.hasText():
        return _text_links(mime.text())
    return found


def may_hold_pictures(mime: QMimeData) -> bool:
    """A cheap check for drag-enter: formats only, nothing decoded or downloaded."""
    if mime.hasUrls() or mime.hasImage():
        return True
    if any(mime.hasFormat(f) for f in RAW_IMAGE_TYPES):
        return True
    if mime.hasHtml() and "<img" in mime.html().lower():
        return True
    return mime.hasText() and bool(_text_links(mime.text()))


def _natural(path: Path) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name.lower())]


def expand_folders(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Folders replaced by the pictures directly inside them (natural name order).

    Returns the paths and notes for folders that hold no pictures or cannot be read.
    """
    result: list[Path] = []
    notes: list[str] = []
    for path in paths:
        if not path.is_dir():
            result.append(path)
            continue
        try:
            inside = sorted((p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES
                             and not p.name.startswith(".") and p.is_file()), key=_natural)
        except OSError as exc:
            notes.append(f"The folder {path.name} cannot be read ({exc.strerror or exc}).")
            continue
        if not inside:
            notes.append(f"The folder {path.name} holds no pictures (PNG, JPEG, WebP…).")
        result.extend(inside)
    return result, notes
