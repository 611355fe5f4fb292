"""The main window's Board tab: the board area, made the first time the tab is shown (after
the first paint) in the place the window kept for it, and its wiring to the rest of the window.
A take or the board from a shot on plays in Review; "Open in composer" loads a shot into the
composer (as "Reuse settings" loads a task) and "Update from composer" gives a shot the
composer's prompt, pictures, cast and parameters; the composer stays the one full editor.

:class:`BoardSide` is a part of :class:`~vidu_desktop.ui.shell.main_window.MainWindow`; it
names here what it uses of the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMainWindow, QScrollArea, QTabWidget, QWidget

from vidu_desktop.core.choices import Choices
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.formatting import host_label
from vidu_desktop.store import Draft
from vidu_desktop.ui.common.session import Session
from vidu_desktop.ui.compose.composer import Composer
from vidu_desktop.ui.compose.drafts import DraftController
from vidu_desktop.ui.compose.generate_bar import GenerateBar
from vidu_desktop.ui.compose.parameter_panel import ParameterPanel

if TYPE_CHECKING:
    from vidu_desktop.store import Board, Shot
    from vidu_desktop.ui.board.area import BoardArea, CutEntry
    from vidu_desktop.ui.review.review import ReviewPane

    _Window = QMainWindow
else:
    _Window = object  # a part of MainWindow, which is the QMainWindow

BOARD_TOOLTIP = "A film planned as shots: pick each shot's take, play and export the cut " \
    "(Ctrl+3)"
#: what a shot does not keep of the composer's parameters
NOT_KEPT = ("variations",)


def composer_parameters(choices: Choices) -> dict[str, Any]:
    params = choices.to_parameters()
    for key in NOT_KEPT:
        params.pop(key, None)
    return params


class BoardSide(_Window):
    # of the window (main_window.MainWindow and tasks_and_review.TasksAndReview)
    session: Session
    composer: Composer
    drafts: DraftController
    panel: ParameterPanel
    parameter_scroll: QScrollArea  # the composer's parameters, above the task list
    generate_bar: GenerateBar  # the composer's Generate bar, under the tabs
    tabs: QTabWidget
    board_place: QWidget
    review: ReviewPane
    attached: bool  # attach() has run: the board area may be made
    if TYPE_CHECKING:
        def say(self, text: str, ms: int = 10_000) -> None: ...
        def play_task(self, local_id: str) -> bool: ...

    _board: BoardArea | None = None  # made when first needed

    def attach_board(self) -> None:
        """The Board tab's wiring (called by ``attach``). The board area itself is made the
        first time the tab is shown (or :attr:`board` is asked for): starting needs none of
        it, and the tab's place has the area's size, so nothing moves when it comes."""
        self.tabs.currentChanged.connect(self._tab_shown)
        self._tab_shown(self.tabs.currentIndex())

    @property
    def board(self) -> BoardArea:
        """The board area (made now, in the Board tab's place, when it is not yet)."""
        if self._board is None:
            self._board = self._make_board()
        return self._board

    def _make_board(self) -> BoardArea:
        from vidu_desktop.ui.board.area import BoardArea

        board = BoardArea(self.session.engine, self.session.bridge, self.session.settings,
                          self)
        self._board = board
        board.composer_choice = self._composer_choice
        current = self.tabs.currentIndex()
        index = self.tabs.indexOf(self.board_place)
        self.tabs.blockSignals(True)  # one tab for another: the current one stays as it was
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, board, "Board")
            self.tabs.setTabToolTip(index, BOARD_TOOLTIP)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        self.board_place.deleteLater()
        board.message.connect(lambda text: self.say(text, 10_000))
        board.play_take_requested.connect(self.play_task)
        board.play_cut_requested.connect(self.play_cut)
        board.open_in_composer.connect(self.shot_to_composer)
        board.update_from_composer.connect(self.shot_from_composer)
        self.session.engine_changed.connect(self._board_engine)
        return board

    def _tab_shown(self, index: int) -> None:
        """On the Board tab the composer's parameters and Generate bar step aside: the board
        has its own (the shot's parameters, Generate…), and the task list takes their room.
        The first time the tab is shown, its area is made."""
        widget = self.tabs.widget(index)
        if self._board is None and self.attached and widget is self.board_place:
            widget = self.board
        composing = self._board is None or widget is not self._board
        self.parameter_scroll.setVisible(composing)
        self.generate_bar.setVisible(composing)

    def show_board(self) -> None:
        if not self.attached:  # before attach(): the tab's place
            self.tabs.setCurrentIndex(self.tabs.count() - 1)
            return
        self.tabs.setCurrentIndex(self.tabs.indexOf(self.board))
        self.board.focus_shots()

    def _composer_choice(self) -> tuple[str, str, dict[str, Any]]:
        choices = self.panel.choices()
        return choices.provider.value, choices.model, composer_parameters(choices)

    def _board_engine(self) -> None:
        self.board.set_engine(self.session.engine)

    # -- Review ------------------------------------------------------------------------------
    def play_cut(self, entries: list[CutEntry]) -> None:
        """The board's chosen takes back to back in Review (brought to the front)."""
        from vidu_desktop.ui.review.cut_model import CutItem

        items = [CutItem(e.path, e.label, e.duration_s) for e in entries]
        self.tabs.setCurrentWidget(self.review)
        self.review.play_cut(items)

    # -- the composer ------------------------------------------------------------------------
    def shot_to_composer(self, board: Board, shot: Shot) -> None:
        """"Open in composer": the shot's prompt, pictures, cast and parameters (the board's
        defaults under its own) into the composer, in the draft that is open."""
        params = {**board.parameters, **shot.parameters}
        choices = Choices.for_model(board.provider, board.model, params)
        draft = Draft(id=self.composer.draft_id or "", provider=board.provider,
                      model=board.model, prompt=shot.prompt,
                      parameters={**choices.to_parameters(), "variations": 1},
                      references=shot.references, cast=shot.cast)
        self.composer.apply(draft)
        self.drafts.schedule()
        self.tabs.setCurrentIndex(0)
        self.say(f"Shot {shot.number} of {board.name} is in the composer: change it there, "
                 "then Update from composer on the Board tab.")

    def shot_from_composer(self, shot_id: str) -> None:
        """"Update from composer": the composer's prompt, pictures, cast and the parameters
        that differ from the board's defaults become the shot's."""
        engine = self.session.engine
        shown = self.board.board
        board = engine.board(shown.id) if shown is not None else None
        if board is None or board.shot(shot_id) is None:
            return
        draft = self.composer.collect()
        defaults = composer_parameters(
            Choices.for_model(board.provider, board.model, dict(board.parameters)))
        mine = composer_parameters(Choices.for_model(board.provider, board.model,
                                                     dict(draft.parameters)))
        overrides = {k: v for k, v in mine.items() if defaults.get(k) != v}
        try:
            shot = engine.update_shot(shot_id, prompt=draft.prompt,
                                      references=draft.references, cast=draft.cast,
                                      parameters=overrides)
        except AppError as err:
            self.say(f"Shot not updated: {err.message} {err.hint}".strip(), 15_000)
            return
        self.board.reload(shot_id=shot.id)
        note = ""
        if (draft.provider, draft.model) != (board.provider, board.model):
            note = (f" The composer is set to {host_label(draft.provider)} {draft.model}; "
                    f"the board makes its shots with {host_label(board.provider)} "
                    f"{board.model}.")
        self.say(f"Shot {shot.number} now has the composer's prompt, pictures, cast and "
                 f"parameters.{note}", 15_000)

    def close_board(self) -> None:
        if self._board is not None:
            self.session.engine_changed.disconnect(self._board_engine)
            self._board.shutdown()
