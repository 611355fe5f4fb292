"""What the player and the compare view share: one control bar driving the screen that keeps
time and is heard (the ``clock``), loop, sound, fullscreen and the keys."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QWidget

from vidu_desktop.ui.review.controls import PlayerControls, handle_key
from vidu_desktop.ui.review.screen import VideoScreen

KEYS_DESCRIPTION = ("Space plays or pauses; comma and period, or Left and Right, step a frame; "
                    "L loops, M mutes, F toggles fullscreen")


class PlayerBase(QWidget):
    """Subclasses build their screens, then call ``_wire()``; ``clock`` is the screen whose
    position the controls show and whose sound is heard."""

    error = Signal(str)
    position_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Video")
        self.setAccessibleDescription(KEYS_DESCRIPTION)
        self.controls = PlayerControls()
        self._loop = False
        self._muted = False  # as asked (the audio output applies it from the event loop)

    @property
    def clock(self) -> VideoScreen:
        raise NotImplementedError

    def _wire(self) -> None:
        c = self.controls
        c.play_clicked.connect(self.toggle)
        c.step_clicked.connect(self.step)
        c.seek_requested.connect(self.seek)
        c.loop_toggled.connect(self.set_loop)
        c.mute_toggled.connect(self.set_muted)
        c.volume_changed.connect(self.set_volume)
        c.fullscreen_clicked.connect(self.toggle_fullscreen)
        self.clock.player.positionChanged.connect(self._on_position)

    # -- what differs: how many screens play, pause, seek and step --------------------------
    def play(self) -> None:
        raise NotImplementedError

    def pause(self) -> None:
        raise NotImplementedError

    def seek(self, ms: int) -> None:
        raise NotImplementedError

    def step(self, frames: int) -> None:
        raise NotImplementedError

    # -- shared --------------------------------------------------------------------------------
    def toggle(self) -> None:
        if self.clock.is_playing():
            self.pause()
        else:
            self.play()

    def set_loop(self, on: bool) -> None:
        self._loop = on
        self._apply_loop()
        self.controls.set_loop(on)

    def _apply_loop(self) -> None:
        self.clock.player.setLoops(QMediaPlayer.Loops.Infinite if self._loop else 1)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self.clock.set_muted(muted)
        self.controls.set_muted(muted)

    def set_volume(self, value: int) -> None:
        value = max(0, min(100, int(value)))
        self.clock.set_volume(value / 100)
        self.controls.set_volume(value)

    def toggle_fullscreen(self) -> None:
        """Lift the whole view (video and controls) into a fullscreen window, or put it back."""
        if self.isFullScreen():
            self.setWindowFlag(Qt.WindowType.Window, False)
            self.showNormal()
            self.show()
        else:
            self.setWindowFlag(Qt.WindowType.Window, True)
            self.showFullScreen()
        self.setFocus()

    def _reset_controls(self) -> None:
        self.controls.set_duration(0)
        self.controls.set_position(0)
        self.controls.set_playing(False)

    def _on_position(self, ms: int) -> None:
        self.controls.set_position(ms)
        self.position_changed.emit(ms)

    def _show_error(self, text: str) -> None:
        self.controls.set_enabled(False)
        self.controls.set_playing(False)
        self.error.emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not handle_key(self, event, looping=self._loop,
                          muted=self._muted):
            super().keyPressEvent(event)
