"""Inputs: files, http(s) URLs served over loopback, raw bytes from the clipboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidu_desktop.imaging import (
    BytesSource,
    FileSource,
    ImageProblem,
    PrepareOptions,
    ProblemKind,
    UrlSource,
    as_source,
    prepare_batch,
    prepare_image,
)

from .corpus import encode, photo


def test_as_source() -> None:
    assert as_source("https://x.test/a.png") == UrlSource("https://x.test/a.png")
    assert as_source("/tmp/a.png") == FileSource(Path("/tmp/a.png"))
    assert as_source(Path("a b.png")) == FileSource(Path("a b.png"))
    assert as_source("file:///tmp/a%20b.png") == FileSource(Path("/tmp/a b.png"))
    assert as_source(b"\x89PNG") == BytesSource(b"\x89PNG")


def test_url_download(http_dir: tuple[str, Path]) -> None:
    base, root = http_dir
    (root / "ref.webp").write_bytes(encode(photo((640, 480)), "WEBP"))
    result = prepare_image(f"{base}/ref.webp")
    assert result.name == f"{base}/ref.webp" and result.original.format == "WEBP"
    assert result.size == (640, 480)


def test_url_404_is_url_failed(http_dir: tuple[str, Path]) -> None:
    base, _ = http_dir
    with pytest.raises(ImageProblem) as info:
        prepare_image(f"{base}/missing.png")
    p = info.value
    assert p.kind is ProblemKind.URL_FAILED and f"{base}/missing.png" in p.message
    assert "HTTP 404" in p.message


def test_url_size_cap(http_dir: tuple[str, Path]) -> None:
    base, root = http_dir
    (root / "big.png").write_bytes(encode(photo((400, 400)), "PNG"))
    with pytest.raises(ImageProblem) as info:
        prepare_image(f"{base}/big.png", PrepareOptions(max_source_bytes=10_000))
    assert info.value.kind is ProblemKind.TOO_LARGE


def test_url_refused_schemes_and_dead_hosts() -> None:
    for url in ("ftp://example.com/a.png", "http://127.0.0.1:9/a.png"):
        with pytest.raises(ImageProblem) as info:
            prepare_image(url, PrepareOptions(url_timeout_s=2))
        assert info.value.kind is ProblemKind.URL_FAILED and url in info.value.message


def test_raw_bytes_from_the_clipboard() -> None:
    data = encode(photo((500, 400)), "PNG")
    result = prepare_image(data)
    assert result.name == "pasted image" and result.original.format == "PNG"
    labelled = prepare_image(BytesSource(data, "screenshot 1"))
    assert labelled.name == "screenshot 1"
    with pytest.raises(ImageProblem) as info:
        prepare_image(b"")
    assert info.value.kind is ProblemKind.EMPTY


def test_mixed_batch_keeps_order(http_dir: tuple[str, Path], tmp_path: Path) -> None:
    base, root = http_dir
    (root / "a.jpg").write_bytes(encode(photo((800, 600)), "JPEG"))
    local = tmp_path / "b.png"
    local.write_bytes(encode(photo((300, 300)), "PNG"))
    result = prepare_batch([f"{base}/a.jpg", local, b"not an image", f"{base}/nope.jpg"])
    kinds = [getattr(i, "kind", "ok") for i in result.items]
    assert kinds == ["ok", "ok", ProblemKind.NOT_IMAGE, ProblemKind.URL_FAILED]
    assert not result.ok and len(result.prepared) == 2
