"""The player on real H.264 MP4s made by the emulator's renderer, played offscreen through the
FFmpeg backend in the PySide6 wheel: cover before play, frames, pause, seek, frame step, loop,
mute and volume, Space, fullscreen, and messages (not crashes) for missing or broken files."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QApplication

from vidu_desktop.emulator.media import RenderResult, RenderSpec, render
from vidu_desktop.ui.review.controls import format_ms
from vidu_desktop.ui.review.player import PlayerWidget

FPS = 12


@pytest.fixture(autouse=True)
def multimedia_noise(qt_warnings: list[str]) -> Iterator[list[str]]:
    """A test that expects a warning (a broken file) adds its pattern to the list this yields;
    those are dropped before the suite's warning trap sees them (the multimedia noise every
    run prints is in the trap's own list, ``conftest.IGNORED_QT_MESSAGES``)."""
    patterns: list[str] = []

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        if kind == QtMsgType.QtWarningMsg and any(re.search(p, message) for p in patterns):
            return
        previous(kind, context, message)

    previous = qInstallMessageHandler(handler)
    yield patterns
    qInstallMessageHandler(previous)


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    from conftest import make_image  # the suite's root conftest

    spec = RenderSpec(images=(make_image(640, 360),), width=320, height=180, duration_s=2.0,
                      fps=FPS, bgm=True, scale=1.0)
    return render(spec, tmp_path_factory.mktemp("player-media"))


