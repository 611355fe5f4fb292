"""The player's control bar: play/pause, frame step, a seek slider with times, loop, mute,
volume and fullscreen. It only shows state and emits requests; the player owns the media.

The buttons never take keyboard focus, so Space and the other keys reach the player.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

ICON = 18  # px: the control bar's icons


def format_ms(ms: int) -> str:
    """``0:07``, ``1:02:03``: a media time for people (tenths are left out)."""
    seconds = max(0, int(ms)) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


#: Tab reaches the controls (a keyboard and a screen reader can use each); a click leaves the
#: focus on the player, whose keys (Space, L, M…) keep working
TAB_ONLY = Qt.FocusPolicy.TabFocus


class Playable(Protocol):
    """What the player and the compare view both offer to the keyboard."""

    def toggle(self) -> None: ...
    def step(self, frames: int) -> None: ...
    def set_loop(self, on: bool) -> None: ...
    def set_muted(self, on: bool) -> None: ...
    def toggle_fullscreen(self) -> None: ...
    def isFullScreen(self) -> bool: ...


def handle_key(target: Playable, event: QKeyEvent, *, looping: bool, muted: bool) -> bool:
    """The player's keys: Space, , . or Left/Right (a frame), L, M, F, Esc. True if used."""
    key = event.key()
    if key == Qt.Key.Key_Space:
        target.toggle()
    elif key in (Qt.Key.Key_Comma, Qt.Key.Key_Left):
        target.step(-1)
    elif key in (Qt.Key.Key_Period, Qt.Key.Key_Right):
        target.step(1)
    elif key == Qt.Key.Key_L:
        target.set_loop(not looping)
    elif key == Qt.Key.Key_M:
        target.set_muted(not muted)
    elif key == Qt.Key.Key_F or (key == Qt.Key.Key_Escape and target.isFullScreen()):
        target.toggle_fullscreen()
    else:
        return False
    event.accept()
    return True


def tinted(icon: QIcon, color: QColor) -> QIcon:
    """``icon``'s shapes filled with ``color``, at 1x and 2x."""
    out = QIcon()
    for scale in (1, 2):
        source = icon.pixmap(QSize(ICON * scale, ICON * scale))
        image = QPixmap(source.size())
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.drawPixmap(0, 0, source)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(image.rect(), color)
        painter.end()
        out.addPixmap(image)
    return out


