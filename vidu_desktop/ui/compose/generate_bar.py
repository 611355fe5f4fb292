"""The Generate bar: the button with the estimated cost, and why it is disabled when it is."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from vidu_desktop.core.capabilities import ModelSpec, provider
from vidu_desktop.ui.common import theme


def cost_texts(spec: ModelSpec, count: int, sandbox: bool = False) -> tuple[str, str]:
    """The cost for the button ("about 24 credits", "cost unknown", "no cost") and the detail
    beside it ("3 takes, about 8 credits each", "see the host's pricing page")."""
    cost = spec.cost
    if sandbox:
        name = provider(spec.provider).display_name
        would = (f"{name} would charge {cost.describe(count)}" if cost.amount is not None
                 else f"{name}'s cost is unknown")
        return "no cost", f"Sandbox · {would}"
    if cost.amount is None:
        return "cost unknown", cost.note.capitalize() if cost.note else ""
    each = cost.describe(1)
    detail = "estimate for one take" if count == 1 else f"{count} takes × {each}"
    if cost.estimate and cost.note:
        detail += f" ({cost.note})"
    return cost.describe(count), detail


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
        self.button = QPushButton("Generate", self)
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
