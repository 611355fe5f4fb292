"""The selected task, in full: state and progress, the error (message, hint, trace id, with a
copy button), the parameters, the ids, the files, and the buttons for what can be done."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.formatting import excerpt
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import TaskRecord
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.tasks.actions import TaskAction
from vidu_desktop.ui.tasks.model import TaskModel
from vidu_desktop.ui.tasks.texts import cost_text, host_name

_S = TaskState
_A = TaskAction

#: (action, button text, tooltip), in the buttons' and the menu's order
ACTIONS: tuple[tuple[TaskAction, str, str], ...] = (
    (_A.PLAY, "Play", "Play the video in the Review tab (or double-click the task)"),
    (_A.CANCEL, "Cancel", "Cancel on the host where it allows it, else stop following it"),
    (_A.RETRY, "Retry…", "Send this task again: a new paid submission"),
    (_A.REUSE, "Reuse settings", "Load its references, prompt and parameters into the composer"),
    (_A.RERUN_NEW_SEED, "New seed", "Generate it again with a new random seed"),
    (_A.REVEAL, "Show file", "Open the folder that holds the video"),
    (_A.COPY_IDS, "Copy ids", "Copy the task id, the host's task id and the trace id"),
    (_A.EXPORT_SIDECAR, "Export…", "Save the task's details (JSON) somewhere else"),
    (_A.DELETE, "Delete…", "Delete the task and its files from this computer"),
)


def enabled_actions(rec: TaskRecord) -> set[TaskAction]:
    allowed = {_A.REUSE, _A.RERUN_NEW_SEED, _A.COPY_IDS, _A.EXPORT_SIDECAR, _A.DELETE,
               _A.REVEAL}
    if not rec.state.is_terminal:
        allowed.add(_A.CANCEL)
    if rec.state in (_S.FAILED, _S.CANCELLED, _S.UNTRACKED):
        allowed.add(_A.RETRY)
    if rec.state not in (_S.SUCCEEDED, _S.DOWNLOADING):
        allowed.discard(_A.REVEAL)
    if rec.state == _S.SUCCEEDED:
        allowed.add(_A.PLAY)
    return allowed


def parameters_text(rec: TaskRecord) -> str:
    req = rec.request_data
    with contextlib.suppress(KeyError, ValueError):
        req = rec.request.resolved().to_dict()  # the model's defaults where none was chosen
    parts = []
    if req.get("duration"):
        parts.append(f"{req['duration']} s")
    for key in ("resolution", "aspect_ratio"):
        if req.get(key):
            parts.append(str(req[key]))
    if req.get("movement_amplitude"):
        parts.append(f"movement {req['movement_amplitude']}")
    seed = f"seed {rec.seed}" if rec.seed else "random seed"
    if rec.resolved_seed and rec.resolved_seed != rec.seed:
        seed += f" (host used {rec.resolved_seed})"
    parts.append(seed)
    if req.get("bgm"):
        parts.append("music")
    images = len(req.get("images", []))
    parts.append(f"{images} reference{'s' if images != 1 else ''}")
    return " · ".join(parts)


class TaskDetails(QWidget):
    """``action(TaskAction, local_id)`` asks for one of :data:`ACTIONS`;
    ``copy_error(local_id)``."""

    action = Signal(TaskAction, str)
    copy_error = Signal(str)

    def __init__(self, model: TaskModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.local_id = ""
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        theme.set_role(self.title, "section")
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setMaximumHeight(10)
        self.bar.setTextVisible(False)

        self.error_box = QFrame(self)
        self.error_box.setObjectName("task-error")
        theme.set_role(self.error_box, "banner-error")
        self.error_message = QLabel(self.error_box)
        self.error_message.setWordWrap(True)
        self.error_hint = QLabel(self.error_box)
        self.error_hint.setWordWrap(True)
        self.error_trace = QLabel(self.error_box)
        self.error_trace.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_error_button = QPushButton("Copy error", self.error_box)
        self.copy_error_button.setToolTip("Copy the message, the hint and the trace id")
        self.copy_error_button.clicked.connect(lambda: self.copy_error.emit(self.local_id))
        box = QGridLayout(self.error_box)
        box.setContentsMargins(10, 6, 6, 6)
        box.addWidget(self.error_message, 0, 0, 1, 2)
        box.addWidget(self.error_hint, 1, 0, 1, 2)
        box.addWidget(self.error_trace, 2, 0)
        box.addWidget(self.copy_error_button, 2, 1)
        box.setColumnStretch(0, 1)

        self.params = QLabel(self)
        self.params.setWordWrap(True)
        self.ids = QLabel(self)
        self.ids.setWordWrap(True)
        self.ids.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.set_role(self.ids, "muted")
        self.files = QLabel(self)
        self.files.setWordWrap(True)
        self.files.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.set_role(self.files, "muted")

        self.buttons: dict[TaskAction, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(4)
        for i, (act, text, tip) in enumerate(ACTIONS):
            button = QPushButton(text, self)
            button.setObjectName(f"task-{act.value}")
            button.setToolTip(tip)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("Retry…") + 16)
            button.clicked.connect(lambda _=False, a=act: self.action.emit(a, self.local_id))
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[act] = button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.bar)
        layout.addWidget(self.error_box)
        layout.addWidget(self.params)
        layout.addWidget(self.ids)
        layout.addWidget(self.files)
        layout.addStretch(1)
        layout.addLayout(grid)
        self.show_record(None)

    def show_record(self, rec: TaskRecord | None) -> None:
        self.local_id = rec.local_id if rec is not None else ""
        for widget in (self.title, self.state, self.bar, self.error_box, self.params, self.ids,
                       self.files, *self.buttons.values()):
            widget.setVisible(rec is not None)
        if rec is None:
            return
        self.title.setText(excerpt(rec.prompt, 160))
        self.title.setToolTip(rec.prompt)
        model = self.model
        line = [f"{host_name(rec)} {rec.model}{model.take_text(rec)}",
                model.state_line(rec), model.time_text(rec)]
        cost = cost_text(rec)
        if cost:
            line.append(cost)
        if rec.detail and rec.state != _S.FAILED:
            line.append(rec.detail)
        self.state.setText(" · ".join(line))
        progress = model.progress(rec)
        self.bar.setVisible(progress is not None or rec.state in (_S.QUEUED, _S.SUBMITTING))
        if progress is not None:
            self.bar.setRange(0, 100)
            self.bar.setValue(int(progress))
        else:
            self.bar.setRange(0, 0)  # busy: waiting for the host
        err = rec.error
        self.error_box.setVisible(err is not None and rec.state in (
            _S.FAILED, _S.OUTCOME_UNKNOWN, _S.DRAFT))
        if err is not None:
            self.error_message.setText(err.message)
            self.error_hint.setText(err.hint)
            self.error_hint.setVisible(bool(err.hint))
            trace = err.trace_id or rec.trace_id
            self.error_trace.setText(f"Trace id: {trace}" if trace else "No trace id")
        self.params.setText(parameters_text(rec))
        ids = [f"Task {rec.local_id}"]
        if rec.remote_id:
            ids.append(f"{host_name(rec)} id {rec.remote_id}")
        if rec.trace_id:
            ids.append(f"trace {rec.trace_id}")
        self.ids.setText(" · ".join(ids))
        files = self.model.engine.files(rec.local_id)
        self.files.setText("\n".join(f"{a.kind.value}: {a.path}" for a in files)
                           or "No files yet.")
        allowed = enabled_actions(rec)
        for act, button in self.buttons.items():
            button.setEnabled(act in allowed)
