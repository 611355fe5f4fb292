"""The film of takes that match: packets copied, nothing decoded or encoded again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import pytest

from vidu_desktop.film import StreamMode, Take, export_mp4, probe_cut

from .takes import decode_all


def _video_pts(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        return [float(f.time) for f in container.decode(video=0) if f.time is not None]


def test_same_takes_are_copied_with_the_sum_of_their_lengths(
        make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make("a", seconds=1.0, shade=10, shot=1), make("b", seconds=1.5, shade=90, shot=2),
             make("c", seconds=0.75, shade=170, shot=3)]
    result = export_mp4(takes, out_dir / "film.mp4")
    assert result.plan.video == StreamMode.COPY
    assert result.plan.audio == StreamMode.NONE
    frames, samples, container_s, video_s = decode_all(out_dir / "film.mp4")
    assert frames == 12 + 18 + 9  # every frame of every take decodes
    assert samples == 0
    assert container_s == pytest.approx(3.25, abs=0.1)
    assert video_s == pytest.approx(3.25, abs=0.1)
    times = _video_pts(out_dir / "film.mp4")
    assert times == sorted(times) and len(set(times)) == len(times)  # in order, none twice
    assert times[12] == pytest.approx(1.0, abs=1e-3)  # shot 2 starts where shot 1 ends
    assert times[30] == pytest.approx(2.5, abs=1e-3)
    assert sorted(p.name for p in out_dir.iterdir()) == ["film.mp4"]


def test_takes_with_sound_copy_both_streams_in_step(
        make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make(n, seconds=s, sound=True, shade=i * 60, shot=i + 1)
             for i, (n, s) in enumerate((("a", 1.0), ("b", 2.0), ("c", 1.0)))]
    result = export_mp4(takes, out_dir / "film.mp4")
    assert (result.plan.video, result.plan.audio) == (StreamMode.COPY, StreamMode.COPY)
    frames, samples, container_s, _ = decode_all(out_dir / "film.mp4")
    assert frames == 48
    assert container_s == pytest.approx(4.0, abs=0.1)
    # at a cut at most one AAC frame (1024 samples) is dropped or overlaps, per take
    assert abs(samples - 4 * 48_000) <= 3 * 1024
    with av.open(str(out_dir / "film.mp4")) as container:
        audio = container.streams.audio[0]
        assert float((audio.duration or 0) * audio.time_base) == pytest.approx(4.0, abs=0.05)


def test_takes_with_b_frames_are_copied(make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make("a", bframes=2, shot=1), make("b", bframes=2, shade=80, shot=2, sound=False)]
    media = probe_cut(takes)
    assert media[0].video.extradata == media[1].video.extradata
    result = export_mp4(takes, out_dir / "film.mp4")
    assert result.plan.video == StreamMode.COPY
    frames, _, container_s, _ = decode_all(out_dir / "film.mp4")
    assert frames == 24
    assert container_s == pytest.approx(2.0, abs=0.1)
