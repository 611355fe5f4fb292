"""The player: a video screen (cover before play, the video, or a message) over a control bar.

Keys when the player has focus: Space play/pause, ``,``/``.`` or Left/Right a frame back/forward
(pausing), L loop, M mute, F or a double-click fullscreen, Esc leaves fullscreen.

``PlayerWidget`` API: ``load(video, cover=None)``, ``play()``, ``pause()``, ``toggle()``,
``seek(ms)``, ``step(frames)``, ``set_loop(bool)``, ``set_muted(bool)``, ``set_volume(0..100)``,
``toggle_fullscreen()``; signals ``error(str)``, ``position_changed(int)``, ``frame_shown()``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .player_controls import PlayerControls, handle_key
from .player_screen import VideoScreen


class PlayerWidget(QWidget):
    """Plays one local video file. See the module docstring for keys and API."""

    error = Signal(str)
    position_changed = Signal(int)
    frame_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.screen_view = VideoScreen()
        self.controls = PlayerControls()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.screen_view, 1)
        layout.addWidget(self.controls)

        player = self.player
        player.playbackStateChanged.connect(self._on_state)
        player.durationChanged.connect(self.controls.set_duration)
        player.positionChanged.connect(self._on_position)
        self.screen_view.error.connect(self._on_error)
        self.screen_view.frame_shown.connect(self.frame_shown)
        c = self.controls
        c.play_clicked.connect(self.toggle)
        c.step_clicked.connect(self.step)
        c.seek_requested.connect(self.seek)
        c.loop_toggled.connect(self.set_loop)
        c.mute_toggled.connect(self.set_muted)
        c.volume_changed.connect(self.set_volume)
        c.fullscreen_clicked.connect(self.toggle_fullscreen)
        self._loop = False
        self._parent_before_fullscreen: QWidget | None = None
        self.set_volume(80)

    @property
    def player(self) -> QMediaPlayer:
        return self.screen_view.player

    @property
    def audio(self) -> QAudioOutput:
        return self.screen_view.audio

    # -- API --------------------------------------------------------------------------------

    def load(self, video: Path, cover: Path | None = None) -> bool:
        """Show ``cover`` and get ``video`` ready to play. False (and ``error``) if missing."""
        self.controls.set_duration(0)
        self.controls.set_position(0)
        self.controls.set_playing(False)
        ok = self.screen_view.load(video, cover)
        self.controls.set_enabled(ok)
        self.player.setLoops(QMediaPlayer.Loops.Infinite if self._loop else 1)
        return ok

    def play(self) -> None:
        self.screen_view.play()

    def pause(self) -> None:
        self.screen_view.pause()

    def toggle(self) -> None:
        if self.screen_view.is_playing():
            self.pause()
        else:
            self.play()

    def seek(self, ms: int) -> None:
        self.screen_view.seek(ms)

    def step(self, frames: int) -> None:
        self.screen_view.step(frames)

    def set_loop(self, on: bool) -> None:
        self._loop = on
        self.player.setLoops(QMediaPlayer.Loops.Infinite if on else 1)
        self.controls.set_loop(on)

    def set_muted(self, muted: bool) -> None:
        self.screen_view.audio.setMuted(muted)
        self.controls.set_muted(muted)

    def set_volume(self, value: int) -> None:
        value = max(0, min(100, int(value)))
        self.screen_view.audio.setVolume(value / 100)
        self.controls.set_volume(value)

    def toggle_fullscreen(self) -> None:
        """Lift the player (video and controls) into a fullscreen window, or put it back."""
        if self.isFullScreen():
            self.setWindowFlag(Qt.WindowType.Window, False)
            self.showNormal()
            self.show()
        else:
            self.setWindowFlag(Qt.WindowType.Window, True)
            self.showFullScreen()
        self.setFocus()

    @property
    def message(self) -> str:
        """The message shown instead of the video ("" when there is none)."""
        return self.screen_view.message.text() if self.screen_view.failed else ""

    # -- reactions --------------------------------------------------------------------------

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        self.controls.set_playing(state == QMediaPlayer.PlaybackState.PlayingState)

    def _on_position(self, ms: int) -> None:
        self.controls.set_position(ms)
        self.position_changed.emit(ms)

    def _on_error(self, text: str) -> None:
        self.controls.set_enabled(False)
        self.controls.set_playing(False)
        self.error.emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not handle_key(self, event, looping=self._loop, muted=self.screen_view.audio.isMuted()):
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.screen_view.geometry().contains(event.position().toPoint()):
            self.toggle_fullscreen()
            event.accept()
        else:
            super().mouseDoubleClickEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)
