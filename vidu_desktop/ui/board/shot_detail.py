"""The selected shot's detail: its prompt, edited in place with a live count against the
model's limit (saved when the editor loses focus or after a pause in typing), its pictures and
cast as small thumbnails and names, and its main parameters (the board's default unless the
shot changes one). "Open in composer" and "Update from composer" leave the full editing to the
composer (the shell connects them)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import Mode, ModelSpec, provider
from vidu_desktop.core.choices import Choices
from vidu_desktop.core.errors import AppError
from vidu_desktop.engine import Engine
from vidu_desktop.store import Board, Shot, StoreError
from vidu_desktop.ui.common import theme

SAVE_DELAY_MS = 800
THUMB = QSize(40, 40)
#: the parameters the detail offers (the composer has the rest): name, label
FIELDS = (("duration", "Duration"), ("resolution", "Resolution"),
          ("aspect_ratio", "Aspect ratio"), ("movement_amplitude", "Movement"))


class PromptBox(QPlainTextEdit):
    """A plain editor that says when it loses focus."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


def spec_of(board: Board) -> ModelSpec | None:
    try:
        return provider(board.provider).model(board.model, Mode.REFERENCE2VIDEO)
    except (KeyError, ValueError):
        return None


def value_text(name: str, value: Any) -> str:
    return f"{value} s" if name == "duration" else str(value)


