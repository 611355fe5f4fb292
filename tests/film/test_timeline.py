"""The cut as an OpenTimelineIO timeline, read back with OpenTimelineIO itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import opentimelineio as otio
import pytest

from vidu_desktop.core.errors import AppError, Promise
from vidu_desktop.film import Take, probe_cut, timeline_formats, write_timeline


@pytest.fixture
def cut(make: Callable[..., Take]) -> list[Take]:
    return [make("first", fps=24, seconds=1.0, sound=True, shot=1, prompt="@mia waves"),
            make("second", fps=24, seconds=1.5, shade=60, shot=2, prompt="the market"),
            make("third", fps=30, seconds=0.5, sound=True, shade=120, shot=3)]


def _clips(track: otio.schema.Track) -> list[otio.core.Item]:
    return list(track)


def test_otio_reads_back_as_the_clips_in_order(cut: list[Take], out_dir: Path) -> None:
    dest = write_timeline(cut, out_dir / "film.otio", name="Night market")
    timeline = otio.adapters.read_from_file(str(dest))
    assert timeline.name == "Night market"
    video, audio = timeline.tracks
    assert video.kind == otio.schema.TrackKind.Video
    clips = _clips(video)
    assert [c.name for c in clips] == ["Shot 1", "Shot 2", "Shot 3"]
    for clip, take, seconds, rate in zip(clips, cut, (1.0, 1.5, 0.5), (24, 24, 30),
                                         strict=True):
        path = Path(otio.url_utils.filepath_from_url(clip.media_reference.target_url))
        assert path.is_absolute() and path.is_file()
        assert path == take.path.resolve()
        assert clip.media_reference.target_url.startswith("file://")
        assert clip.duration().to_seconds() == pytest.approx(seconds, abs=1e-6)
        assert clip.duration().rate == rate
        assert clip.media_reference.available_range.duration == clip.duration()
        assert clip.metadata["vidu_studio"]["shot"] == take.shot
        assert clip.metadata["vidu_studio"]["prompt"] == take.prompt
    assert video.duration().to_seconds() == pytest.approx(3.0, abs=1e-6)
    # the sound: the takes that have it, a gap as long as the silent one
    assert audio.kind == otio.schema.TrackKind.Audio
    kinds = [type(item).__name__ for item in audio]
    assert kinds == ["Clip", "Gap", "Clip"]
    assert audio.duration().to_seconds() == pytest.approx(3.0, abs=1e-6)


def test_no_sound_no_audio_track(make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make("a", shot=1), make("b", shot=2)]
    dest = write_timeline(probe_cut(takes), out_dir / "film.otio")
    timeline = otio.adapters.read_from_file(str(dest))
    assert [t.kind for t in timeline.tracks] == [otio.schema.TrackKind.Video]
    assert len(_clips(timeline.tracks[0])) == 2


@pytest.mark.parametrize(("suffix", "adapter"), [("edl", "cmx_3600"), ("xml", "fcp_xml")])
def test_installed_adapters_write_their_formats(make: Callable[..., Take], out_dir: Path,
                                                suffix: str, adapter: str) -> None:
    takes = [make(n, fps=24, shot=i + 1, shade=i * 50) for i, n in enumerate("abc")]
    assert any(f.adapter == adapter and f.installed for f in timeline_formats())
    dest = write_timeline(takes, out_dir / f"film.{suffix}")
    timeline = otio.adapters.read_from_file(str(dest), adapter_name=adapter)
    video = next(t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video)
    clips = [c for c in video if isinstance(c, otio.schema.Clip)]
    assert len(clips) == 3
    assert [c.duration().to_seconds() for c in clips] == pytest.approx([1.0, 1.0, 1.0])
    assert sorted(p.name for p in out_dir.iterdir()) == [f"film.{suffix}"]


def test_a_format_whose_adapter_is_missing_says_which_package(
        cut: list[Take], out_dir: Path) -> None:
    missing = [f for f in timeline_formats() if not f.installed]
    assert missing, "every known format is installed: nothing to test this with"
    fmt = missing[0]
    with pytest.raises(AppError) as caught:
        write_timeline(cut, out_dir / f"film.{fmt.suffix}")
    assert "not installed" in caught.value.message and fmt.adapter in caught.value.message
    assert f"pip install {fmt.package}" in caught.value.hint
    assert caught.value.promise == Promise.FIX_SETUP
    assert list(out_dir.iterdir()) == []


def test_an_unknown_suffix_lists_the_formats_there_are(cut: list[Take], out_dir: Path) -> None:
    with pytest.raises(AppError) as caught:
        write_timeline(cut, out_dir / "film.mov")
    assert ".mov" in caught.value.message
    assert ".otio" in caught.value.hint and ".edl" in caught.value.hint
    assert list(out_dir.iterdir()) == []


def test_a_rate_the_format_cannot_hold_is_refused_whole(make: Callable[..., Take],
                                                        out_dir: Path) -> None:
    takes = [make("slow", fps=12, shot=1)]  # SMPTE timecode has no 12 fps
    with pytest.raises(AppError) as caught:
        write_timeline(takes, out_dir / "film.xml")
    assert "Final Cut Pro 7 XML" in caught.value.message and ".otio" in caught.value.hint
    assert list(out_dir.iterdir()) == []


def test_otio_is_always_offered_first() -> None:
    formats = timeline_formats()
    assert formats[0].adapter == "otio_json" and formats[0].installed
    assert {f.suffix for f in formats} >= {"otio", "edl", "xml"}
