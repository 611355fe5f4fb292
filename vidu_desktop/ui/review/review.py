"""The Review tab: the selected take in the player, or two takes side by side.

Selecting a finished task in the task list shows its cover here (ready to play); a double-click,
Enter or "Play" plays it; selecting two finished takes (Ctrl+click) compares them; ``play_cut``
plays a board's chosen takes back to back (``cut_player``). The players are made on first use
(QMediaPlayer costs start-up time and is not needed to compose). A task whose video is missing
or damaged gets a message, not a crash.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from vidu_desktop.core.formatting import excerpt, host_label
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import ArtifactKind, TaskRecord
from vidu_desktop.ui.common import theme

if TYPE_CHECKING:  # QtMultimedia loads when the first take is shown, not at start-up
    from vidu_desktop.ui.review.compare import CompareWidget
    from vidu_desktop.ui.review.cut_model import CutItem
    from vidu_desktop.ui.review.cut_player import CutPlayer
    from vidu_desktop.ui.review.player import PlayerWidget
    from vidu_desktop.ui.review.screen import VideoScreen

log = logging.getLogger(__name__)

#: Files of a task by kind (the task list's actions know them from the store).
FilesOf = Callable[[str], dict[ArtifactKind, Path]]

HINT = ("Select a finished task in the Tasks list to see it here; double-click it (or press "
        "Enter) to play it.\nSelect two takes with Ctrl+click to compare them side by side.")


def take_label(rec: TaskRecord, limit: int = 60) -> str:
    """"Vidu viduq1 · a fox runs through…" for a caption."""
    return f"{host_label(rec.provider)} {rec.model} · {excerpt(rec.prompt, limit)}"


class ReviewPane(QWidget):
    """``ids``: the local ids on screen (one for the player, two for compare, none for the
    hint); ``message`` a sentence for the status bar."""

    message = Signal(str)

    def __init__(self, files_of: FilesOf, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review")
        self.files_of = files_of
        self.title = QLabel(self)
        self.title.setObjectName("review-title")
        theme.set_role(self.title, "section")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(HINT, self)
        self.hint.setObjectName("review-hint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.set_role(self.hint, "muted")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.hint)
        self._player: PlayerWidget | None = None
        self._compare: CompareWidget | None = None
        self._cut: CutPlayer | None = None
        self.ids: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 6, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.stack, 1)
        self.clear()

    # -- the views, made on first use ------------------------------------------------------
    @property
    def player(self) -> PlayerWidget:
        if self._player is None:
            from vidu_desktop.ui.review.player import PlayerWidget

            self._player = PlayerWidget(self.stack)
            self._player.setObjectName("review-player")
            self._player.error.connect(self.message)
            self.stack.addWidget(self._player)
        return self._player

    @property
    def compare_view(self) -> CompareWidget:
        if self._compare is None:
            from vidu_desktop.ui.review.compare import CompareWidget

            self._compare = CompareWidget(self.stack)
            self._compare.setObjectName("review-compare")
            self._compare.error.connect(self.message)
            self.stack.addWidget(self._compare)
        return self._compare

    @property
    def cut_view(self) -> CutPlayer:
        if self._cut is None:
            from vidu_desktop.ui.review.cut_player import CutPlayer

            self._cut = CutPlayer(self.stack)
            self._cut.setObjectName("review-cut")
            self._cut.error.connect(self.message)
            self.stack.addWidget(self._cut)
        return self._cut

    @property
    def current(self) -> QWidget | None:
        return self.stack.currentWidget()

    # -- what to show -----------------------------------------------------------------------
    def clear(self, text: str = HINT) -> None:
        """Nothing to play: stop what plays and show ``text``."""
        self._stop()
        self.hint.setText(text)
        self.title.setText("Review")
        self.stack.setCurrentWidget(self.hint)
        self.ids = []

    def show_take(self, rec: TaskRecord, *, play: bool = False) -> bool:
        """The take's cover in the player (and play it when ``play``). False when it has no
        video to play (the reason is shown instead)."""
        reason = self._unplayable(rec)
        if reason:
            self.clear(reason)
            self.title.setText(take_label(rec))
            return False
        if self.ids == [rec.local_id] and self.current is self._player:
            if play:
                self.player.play()
            return True
        files = self.files_of(rec.local_id)
        self._stop()
        player = self.player
        self.stack.setCurrentWidget(player)
        self.title.setText(take_label(rec))
        self.title.setToolTip(rec.prompt)
        self.ids = [rec.local_id]
        ok = player.load(files.get(ArtifactKind.VIDEO, Path()), files.get(ArtifactKind.COVER))
        if ok and play:
            player.play()
        return ok

    def show_compare(self, a: TaskRecord, b: TaskRecord, *, play: bool = False) -> bool:
        """Two takes side by side (A heard, B muted). False when either has no video."""
        for rec in (a, b):
            reason = self._unplayable(rec)
            if reason:
                self.clear(f"Can't compare: {reason[0].lower()}{reason[1:]}")
                self.title.setText("Compare")
                return False
        if self.ids == [a.local_id, b.local_id] and self.current is self._compare:
            if play:
                self.compare_view.play()
            return True
        files_a, files_b = self.files_of(a.local_id), self.files_of(b.local_id)
        self._stop()
        view = self.compare_view
        self.stack.setCurrentWidget(view)
        self.title.setText("Compare two takes")
        self.title.setToolTip("")
        self.ids = [a.local_id, b.local_id]
        ok = view.load(files_a.get(ArtifactKind.VIDEO, Path()),
                       files_b.get(ArtifactKind.VIDEO, Path()),
                       files_a.get(ArtifactKind.COVER), files_b.get(ArtifactKind.COVER),
                       label_a="A — " + take_label(a, 40), label_b="B — " + take_label(b, 40))
        if ok and play:
            view.play()
        return ok

    def play_cut(self, items: Sequence[CutItem], *, title: str = "") -> None:
        """Play ``items`` back to back as one film, with the shots marked on the seek bar
        (their files are checked and unknown lengths read first, off the UI thread)."""
        self._stop()
        view = self.cut_view
        self.stack.setCurrentWidget(view)
        count = len(items)
        self.title.setText(title or f"The cut: {count} shot{'s' if count != 1 else ''} "
                                    "back to back")
        self.title.setToolTip("")
        self.ids = []
        view.play_cut(items)
        view.setFocus()

    def forget(self, local_id: str) -> None:
        """The task was deleted: stop showing it."""
        if local_id in self.ids:
            self.clear()

    async def release(self, local_id: str, timeout_s: float = 3.0) -> None:
        """The task's files are about to be deleted: every screen that holds one closes it
        first (Windows cannot delete a file that is open; a view left behind may still hold
        one), and the hint replaces the task on show."""
        files = set(self.files_of(local_id).values())
        screens = [s for s in self._screens() if s.source is not None and s.source in files]
        if local_id in self.ids:
            self.clear()
        if not screens:
            return
        _done, pending = await asyncio.wait([s.let_go() for s in screens], timeout=timeout_s)
        for future in pending:
            future.cancel()
        if pending:
            log.warning("the player did not close a video of %s in time", local_id)

    def _screens(self) -> list[VideoScreen]:
        """Every video screen made so far (the player's, the compare view's two)."""
        screens = [self._player.screen_view] if self._player is not None else []
        if self._compare is not None:
            screens += [self._compare.a, self._compare.b]
        if self._cut is not None:
            screens.append(self._cut.screen_view)
        return screens

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _unplayable(rec: TaskRecord) -> str:
        if rec.state == TaskState.SUCCEEDED:
            return ""
        if rec.state == TaskState.FAILED:
            return "This task failed: it has no video."
        if rec.state in (TaskState.CANCELLED, TaskState.UNTRACKED):
            return "This task was stopped before its video arrived."
        return "This task's video is not ready yet: it plays here when it has downloaded."

    def _stop(self) -> None:
        for view in (self._player, self._compare, self._cut):
            if view is not None:
                view.pause()

    def shutdown(self) -> None:
        """Release the media (the window closes)."""
        if self._player is not None:
            self._player.screen_view.unload()
        if self._compare is not None:
            self._compare.a.unload()
            self._compare.b.unload()
        if self._cut is not None:
            self._cut.screen_view.unload()