class ShotDetail(QWidget):
    """``prompt_edited(shot_id, text)``, ``parameters_edited(shot_id, overrides)``;
    ``open_in_composer()`` / ``update_from_composer()`` for the shown shot."""

    prompt_edited = Signal(str, str)
    parameters_edited = Signal(str, dict)
    open_in_composer = Signal()
    update_from_composer = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-shot-detail")
        self.engine = engine
        self.board: Board | None = None
        self.shot: Shot | None = None
        self.title = QLabel(self)
        theme.set_role(self.title, "section")
        self.counter = QLabel(self)
        self.counter.setObjectName("board-prompt-counter")
        theme.set_role(self.counter, "counter")
        self.prompt = PromptBox(self)
        self.prompt.setObjectName("board-prompt")
        self.prompt.setAccessibleName("Shot prompt")
        self.prompt.setPlaceholderText("What happens in this shot (mention the cast as @name)")
        self.prompt.setTabChangesFocus(True)
        self.prompt.setMinimumHeight(64)
        self.prompt.setMaximumHeight(120)
        self.prompt.textChanged.connect(self._typed)
        self.prompt.left.connect(self.save_prompt)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_prompt)
        self.pictures = QHBoxLayout()
        self.pictures.setSpacing(4)
        self.cast = QLabel(self)
        self.cast.setWordWrap(True)
        theme.set_role(self.cast, "muted")
        self.combos: dict[str, QComboBox] = {}
        params = QGridLayout()
        params.setHorizontalSpacing(12)
        params.setVerticalSpacing(4)
        for i, (key, label) in enumerate(FIELDS):
            combo = QComboBox(self)
            combo.setObjectName(f"board-shot-{key}")
            combo.setAccessibleName(f"Shot {label.lower()}")
            combo.activated.connect(lambda _i: self._parameters_chosen())
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setToolTip(f"{label} of this shot; “(board)”: the board's default")
            self.combos[key] = combo
            caption = QLabel(label, self)
            theme.set_role(caption, "muted")
            caption.setBuddy(combo)
            row, column = divmod(i, 2)
            params.addWidget(caption, row, 2 * column)
            params.addWidget(combo, row, 2 * column + 1)
        params.setColumnStretch(4, 1)
        self.open_button = QPushButton("Open in composer", self)
        self.open_button.setObjectName("board-open-in-composer")
        self.open_button.setToolTip("Load this shot's prompt, pictures, cast and parameters "
                                    "into the composer, to edit them there")
        self.open_button.clicked.connect(self.open_in_composer)
        self.update_button = QPushButton("Update from composer", self)
        self.update_button.setObjectName("board-update-from-composer")
        self.update_button.setToolTip("Give this shot the composer's prompt, pictures, cast "
                                      "and parameters (its takes become stale)")
        self.update_button.clicked.connect(self.update_from_composer)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.counter)
        refs = QHBoxLayout()
        refs.setSpacing(8)
        refs.addLayout(self.pictures)
        refs.addWidget(self.cast, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.update_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.prompt)
        layout.addLayout(refs)
        layout.addLayout(params)
        layout.addLayout(buttons)
        self.show_shot(None, None)

    def focus_order(self) -> list[QWidget]:
        return [self.prompt, *self.combos.values(), self.open_button, self.update_button]

    # -- showing -----------------------------------------------------------------------------
    def show_shot(self, board: Board | None, shot: Shot | None) -> None:
        """Show ``shot`` (None: nothing selected). The prompt being typed is saved first;
        the same shot shown again keeps the text and the cursor."""
        same = self.shot is not None and shot is not None and shot.id == self.shot.id
        if not same:
            self.save_prompt()
        self.board, self.shot = board, shot
        enabled = shot is not None
        for widget in (self.prompt, self.open_button, self.update_button,
                       *self.combos.values()):
            widget.setEnabled(enabled)
        if shot is None or board is None:
            self.title.setText("No shot selected")
            self.prompt.blockSignals(True)
            self.prompt.clear()
            self.prompt.blockSignals(False)
            self.counter.clear()
            self.cast.setText("")
            self._show_pictures(None)
            return
        self.title.setText(f"Shot {shot.number}")
        typing = same and (self.prompt.hasFocus() or self._timer.isActive())
        if not typing and self.prompt.toPlainText() != shot.prompt:
            self.prompt.blockSignals(True)
            self.prompt.setPlainText(shot.prompt)
            self.prompt.blockSignals(False)
        self._count()
        self._show_pictures(shot)
        names = []
        for member_id in shot.cast:
            member = self.engine.cast_member(member_id)
            names.append("@" + member.name if member is not None else "(a member no longer "
                         "in the cast)")
        self.cast.setText("Cast: " + ", ".join(names) if names else
                          ("" if shot.references else
                           "No pictures or cast yet: Update from composer gives it the "
                           "composer's."))
        self._fill_parameters(board, shot)

    def _show_pictures(self, shot: Shot | None) -> None:
        while self.pictures.count():
            item = self.pictures.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if shot is None:
            return
        for ref in shot.references[:8]:
            label = QLabel(self)
            label.setFixedSize(THUMB)
            label.setToolTip(ref.label or ref.original_name or "picture")
            label.setAccessibleName(f"Picture {ref.label or ref.original_name}")
            try:
                image = QImage.fromData(self.engine.read_reference(ref.sha256))
            except (StoreError, AppError, OSError):
                image = QImage()
            if not image.isNull():
                label.setPixmap(QPixmap.fromImage(image.scaled(
                    THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation)))
            else:
                label.setText("?")
            self.pictures.addWidget(label)

    def _fill_parameters(self, board: Board, shot: Shot) -> None:
        spec = spec_of(board)
        defaults = Choices.for_model(board.provider, board.model, dict(board.parameters)) \
            if spec is not None else None
        for key, combo in self.combos.items():
            combo.clear()
            if spec is None or defaults is None:
                combo.setEnabled(False)
                continue
            default = getattr(defaults, key)
            combo.addItem(f"{value_text(key, default)} (board)", None)
            combo.setItemData(0, "The board's default: every shot that does not change it",
                              Qt.ItemDataRole.ToolTipRole)
            values: tuple[Any, ...] = {
                "duration": spec.durations,
                "resolution": spec.resolutions_for(
                    int(shot.parameters.get("duration", defaults.duration))),
                "aspect_ratio": spec.aspect_ratios,
                "movement_amplitude": spec.movement_amplitudes,
            }[key]
            for value in values:
                combo.addItem(value_text(key, value), value)
            current = shot.parameters.get(key)
            at = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, at))
            combo.setEnabled(len(values) > 0)

    # -- editing -----------------------------------------------------------------------------
    def _typed(self) -> None:
        self._count()
        self._timer.start()

    def _count(self) -> None:
        spec = spec_of(self.board) if self.board is not None else None
        n = len(self.prompt.toPlainText())
        if spec is None:
            self.counter.setText(f"{n}")
            return
        limit = spec.prompt_limit
        self.counter.setText(f"{n} / {limit}")
        self.counter.setToolTip(f"{provider(spec.provider).display_name} {spec.model} takes "
                                f"prompts of up to {limit} characters")
        theme.set_role(self.counter, "counter-over" if n > limit else
                       "counter-warn" if n > 0.9 * limit else "counter")

    def save_prompt(self) -> None:
        """Save the typed prompt now (when it differs from the shot's)."""
        self._timer.stop()
        shot = self.shot
        if shot is None:
            return
        text = self.prompt.toPlainText()
        if text != shot.prompt:
            self.shot = replace(shot, prompt=text)  # saved once, whoever asks again
            self.prompt_edited.emit(shot.id, text)

    def _parameters_chosen(self) -> None:
        shot = self.shot
        if shot is None:
            return
        overrides = dict(shot.parameters)
        for key, combo in self.combos.items():
            value = combo.currentData()
            if value is None:
                overrides.pop(key, None)
            else:
                overrides[key] = value
        if overrides != shot.parameters:
            self.parameters_edited.emit(shot.id, overrides)
