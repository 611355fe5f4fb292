"""What the board area does to boards and shots, through the engine's verbs: new, rename and
delete a board, import and export its shot list (CSV), add, duplicate, move and delete shots,
save a shot's prompt and parameters, and Generate… (the dialog, then the engine's plan sent).
A refusal is said with its message and hint; a question is asked before anything is lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt

from vidu_desktop.core.errors import AppError
from vidu_desktop.core.formatting import host_label
from vidu_desktop.engine import Engine
from vidu_desktop.engine.board_plan import GenerationPlan
from vidu_desktop.film.progress import CancelFlag, ProgressCallback
from vidu_desktop.store import Board, Shot
from vidu_desktop.ui.board.export_choice import ExportChoice
from vidu_desktop.ui.board.generate_dialog import GenerateDialog
from vidu_desktop.ui.board.questions import Questions
from vidu_desktop.ui.common.background import Background

if TYPE_CHECKING:  # the dialog (and the film's formats) load when first opened
    from vidu_desktop.ui.board.export_dialog import ExportDialog

#: the composer's host, model and parameters (what a new board starts from)
ComposerChoice = Callable[[], tuple[str, str, dict[str, Any]]]


class BoardPlace(Protocol):
    """What the actions use of the board area."""

    engine: Engine
    board: Board | None
    bg: Background
    questions: Questions
    composer_choice: ComposerChoice

    def current_shot(self) -> Shot | None: ...
    def selected_shot_ids(self) -> list[str]: ...
    def reload(self, *, board_id: str | None = None, shot_id: str | None = None) -> None: ...
    def refresh(self) -> None: ...
    def say(self, text: str) -> None: ...
    def focus_prompt(self) -> None: ...
    def window_widget(self) -> Any: ...


def words(err: AppError) -> str:
    return f"{err.message} {err.hint}".strip()


class BoardActions:
    def __init__(self, place: BoardPlace) -> None:
        self.place = place
        self.generate_dialog: GenerateDialog | None = None
        self.export_dialog: ExportDialog | None = None

    @property
    def engine(self) -> Engine:
        return self.place.engine

    def _tell(self, title: str, err: AppError) -> None:
        self.place.questions.tell(title, err.message, err.hint)
        self.place.say(words(err))

    # -- boards ------------------------------------------------------------------------------
    def new_board(self) -> None:
        host, model, _params = self.place.composer_choice()
        self.place.questions.text(
            "New board", f"A board of shots for {host_label(host)} {model} (the composer's "
            "choice). Its name:", "", self.create_board)

    def create_board(self, name: str) -> Board | None:
        host, model, params = self.place.composer_choice()
        try:
            board = self.engine.create_board(name, host, model, params)
        except AppError as err:
            self._tell("The board was not made", err)
            return None
        self.place.reload(board_id=board.id)
        self.place.say(f"Board {board.name} made for {host_label(host)} {model}. Add shot "
                       "starts it; Update from composer fills a shot from the composer.")
        return board

    def rename_board(self) -> None:
        board = self.place.board
        if board is not None:
            self.place.questions.text("Rename board", "The board's new name:", board.name,
                                      lambda name: self.rename_to(board.id, name))

    def rename_to(self, board_id: str, name: str) -> None:
        try:
            board = self.engine.update_board(board_id, name=name)
        except AppError as err:
            self._tell("The board was not renamed", err)
            return
        self.place.reload(board_id=board.id)
        self.place.say(f"Board renamed {board.name}.")

    def delete_board(self) -> None:
        board = self.place.board
        if board is None:
            return
        n = len(board.shots)
        shots = "its shot" if n == 1 else f"its {n} shots"
        self.place.questions.ask(
            "Delete board", f"Delete the board {board.name} and {shots}?", "Delete board",
            lambda: self.delete_board_now(board.id),
            info="The shots' tasks and videos are kept: they stay in the task list.")

    def delete_board_now(self, board_id: str) -> None:
        board = self.engine.board(board_id)
        self.engine.delete_board(board_id)
        self.place.reload()
        self.place.say(f"Board {board.name if board else ''} deleted; its tasks are kept.")

    def import_csv(self) -> None:
        self.place.questions.file("Import a shot list", "Shot lists (*.csv)", self.import_from)

    def import_from(self, path: Path) -> None:
        host, model, _params = self.place.composer_choice()
        self.place.questions.text(
            "Import shot list", f"A new board of the shots in {path.name}, for "
            f"{host_label(host)} {model}. Its name:", path.stem,
            lambda name: self.place.bg.spawn(self.import_now(path, name), "import shot list"))

    async def import_now(self, path: Path, name: str) -> Board | None:
        host, model, _params = self.place.composer_choice()
        try:
            board = await self.engine.import_shot_list(path, board_name=name, provider=host,
                                                       model=model)
        except AppError as err:
            self._tell("The shot list was not imported", err)
            return None
        self.place.reload(board_id=board.id)
        self.place.say(f"Board {board.name}: {len(board.shots)} shots imported from "
                       f"{path.name}.")
        return board

    def export_csv(self) -> None:
        board = self.place.board
        if board is not None:
            self.place.questions.file(
                "Export the shot list", "Shot lists (*.csv)",
                lambda path: self.export_to(board.id, path), save=True,
                start=Path.home() / f"{board.name}.csv")

    def export_to(self, board_id: str, path: Path) -> Path | None:
        try:
            written = self.engine.export_shot_list(board_id, path)
        except AppError as err:
            self._tell("The shot list was not exported", err)
            return None
        self.place.say(f"Shot list written to {written}.")
        return written

    # -- shots -------------------------------------------------------------------------------
    def add_shot(self) -> Shot | None:
        board = self.place.board
        if board is None:
            return None
        current = self.place.current_shot()
        try:
            shot = self.engine.add_shot(
                board.id, position=current.position + 1 if current is not None else None)
        except AppError as err:
            self.place.say(words(err))
            return None
        self.place.reload(shot_id=shot.id)
        self.place.focus_prompt()
        self.place.say(f"Shot {shot.number} added: write its prompt, or Update from composer.")
        return shot

    def duplicate_shot(self) -> Shot | None:
        current = self.place.current_shot()
        if current is None:
            return None
        try:
            shot = self.engine.duplicate_shot(current.id)
        except AppError as err:
            self.place.say(words(err))
            return None
        self.place.reload(shot_id=shot.id)
        self.place.say(f"Shot {current.number} duplicated as shot {shot.number} (no takes).")
        return shot

    def delete_shot(self) -> None:
        shot = self.place.current_shot()
        if shot is None:
            return
        n = len(self.engine.takes(shot.id))
        if not n:
            self.delete_shot_now(shot.id)
            return
        takes = "1 take" if n == 1 else f"{n} takes"
        self.place.questions.ask(
            "Delete shot", f"Shot {shot.number} has {takes}. Delete the shot?", "Delete shot",
            lambda: self.delete_shot_now(shot.id),
            info="Its tasks and videos are kept: they stay in the task list.")

    def delete_shot_now(self, shot_id: str) -> None:
        board = self.place.board
        shot = board.shot(shot_id) if board is not None else None
        try:
            self.engine.delete_shot(shot_id)
        except AppError as err:
            self.place.say(words(err))
            return
        self.place.reload()
        if shot is not None:
            self.place.say(f"Shot {shot.number} deleted.")

    def move_shot(self, shot_id: str, position: int) -> None:
        try:
            self.engine.move_shot(shot_id, position)
        except AppError as err:
            self.place.say(words(err))
            return
        self.place.reload(shot_id=shot_id)
        self.place.say(f"Shot moved to {position + 1}.")

    def save_prompt(self, shot_id: str, text: str) -> None:
        self._update(shot_id, prompt=text)

    def save_parameters(self, shot_id: str, overrides: dict[str, Any]) -> None:
        self._update(shot_id, parameters=overrides)

    def _update(self, shot_id: str, **changes: Any) -> Shot | None:
        try:
            shot = self.engine.update_shot(shot_id, **changes)
        except AppError as err:
            self.place.say(words(err))
            self.place.reload(shot_id=shot_id)  # the stored values back on screen
            return None
        self.place.reload(shot_id=shot_id)
        return shot

    # -- export ------------------------------------------------------------------------------
    def export_board(self) -> ExportDialog | None:
        """The export dialog, its job the engine's export of this board (in its worker)."""
        from vidu_desktop.ui.board.export_dialog import ExportDialog

        board = self.place.board
        if board is None:
            return None
        engine, board_id = self.engine, board.id

        def job(choice: ExportChoice, progress: ProgressCallback, cancel: CancelFlag
                ) -> list[Path]:
            report = engine.export_board(board_id, choice.folder, name=choice.name,
                                         mp4=choice.mp4, timelines=choice.timelines,
                                         sheet=choice.sheets, progress=progress, cancel=cancel)
            return list(report.paths)

        dialog = ExportDialog(board.name, len(board.shots), job, self.place.window_widget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    # -- generate ----------------------------------------------------------------------------
    def open_generate(self) -> GenerateDialog | None:
        board = self.place.board
        if board is None:
            return None
        current = self.place.current_shot()
        dialog = GenerateDialog(self.engine, self.engine.board(board.id) or board,
                                current.id if current is not None else None,
                                self.place.selected_shot_ids(), self.place.window_widget())
        dialog.confirmed.connect(
            lambda plan: self.place.bg.spawn(self.generate(plan), "generate board"))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.generate_dialog = dialog
        dialog.open()
        return dialog

    async def generate(self, plan: GenerationPlan) -> list[str]:
        try:
            ids = await self.engine.generate_plan(plan)
        except AppError as err:
            self._tell("Nothing was sent", err)
            return []
        shots = len({i.shot_id for i in plan.items})
        self.place.say(f"Sending {len(ids)} task{'s' * (len(ids) != 1)} for "
                       f"{shots} shot{'s' * (shots != 1)}: they show under their shot.")
        self.place.reload()
        return ids

