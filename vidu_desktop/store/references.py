"""Prepared reference images, stored once by content hash: ``refs/<sha[:2]>/<sha>.<ext>``.

Drafts, cast members and tasks refer to an image by its SHA-256. Task rows keep such images as
``ref:sha256:<hex>`` instead of a base64 data URI (a request with seven images would otherwise
put tens of megabytes in every row), the loose pictures and the subjects' alike;
:meth:`ReferenceStore.rehydrate` turns them back into data URIs before a stored request is
sent.
"""

from __future__ import annotations

import base64
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from vidu_desktop.core.records import record
from vidu_desktop.core.request import GenerationRequest, ReferenceImage

from .db import transaction
from .errors import StoreError
from .files import atomic_write_bytes

REF_URI_PREFIX = "ref:sha256:"
_EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
_SHA = re.compile(r"^[0-9a-f]{64}$")


@record
class ReferenceMeta:
    format: str  # "png", "jpeg" or "webp"
    width: int
    height: int
    original_name: str = ""


@record
class PreparedReference:
    sha256: str
    format: str
    width: int
    height: int
    bytes: int
    original_name: str
    created_at: float
    path: Path

    @property
    def mime_type(self) -> str:
        return f"image/{self.format}"


def sha256_of(data: bytes) -> str:
    import hashlib  # (with OpenSSL's: not needed to start)

    return hashlib.sha256(data).hexdigest()


class ReferenceStore:
    def __init__(self, conn: sqlite3.Connection, refs_dir: Path, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._dir = refs_dir
        self._clock = clock

    @property
    def conn(self) -> sqlite3.Connection:
        """The library this store records its pictures in."""
        return self._conn

    def file_path(self, sha256: str, fmt: str) -> Path:
        if not _SHA.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        try:
            ext = _EXTENSIONS[fmt.lower()]
        except KeyError:
            raise ValueError(f"unsupported reference format {fmt!r}") from None
        return self._dir / sha256[:2] / f"{sha256}.{ext}"

    def write_file(self, data: bytes, fmt: str) -> str:
        """Hash ``data`` and store the file if it is not there yet; return the hash.

        Touches no database, so it can run in a worker thread; then call :meth:`register`.
        """
        sha = sha256_of(data)
        path = self.file_path(sha, fmt)
        if not (path.is_file() and path.stat().st_size == len(data)):
            atomic_write_bytes(path, data)
        return sha

    def register(self, sha256: str, meta: ReferenceMeta, size: int) -> PreparedReference:
        """Record a file written by :meth:`write_file` (idempotent: the first record stays)."""
        with transaction(self._conn) as conn:
            conn.execute(
                """INSERT INTO prepared_references
                       (sha256, format, width, height, bytes, original_name, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING""",
                (sha256, meta.format.lower(), meta.width, meta.height, size,
                 meta.original_name, self._clock()),
            )
        found = self.get(sha256)
        assert found is not None
        return found

    def put(self, data: bytes, meta: ReferenceMeta) -> str:
        """Store prepared image bytes; return their SHA-256. Putting the same bytes again is a
        no-op (one file, one row)."""
        sha = self.write_file(data, meta.format)
        self.register(sha, meta, len(data))
        return sha

    def get(self, sha256: str) -> PreparedReference | None:
        row = self._conn.execute("SELECT * FROM prepared_references WHERE sha256 = ?",
                                 (sha256,)).fetchone()
        if row is None:
            return None
        return PreparedReference(
            sha256=row["sha256"], format=row["format"], width=int(row["width"]),
            height=int(row["height"]), bytes=int(row["bytes"]),
            original_name=row["original_name"], created_at=float(row["created_at"]),
            path=self.file_path(row["sha256"], row["format"]),
        )

    def path(self, sha256: str) -> Path | None:
        """The file of a stored reference, or None when it is unknown or its file is gone."""
        ref = self.get(sha256)
        return ref.path if ref is not None and ref.path.is_file() else None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256) is not None

    def read(self, sha256: str) -> bytes:
        path = self.path(sha256)
        if path is None:
            raise StoreError(f"the prepared reference {sha256[:12]}… is missing")
        return path.read_bytes()

    def data_uri(self, sha256: str) -> str:
        ref = self.get(sha256)
        if ref is None:
            raise StoreError(f"the prepared reference {sha256[:12]}… is missing")
        encoded = base64.b64encode(self.read(sha256)).decode("ascii")
        return f"data:{ref.mime_type};base64,{encoded}"

    def delete(self, sha256: str) -> None:
        ref = self.get(sha256)
        with transaction(self._conn) as conn:
            conn.execute("DELETE FROM prepared_references WHERE sha256 = ?", (sha256,))
        if ref is not None:
            ref.path.unlink(missing_ok=True)

    def rehydrate(self, request: GenerationRequest) -> GenerationRequest:
        """Replace ``ref:sha256:`` image URIs with data URIs read from the store, the loose
        pictures' and the subjects' (StoreError when one is missing)."""
        def inline(images: tuple[ReferenceImage, ...]) -> tuple[ReferenceImage, ...]:
            return tuple(
                replace(image, uri=self.data_uri(image.uri.removeprefix(REF_URI_PREFIX)))
                if image.uri.startswith(REF_URI_PREFIX) else image
                for image in images
            )
        return replace(request, images=inline(request.images),
                       subjects=tuple(replace(s, images=inline(s.images))
                                      for s in request.subjects))


def compact_request_data(data: dict[str, Any], conn: sqlite3.Connection) -> dict[str, Any]:
    """``GenerationRequest.to_dict()`` with inline data URIs replaced by ``ref:sha256:<hex>``
    where the image's bytes are in the reference store (so :meth:`ReferenceStore.rehydrate`
    can restore them), the subjects' pictures too. Other images are kept as they are; a
    request without subjects (made before the cast) is kept without them."""
    def compact(images: Any) -> list[Any]:
        kept = []
        for image in images or []:
            if (isinstance(image, dict) and str(image.get("uri", "")).startswith("data:")
                    and _SHA.match(str(image.get("sha256", "")))
                    and conn.execute("SELECT 1 FROM prepared_references WHERE sha256 = ?",
                                     (image["sha256"],)).fetchone()):
                image = {**image, "uri": REF_URI_PREFIX + str(image["sha256"])}
            kept.append(image)
        return kept

    compacted = {**data, "images": compact(data.get("images", []))}
    if "subjects" in data:
        compacted["subjects"] = [
            {**s, "images": compact(s.get("images", []))} if isinstance(s, dict) else s
            for s in data["subjects"] or []]
    return compacted
