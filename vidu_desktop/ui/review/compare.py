"""Compare two takes side by side, played, paused, sought and stepped together.

One clock: take A (left) is the master; every play/pause/seek/step is applied to both, and while
playing a timer checks the follower (B) and seeks it to A's position when they drift apart by
more than ``DRIFT_MS``. One control bar drives both; the sound comes from A only (two copies of
similar music at once would be noise), so B's audio output stays muted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from vidu_desktop.ui.review.player_base import PlayerBase
from vidu_desktop.ui.review.screen import VideoScreen

DRIFT_MS = 80
SYNC_INTERVAL_MS = 250


class _Caption(QLabel):
    """A take's caption, elided in the middle to its width (long file names never widen the
    window); the tooltip has the whole text."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.full = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_caption(self, text: str, tip: str) -> None:
        self.full = text
        self.setToolTip(tip)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideMiddle,
                                                   max(40, self.width() - 8)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()


class CompareWidget(PlayerBase):
    """Two ``VideoScreen``s with captions over one ``PlayerControls``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.a, self.b = VideoScreen(), VideoScreen()
        self.caption_a, self.caption_b = _Caption("A"), _Caption("B")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        for column, (caption, screen) in enumerate(((self.caption_a, self.a),
                                                    (self.caption_b, self.b))):
            caption.setProperty("role", "muted")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setContentsMargins(0, 4, 0, 2)
            grid.addWidget(caption, 0, column)
            grid.addWidget(screen, 1, column)
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(1, 1)
        self.controls.loop_button.setToolTip("Loop both (L)")
        self.controls.mute_button.setToolTip("Mute (M) — the sound is take A's")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(grid, 1)
        layout.addWidget(self.controls)

        self.b.set_muted(True)
        self._wire()
        self.a.player.playbackStateChanged.connect(self._on_state)
        self.a.player.durationChanged.connect(self._on_duration)
        self.b.player.durationChanged.connect(self._on_duration)
        for screen in (self.a, self.b):
            screen.error.connect(self._on_error)
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(SYNC_INTERVAL_MS)
        self.sync_timer.timeout.connect(self.resync)
        self.corrections = 0  #: how many times the follower was pulled back into line

    @property
    def clock(self) -> VideoScreen:
        """Take A keeps time and is heard; B follows, muted."""
        return self.a

    # -- API --------------------------------------------------------------------------------

    def load(self, a: Path, b: Path, cover_a: Path | None = None, cover_b: Path | None = None,
             *, label_a: str = "", label_b: str = "") -> bool:
        """Load both takes (covers and captions optional). False if either cannot be loaded."""
        self.sync_timer.stop()
        self._reset_controls()
        for caption, text, path in ((self.caption_a, label_a or f"A — {Path(a).name}", a),
                                    (self.caption_b, label_b or f"B — {Path(b).name}", b)):
            caption.set_caption(text, str(path))
        ok_a = self.a.prepare(a, cover_a)
        ok_b = self.b.prepare(b, cover_b)
        if ok_a and ok_b:  # one take alone is no comparison: open neither if one is missing
            self.a.open()
            self.b.open()
        self.b.player.setLoops(1)
        self._apply_loop()
        self.controls.set_enabled(ok_a and ok_b)
        return ok_a and ok_b

    def play(self) -> None:
        if self.a.ready and self.b.ready:
            self.b.seek(self.a.position())
            self.a.play()
            self.b.play()

    def pause(self) -> None:
        self.a.pause()
        self.b.pause()
        if self.b.ready:
            self.b.seek(self.a.position())

    def seek(self, ms: int) -> None:
        self.a.seek(ms)
        self.b.seek(ms)

    def step(self, frames: int) -> None:
        target = self.a.step(frames)
        if self.b.ready and target is not None:
            self.b.pause()
            self.b.seek(target)

    def drift(self) -> int:
        """Follower minus master, in ms."""
        return self.b.player.position() - self.a.player.position()

    def resync(self) -> None:
        """Pull the follower back to the master's clock if it drifted (or stopped early)."""
        if not (self.a.ready and self.b.ready and self.a.is_playing()):
            return
        master = self.a.player.position()
        follower = self.b.player
        end = follower.duration()
        if end > 0 and master >= end:
            return  # B is shorter and has finished: let it rest on its last frame
        if not self.b.is_playing():
            self.b.set_position(master)
            self.b.play()
            self.corrections += 1
        elif abs(follower.position() - master) > DRIFT_MS:
            self.b.set_position(master)
            self.corrections += 1

    # -- reactions --------------------------------------------------------------------------

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.controls.set_playing(playing)
        if playing:
            self.sync_timer.start()
        else:
            self.sync_timer.stop()
            if state == QMediaPlayer.PlaybackState.StoppedState:
                self.b.pause()

    def _on_duration(self, _ms: int) -> None:
        self.controls.set_duration(max(self.a.player.duration(), self.b.player.duration()))

    def _on_error(self, text: str) -> None:
        self.sync_timer.stop()
        self.a.pause()
        self.b.pause()
        self._show_error(text)
