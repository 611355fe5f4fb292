"""The film of takes that differ: re-encoded to one size and rate, sound kept in step."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import pytest

from vidu_desktop.film import StreamMode, Take, export_mp4, plan_export, probe_cut, write_mp4

from .takes import decode_all


def _frame_at(path: Path, seconds: float) -> av.VideoFrame:
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= seconds:
                return frame
    raise AssertionError(f"no frame at {seconds} s")


def _luma(frame: av.VideoFrame, x: int, y: int) -> int:
    plane = frame.planes[0]
    return bytes(plane)[y * plane.line_size + x]


def test_different_sizes_and_rates_are_reencoded_and_letterboxed(
        make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make("wide", width=320, height=180, fps=24, seconds=1.0, shade=120, shot=1),
             make("square", width=200, height=200, fps=12, seconds=1.0, shade=120, shot=2),
             make("wide2", width=320, height=180, fps=24, seconds=1.5, shade=120, shot=3),
             make("small", width=160, height=90, fps=15, seconds=0.6, shade=120, shot=4)]
    result = export_mp4(takes, out_dir / "film.mp4")
    plan = result.plan
    assert plan.video == StreamMode.ENCODE
    assert (plan.width, plan.height, plan.rate) == (320, 180, Fraction(24))  # most of the time
    assert any("size differs" in r for r in plan.reasons)
    frames, _, container_s, video_s = decode_all(out_dir / "film.mp4")
    assert frames == round(4.1 * 24)
    assert container_s == pytest.approx(4.1, abs=0.1)
    assert video_s == pytest.approx(4.1, abs=0.1)
    with av.open(str(out_dir / "film.mp4")) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (320, 180)
        assert stream.average_rate == 24
    square = _frame_at(out_dir / "film.mp4", 1.5)  # the square take, fitted inside 320x180
    assert _luma(square, 10, 90) < 25  # black bars at the sides: 180x180 in the middle
    assert _luma(square, 310, 90) < 25
    assert _luma(square, 150, 40) > 100  # the picture itself (background shade 160)
    wide = _frame_at(out_dir / "film.mp4", 0.5)
    assert _luma(wide, 10, 90) > 100  # no bars on a take of the film's shape


def test_a_take_without_sound_gets_silence_in_step(
        make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make("a", sound=True, shot=1), make("quiet", sound=False, shade=60, shot=2),
             make("c", sound=True, seconds=1.5, shade=120, shot=3)]
    result = export_mp4(takes, out_dir / "film.mp4")
    assert (result.plan.video, result.plan.audio) == (StreamMode.COPY, StreamMode.ENCODE)
    assert any("shot 2 has no sound" in r for r in result.plan.reasons)
    frames, samples, container_s, _ = decode_all(out_dir / "film.mp4")
    assert frames == 42
    assert container_s == pytest.approx(3.5, abs=0.1)
    assert abs(samples - 3.5 * 48_000) <= 1024  # sample-exact spans, plus the last frame
    loudness = _loudness_by_second(out_dir / "film.mp4")
    assert loudness[0] > 0.05 and loudness[2] > 0.05  # the tone of shots 1 and 3
    assert loudness[1] < 0.01  # shot 2: silence, exactly where its picture is


def _loudness_by_second(path: Path) -> list[float]:
    """The RMS of the first channel in each whole second (from 0.1 s past, to 0.9 s past)."""
    import struct

    sums: dict[int, list[float]] = {}
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            start = frame.time or 0.0
            values = struct.unpack(f"<{frame.samples}f", bytes(frame.planes[0])[:4 * frame.samples])
            for i, v in enumerate(values):
                t = start + i / frame.sample_rate
                if 0.1 < t % 1 < 0.9:
                    sums.setdefault(int(t), []).append(v * v)
    return [math.sqrt(sum(v) / len(v)) for _, v in sorted(sums.items())]


def test_sound_in_different_formats_is_reencoded_to_one(
        make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make("a", sound=True, shot=1),
             make("b", sound=True, sample_rate=44_100, channels=1, shade=50, shot=2)]
    result = export_mp4(takes, out_dir / "film.mp4")
    assert result.plan.audio == StreamMode.ENCODE
    assert result.plan.sample_rate == 48_000 and result.plan.channels == 2
    frames, samples, container_s, _ = decode_all(out_dir / "film.mp4")
    assert frames == 24
    assert container_s == pytest.approx(2.0, abs=0.1)
    assert abs(samples - 2 * 48_000) <= 1024


def test_reencoding_can_be_asked_for(make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make("a", sound=True, shot=1), make("b", sound=True, shade=90, shot=2)]
    result = export_mp4(takes, out_dir / "film.mp4", force_encode=True)
    assert (result.plan.video, result.plan.audio) == (StreamMode.ENCODE, StreamMode.COPY)
    frames, _, container_s, _ = decode_all(out_dir / "film.mp4")
    assert frames == 24
    assert container_s == pytest.approx(2.0, abs=0.1)


def test_copy_that_cannot_go_on_falls_back_to_reencoding(
        make: Callable[..., Take], out_dir: Path) -> None:
    """Takes whose frames are reordered differently cannot share one copied stream: the
    export notices at the second take and re-encodes instead."""
    takes = [make("a", bframes=0, shot=1), make("b", bframes=3, shade=90, shot=2)]
    plan = plan_export(probe_cut(takes))
    assert plan.video == StreamMode.ENCODE  # the plan already sees other encoder settings
    forced = dataclasses.replace(plan, video=StreamMode.COPY, reasons=())
    result = write_mp4(forced, out_dir / "film.mp4")
    assert result.plan.video == StreamMode.ENCODE
    assert any("cannot follow" in r for r in result.plan.reasons)
    frames, _, container_s, _ = decode_all(out_dir / "film.mp4")
    assert frames == 24
    assert container_s == pytest.approx(2.0, abs=0.1)
    assert sorted(p.name for p in out_dir.iterdir()) == ["film.mp4"]


def test_frame_rate_conversion_keeps_the_length(
        make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make("a", fps=30, seconds=1.0, shot=1), make("b", fps=30, seconds=1.0, shot=2),
             make("c", fps=24, seconds=1.3, shade=80, shot=3)]
    result = export_mp4(takes, out_dir / "film.mp4")
    assert result.plan.rate == Fraction(30)
    frames, _, container_s, _ = decode_all(out_dir / "film.mp4")
    assert frames == round(3.3 * 30)
    assert container_s == pytest.approx(3.3, abs=0.1)
