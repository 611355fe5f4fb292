"""The placeholder at the lengths and shapes of the current models (1 to 16 s, 4:3 and 3:4
among the ratios), with its sound track; the sound is encoded once per length, and a long video
is rendered at a lower frame rate so that it costs what a 5 s one does."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from conftest import make_image

from vidu_desktop.core.capabilities import video_size
from vidu_desktop.emulator import sound
from vidu_desktop.emulator.board import MIN_FPS, frame_rate
from vidu_desktop.emulator.config import EmulatorConfig
from vidu_desktop.emulator.media import RenderSpec, render

PICTURES = (make_image(640, 360), make_image(300, 400, "JPEG"), make_image(400, 400))


def streams(path: Path) -> tuple[tuple[int, int], float, float, int]:
    """(size, video seconds, sound seconds, decoded sound samples), every packet decoded."""
    with av.open(str(path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        samples = 0
        for frame in container.decode(video, audio):
            if isinstance(frame, av.AudioFrame):
                samples += frame.samples
        assert video.duration is not None and video.time_base is not None
        assert audio.duration is not None and audio.time_base is not None
        return ((video.codec_context.width, video.codec_context.height),
                float(video.duration * video.time_base), float(audio.duration * audio.time_base),
                samples)


@pytest.mark.parametrize("seconds, resolution, ratio", [
    (1, "540p", "16:9"), (10, "1080p", "4:3"), (16, "720p", "3:4"), (3, "1080p", "9:16"),
])
def test_any_length_and_ratio_with_a_sound_track(tmp_path: Path, seconds: int,
                                                 resolution: str, ratio: str) -> None:
    width, height = video_size(resolution, ratio)
    spec = RenderSpec(PICTURES, width, height, float(seconds), fps=8, bgm=True, scale=0.2)
    result = render(spec, tmp_path)
    size, video_s, audio_s, samples = streams(result.video_path)
    assert size == spec.encoded_size() == (result.width, result.height)
    w, h = (int(x) for x in ratio.split(":"))
    assert size[0] / size[1] == pytest.approx(w / h, rel=0.1)
    assert video_s == pytest.approx(seconds, abs=0.1)
    assert audio_s == pytest.approx(seconds, abs=0.1)
    assert samples / sound.AUDIO_RATE == pytest.approx(seconds, abs=0.1)
    assert result.has_audio and result.duration_s == pytest.approx(seconds)


def test_the_sound_of_a_length_is_encoded_once(tmp_path: Path) -> None:
    sound.tone_track.cache_clear()
    first = render(RenderSpec(PICTURES[:1], 640, 360, 4.0, fps=8, bgm=True, scale=0.2),
                   tmp_path)
    second = render(RenderSpec(PICTURES[1:], 360, 640, 4.0, fps=8, bgm=True, scale=0.2),
                    tmp_path)
    other = render(RenderSpec(PICTURES[:1], 640, 360, 2.0, fps=8, bgm=True, scale=0.2),
                   tmp_path)
    info = sound.tone_track.cache_info()
    assert (info.misses, info.hits) == (2, 1)  # 4 s once, then again from the cache; 2 s
    for result, seconds in ((first, 4.0), (second, 4.0), (other, 2.0)):
        assert streams(result.video_path)[2] == pytest.approx(seconds, abs=0.1)


def test_no_sound_track_without_bgm(tmp_path: Path) -> None:
    result = render(RenderSpec(PICTURES, 960, 720, 2.0, fps=8, scale=0.1), tmp_path)
    with av.open(str(result.video_path)) as container:
        assert list(container.streams.audio) == []
    assert not result.has_audio


def test_long_videos_keep_to_the_frame_budget() -> None:
    demo = EmulatorConfig()  # 24 fps, a 5 s budget
    assert [frame_rate(demo, s) for s in (1, 5, 7, 10, 16)] == [24, 24, 17, 12, 8]
    for seconds in range(6, 17):  # a whole number of frames for every whole duration
        fps = frame_rate(demo, seconds)
        assert seconds * fps <= 24 * 5 or fps == MIN_FPS
    tests = EmulatorConfig(fps=8)
    assert {frame_rate(tests, s) for s in range(1, 17)} == {8}  # never raised
    assert frame_rate(EmulatorConfig(fps=30, frame_budget_s=20), 16) == 30