@pytest.fixture(scope="session")
def clip_b(tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    from conftest import make_image

    spec = RenderSpec(images=(make_image(640, 360, color=(40, 120, 200)),), width=320,
                      height=180, duration_s=2.0, fps=FPS, bgm=True, seed=7, scale=1.0)
    return render(spec, tmp_path_factory.mktemp("player-media-b"))


@pytest.fixture
def player(qtbot: Any) -> Iterator[PlayerWidget]:
    widget = PlayerWidget()
    qtbot.addWidget(widget)
    widget.resize(480, 320)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    stop(qtbot, widget.screen_view)


def stop(qtbot: Any, *screens: Any) -> None:
    """Stop playback the way the app does (queued, see player_screen) and wait until it has:
    a player torn down mid-play from Python could deadlock with FFmpeg's audio thread."""
    live = [s for s in screens if shiboken6.isValid(s.player)]  # pytest-qt may have closed it
    for screen in live:
        screen.stop()
    stopped = QMediaPlayer.PlaybackState.StoppedState
    qtbot.waitUntil(lambda: all(not shiboken6.isValid(s.player)
                                or s.player.playbackState() == stopped for s in live),
                    timeout=5000)


def loaded(qtbot: Any, player: PlayerWidget, clip: RenderResult) -> PlayerWidget:
    player.load(clip.video_path, clip.cover_path)
    qtbot.waitUntil(lambda: player.player.mediaStatus() == QMediaPlayer.MediaStatus.LoadedMedia,
                    timeout=5000)
    return player


def playing(qtbot: Any, player: PlayerWidget) -> None:
    with qtbot.waitSignal(player.frame_shown, timeout=5000):
        player.play()


def test_cover_shows_before_play_then_frames_replace_it(qtbot: Any, player: PlayerWidget,
                                                        clip: RenderResult) -> None:
    loaded(qtbot, player, clip)
    screen = player.screen_view
    qtbot.waitUntil(lambda: screen.cover.image is not None, timeout=5000)
    assert screen.currentWidget() is screen.cover and screen.cover.isVisible()
    assert screen.cover.image.width() == 320
    assert player.controls.duration_label.text() == "0:02"
    shot = player.grab().toImage()  # the cover's gradient is drawn (not the dark backdrop)
    assert shot.pixelColor(40, 100).blue() > 150

    playing(qtbot, player)
    assert screen.currentWidget() is screen.view and screen.view.isVisible()
    qtbot.waitUntil(lambda: player.player.position() > 300, timeout=5000)
    assert player.controls.slider.value() > 0


def test_pause_holds_the_position(qtbot: Any, player: PlayerWidget, clip: RenderResult) -> None:
    loaded(qtbot, player, clip)
    playing(qtbot, player)
    qtbot.waitUntil(lambda: player.player.position() > 200, timeout=5000)
    player.pause()
    qtbot.waitUntil(lambda: player.player.playbackState()
                    == QMediaPlayer.PlaybackState.PausedState, timeout=2000)
    held = player.player.position()
    qtbot.wait(300)  # a pause must hold over time: nothing to wait for but time itself
    assert player.player.position() == held


def test_seek_lands_within_a_frame_and_step_moves_one_frame(
        qtbot: Any, player: PlayerWidget, clip: RenderResult) -> None:
    loaded(qtbot, player, clip)
    with qtbot.waitSignal(player.frame_shown, timeout=5000):
        player.seek(1000)  # a seek before play shows that frame (paused)
    qtbot.waitUntil(lambda: abs(player.player.position() - 1000) <= 1000 / FPS, timeout=3000)
    assert player.controls.position_label.text() == format_ms(1000)
    start = player.player.position()
    player.step(1)
    qtbot.waitUntil(lambda: abs(player.player.position() - (start + 1000 / FPS)) <= 2,
                    timeout=3000)
    player.step(-2)
    qtbot.waitUntil(lambda: abs(player.player.position() - (start - 1000 / FPS)) <= 2,
                    timeout=3000)
    assert player.player.playbackState() == QMediaPlayer.PlaybackState.PausedState


def test_step_pauses_a_playing_video(qtbot: Any, player: PlayerWidget,
                                     clip: RenderResult) -> None:
    loaded(qtbot, player, clip)
    playing(qtbot, player)
    player.step(1)
    qtbot.waitUntil(lambda: player.player.playbackState()
                    == QMediaPlayer.PlaybackState.PausedState, timeout=2000)


def test_loop_restarts_at_the_end(qtbot: Any, player: PlayerWidget, clip: RenderResult) -> None:
    loaded(qtbot, player, clip)
    player.set_loop(True)
    assert player.controls.loop_button.isChecked()
    player.seek(1500)
    playing(qtbot, player)
    positions: list[int] = []
    player.position_changed.connect(positions.append)
    qtbot.waitUntil(lambda: any(b < a - 500 for a, b in itertools.pairwise(positions)),
                    timeout=5000)
    assert player.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    assert player.player.mediaStatus() != QMediaPlayer.MediaStatus.EndOfMedia


def test_without_loop_it_stops_at_the_end(qtbot: Any, player: PlayerWidget,
                                          clip: RenderResult) -> None:
    loaded(qtbot, player, clip)
    player.seek(1700)
    playing(qtbot, player)
    qtbot.waitUntil(lambda: player.player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia,
                    timeout=5000)
    assert not player.screen_view.is_playing()
    assert player.controls.play_button.toolTip().startswith("Play")
    screen = player.screen_view  # the last frame stays up (the video item alone goes blank)
    assert screen.currentWidget() is screen.cover and screen.cover.image is not None
    assert screen.cover.image.width() == 320


def test_mute_and_volume_reach_the_audio_output(qtbot: Any, player: PlayerWidget,
                                                clip: RenderResult) -> None:
    player.load(clip.video_path, clip.cover_path)
    audio = player.audio
    player.set_volume(35)
    assert player.controls.volume.value() == 35
    qtbot.waitUntil(lambda: audio.volume() == pytest.approx(0.35))
    player.set_muted(True)
    assert player.controls.mute_button.isChecked()
    qtbot.waitUntil(audio.isMuted)
    player.controls.mute_button.click()  # the button unmutes
    qtbot.waitUntil(lambda: not audio.isMuted())
    player.controls.volume.setValue(70)  # the slider sets the volume
    qtbot.waitUntil(lambda: audio.volume() == pytest.approx(0.70))
    player.set_volume(250)
    qtbot.waitUntil(lambda: audio.volume() == pytest.approx(1.0))


def test_keys_when_the_player_has_focus(qtbot: Any, player: PlayerWidget,
                                        clip: RenderResult) -> None:
    loaded(qtbot, player, clip)
    player.activateWindow()
    player.setFocus()
    qtbot.waitUntil(player.hasFocus, timeout=2000)
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(player.frame_shown, timeout=5000):
        qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.screen_view.is_playing()
    qtbot.keyClick(player, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not player.screen_view.is_playing(), timeout=2000)
    qtbot.keyClick(player, Qt.Key.Key_M)
    qtbot.waitUntil(player.audio.isMuted)
    qtbot.keyClick(player, Qt.Key.Key_L)
    assert player.player.loops() == QMediaPlayer.Loops.Infinite
    assert player.hasFocus()  # the buttons never steal focus from the player


def test_fullscreen_and_back(qtbot: Any, qapp: QApplication, clip: RenderResult) -> None:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    player = PlayerWidget()
    layout.addWidget(player)
    host.resize(500, 360)
    host.show()
    qtbot.waitExposed(host)
    loaded(qtbot, player, clip)
    player.toggle_fullscreen()
    qtbot.waitUntil(player.isFullScreen, timeout=2000)
    assert player.isWindow()
    player.toggle_fullscreen()
    qtbot.waitUntil(lambda: not player.isFullScreen(), timeout=2000)
    assert not player.isWindow() and player.parent() is host and player.isVisible()
    stop(qtbot, player.screen_view)


def test_missing_file_shows_a_message(qtbot: Any, player: PlayerWidget, tmp_path: Path) -> None:
    missing = tmp_path / "gone.mp4"
    with qtbot.waitSignal(player.error, timeout=1000) as signal:
        assert player.load(missing) is False
    assert "missing" in signal.args[0] and str(missing) in signal.args[0]
    assert player.screen_view.message.isVisible()
    assert "missing" in player.message
    assert not player.controls.play_button.isEnabled()
    player.play()  # harmless
    player.seek(500)
    player.step(1)
    assert not player.screen_view.is_playing()


@pytest.mark.parametrize("kind", ["garbage", "truncated"])
def test_broken_file_shows_a_message(qtbot: Any, player: PlayerWidget, tmp_path: Path,
                                     clip: RenderResult, kind: str,
                                     multimedia_noise: list[str]) -> None:
    # the backend reports the broken file as a warning too: expected here, and only here
    multimedia_noise.append(r"^Could not open media\. FFmpeg error description")
    bad = tmp_path / f"{kind}.mp4"
    if kind == "garbage":
        bad.write_bytes(bytes(range(256)) * 64)
    else:
        bad.write_bytes(clip.video_path.read_bytes()[:3000])
    with qtbot.waitSignal(player.error, timeout=5000) as signal:
        player.load(bad, clip.cover_path)
        player.play()
    assert bad.name in signal.args[0]
    assert player.screen_view.message.isVisible()
    qtbot.waitUntil(lambda: not player.screen_view.is_playing(), timeout=2000)
    # and a good file afterwards plays again
    loaded(qtbot, player, clip)
    assert player.message == ""
    playing(qtbot, player)


def test_play_and_stop_over_and_over_never_deadlocks(qtbot: Any, player: PlayerWidget,
                                                      clip: RenderResult) -> None:
    """A direct ``stop()`` from Python while FFmpeg's audio thread tears its renderer down
    deadlocked on the GIL (usually in the first cycles, with sound); the screen's queued
    calls must survive many cycles. A deadlock ends the run through the suite's watchdog."""
    loaded(qtbot, player, clip)
    assert clip.has_audio
    screen = player.screen_view
    for volume in range(30, 90, 3):  # 20 cycles
        screen.play()
        qtbot.waitUntil(screen.is_playing, timeout=3000)
        qtbot.waitUntil(lambda: screen.player.position() > 40, timeout=3000)
        screen.stop()
        player.set_volume(volume)
        qtbot.waitUntil(lambda: screen.player.playbackState()
                        == QMediaPlayer.PlaybackState.StoppedState, timeout=3000)
    qtbot.waitUntil(lambda: player.audio.volume() == pytest.approx(0.87))


def test_control_icons_follow_the_theme(qtbot: Any, qapp: QApplication) -> None:
    """The style's media icons are dark whatever the theme; the bar draws them in the
    palette's button-text colour, so they stay visible on the dark theme."""
    from vidu_desktop.ui.common import theme
    from vidu_desktop.ui.review.controls import PlayerControls

    def ink(controls: PlayerControls) -> int:
        """The lightness of the play icon's opaque pixels."""
        image = controls.play_button.icon().pixmap(18, 18).toImage()
        values = [image.pixelColor(x, y) for x in range(image.width())
                  for y in range(image.height())]
        inked = [c.lightness() for c in values if c.alpha() > 200]
        assert inked, "the icon is empty"
        return sum(inked) // len(inked)

    controls = PlayerControls()
    qtbot.addWidget(controls)
    assert ink(controls) < 100  # light theme: dark icons
    theme.install(qapp, "dark")
    qtbot.waitUntil(lambda: ink(controls) > 160)  # re-drawn on the palette change
    controls.set_playing(True)  # icons set later are drawn in the current colour too
    assert ink(controls) > 160
