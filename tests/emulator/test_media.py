"""The emulator's media: real H.264 MP4s and JPEG covers made from reference images."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

from vidu_desktop.emulator import media
from vidu_desktop.emulator.media import Renderer, RenderResult, RenderSpec, render


def _image(size: tuple[int, int], fmt: str, color: tuple[int, int, int]) -> bytes:
    """A gradient-tinted picture so frames are not flat."""
    ramp = Image.linear_gradient("L").resize(size)
    base = Image.new("RGB", size, color)
    img = Image.composite(base, Image.new("RGB", size, (255, 255, 255)), ramp)
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


PNG_WIDE = _image((640, 360), "PNG", (200, 30, 30))
JPEG_TALL = _image((300, 600), "JPEG", (30, 200, 30))
WEBP_SQUARE = _image((400, 400), "WEBP", (30, 30, 200))


def _probe(path: Path) -> dict[str, Any]:
    with av.open(str(path)) as container:
        video: Any = container.streams.video[0]
        audio: list[Any] = list(container.streams.audio)
        frames = sum(1 for _ in container.decode(video=0))
        return {
            "codec": video.codec_context.name,
            "pix_fmt": video.codec_context.pix_fmt,
            "size": (video.codec_context.width, video.codec_context.height),
            "frames": frames,
            "duration": float(video.duration * video.time_base),
            "audio": [(a.codec_context.name, a.codec_context.channels) for a in audio],
            "audio_duration": [float(a.duration * a.time_base) for a in audio],
            "format": container.format.name,
        }


def _top_level_atoms(path: Path) -> list[bytes]:
    data, atoms, pos = path.read_bytes(), [], 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        atoms.append(data[pos + 4 : pos + 8])
        if size == 1:
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        if size < 8:
            break
        pos += size
    return atoms


def test_video_matches_the_spec(tmp_path: Path) -> None:
    spec = RenderSpec((PNG_WIDE, JPEG_TALL), 1920, 1080, 2.0, fps=24, scale=0.1)
    result = render(spec, tmp_path)

    assert result.video_path == tmp_path / f"{spec.key()}.mp4"
    assert result.cover_path == tmp_path / f"{spec.key()}.jpg"
    assert (result.width, result.height, result.fps) == (192, 108, 24)
    assert result.duration_s == pytest.approx(2.0)
    assert not result.has_audio
    assert result.size_bytes == result.video_path.stat().st_size > 0
    info = _probe(result.video_path)
    assert info["codec"] == "h264"
    assert info["pix_fmt"] == "yuv420p"
    assert "mp4" in info["format"]
    assert info["size"] == (192, 108)
    assert info["frames"] == 48
    assert info["duration"] == pytest.approx(2.0, abs=1 / 24)
    assert info["audio"] == []
    atoms = _top_level_atoms(result.video_path)
    assert atoms.index(b"moov") < atoms.index(b"mdat")  # faststart: playable while streaming
    with Image.open(result.cover_path) as cover:
        assert cover.format == "JPEG"
        assert cover.size == (192, 108)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bgm_adds_an_aac_track_for_the_whole_video(tmp_path: Path) -> None:
    spec = RenderSpec((WEBP_SQUARE,), 1080, 1920, 1.5, fps=30, bgm=True, scale=0.1)
    result = render(spec, tmp_path)

    assert result.has_audio
    assert (result.width, result.height) == (108, 192)
    info = _probe(result.video_path)
    assert info["codec"] == "h264"
    assert info["frames"] == 45
    assert info["audio"] == [("aac", 2)]
    assert info["audio_duration"][0] == pytest.approx(1.5, abs=0.05)


def test_scale_rounds_to_even_with_a_64_pixel_floor() -> None:
    assert RenderSpec((PNG_WIDE,), 1920, 1080, 5.0, scale=0.25).encoded_size() == (480, 270)
    assert RenderSpec((PNG_WIDE,), 1920, 1080, 5.0, scale=0.01).encoded_size() == (64, 64)
    assert RenderSpec((PNG_WIDE,), 1000, 1000, 5.0, scale=0.3337).encoded_size() == (334, 334)
    assert all(side % 2 == 0 for side in RenderSpec((PNG_WIDE,), 1281, 721, 5.0).encoded_size())


def test_key_covers_every_field() -> None:
    spec = RenderSpec((PNG_WIDE, JPEG_TALL), 1920, 1080, 5.0)
    variants = [
        replace(spec, images=(JPEG_TALL, PNG_WIDE)),
        replace(spec, images=(PNG_WIDE,)),
        replace(spec, width=1080, height=1920),
        replace(spec, duration_s=4.0),
        replace(spec, fps=25),
        replace(spec, bgm=True),
        replace(spec, seed=1),
        replace(spec, scale=0.5),
    ]
    keys = {spec.key(), *(v.key() for v in variants)}
    assert len(keys) == len(variants) + 1
    assert spec.key() == RenderSpec((PNG_WIDE, JPEG_TALL), 1920, 1080, 5.0).key()
    assert len(spec.key()) == 64


def test_second_render_is_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = RenderSpec((JPEG_TALL,), 1920, 1080, 1.0, scale=0.1)
    first = render(spec, tmp_path)
    mtimes = (first.video_path.stat().st_mtime_ns, first.cover_path.stat().st_mtime_ns)

    def no_encoding(*args: object) -> None:
        raise AssertionError("re-encoded a cached render")

    monkeypatch.setattr(media, "_encode", no_encoding)
    second = render(spec, tmp_path)
    assert second == first
    assert (second.video_path.stat().st_mtime_ns, second.cover_path.stat().st_mtime_ns) == mtimes


def test_seed_varies_the_motion_deterministically(tmp_path: Path) -> None:
    spec = RenderSpec((PNG_WIDE, WEBP_SQUARE), 1280, 720, 1.0, seed=7, scale=0.1)
    a = render(spec, tmp_path / "a")
    again = render(spec, tmp_path / "b")
    other = render(replace(spec, seed=8), tmp_path / "a")
    assert a.video_path.read_bytes() == again.video_path.read_bytes()
    assert other.video_path != a.video_path
    assert other.video_path.read_bytes() != a.video_path.read_bytes()


def test_images_are_decoded_upright_and_flattened(tmp_path: Path) -> None:
    # Stored sideways: red on the left, blue on the right; EXIF orientation 6 turns it a quarter
    # clockwise, so upright it is red on top and blue at the bottom.
    img = Image.new("RGB", (400, 200), (0, 0, 255))
    img.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    result = render(RenderSpec((buf.getvalue(),), 640, 640, 0.5, scale=0.2), tmp_path)
    with Image.open(result.cover_path) as cover:
        top, bottom = cover.getpixel((64, 8)), cover.getpixel((64, 120))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60

    # An animated, transparent PNG: the first frame, on black.
    frames = [Image.new("RGBA", (200, 200), (0, 255, 0, 0)), Image.new("RGBA", (200, 200), "red")]
    buf = io.BytesIO()
    frames[0].save(buf, format="PNG", save_all=True, append_images=frames[1:])
    result = render(RenderSpec((buf.getvalue(),), 640, 640, 0.5, scale=0.2), tmp_path)
    with Image.open(result.cover_path) as cover:
        pixel = cover.getpixel((64, 64))
    assert isinstance(pixel, tuple) and max(pixel) < 30


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        PNG_WIDE[: len(PNG_WIDE) // 2],
        _image((64, 64), "GIF", (1, 2, 3)),
    ],
    ids=["empty", "garbage", "truncated", "gif"],
)
def test_bad_image_bytes_raise_value_error(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ValueError, match="reference image 2"):
        render(RenderSpec((PNG_WIDE, data), 1920, 1080, 1.0, scale=0.1), tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "spec",
    [
        RenderSpec((), 1920, 1080, 1.0),
        RenderSpec((PNG_WIDE,) * 8, 1920, 1080, 1.0),
        RenderSpec((PNG_WIDE,), 0, 1080, 1.0),
        RenderSpec((PNG_WIDE,), 1920, 1080, 0.0),
        RenderSpec((PNG_WIDE,), 1920, 1080, 1.0, fps=0),
    ],
    ids=["no-images", "eight-images", "zero-width", "zero-duration", "zero-fps"],
)
def test_invalid_specs_raise_value_error(tmp_path: Path, spec: RenderSpec) -> None:
    with pytest.raises(ValueError):
        render(spec, tmp_path)


def test_renderer_shares_one_job_between_identical_requests(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, use_processes=False)
    spec = RenderSpec((PNG_WIDE, JPEG_TALL, WEBP_SQUARE), 1920, 1080, 2.0, scale=0.1)

    async def scenario() -> tuple[RenderResult, RenderResult, RenderResult]:
        a, b = await asyncio.gather(renderer.render(spec), renderer.render(spec))
        c = await renderer.render(spec)
        return a, b, c

    try:
        a, b, c = asyncio.run(scenario())
    finally:
        renderer.shutdown()
    assert a is b is c
    assert renderer.jobs_submitted == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [a.video_path.name, a.cover_path.name]
    )


def test_one_caller_giving_up_does_not_cancel_the_shared_job(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, use_processes=False)
    spec = RenderSpec((PNG_WIDE, JPEG_TALL), 1280, 720, 2.0, scale=0.2)

    async def scenario() -> RenderResult:
        quitter = asyncio.ensure_future(renderer.render(spec))
        stayer = asyncio.ensure_future(renderer.render(spec))
        await asyncio.sleep(0)
        quitter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await quitter
        return await stayer

    try:
        result = asyncio.run(scenario())
    finally:
        renderer.shutdown()
    assert result.video_path.is_file()
    assert renderer.jobs_submitted == 1


def test_renderer_reports_errors_and_recovers(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, use_processes=False)

    async def scenario() -> RenderResult:
        with pytest.raises(ValueError, match="could not be decoded"):
            await renderer.render(RenderSpec((b"junk",), 640, 360, 1.0, scale=0.2))
        return await renderer.render(RenderSpec((PNG_WIDE,), 640, 360, 1.0, scale=0.2))

    try:
        result = asyncio.run(scenario())
    finally:
        renderer.shutdown()
    assert result.video_path.is_file()
    assert renderer.jobs_submitted == 2


def test_renderer_processes_keep_the_event_loop_responsive(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, max_workers=1)
    spec = RenderSpec((PNG_WIDE, JPEG_TALL, WEBP_SQUARE), 1920, 1080, 5.0, bgm=True, scale=0.5)

    async def scenario() -> tuple[RenderResult, float, int]:
        job = asyncio.ensure_future(renderer.render(spec))
        lateness, ticks = 0.0, 0
        while not job.done():
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            lateness = max(lateness, time.perf_counter() - before - 0.01)
            ticks += 1
        return await job, lateness, ticks

    try:
        result, lateness, ticks = asyncio.run(scenario())
    finally:
        renderer.shutdown()
    assert lateness < 0.5
    assert ticks > 10
    info = _probe(result.video_path)
    assert info["size"] == (960, 540)
    assert info["frames"] == 120
    assert info["audio"] == [("aac", 2)]