class TintedIcons:
    """Buttons showing the style's standard icons drawn in the palette's button-text colour
    (the standard media icons are dark whatever the theme: invisible on the dark one), drawn
    again when the palette or the style changes: the widget passes its ``changeEvent`` on."""

    def __init__(self, widget: QWidget) -> None:
        self._widget = widget
        self._icons: dict[QToolButton, QStyle.StandardPixmap] = {}

    def set(self, button: QToolButton, which: QStyle.StandardPixmap) -> None:
        self._icons[button] = which
        color = self._widget.palette().color(QPalette.ColorRole.ButtonText)
        button.setIcon(tinted(self._widget.style().standardIcon(which), color))

    def follow(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            for button, which in list(self._icons.items()):
                self.set(button, which)


class PlayerControls(QWidget):
    """The bar under the video. ``set_*`` methods reflect state; signals ask for changes."""

    play_clicked = Signal()  #: the play/pause button (toggle)
    step_clicked = Signal(int)  #: -1 or +1 frame
    seek_requested = Signal(int)  #: ms, while dragging or on a click in the groove
    loop_toggled = Signal(bool)
    mute_toggled = Signal(bool)
    volume_changed = Signal(int)  #: 0..100
    fullscreen_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._duration = 0
        self._dragging = False
        self._icons = TintedIcons(self)
        self.play_button = self._button(QStyle.StandardPixmap.SP_MediaPlay, "Play (Space)")
        self.back_button = self._button(QStyle.StandardPixmap.SP_MediaSeekBackward,
                                        "Previous frame (,)")
        self.forward_button = self._button(QStyle.StandardPixmap.SP_MediaSeekForward,
                                           "Next frame (.)")
        self.position_label = QLabel("0:00")
        self.duration_label = QLabel("0:00")
        for label in (self.position_label, self.duration_label):
            label.setProperty("role", "muted")
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("00:00:00"))
        self.position_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                         | Qt.AlignmentFlag.AlignVCenter)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setFocusPolicy(TAB_ONLY)
        self.slider.setRange(0, 0)
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.slider.setAccessibleName("Position")
        self.loop_button = self._button(QStyle.StandardPixmap.SP_BrowserReload, "Loop (L)")
        self.loop_button.setCheckable(True)
        self.mute_button = self._button(QStyle.StandardPixmap.SP_MediaVolume, "Mute (M)")
        self.mute_button.setCheckable(True)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setFocusPolicy(TAB_ONLY)
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setFixedWidth(90)
        self.volume.setToolTip("Volume")
        self.volume.setAccessibleName("Volume")
        self.fullscreen_button = self._button(QStyle.StandardPixmap.SP_TitleBarMaxButton,
                                              "Fullscreen (F)")

        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        row.setSpacing(4)
        for widget in (self.play_button, self.back_button, self.forward_button,
                       self.position_label, self.slider, self.duration_label, self.loop_button,
                       self.mute_button, self.volume, self.fullscreen_button):
            row.addWidget(widget)

        self.play_button.clicked.connect(self.play_clicked)
        self.back_button.clicked.connect(lambda: self.step_clicked.emit(-1))
        self.forward_button.clicked.connect(lambda: self.step_clicked.emit(1))
        self.loop_button.toggled.connect(self.loop_toggled)
        self.mute_button.toggled.connect(self._on_mute)
        self.volume.valueChanged.connect(self.volume_changed)
        self.fullscreen_button.clicked.connect(self.fullscreen_clicked)
        self.slider.sliderPressed.connect(self._on_pressed)
        self.slider.sliderReleased.connect(self._on_released)
        self.slider.sliderMoved.connect(self._on_moved)
        self.slider.actionTriggered.connect(self._on_action)
        self.set_enabled(False)

    def _button(self, icon: QStyle.StandardPixmap, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIconSize(QSize(ICON, ICON))
        self._set_icon(button, icon)
        button.setAutoRaise(True)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setFocusPolicy(TAB_ONLY)
        return button

    # -- reflecting state ------------------------------------------------------------------

    def set_enabled(self, enabled: bool) -> None:
        """Media controls are off until something is loaded (volume and mute stay usable)."""
        for widget in (self.play_button, self.back_button, self.forward_button, self.slider,
                       self.loop_button, self.fullscreen_button):
            widget.setEnabled(enabled)

    def set_playing(self, playing: bool) -> None:
        pixmap = QStyle.StandardPixmap.SP_MediaPause if playing \
            else QStyle.StandardPixmap.SP_MediaPlay
        self._set_icon(self.play_button, pixmap)
        tip = "Pause (Space)" if playing else "Play (Space)"
        self.play_button.setToolTip(tip)
        self.play_button.setAccessibleName(tip.split(" (")[0])

    def set_duration(self, ms: int) -> None:
        self._duration = max(0, ms)
        self.slider.setRange(0, self._duration)
        self.slider.setPageStep(max(1000, self._duration // 10))
        self.slider.setSingleStep(100)
        self.duration_label.setText(format_ms(self._duration))

    def set_position(self, ms: int) -> None:
        if self._dragging:
            return  # the user's hand wins over the playback clock while scrubbing
        self.slider.setValue(ms)
        self.position_label.setText(format_ms(ms))

    def set_loop(self, on: bool) -> None:
        self.loop_button.setChecked(on)

    def set_muted(self, muted: bool) -> None:
        self.mute_button.setChecked(muted)
        self._mute_icon(muted)

    def set_volume(self, value: int) -> None:
        self.volume.setValue(value)

    # -- user input -----------------------------------------------------------------------

    def _mute_icon(self, muted: bool) -> None:
        pixmap = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted \
            else QStyle.StandardPixmap.SP_MediaVolume
        self._set_icon(self.mute_button, pixmap)

    def _set_icon(self, button: QToolButton, which: QStyle.StandardPixmap) -> None:
        self._icons.set(button, which)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        self._icons.follow(event)

    def _on_mute(self, muted: bool) -> None:
        self._mute_icon(muted)
        self.mute_toggled.emit(muted)

    def _on_pressed(self) -> None:
        self._dragging = True

    def _on_released(self) -> None:
        self._dragging = False
        self.seek_requested.emit(self.slider.value())

    def _on_moved(self, value: int) -> None:
        self.position_label.setText(format_ms(value))
        self.seek_requested.emit(value)

    def _on_action(self, action: int) -> None:
        """A click in the groove or a wheel step: seek where the slider is about to go."""
        if action in (QSlider.SliderAction.SliderMove.value,
                      QSlider.SliderAction.SliderNoAction.value):
            return
        self.seek_requested.emit(self.slider.sliderPosition())
