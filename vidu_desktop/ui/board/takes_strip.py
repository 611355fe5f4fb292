"""The selected shot's takes side by side: take 1..N with its cover, state and mark (★ chosen,
✕ rejected), and "made before the shot changed" on a stale take. One take is current (a
frame around it): X rejects it and Space plays it; a click makes a take current, a double
click plays it, its menu picks, rejects or plays it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.states import TaskMark, TaskState
from vidu_desktop.engine.board_plan import ShotTake
from vidu_desktop.ui.common import theme

CARD = QSize(160, 90)
STATE_WORDS = {
    TaskState.DRAFT: "waiting to be sent", TaskState.SUBMITTING: "sending…",
    TaskState.OUTCOME_UNKNOWN: "sent? checking", TaskState.QUEUED: "queued",
    TaskState.PROCESSING: "processing", TaskState.DOWNLOADING: "downloading",
    TaskState.SUCCEEDED: "ready", TaskState.FAILED: "failed",
    TaskState.CANCELLED: "cancelled", TaskState.UNTRACKED: "not tracked",
}
STALE_TEXT = "made before the shot changed"


def take_state(take: ShotTake) -> str:
    rec = take.record
    text = STATE_WORDS[rec.state]
    if rec.state == TaskState.PROCESSING and rec.progress is not None:
        text += f" {rec.progress:.0f}%"
    return text


def mark_text(mark: TaskMark) -> str:
    return {TaskMark.STAR: "★ chosen", TaskMark.REJECT: "✕ rejected"}.get(mark, "")


class TakeCard(QFrame):
    clicked = Signal(int)
    double_clicked = Signal(int)
    menu_requested = Signal(int, QPoint)

    def __init__(self, take: ShotTake, cover: QPixmap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = take.number
        self.take = take
        self.setObjectName(f"board-take-{take.number}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the shot list keeps the keys
        self.picture = QLabel(self)
        self.picture.setFixedSize(CARD)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setPixmap(cover)
        self.title = QLabel(f"Take {take.number}", self)
        theme.set_role(self.title, "section")
        self.mark = QLabel(mark_text(take.mark), self)
        self.mark.setObjectName("board-take-mark")
        theme.set_role(self.mark, "ok" if take.mark == TaskMark.STAR else "error")
        self.state = QLabel(take_state(take), self)
        theme.set_role(self.state, "error" if take.record.state == TaskState.FAILED
                       else "muted")
        self.stale = QLabel(STALE_TEXT if take.stale else "", self)
        self.stale.setObjectName("board-take-stale")
        self.stale.setToolTip("The shot's prompt, pictures, cast or parameters changed after "
                              "this take was made")
        theme.set_role(self.stale, "warning")
        self.stale.setWordWrap(True)
        self.stale.setVisible(take.stale)
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.mark)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(3)
        layout.addWidget(self.picture)
        layout.addLayout(head)
        layout.addWidget(self.state)
        layout.addWidget(self.stale)
        self.setFixedWidth(CARD.width() + 14)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        self.setToolTip(f"Take {take.number}: {take_state(take)}. Press {take.number} to "
                        "pick it, X to reject the current take, Space to play it")
        self.setAccessibleName(self.spoken())
        self.set_current(False)

    def spoken(self) -> str:
        parts = [f"Take {self.number}", take_state(self.take), mark_text(self.take.mark)]
        if self.take.stale:
            parts.append(STALE_TEXT)
        return ", ".join(p for p in parts if p)

    def set_current(self, current: bool) -> None:
        c = theme.colors()
        border = c.accent if current else c.border
        width = 2 if current else 1
        self.setStyleSheet(f"TakeCard {{ border: {width}px solid {border}; "
                           "border-radius: 6px; }")
        self.setProperty("current", current)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.number)
        elif event.button() == Qt.MouseButton.RightButton:
            self.menu_requested.emit(self.number, event.globalPosition().toPoint())
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.double_clicked.emit(self.number)
        event.accept()


class TakesStrip(QWidget):
    """``current_changed(n)``, ``pick(n)``, ``reject(n)``, ``play(n)`` (take numbers)."""

    current_changed = Signal(int)
    pick = Signal(int)
    reject = Signal(int)
    play = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-takes")
        self.title = QLabel("Takes", self)
        theme.set_role(self.title, "section")
        self.empty = QLabel("No take yet: Generate… makes this shot's takes.", self)
        self.empty.setWordWrap(True)
        theme.set_role(self.empty, "muted")
        self.cards: list[TakeCard] = []
        self.current = 0  # the current take's number (0: none)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(8)
        inner = QWidget(self)
        inner_layout = QHBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addLayout(self.row)
        inner_layout.addStretch(1)
        self.strip_scroll = QScrollArea(self)
        self.strip_scroll.setWidgetResizable(True)
        self.strip_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.strip_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.strip_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.strip_scroll.setWidget(inner)
        self.strip_scroll.setMinimumHeight(CARD.height() + 96)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.strip_scroll, 1)

    def show_takes(self, takes: list[ShotTake], covers: dict[str, QPixmap],
                   current: int = 0, *, keep: bool = True) -> None:
        """Show ``takes`` (``covers`` by local id); ``current``: the take made current (0:
        with ``keep`` the one that was, if still there, else the chosen one, else the first
        not rejected)."""
        if not keep:
            self.current = 0
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for take in takes:
            card = TakeCard(take, covers.get(take.local_id, QPixmap()), self)
            card.clicked.connect(self.set_current)
            card.double_clicked.connect(self.play)
            card.menu_requested.connect(self._menu)
            self.row.addWidget(card, 0, Qt.AlignmentFlag.AlignTop)
            self.cards.append(card)
        numbers = [t.number for t in takes]
        if current not in numbers:
            current = self.current if self.current in numbers else 0
        if not current and takes:
            chosen = [t.number for t in takes if t.mark == TaskMark.STAR]
            fresh = [t.number for t in takes if t.mark != TaskMark.REJECT]
            current = (chosen or fresh or numbers)[0]
        self.title.setText(f"Takes ({len(takes)})" if takes else "Takes")
        self.empty.setVisible(not takes)
        self.strip_scroll.setVisible(bool(takes))
        self._set(current)

    def set_cover(self, local_id: str, cover: QPixmap) -> None:
        for card in self.cards:
            if card.take.local_id == local_id:
                card.picture.setPixmap(cover)

    def set_current(self, number: int) -> None:
        self._set(number)
        self.current_changed.emit(number)

    def _set(self, number: int) -> None:
        self.current = number
        for card in self.cards:
            card.set_current(card.number == number)
            if card.number == number:
                self.strip_scroll.ensureWidgetVisible(card)

    def next_after_reject(self) -> None:
        """After the current take is rejected: the next take not rejected becomes current."""
        later = [c.number for c in self.cards
                 if c.number > self.current and c.take.mark != TaskMark.REJECT]
        if later:
            self._set(later[0])

    def _menu(self, number: int, at: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(f"Pick take {number}\t{number}" if number <= 9 else
                       f"Pick take {number}").triggered.connect(lambda: self.pick.emit(number))
        menu.addAction("Reject\tX").triggered.connect(lambda: self.reject.emit(number))
        menu.addAction("Play\tSpace").triggered.connect(lambda: self.play.emit(number))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(at)
