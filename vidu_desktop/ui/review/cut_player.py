"""A cut played as one film: the takes back to back in one video screen, the next take loaded
when the one playing reaches its end, under a seek bar for the whole cut (``cut_bar``).

``play_cut(items)`` first checks the files and reads the lengths not given (``cut_probe``, in
the thread pool), then draws the bar and plays. A take that is missing or unreadable is left
out, and a line over the video names its shot and what to do; the others play.

Like every player here it never calls QMediaPlayer from Python directly: the screen's queued
calls (``screen.VideoScreen._call``) do, for the reason given there. A seek into another take
loads it and waits for the player's ``LoadedMedia`` before placing the position and playing.

Keys when the player or its bar has focus: Space plays or pauses, Left and Right go to the
previous and next shot, M mutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.ui.common import theme
from vidu_desktop.ui.review.controls import ICON, TAB_ONLY, TintedIcons
from vidu_desktop.ui.review.cut_bar import CutBar
from vidu_desktop.ui.review.cut_model import CutItem, CutTimeline, Problem
from vidu_desktop.ui.review.cut_probe import CutProbe, Probed
from vidu_desktop.ui.review.screen import VideoScreen

_SP = QStyle.StandardPixmap
_LOADED = QMediaPlayer.MediaStatus.LoadedMedia
_END = QMediaPlayer.MediaStatus.EndOfMedia
KEYS_DESCRIPTION = "Space plays or pauses; Left and Right go to the previous or next shot; M mutes"


class _Hint(QLabel):
    """A muted line that gives way: elided to the room it has, whole in its tooltip."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.full = text
        theme.set_role(self, "muted")
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setText(self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight,
                                                   self.width()))


