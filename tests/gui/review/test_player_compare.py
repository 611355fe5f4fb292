"""Compare: two takes side by side on one clock (real MP4s, offscreen FFmpeg backend)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer

from vidu_desktop.emulator.media import RenderResult
from vidu_desktop.ui.review.compare import CompareWidget

from .test_player import clip, clip_b, multimedia_noise, stop  # noqa: F401  (shared fixtures)

Loaded = QMediaPlayer.MediaStatus.LoadedMedia


@pytest.fixture
def compare(qtbot: Any, clip: RenderResult, clip_b: RenderResult) -> Iterator[CompareWidget]:  # noqa: F811
    widget = CompareWidget()
    qtbot.addWidget(widget)
    widget.resize(760, 300)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.load(clip.video_path, clip_b.video_path, clip.cover_path, clip_b.cover_path)
    qtbot.waitUntil(lambda: widget.a.player.mediaStatus() == Loaded
                    and widget.b.player.mediaStatus() == Loaded, timeout=5000)
    yield widget
    stop(qtbot, widget.a, widget.b)


def test_both_play_together_and_stay_in_step(qtbot: Any, compare: CompareWidget) -> None:
    with qtbot.waitSignals([compare.a.frame_shown, compare.b.frame_shown], timeout=5000):
        compare.play()
    assert compare.a.is_playing() and compare.b.is_playing()
    assert compare.b.audio.isMuted() and not compare.a.audio.isMuted()
    qtbot.waitUntil(lambda: compare.a.player.position() >= 1000, timeout=5000)
    assert abs(compare.drift()) < 150
    compare.pause()
    qtbot.waitUntil(lambda: not compare.a.is_playing() and not compare.b.is_playing(),
                    timeout=2000)
    qtbot.waitUntil(lambda: abs(compare.drift()) <= 1, timeout=2000)


def test_a_seek_and_a_step_move_both(qtbot: Any, compare: CompareWidget) -> None:
    compare.seek(1000)
    qtbot.waitUntil(lambda: abs(compare.a.player.position() - 1000) <= 90
                    and abs(compare.b.player.position() - 1000) <= 90, timeout=3000)
    assert compare.controls.slider.value() == compare.a.player.position()
    start = compare.a.player.position()
    compare.step(1)
    qtbot.waitUntil(lambda: compare.a.player.position() > start
                    and compare.b.player.position() == compare.a.player.position(),
                    timeout=3000)


def test_drift_is_corrected(qtbot: Any, compare: CompareWidget) -> None:
    compare.play()
    qtbot.waitUntil(lambda: compare.a.player.position() > 200, timeout=5000)
    compare.b.set_position(compare.a.player.position() + 600)  # knock B out of line
    qtbot.waitUntil(lambda: compare.corrections >= 1, timeout=2000)
    qtbot.waitUntil(lambda: abs(compare.drift()) < 150, timeout=2000)


def test_space_toggles_both(qtbot: Any, compare: CompareWidget) -> None:
    compare.activateWindow()
    compare.setFocus()
    qtbot.waitUntil(compare.hasFocus, timeout=2000)
    qtbot.keyClick(compare, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: compare.a.is_playing() and compare.b.is_playing(), timeout=2000)
    qtbot.keyClick(compare, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not compare.a.is_playing() and not compare.b.is_playing(),
                    timeout=2000)


def test_a_missing_take_shows_a_message(qtbot: Any, tmp_path: Path,
                                        clip: RenderResult) -> None:  # noqa: F811
    widget = CompareWidget()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.error, timeout=1000):
        assert not widget.load(clip.video_path, tmp_path / "nope.mp4")
    assert not widget.controls.play_button.isEnabled()
    widget.play()
    assert not widget.a.is_playing()
