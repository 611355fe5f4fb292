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
from PySide6.QtGui import QMouseEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from vidu_desktop.ui.review.player_base import PlayerBase
from vidu_desktop.ui.review.screen import VideoScreen


class PlayerWidget(PlayerBase):
    """Plays one local video file. See the module docstring for keys and API."""

    frame_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen_view = VideoScreen()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.screen_view, 1)
        layout.addWidget(self.controls)
        self._wire()

        player = self.player
        player.playbackStateChanged.connect(self._on_state)
        player.durationChanged.connect(self.controls.set_duration)
        self.screen_view.error.connect(self._show_error)
        self.screen_view.frame_shown.connect(self.frame_shown)
        self.set_volume(80)

    @property
    def clock(self) -> VideoScreen:
        return self.screen_view

    @property
    def player(self) -> QMediaPlayer:
        return self.screen_view.player

    @property
    def audio(self) -> QAudioOutput:
        return self.screen_view.audio

    # -- API --------------------------------------------------------------------------------

    def load(self, video: Path, cover: Path | None = None) -> bool:
        """Show ``cover`` and get ``video`` ready to play. False (and ``error``) if missing."""
        self._reset_controls()
        ok = self.screen_view.load(video, cover)
        self.controls.set_enabled(ok)
        self._apply_loop()
        return ok

    def play(self) -> None:
        self.screen_view.play()

    def pause(self) -> None:
        self.screen_view.pause()

    def seek(self, ms: int) -> None:
        self.screen_view.seek(ms)

    def step(self, frames: int) -> None:
        self.screen_view.step(frames)

    @property
    def message(self) -> str:
        """The message shown instead of the video ("" when there is none)."""
        return self.screen_view.message.text() if self.screen_view.failed else ""

    # -- reactions --------------------------------------------------------------------------

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        self.controls.set_playing(state == QMediaPlayer.PlaybackState.PlayingState)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.screen_view.geometry().contains(event.position().toPoint()):
            self.toggle_fullscreen()
            event.accept()
        else:
            super().mouseDoubleClickEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)
