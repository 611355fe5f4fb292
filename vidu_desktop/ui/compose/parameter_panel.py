"""The parameter panel, built from the capability table: only values the chosen host and
model support are offered, and a change that invalidates a choice says so in a visible note."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import PROVIDERS, Mode, ModelSpec, provider
from vidu_desktop.ui.common import pyside_imports, theme
from vidu_desktop.ui.common.parameter_choices import MAX_VARIATIONS, Choices, default_choices, fit
from vidu_desktop.ui.common.session import Session

MOVEMENT_TEXT = {"auto": "Auto", "small": "Small", "medium": "Medium", "large": "Large"}
ASPECT_TEXT = {"auto": "Auto"}


def _combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _fill(combo: QComboBox, items: list[tuple[str, Any]], current: Any) -> None:
    combo.blockSignals(True)
    combo.clear()
    for text, value in items:
        combo.addItem(text, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(0, index))
    combo.blockSignals(False)


class ParameterPanel(QWidget):
    changed = Signal()
    notes_changed = Signal()  # shown or cleared: the panel's height changed
    host_settings_requested = Signal(object)  # ProviderId

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._choices = default_choices()
        self.notes: list[str] = []
        self.rng = random.Random()

        title = QLabel("Parameters", self)
        theme.set_role(title, "section")
        self.host = _combo(self, "host")
        for pid, spec in PROVIDERS.items():
            self.host.addItem(spec.display_name, pid)
        self.key_status = QLabel(self)
        self.key_status.setObjectName("key-status")
        self.keys_button = pyside_imports.button("Keys…", self)
        self.keys_button.setToolTip("The API key and address of this host")
        self.keys_button.clicked.connect(
            lambda: self.host_settings_requested.emit(self._choices.provider))
        self.model = _combo(self, "model")
        self.duration = _combo(self, "duration")
        self.resolution = _combo(self, "resolution")
        self.aspect = _combo(self, "aspect")
        self.movement = _combo(self, "movement")
        self.seed = QSpinBox(self)
        self.seed.setObjectName("seed")
        self.seed.setMinimum(1)
        self.seed.setAccelerated(True)
        self.random_seed = QCheckBox("Random", self)
        self.random_seed.setObjectName("random-seed")
        self.random_seed.setToolTip("Draw a new seed for every take")
        self.dice = QToolButton(self)
        self.dice.setText("Roll")
        self.dice.setToolTip("Roll a new seed")
        self.dice.setAccessibleName("Roll a new seed")
        self.bgm = QCheckBox("Add background music", self)
        self.audio = QCheckBox("Speech and sound", self)
        self.audio.setObjectName("audio")
        self.audio.setAccessibleName("Audio: speech and sound with the video")
        self.variations = QSpinBox(self)
        self.variations.setObjectName("variations")
        self.variations.setRange(1, MAX_VARIATIONS)
        self.variations.setToolTip("Generate this many takes at once, each with its own seed")

        self.advanced_toggle = QToolButton(self)
        self.advanced_toggle.setText("Advanced")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.setAccessibleName("Advanced options")
        self.advanced_toggle.setToolTip("Payload, off-peak and watermark")
        self.advanced = QWidget(self)
        self.payload = QLineEdit(self.advanced)
        self.payload.setObjectName("payload")
        self.payload.setPlaceholderText("Passed back with the task (up to 1 MB)")
        self.off_peak = QCheckBox("Off-peak (cheaper, may take up to 48 h)", self.advanced)
        self.watermark = QCheckBox("Watermark", self.advanced)
        self.no_advanced = QLabel(self.advanced)
        theme.set_role(self.no_advanced, "muted")
        self.no_advanced.setWordWrap(True)
        adv = QFormLayout(self.advanced)
        adv.setContentsMargins(16, 0, 0, 0)
        adv.addRow("Payload", self.payload)
        adv.addRow(self.off_peak)
        adv.addRow(self.watermark)
        adv.addRow(self.no_advanced)
        self._adv_form = adv
        self.advanced.hide()

        self.notes_frame = QFrame(self)
        self.notes_frame.setObjectName("parameter-notes")
        theme.set_role(self.notes_frame, "warning")
        self.notes_label = QLabel(self.notes_frame)
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dismiss = QToolButton(self.notes_frame)
        dismiss.setText("✕")
        dismiss.setAutoRaise(True)
        dismiss.setToolTip("Dismiss")
        dismiss.setAccessibleName("Dismiss the notes")
        self.dismiss_notes = dismiss
        dismiss.clicked.connect(self.clear_notes)
        notes_layout = QHBoxLayout(self.notes_frame)
        notes_layout.setContentsMargins(8, 6, 4, 6)
        notes_layout.addWidget(self.notes_label, 1)
        notes_layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.notes_frame.hide()

        host_row = QHBoxLayout()
        host_row.addWidget(self.host, 1)
        host_row.addWidget(self.keys_button)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.dice)
        seed_row.addWidget(self.random_seed)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._buddy("&Host", self.host), host_row)
        form.addRow("", self.key_status)
        form.addRow("&Model", self.model)
        form.addRow("&Duration", self.duration)
        form.addRow("&Resolution", self.resolution)
        form.addRow("Aspect ratio", self.aspect)
        form.addRow("Mo&vement", self.movement)
        form.addRow(self._buddy("&Seed", self.seed), seed_row)
        form.addRow("Music", self.bgm)
        form.addRow("&Audio", self.audio)
        form.addRow("Varia&tions", self.variations)
        self.form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.advanced_toggle)
        layout.addWidget(self.advanced)
        layout.addWidget(self.notes_frame)
        layout.addStretch(1)

        self.host.currentIndexChanged.connect(lambda _: self._user_change(
            provider=self.host.currentData(), model=self._choices.model))
        self.model.currentIndexChanged.connect(
            lambda _: self._user_change(model=self.model.currentData()))
        self.duration.currentIndexChanged.connect(
            lambda _: self._user_change(duration=self.duration.currentData()))
        self.resolution.currentIndexChanged.connect(
            lambda _: self._user_change(resolution=self.resolution.currentData()))
        self.aspect.currentIndexChanged.connect(
            lambda _: self._user_change(aspect_ratio=self.aspect.currentData()))
        self.movement.currentIndexChanged.connect(
            lambda _: self._user_change(movement_amplitude=self.movement.currentData()))
        self.seed.valueChanged.connect(lambda v: self._user_change(seed=v))
        self.random_seed.toggled.connect(lambda on: self._user_change(random_seed=on))
        self.dice.clicked.connect(self.roll_seed)
        self.bgm.toggled.connect(lambda on: self._user_change(bgm=on))
        self.audio.toggled.connect(lambda on: self._user_change(audio=on))
        self.variations.valueChanged.connect(lambda v: self._user_change(variations=v))
        self.payload.textChanged.connect(lambda t: self._user_change(payload=t))
        self.off_peak.toggled.connect(lambda on: self._user_change(off_peak=on))
        self.watermark.toggled.connect(lambda on: self._user_change(watermark=on))
        self.advanced_toggle.toggled.connect(self._show_advanced)
        session.changed.connect(self.refresh_key_status)
        self._apply(self._choices, [])

    def focus_order(self) -> list[QWidget]:
        """Top to bottom, as the form reads."""
        return [self.host, self.keys_button, self.model, self.duration, self.resolution,
                self.aspect, self.movement, self.seed, self.dice, self.random_seed, self.bgm,
                self.audio, self.variations, self.advanced_toggle, self.payload, self.off_peak,
                self.watermark, self.dismiss_notes]

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    # -- reading and writing -----------------------------------------------------------------
    def choices(self) -> Choices:
        return self._choices

    @property
    def spec(self) -> ModelSpec:
        return self._choices.spec

    def set_choices(self, choices: Choices, *, announce: bool = True) -> list[str]:
        """Show ``choices`` (fitted to the host and model); returns the notes of what changed."""
        fitted, notes = fit(choices)
        self._apply(fitted, notes if announce else [])
        self.changed.emit()
        return notes

    def roll_seed(self) -> None:
        value = self.rng.randint(1, self.spec.seed_max)
        self._user_change(seed=value, random_seed=False)

    def offered(self, name: str) -> list[Any]:
        """The values a combo box offers now (for tests and the CLI's wording)."""
        combo: QComboBox = getattr(self, name)
        return [combo.itemData(i) for i in range(combo.count())]

    # -- internals ---------------------------------------------------------------------------
    def _user_change(self, **values: Any) -> None:
        if any(v is None for v in values.values()):
            return
        previous = self._choices
        fitted, notes = fit(replace(previous, **values), previous)
        if fitted == previous:
            return
        self._apply(fitted, notes)
        self.changed.emit()

    def _apply(self, choices: Choices, notes: list[str]) -> None:
        self._choices = choices
        spec = choices.spec
        host = provider(choices.provider)
        self.host.blockSignals(True)
        self.host.setCurrentIndex(max(0, self.host.findData(choices.provider)))
        self.host.blockSignals(False)
        _fill(self.model, [(m.model, m.model) for m in host.models_for(Mode.REFERENCE2VIDEO)],
              choices.model)
        _fill(self.duration, [(f"{d} s", d) for d in spec.durations], choices.duration)
        _fill(self.resolution, [(r, r) for r in spec.resolutions_for(choices.duration)],
              choices.resolution)
        _fill(self.aspect, [(ASPECT_TEXT.get(a, a), a) for a in spec.aspect_ratios],
              choices.aspect_ratio)
        self.aspect.setEnabled(bool(spec.aspect_ratios))
        _fill(self.movement, [(MOVEMENT_TEXT.get(m, m), m) for m in spec.movement_amplitudes],
              choices.movement_amplitude)
        for widget, value in ((self.seed, choices.seed), (self.variations, choices.variations)):
            widget.blockSignals(True)
            if widget is self.seed:
                widget.setMaximum(spec.seed_max)
                widget.setToolTip(f"1 to {spec.seed_max} on {host.display_name}")
            widget.setValue(value)
            widget.blockSignals(False)
        for box, on in ((self.random_seed, choices.random_seed), (self.bgm, choices.bgm),
                        (self.off_peak, choices.off_peak), (self.watermark, choices.watermark),
                        (self.audio, choices.audio)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.seed.setEnabled(spec.supports_seed and not choices.random_seed)
        self.random_seed.setEnabled(spec.supports_seed)
        self.dice.setEnabled(spec.supports_seed)
        self.bgm.setEnabled(spec.supports_bgm)
        self._apply_audio(choices)
        if self.payload.text() != choices.payload:
            self.payload.blockSignals(True)
            self.payload.setText(choices.payload)
            self.payload.blockSignals(False)
        self._adv_form.setRowVisible(self.payload, spec.supports_payload)
        self._adv_form.setRowVisible(self.off_peak, spec.supports_off_peak)
        self._adv_form.setRowVisible(self.watermark, spec.supports_watermark)
        offered = any((spec.supports_payload, spec.supports_off_peak, spec.supports_watermark))
        self.no_advanced.setText(f"{host.display_name} offers no options beyond these.")
        self._adv_form.setRowVisible(self.no_advanced, not offered)
        shown = self.notes_frame.isVisibleTo(self)
        self.notes = notes
        self.notes_label.setText("\n".join(notes))
        self.notes_frame.setVisible(bool(notes))
        if notes or shown:
            self.notes_changed.emit()
        self.refresh_key_status()

    def _apply_audio(self, choices: Choices) -> None:
        """Audio is shown where the model makes it; where the model refuses it with off-peak,
        whichever of the two is off is disabled while the other is on, and says why."""
        spec = choices.spec
        self.form.setRowVisible(self.audio, spec.supports_audio)
        exclusive = (spec.supports_audio and spec.supports_off_peak
                     and not spec.audio_with_off_peak)
        blocked = exclusive and choices.off_peak and not choices.audio
        self.audio.setEnabled(not blocked)
        self.audio.setToolTip(
            f"Off-peak is on, and {spec.model} cannot make audio off-peak: turn Off-peak off "
            "(under Advanced) to add speech and sound." if blocked else
            f"Speech and sound generated with the video by {spec.model}.")
        off_blocked = exclusive and choices.audio and not choices.off_peak
        self.off_peak.setEnabled(not off_blocked)
        self.off_peak.setToolTip(
            f"Audio is on, and {spec.model} cannot run off-peak with audio: turn Audio off "
            "to run off-peak." if off_blocked else
            "Runs when the host has spare capacity, within 48 hours, for fewer credits.")

    def advanced_offers(self) -> list[str]:
        """Which advanced options the chosen host shows ("payload", "off_peak", "watermark")."""
        form = self._adv_form
        return [name for name in ("payload", "off_peak", "watermark")
                if form.isRowVisible(getattr(self, name))]

    def clear_notes(self) -> None:
        self.notes = []
        self.notes_label.clear()
        self.notes_frame.hide()
        self.notes_changed.emit()

    def _show_advanced(self, on: bool) -> None:
        self.advanced.setVisible(on)
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if on
                                          else Qt.ArrowType.RightArrow)

    def refresh_key_status(self) -> None:
        status = self.session.key_status(self._choices.provider)
        mark = "●" if status.usable else "○"
        self.key_status.setText(f"{mark} {status.text}")
        theme.set_role(self.key_status, "ok" if status.usable else "error")
