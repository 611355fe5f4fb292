"""The Generate bar: the button with the estimated cost, and why it is disabled when it is."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from vidu_desktop.core.capabilities import ModelSpec, provider
from vidu_desktop.ui.common import pyside_imports, theme
from vidu_desktop.ui.common.parameter_choices import Choices


def cost_texts(spec: ModelSpec, count: int, sandbox: bool = False, *,
               duration: int | None = None, resolution: str | None = None,
               audio: bool = False) -> tuple[str, str]:
    """The cost for the button ("about 24 credits", "cost unknown", "no cost") and the detail
    beside it ("3 takes × about 8 credits", "5 s × 0.5 credits/s + 2 credits", "see the
    host's pricing page"). A price by the second is the table's for ``duration`` (the model's
    default when None) at ``resolution``, with ``audio``; estimates say "about"."""
    cost = spec.cost_at(duration, resolution, audio)
    total = replace(cost, per_second=None).describe(count)  # without the reckoning
    if sandbox:
        name = provider(spec.provider).display_name
        would = (f"{name} would charge {total}" if cost.amount is not None
                 else f"{name}'s cost is unknown")
        return "no cost", f"Sandbox · {would}"
    if cost.amount is None:
        return "cost unknown", cost.note.capitalize() if cost.note else ""
    reckoning = cost.describe(1).partition(" (")[2].removesuffix(")") \
        if cost.per_second is not None else ""
    one = replace(cost, per_second=None).describe(1)
    if count > 1:
        detail = f"{count} takes × {one}" + (f", each {reckoning}" if reckoning else "")
    elif reckoning:
        detail = reckoning + (": an estimate" if cost.estimate else "")
    else:
        detail = "estimate for one take"
    if cost.estimate and cost.note:
        detail += f" ({cost.note})"
    return total, detail


def choices_cost(choices: Choices, sandbox: bool = False) -> tuple[str, str]:
    """``cost_texts`` of what the panel's choices would send (duration, resolution, audio,
    one task per variation)."""
    spec = choices.spec
    return cost_texts(spec, choices.variations, sandbox, duration=choices.duration,
                      resolution=choices.resolution,
                      audio=choices.audio and spec.supports_audio)


class GenerateBar(QWidget):
    generate = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reason = QLabel(self)
        self.reason.setObjectName("generate-reason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.set_role(self.reason, "error")
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.cost = QLabel(self)
        self.cost.setObjectName("generate-cost")
        theme.set_role(self.cost, "muted")
        self.cost.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.cost.setWordWrap(True)
        self.button = pyside_imports.button("Generate", self)
        self.button.setObjectName("generate")
        theme.set_role(self.button, "primary")
        self.button.setToolTip("Generate (Ctrl+Enter)")
        self.button.setMinimumWidth(280)
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.button.clicked.connect(self.generate)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.reason, 3)
        layout.addWidget(self.cost, 2)
        layout.addWidget(self.button)

    def show_state(self, *, takes: int, cost: str, detail: str, reason: str) -> None:
        label = "Generate" if takes == 1 else f"Generate {takes} takes"
        self.button.setText(f"{label}  ·  {cost}")
        self.cost.setText(detail)
        self.cost.setVisible(bool(detail))
        self.button.setEnabled(not reason)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.button.setToolTip((reason + "\n" if reason else "") + f"{label} (Ctrl+Enter)")
        self.button.setAccessibleName(f"{label}, {cost}" if cost else label)
        self.button.setAccessibleDescription(reason or detail)
