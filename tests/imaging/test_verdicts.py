"""Every way a picture can be refused: the kind, the file named, what to do, how fast."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from vidu_desktop.core.errors import ErrorKind
from vidu_desktop.imaging import ImageProblem, PrepareOptions, ProblemKind, prepare_image

from .corpus import bomb_png, encode, photo

Write = Callable[[str, bytes], Path]


def problem(source: object, options: PrepareOptions | None = None) -> ImageProblem:
    with pytest.raises(ImageProblem) as info:
        prepare_image(source, options)  # type: ignore[arg-type]
    return info.value


def test_empty_file(corpus: Write) -> None:
    p = problem(corpus("empty.jpg", b""))
    assert p.kind is ProblemKind.EMPTY and p.name == "empty.jpg"
    assert "empty.jpg is empty" in str(p)


def test_random_bytes_are_not_an_image(corpus: Write) -> None:
    p = problem(corpus("noise.jpg", os.urandom(4096)))
    assert p.kind is ProblemKind.NOT_IMAGE and "noise.jpg" in p.message
    assert "PNG, JPEG or WebP" in p.message


def test_text_file(corpus: Write) -> None:
    p = problem(corpus("notes.png", "Szene 1: ein Hund läuft\n".encode() * 20))
    assert p.kind is ProblemKind.NOT_IMAGE and "text file" in p.message


@pytest.mark.parametrize(("head", "kind", "words"), [
    (b"%PDF-1.7\n%\xe2\xe3", ProblemKind.NOT_IMAGE, "PDF"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", ProblemKind.UNREADABLE, "HEIC"),
    (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", ProblemKind.NOT_IMAGE, "video"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"/>', ProblemKind.NOT_IMAGE, "SVG"),
])
def test_says_what_a_non_image_is(corpus: Write, head: bytes, kind: ProblemKind,
                                  words: str) -> None:
    p = problem(corpus("thing.jpg", head + b"\x00" * 100))
    assert p.kind is kind and words in p.message and "thing.jpg" in p.message


def test_truncated_jpeg(corpus: Write) -> None:
    data = encode(photo((800, 600)), "JPEG", quality=90)
    p = problem(corpus("cut.jpg", data[: len(data) // 2]))
    assert p.kind is ProblemKind.CORRUPT and "cut.jpg is incomplete" in p.message
    assert p.original is not None and p.original.size == (800, 600)


def test_corrupt_header(corpus: Write) -> None:
    data = bytearray(encode(photo((300, 300)), "PNG"))
    data[16:24] = b"\xff" * 8  # IHDR width/height: absurd, with a broken CRC
    p = problem(corpus("broken.png", bytes(data)))
    assert p.kind in (ProblemKind.CORRUPT, ProblemKind.NOT_IMAGE, ProblemKind.BOMB)
    assert "broken.png" in p.message


def test_too_small_names_dimensions(corpus: Write) -> None:
    p = problem(corpus("tiny.png", encode(Image.new("RGB", (100, 300)), "PNG")))
    assert p.kind is ProblemKind.TOO_SMALL
    assert "tiny.png is 100x300 px" in p.message and "128" in p.message


def test_ratio_out_of_range_offers_a_fix(corpus: Write) -> None:
    path = corpus("banner.png", encode(photo((2000, 300)), "PNG"))
    p = problem(path)
    assert p.kind is ProblemKind.RATIO and "2000x300 (6.67:1)" in p.message
    assert p.offer is not None and p.offer.ratio_text == "4:1"
    assert "crop to 4:1 (1200x300) or pad to 4:1 (2000x500)" in p.message


@pytest.mark.parametrize(("fix", "size"), [("crop", (1200, 300)), ("pad", (2000, 500))])
def test_ratio_fix_on_request(corpus: Write, fix: str, size: tuple[int, int]) -> None:
    path = corpus("banner.png", encode(photo((2000, 300)), "PNG"))
    result = prepare_image(path, PrepareOptions(fix_ratio=fix))  # type: ignore[arg-type]
    assert result.size == size and result.width / result.height == 4.0
    assert any(f.startswith("cropped" if fix == "crop" else "padded") for f in result.fixes)
    with Image.open(__import__("io").BytesIO(result.data)) as out:
        assert out.size == size


def test_tall_ratio_fix(corpus: Write) -> None:
    path = corpus("pole.jpg", encode(photo((200, 1000)), "JPEG"))
    assert problem(path).offer.ratio_text == "1:4"  # type: ignore[union-attr]
    result = prepare_image(path, PrepareOptions(fix_ratio="crop"))
    assert result.size == (200, 800)


def test_decompression_bomb_is_refused_quickly(corpus: Write) -> None:
    path = corpus("bomb.png", bomb_png(30000, 30000))
    assert path.stat().st_size < 1_000_000
    start = time.perf_counter()
    p = problem(path)
    assert time.perf_counter() - start < 1.0
    assert p.kind is ProblemKind.BOMB and "900 megapixels" in p.message
    assert "bomb.png" in p.message


def test_bomb_warning_level_is_an_error_too(corpus: Write) -> None:
    # 100 MP is over Pillow's warning threshold (89 MP) but under its error threshold.
    p = problem(corpus("big.png", bomb_png(10000, 10000)))
    assert p.kind is ProblemKind.BOMB and "100 megapixels" in p.message


def test_source_over_the_size_cap(corpus: Write) -> None:
    path = corpus("huge.png", encode(photo((300, 300)), "PNG"))
    p = problem(path, PrepareOptions(max_source_bytes=1000))
    assert p.kind is ProblemKind.TOO_LARGE and "huge.png" in p.message


def test_unreadable(tmp_path: Path) -> None:
    p = problem(tmp_path / "gone.jpg")
    assert p.kind is ProblemKind.UNREADABLE and "gone.jpg does not exist" in p.message
    assert problem(tmp_path).kind is ProblemKind.UNREADABLE  # a folder


def test_problem_maps_to_app_error(corpus: Write) -> None:
    err = problem(corpus("empty.png", b"")).to_app_error()
    assert err.kind is ErrorKind.INVALID_IMAGE and not err.can_retry
    assert err.code == "empty" and "empty.png" in err.message


def test_missing_decoder_is_unreadable(corpus: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import ImageFile

    def no_codec(self: object) -> None:
        raise OSError("decoder jpeg2k not available")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_codec)
    p = problem(corpus("scan.jp2", encode(photo((300, 300)), "PNG")))
    assert p.kind is ProblemKind.UNREADABLE and "decoder" in p.message