class CutPlayer(QWidget):
    """See the module docstring. ``index`` is the span (``timeline.spans``) loaded."""

    ready = Signal()  #: the takes were read and the bar drawn
    shot_changed = Signal(int)  #: another span was loaded
    error = Signal(str)  #: a take was left out (the sentence names its shot)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Cut")
        self.setAccessibleDescription(KEYS_DESCRIPTION)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.set_role(self.problems, "warning")
        self.problems.hide()
        self.screen_view = VideoScreen()
        self.bar = CutBar()
        self.caption = QLabel("")
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keys_hint = _Hint("Click a shot to start it, or the line below it for an exact "
                               "time · ←/→ shots · Space plays")
        self._icons = TintedIcons(self)
        self.previous_button = self._button(_SP.SP_MediaSkipBackward, "Previous shot (Left)")
        self.play_button = self._button(_SP.SP_MediaPlay, "Play (Space)")
        self.next_button = self._button(_SP.SP_MediaSkipForward, "Next shot (Right)")
        self.mute_button = self._button(_SP.SP_MediaVolume, "Mute (M)")
        self.mute_button.setCheckable(True)

        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 4)
        row.setSpacing(4)
        for button in (self.previous_button, self.play_button, self.next_button):
            row.addWidget(button)
        row.addSpacing(6)
        row.addWidget(self.caption)
        row.addSpacing(12)
        row.addWidget(self.keys_hint, 1)
        row.addWidget(self.mute_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.problems)
        layout.addWidget(self.screen_view, 1)
        layout.addWidget(self.bar)
        layout.addLayout(row)

        self.timeline: CutTimeline | None = None
        self.index = -1
        self.playing = False  # as the user wants it (between takes the player is stopped)
        self._items: list[CutItem] = []
        self._token = 0
        self._autoplay = False
        self._pending: tuple[int, bool] | None = None  # (ms, play) once the take is loaded
        self._in_flight: Path | None = None  # the file the player is opening
        self._probe = CutProbe(self)
        self._probe.done.connect(self._on_probed)
        self.bar.seek_requested.connect(self.seek_to)
        self.bar.shot_requested.connect(self.jump_to)
        self.previous_button.clicked.connect(self.previous_shot)
        self.play_button.clicked.connect(self.toggle)
        self.next_button.clicked.connect(self.next_shot)
        self.mute_button.toggled.connect(self.set_muted)
        player = self.screen_view.player
        player.mediaStatusChanged.connect(self._on_status)
        player.positionChanged.connect(self._on_position)
        self.screen_view.error.connect(self._on_screen_error)
        self._set_enabled(False)

    # -- the cut ----------------------------------------------------------------------------
    def play_cut(self, items: Sequence[CutItem], *, play: bool = True) -> None:
        """Read the takes (off the UI thread), then show the cut and play it when ``play``."""
        self._token += 1
        self._items, self._autoplay = list(items), play
        self._pending, self.playing, self.index = None, False, -1
        self._in_flight = None
        self.screen_view.unload()
        self.timeline = None
        self.bar.set_timeline(None)
        self.problems.hide()
        self.caption.setText(f"Reading the {len(items)} takes…")
        self._set_enabled(False)
        self._probe.start(self._token, self._items)

    def _on_probed(self, token: int, results: list[Probed]) -> None:
        if token != self._token:
            return  # an older cut's answer
        problems = [Problem(item, n, r.problem)
                    for n, (item, r) in enumerate(zip(self._items, results, strict=True), 1)
                    if r.problem]
        self.timeline = CutTimeline(self._items, [r.duration for r in results], problems)
        self.bar.set_timeline(self.timeline)
        self._show_problems()
        for problem in problems:
            self.error.emit(problem.text)
        if self.timeline.spans:
            self._set_enabled(True)
            self._open(0, 0, self._autoplay)
        else:
            self.caption.setText("Nothing to play: no take of this cut can be read.")
            self.screen_view.fail("None of the cut's takes can play (see above).")
        self.ready.emit()

    def _show_problems(self) -> None:
        texts = [p.text for p in self.timeline.problems] if self.timeline else []
        self.problems.setText("\n".join(texts))
        self.problems.setVisible(bool(texts))

    # -- transport --------------------------------------------------------------------------
    def play(self) -> None:
        if self.timeline is None or not self.timeline.spans:
            return
        last = len(self.timeline.spans) - 1
        if self.index == last and self.screen_view.player.mediaStatus() == _END:
            self._open(0, 0, True)  # at the end: the cut again from its start
            return
        self._want(True)
        if self._pending is not None:
            self._pending = (self._pending[0], True)
        else:
            self.screen_view.play()

    def pause(self) -> None:
        self._want(False)
        if self._pending is not None:
            self._pending = (self._pending[0], False)
        else:
            self.screen_view.pause()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek_to(self, seconds: float) -> None:
        """Play (or show, when paused) the cut from ``seconds``, in whichever take it falls."""
        if self.timeline and self.timeline.spans:
            index, offset = self.timeline.locate(seconds)
            self._open(index, round(offset * 1000), self.playing)

    def jump_to(self, index: int) -> None:
        """The shot of span ``index`` from its start."""
        if self.timeline and 0 <= index < len(self.timeline.spans):
            self._open(index, 0, self.playing)

    def previous_shot(self) -> None:
        self.jump_to(max(0, self.index - 1))

    def next_shot(self) -> None:
        if self.timeline and self.index + 1 < len(self.timeline.spans):
            self.jump_to(self.index + 1)

    def set_muted(self, muted: bool) -> None:
        self.screen_view.set_muted(muted)
        self.mute_button.setChecked(muted)
        self._set_icon(self.mute_button, _SP.SP_MediaVolumeMuted if muted else _SP.SP_MediaVolume)

    def position(self) -> float:
        """Seconds into the cut (where the take playing is)."""
        if self.timeline is None or self.index < 0:
            return 0.0
        span = self.timeline.spans[self.index]
        if self._pending is not None:
            return span.start + self._pending[0] / 1000
        return span.start + min(self.screen_view.position() / 1000, span.duration)

    def _open(self, index: int, ms: int, play: bool) -> None:
        """Span ``index`` at ``ms``, playing or not; another take is loaded first."""
        assert self.timeline is not None
        self._want(play)
        screen = self.screen_view
        if index == self.index and self._pending is not None:
            self._pending = (ms, play)  # that take is still loading: it starts there
        elif index == self.index and screen.ready:
            if ms or not play or screen.player.mediaStatus() == _END:
                screen.seek(ms)
            if play:
                screen.play()
        else:
            self.index = index
            self._pending = (ms, play)
            self.shot_changed.emit(index)
            if self._in_flight is None:
                self._load(index)
            # else it is loaded once the take in flight is: an open cut short makes FFmpeg
            # warn, and each skip would cut one short
        self._show_position(self.timeline.spans[index].start + ms / 1000)

    def _load(self, index: int) -> None:
        assert self.timeline is not None
        screen = self.screen_view
        held = screen.cover.image  # the last frame shown, until the next take's first
        path = self.timeline.spans[index].item.path
        if screen.load(path):
            self._in_flight = Path(path)
            if held is not None:
                screen.cover.set_image(held)

    def _want(self, play: bool) -> None:
        self.playing = play
        self._set_icon(self.play_button, _SP.SP_MediaPause if play else _SP.SP_MediaPlay)
        tip = "Pause (Space)" if play else "Play (Space)"
        self.play_button.setToolTip(tip)
        self.play_button.setAccessibleName(tip.split(" (")[0])

    # -- reactions --------------------------------------------------------------------------
    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        screen = self.screen_view
        if status == _LOADED and self._in_flight is not None and self.timeline is not None:
            if screen.player.source() != QUrl.fromLocalFile(str(self._in_flight.resolve())):
                return  # the take before's, arriving late
            loaded, self._in_flight = self._in_flight, None
            if loaded != Path(self.timeline.spans[self.index].item.path):
                self._load(self.index)  # the user went on meanwhile
                return
            ms, play = self._pending or (0, self.playing)
            self._pending = None
            if ms or not play:
                screen.seek(ms)  # paused, the frame there is shown
            if play:
                screen.play()
        elif status == _END and self._pending is None and self.timeline is not None:
            if self.playing and self.index + 1 < len(self.timeline.spans):
                self._open(self.index + 1, 0, True)
            else:
                self._want(False)
                self._show_position(self.timeline.spans[self.index].end)

    def _on_position(self, _ms: int) -> None:
        if self.timeline is not None and self.index >= 0 and self._pending is None:
            self._show_position(self.position())

    def _show_position(self, seconds: float) -> None:
        if self.timeline is None or not self.timeline.spans:
            return
        index, offset = self.timeline.locate(seconds)
        if self.index >= 0 and index != self.index:  # a take's end is its own, not the next
            index, offset = self.index, self.timeline.spans[self.index].duration
        self.bar.set_position(seconds, index)
        self.caption.setText(self.timeline.caption(index, offset))

    def _on_screen_error(self, text: str) -> None:
        if self.timeline is None or self.index < 0 or self.screen_view.source is None:
            return
        self._in_flight = None
        failed = Path(self.screen_view.source)
        at = next((i for i, s in enumerate(self.timeline.spans) if Path(s.item.path) == failed),
                  self.index)
        span = self.timeline.spans[at]
        sentence = f"{span.item.label}: {text.splitlines()[0]} The cut goes on without it."
        self.timeline.problems.append(Problem(span.item, span.number, sentence))
        self._show_problems()
        self.error.emit(sentence)
        if at != self.index:
            self._load(self.index)  # the user went on while it was loading
        elif self.playing and self.index + 1 < len(self.timeline.spans):
            self._open(self.index + 1, 0, True)
        else:
            self._pending = None
            self._want(False)

    # -- keys and looks ---------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle()
        elif key == Qt.Key.Key_Left:
            self.previous_shot()
        elif key == Qt.Key.Key_Right:
            self.next_shot()
        elif key == Qt.Key.Key_M:
            self.set_muted(not self.mute_button.isChecked())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.previous_button, self.play_button, self.next_button, self.bar):
            widget.setEnabled(enabled)

    def _button(self, icon: _SP, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIconSize(QSize(ICON, ICON))
        button.setAutoRaise(True)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setFocusPolicy(TAB_ONLY)
        self._set_icon(button, icon)
        return button

    def _set_icon(self, button: QToolButton, which: _SP) -> None:
        self._icons.set(button, which)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        self._icons.follow(event)
