"""The Board area: a storyboard's shots in order, the selected shot's detail and takes, picked
by keyboard. It reads and changes the board through the engine's verbs and hears the takes'
progress through the engine bridge; what it asks of the rest of the window goes out as signals
the shell connects (play a take or the board in Review, the shot into or from the composer).

Keys (the shot list has focus): 1–9 pick take N, X rejects the current take, Space plays it,
Enter plays the board from this shot, ←/→ (↑/↓) previous / next shot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.errors import AppError
from vidu_desktop.core.records import record
from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import Engine
from vidu_desktop.store import ArtifactKind, Board, Settings, Shot, TaskRecord
from vidu_desktop.ui.board.bar import BoardBar
from vidu_desktop.ui.board.board_actions import BoardActions, ComposerChoice
from vidu_desktop.ui.board.questions import Questions
from vidu_desktop.ui.board.shot_detail import ShotDetail
from vidu_desktop.ui.board.shot_list import KEYS_HINT, ShotList
from vidu_desktop.ui.board.shot_model import ShotModel, ShotRow
from vidu_desktop.ui.board.takes_strip import CARD, TakesStrip
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.common.background import Background
from vidu_desktop.ui.common.bridge import EngineBridge
from vidu_desktop.ui.common.covers import CoverCache

REFRESH_MS = 150
CURRENT_KEY = "board.current"
EMPTY_TEXT = ("No boards yet. A board is a film planned as shots: New… makes one for the "
              "composer's host and model, Shot list › Import reads one from a CSV file.")


@record
class CutEntry:
    """One take of a cut to play: its video, "Shot 3", its length (None: not known)."""

    path: Path
    label: str
    duration_s: float | None = None


def _default_choice() -> tuple[str, str, dict[str, Any]]:
    return "vidu", "viduq1", {}


class BoardArea(QWidget):
    message = Signal(str)
    play_take_requested = Signal(str)  # a task's local id
    play_cut_requested = Signal(list)  # CutEntry list: the board from a shot on
    open_in_composer = Signal(object, object)  # Board, Shot
    update_from_composer = Signal(str)  # a shot id

    def __init__(self, engine: Engine, bridge: EngineBridge, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-area")
        self.engine = engine
        self.bridge = bridge
        self.settings = settings
        self.board: Board | None = None
        self._shown_shot: str | None = None  # the shot whose takes the strip shows
        self.bg = Background()
        self.questions = Questions(self)
        #: the composer's host, model and parameters, for a new board (the shell sets it)
        self.composer_choice: ComposerChoice = _default_choice
        self.bar = BoardBar(self)
        self.hint = QLabel(KEYS_HINT, self)
        self.hint.setObjectName("board-keys-hint")
        self.hint.setWordWrap(True)
        theme.set_role(self.hint, "muted")
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("board-empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.set_role(self.empty, "muted")
        self.model = ShotModel(engine, self)
        self.shots = ShotList(self.model, self)
        self.detail = ShotDetail(engine, self)
        self.takes = TakesStrip(self)
        self.take_covers = CoverCache(self, thumb=CARD)
        self.take_covers.ready.connect(self._take_cover_ready)
        self.board_actions = BoardActions(self)
        self.add_button = QPushButton("Add shot", self)
        self.add_button.setObjectName("board-add-shot")
        self.add_button.setToolTip("A new shot after the selected one")
        self.duplicate_button = QPushButton("Duplicate", self)
        self.duplicate_button.setObjectName("board-duplicate-shot")
        self.duplicate_button.setToolTip("A copy of the selected shot right after it, with no "
                                         "takes")
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("board-delete-shot")
        self.delete_button.setToolTip("Delete the selected shot (Delete); its tasks stay in "
                                      "the task list")
        self._layout()
        self._connect()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        remembered = settings.get(CURRENT_KEY, "") if settings is not None else ""
        self.reload(board_id=str(remembered or "") or None)

    def _layout(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(4)
        left_layout.addWidget(self.shots, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.setSpacing(10)
        right_layout.addWidget(self.detail)
        right_layout.addWidget(self.takes, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.setObjectName("board-split")
        self.split.addWidget(left)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 6, 8)
        layout.setSpacing(6)
        layout.addWidget(self.bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.split, 1)

    def _connect(self) -> None:
        bar, actions = self.bar, self.board_actions
        bar.board_chosen.connect(lambda board_id: self.reload(board_id=board_id))
        bar.new_board.connect(actions.new_board)
        bar.rename_board.connect(actions.rename_board)
        bar.delete_board.connect(actions.delete_board)
        bar.import_csv.connect(actions.import_csv)
        bar.export_csv.connect(actions.export_csv)
        bar.generate.connect(actions.open_generate)
        bar.play_board.connect(lambda: self.play_from(0))
        bar.export_board.connect(actions.export_board)
        self.add_button.clicked.connect(actions.add_shot)
        self.duplicate_button.clicked.connect(actions.duplicate_shot)
        self.delete_button.clicked.connect(actions.delete_shot)
        self.shots.delete_shot.connect(actions.delete_shot)
        self.shots.selectionModel().selectionChanged.connect(self._selection_changed)
        self.shots.pick.connect(self.pick)
        self.shots.reject.connect(lambda: self.reject(self.takes.current))
        self.shots.play_take.connect(lambda: self.play_take(self.takes.current))
        self.shots.play_shot.connect(self.play_shot)
        self.model.move_requested.connect(actions.move_shot)
        self.takes.pick.connect(self.pick)
        self.takes.reject.connect(self.reject)
        self.takes.play.connect(self.play_take)
        self.detail.prompt_edited.connect(actions.save_prompt)
        self.detail.parameters_edited.connect(actions.save_parameters)
        self.detail.open_in_composer.connect(self._open_in_composer)
        self.detail.update_from_composer.connect(self._update_from_composer)
        self.bridge.state_changed.connect(self._on_task)
        self.bridge.marked.connect(self._on_task)
        self.bridge.board_changed.connect(self._on_board_changed)

    def focus_order(self) -> list[QWidget]:
        return [*self.bar.focus_order(), self.shots, self.add_button, self.duplicate_button,
                self.delete_button, *self.detail.focus_order()]

    # -- reading the board -------------------------------------------------------------------
    def set_engine(self, engine: Engine) -> None:
        """Another library is active (sandbox mode switched): its takes from now on."""
        self.detail.save_prompt()
        self.engine = engine
        self.model.engine = engine
        self.detail.engine = engine
        self.reload(board_id=self.board.id if self.board else None)

    def reload(self, *, board_id: str | None = None, shot_id: str | None = None) -> None:
        """Read the boards and the board ``board_id`` (None: the current one, else the
        first) anew, keeping ``shot_id`` (or the current shot) selected."""
        self.detail.save_prompt()
        boards = self.engine.boards()
        wanted = board_id or (self.board.id if self.board else None)
        ids = [b.id for b in boards]
        if wanted not in ids:
            wanted = ids[0] if ids else None
        current = self.current_shot()
        keep = shot_id or (current.id if current is not None else None)
        if wanted != (self.board.id if self.board else None):
            keep = shot_id
        self.board = self.engine.board(wanted) if wanted else None
        if self.settings is not None:
            self.settings.set(CURRENT_KEY, wanted or "")
        self.bar.set_boards(boards, wanted)
        has = self.board is not None
        self.empty.setVisible(not has)
        self.split.setVisible(has)
        self.hint.setVisible(has)
        self.model.set_rows(self._rows())
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            button.setEnabled(has)
        row = self.model.row_of(keep) if keep else None
        if self.model.rowCount() and (row is not None or not self.shots.currentIndex().isValid()):
            self.shots.go(row or 0)
        self._show_current()

    def _rows(self) -> list[ShotRow]:
        if self.board is None:
            return []
        return [ShotRow(s, tuple(self.engine.takes(s.id))) for s in self.board.shots]

    def refresh(self) -> None:
        """The takes' states and marks anew (the board's shots as they are)."""
        self._refresh_timer.stop()
        if self.board is None:
            return
        self.model.set_rows(self._rows())
        self._show_current()

    def _on_task(self, rec: TaskRecord) -> None:
        if rec.local_id in self.model.take_ids() and not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _on_board_changed(self, board_id: str) -> None:
        if self.board is not None and board_id == self.board.id:
            self.reload()
        else:
            self.bar.set_boards(self.engine.boards(), self.board.id if self.board else None)

    # -- the current shot --------------------------------------------------------------------
    def current_row(self) -> ShotRow | None:
        return self.model.row(self.shots.current_row())

    def current_shot(self) -> Shot | None:
        row = self.current_row()
        return row.shot if row is not None else None

    def selected_shot_ids(self) -> list[str]:
        rows = [self.model.row(i) for i in self.shots.selected_rows()]
        return [r.shot.id for r in rows if r is not None]

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_current()

    def _show_current(self) -> None:
        row = self.current_row()
        self.detail.show_shot(self.board, row.shot if row else None)
        takes = list(row.takes) if row else []
        covers = {t.local_id: self.take_covers.get(t.local_id, self._cover_of(t.local_id))
                  for t in takes}
        shot_id = row.shot.id if row else None
        self.takes.show_takes(takes, covers, keep=shot_id == self._shown_shot)
        self._shown_shot = shot_id
        self.duplicate_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)

    def _cover_of(self, local_id: str) -> Callable[[], str]:
        def path() -> str:
            found = self.engine.file(local_id, ArtifactKind.COVER)
            return str(found.path) if found is not None else ""
        return path

    def _take_cover_ready(self, local_id: str) -> None:
        self.takes.set_cover(local_id, self.take_covers.get(local_id, self._cover_of(local_id)))

    # -- picking and playing -----------------------------------------------------------------
    def say(self, text: str) -> None:
        self.message.emit(text)

    def pick(self, number: int) -> bool:
        row = self.current_row()
        if row is None:
            return False
        if row.take(number) is None:
            have = len(row.takes)
            self.say(f"Shot {row.shot.number} has no take {number}"
                     + (f" (it has {have})." if have else ": Generate… makes its takes."))
            return False
        try:
            self.engine.pick_take(row.shot.id, number)
        except AppError as err:
            self.say(f"{err.message} {err.hint}".strip())
            return False
        self.refresh()
        self.takes.set_current(number)
        self.say(f"Shot {row.shot.number}: take {number} chosen.")
        return True

    def reject(self, number: int) -> bool:
        row = self.current_row()
        if row is None or row.take(number) is None:
            self.say("No take to reject: Generate… makes this shot's takes.")
            return False
        try:
            self.engine.reject_take(row.shot.id, number)
        except AppError as err:
            self.say(f"{err.message} {err.hint}".strip())
            return False
        self.refresh()
        self.takes.set_current(number)
        self.takes.next_after_reject()
        self.say(f"Shot {row.shot.number}: take {number} rejected.")
        return True

    def play_take(self, number: int) -> bool:
        row = self.current_row()
        take = row.take(number) if row is not None else None
        if row is None or take is None:
            self.say("No take to play: Generate… makes this shot's takes.")
            return False
        if take.record.state != TaskState.SUCCEEDED:
            self.say(f"Take {number} of shot {row.shot.number} is not ready yet.")
            return False
        self.play_take_requested.emit(take.local_id)
        return True

    def play_shot(self) -> bool:
        return self.play_from(max(0, self.shots.current_row()))

    def play_from(self, first: int) -> bool:
        """Play the chosen takes from the shot at row ``first`` on, back to back."""
        items: list[CutEntry] = []
        without: list[int] = []
        for row in self.model.rows[first:]:
            chosen = row.chosen
            video = (self.engine.file(chosen.local_id, ArtifactKind.VIDEO)
                     if chosen is not None and chosen.record.state == TaskState.SUCCEEDED
                     else None)
            if video is None or not video.path.exists():
                without.append(row.shot.number)
                continue
            items.append(CutEntry(video.path, f"Shot {row.shot.number}"))
        if without:
            shots = ", ".join(str(n) for n in without)
            self.say(f"No chosen take to play for shot{'s' * (len(without) > 1)} {shots}: "
                     "pick one with 1–9" + (" (played without)." if items else "."))
        if not items:
            return False
        self.play_cut_requested.emit(items)
        return True

    def _open_in_composer(self) -> None:
        """The shot as stored now (the prompt typed is saved first) to the composer."""
        self.detail.save_prompt()
        current = self.current_shot()
        board = self.engine.board(self.board.id) if self.board is not None else None
        shot = board.shot(current.id) if board is not None and current is not None else None
        if board is not None and shot is not None:
            self.open_in_composer.emit(board, shot)

    def _update_from_composer(self) -> None:
        shot = self.current_shot()
        if shot is not None:
            self.update_from_composer.emit(shot.id)

    def focus_prompt(self) -> None:
        self.detail.prompt.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_shots(self) -> None:
        self.shots.setFocus(Qt.FocusReason.OtherFocusReason)

    def window_widget(self) -> QWidget:
        return self.window()

    def sizeHint(self) -> QSize:
        return QSize(900, 600)

    def shutdown(self) -> None:
        self.detail.save_prompt()
        self.bridge.state_changed.disconnect(self._on_task)
        self.bridge.marked.disconnect(self._on_task)
        self.bridge.board_changed.disconnect(self._on_board_changed)
        self.model.shutdown()
        self.take_covers.shutdown()
