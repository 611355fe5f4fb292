"""Generate… for a board: which shots (this one, the selected ones, every shot without a take),
how many takes of each, what it makes and costs before anything is sent ("6 tasks · about 69
credits (estimate)", from the engine's plan), every shot's problem (nothing is sent while there
is one), the limit above which the app asks, and a second, explicit confirmation when the plan
is over it. ``confirmed(plan)`` carries the plan to send; the board sends it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import Mode, provider
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.formatting import money
from vidu_desktop.engine import Engine
from vidu_desktop.engine.board_plan import GenerationPlan
from vidu_desktop.store import Board
from vidu_desktop.ui.common import theme

MAX_TAKES = 4
THIS, SELECTED, MISSING = range(3)


def cost_words(plan: GenerationPlan) -> str:
    """"6 tasks · about 69 credits (estimate)"; "nothing is charged" in the sandbox."""
    n = plan.task_count
    tasks = "1 task" if n == 1 else f"{n} tasks"
    if plan.free:
        return f"{tasks} · sandbox: nothing is charged"
    parts = [money(amount, unit) for unit, amount in sorted(plan.cost.items())]
    text = f"{tasks} · about {' + '.join(parts)} (estimate)" if parts else tasks
    if plan.cost_unknown:
        text += f"; {plan.cost_unknown} of unknown price"
    return text


def over_words(plan: GenerationPlan) -> str:
    over = [f"{money(plan.cost.get(u, 0.0), u)} is more than your limit of {money(a, u)}"
            for u, a in sorted(plan.limit.items()) if plan.cost.get(u, 0.0) > a]
    return "; ".join(over)


class GenerateDialog(QDialog):
    confirmed = Signal(object)  # the GenerationPlan to send

    def __init__(self, engine: Engine, board: Board, current: str | None,
                 selected: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-generate")
        self.setWindowTitle(f"Generate: {board.name}")
        self.engine = engine
        self.board = board
        self.current = current
        self.selected = list(selected)
        self.plan: GenerationPlan | None = None
        self.question: QMessageBox | None = None
        try:
            self.unit = provider(board.provider).model(board.model, Mode.REFERENCE2VIDEO) \
                .cost.unit
        except (KeyError, ValueError):
            self.unit = "credits"
        number = next((s.number for s in board.shots if s.id == current), 0)
        missing = sum(1 for s in board.shots if not engine.takes(s.id))
        self.scope_this = QRadioButton(f"This shot (shot {number})" if number else "This shot",
                                       self)
        self.scope_selected = QRadioButton(f"The selected shots ({len(self.selected)})", self)
        self.scope_missing = QRadioButton(f"Every shot without a take ({missing})", self)
        self.scope = QButtonGroup(self)
        for i, button in enumerate((self.scope_this, self.scope_selected, self.scope_missing)):
            self.scope.addButton(button, i)
        self.scope_this.setEnabled(bool(number))
        self.scope_selected.setEnabled(len(self.selected) > 1)
        start = SELECTED if len(self.selected) > 1 else THIS if number else MISSING
        self.scope.button(start).setChecked(True)
        self.scope.idClicked.connect(lambda _i: self.replan())
        self.takes = QSpinBox(self)
        self.takes.setObjectName("board-generate-takes")
        self.takes.setRange(1, MAX_TAKES)
        self.takes.setAccessibleName("Takes per shot")
        self.takes.valueChanged.connect(lambda _v: self.replan())
        self.summary = QLabel(self)
        self.summary.setObjectName("board-generate-summary")
        theme.set_role(self.summary, "section")
        self.problems = QLabel(self)
        self.problems.setObjectName("board-generate-problems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        theme.set_role(self.problems, "error")
        self.over = QLabel(self)
        self.over.setObjectName("board-generate-over")
        self.over.setWordWrap(True)
        theme.set_role(self.over, "warning")
        limit = engine.spend_limit().get(self.unit)
        self.ask = QCheckBox("Ask before spending more than", self)
        self.ask.setObjectName("board-generate-ask")
        self.ask.setChecked(limit is not None)
        self.limit = QDoubleSpinBox(self)
        self.limit.setObjectName("board-generate-limit")
        self.limit.setAccessibleName(f"Spend limit in {self.unit}")
        self.limit.setRange(0, 1_000_000)
        self.limit.setDecimals(2 if self.unit == "USD" else 0)
        self.limit.setValue(limit if limit is not None else (5 if self.unit == "USD" else 100))
        self.limit.setEnabled(self.ask.isChecked())
        self.ask.toggled.connect(self._limit_changed)
        self.limit.valueChanged.connect(lambda _v: self._limit_changed())
        self.buttons = QDialogButtonBox(self)
        self.send_button = QPushButton("Generate", self)
        self.send_button.setObjectName("board-generate-send")
        theme.set_role(self.send_button, "primary")
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        takes_row = QHBoxLayout()
        takes_row.addWidget(QLabel("Takes of each shot", self))
        takes_row.addWidget(self.takes)
        takes_row.addStretch(1)
        limit_row = QHBoxLayout()
        limit_row.addWidget(self.ask)
        limit_row.addWidget(self.limit)
        limit_row.addWidget(QLabel(self.unit, self))
        limit_row.addStretch(1)
        note = QLabel("Costs are estimates from the hosts' price lists; the host's bill is "
                      "what counts.", self)
        note.setWordWrap(True)
        theme.set_role(note, "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Generate", self))
        for button in (self.scope_this, self.scope_selected, self.scope_missing):
            layout.addWidget(button)
        layout.addLayout(takes_row)
        layout.addSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.over)
        layout.addLayout(limit_row)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.replan()

    def shot_ids(self) -> list[str] | None:
        which = self.scope.checkedId()
        if which == THIS:
            return [self.current] if self.current else []
        if which == SELECTED:
            return self.selected
        return None

    def replan(self) -> GenerationPlan | None:
        """Ask the engine what this Generate would make and cost; show it."""
        try:
            plan = self.engine.plan_generation(
                self.board.id, shot_ids=self.shot_ids(), takes_each=self.takes.value(),
                only_missing=self.scope.checkedId() == MISSING)
        except AppError as err:
            self.plan = None
            self.summary.setText("Nothing to generate")
            self.problems.setText(f"{err.message} {err.hint}".strip())
            self.problems.show()
            self.over.hide()
            self.send_button.setEnabled(False)
            return None
        self.plan = plan
        self.summary.setText(cost_words(plan) if plan.task_count else "Nothing to generate")
        self.problems.setText("\n".join(f"• {p}" for p in plan.problems))
        self.problems.setVisible(bool(plan.problems))
        if plan.problems:
            self.problems.setText("Nothing is sent until these are put right:\n"
                                  + self.problems.text())
        self.over.setText(f"Above your limit: {over_words(plan)}. Generate asks once more."
                          if plan.over_limit else "")
        self.over.setVisible(plan.over_limit)
        self.send_button.setEnabled(bool(plan.task_count) and not plan.problems)
        return plan

    def _limit_changed(self) -> None:
        self.limit.setEnabled(self.ask.isChecked())
        amount = self.limit.value() if self.ask.isChecked() else None
        try:
            self.engine.set_spend_limit(self.unit, amount)
        except AppError as err:
            self.over.setText(err.message)
            self.over.show()
            return
        self.replan()

    def send(self) -> None:
        plan = self.replan()
        if plan is None or plan.problems or not plan.task_count:
            return
        if plan.over_limit:
            self._confirm(plan)
            return
        self._go(plan)

    def _confirm(self, plan: GenerationPlan) -> None:
        """Over the limit: ask again, explicitly (``open()``, never ``exec()``)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Above your spend limit",
                          f"This Generate makes {cost_words(plan)}.",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("board-generate-confirm")
        box.setInformativeText(f"{over_words(plan)}. Send it anyway?")
        spend = box.addButton("Spend it and generate", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def done(_result: int) -> None:
            self.question = None
            box.deleteLater()
            if box.clickedButton() is spend:
                self._go(plan)

        box.finished.connect(done)
        self.question = box
        box.open()

    def _go(self, plan: GenerationPlan) -> None:
        self.confirmed.emit(plan)
        self.accept()
