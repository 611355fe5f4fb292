"""Prepared references stored once by content hash."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from vidu_desktop.store.errors import StoreError
from vidu_desktop.store.references import ReferenceMeta, ReferenceStore

from .conftest import FakeClock

JPEG = b"\xff\xd8\xff\xe0" + b"jpeg body " * 500


def test_put_is_idempotent_by_hash(conn: sqlite3.Connection, tmp_path: Path,
                                   clock: FakeClock) -> None:
    refs = ReferenceStore(conn, tmp_path / "refs", clock=clock)
    sha = refs.put(JPEG, ReferenceMeta("jpeg", 800, 600, "man.jpg"))
    assert sha == hashlib.sha256(JPEG).hexdigest()
    path = tmp_path / "refs" / sha[:2] / f"{sha}.jpg"
    assert refs.path(sha) == path and path.read_bytes() == JPEG
    first = refs.get(sha)
    clock.advance(100)
    assert refs.put(JPEG, ReferenceMeta("jpeg", 800, 600, "renamed copy.jpg")) == sha
    assert refs.get(sha) == first  # the first record stays
    assert conn.execute("SELECT COUNT(*) FROM prepared_references").fetchone()[0] == 1
    files = [p for p in (tmp_path / "refs").rglob("*") if p.is_file()]
    assert files == [path]  # one file, no temporaries
    assert first is not None
    assert (first.format, first.width, first.height, first.bytes, first.original_name,
            first.mime_type) == ("jpeg", 800, 600, len(JPEG), "man.jpg", "image/jpeg")


def test_exists_read_and_data_uri(conn: sqlite3.Connection, tmp_path: Path) -> None:
    refs = ReferenceStore(conn, tmp_path / "refs")
    sha = refs.put(b"RIFF....WEBPVP8 data", ReferenceMeta("webp", 128, 128))
    assert refs.exists(sha)
    assert refs.read(sha) == b"RIFF....WEBPVP8 data"
    assert refs.data_uri(sha).startswith("data:image/webp;base64,UklGR")
    assert not refs.exists("0" * 64)
    assert refs.get("0" * 64) is None
    # a file removed behind the store's back is reported, and put() restores it
    path = refs.path(sha)
    assert path is not None
    path.unlink()
    assert not refs.exists(sha)
    with pytest.raises(StoreError, match="missing"):
        refs.read(sha)
    refs.put(b"RIFF....WEBPVP8 data", ReferenceMeta("webp", 128, 128))
    assert refs.exists(sha)
    refs.delete(sha)
    assert refs.get(sha) is None and not path.exists()


def test_bad_hashes_and_formats_are_refused(conn: sqlite3.Connection, tmp_path: Path) -> None:
    refs = ReferenceStore(conn, tmp_path / "refs")
    with pytest.raises(ValueError):
        refs.file_path("../../etc/passwd", "png")
    with pytest.raises(ValueError):
        refs.put(b"GIF89a", ReferenceMeta("gif", 1, 1))
