"""The engine's events in Qt: one object with typed signals, subscribed to the active engine's
event bus. The session owns it and points it at the other engine when sandbox mode is switched
on or off, so a widget connects to its signals once and hears the active library's tasks only,
never the closed one's. The engine runs on the same qasync loop, so the signals are emitted on
the UI thread, at once.

The engine's and the store's modules are not imported here (the window is painted before the
engine opens): the signals carry the records as Python objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from vidu_desktop.core.records import record

if TYPE_CHECKING:
    from vidu_desktop.engine import Engine, EngineEvent
    from vidu_desktop.store import TaskRecord


@record
class DownloadProgress:
    """Bytes of a task's result arrived: ``done`` of ``total`` (None: the host did not say)."""

    record: TaskRecord
    done: int
    total: int | None

    @property
    def local_id(self) -> str:
        return self.record.local_id


class EngineBridge(QObject):
    """``state_changed(TaskRecord)``: a stored change (a new state, or a detail worth telling);
    ``progress(TaskRecord)``: progress at the host or a retry note (throttled);
    ``download(DownloadProgress)``: bytes of the result arrived (throttled, the last always);
    ``marked(TaskRecord)``: the task was starred, rejected or unmarked;
    ``board_changed(board_id)``: a board, its shots or its takes' links changed;
    ``retargeted()``: the bridge follows another engine from now on."""

    state_changed = Signal(object)  # TaskRecord
    progress = Signal(object)  # TaskRecord
    download = Signal(DownloadProgress)
    marked = Signal(object)  # TaskRecord
    board_changed = Signal(str)
    retargeted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine: Engine | None = None
        self._unsubscribe: Callable[[], None] = lambda: None

    @property
    def engine(self) -> Engine | None:
        """The engine whose events the bridge passes on (None: none yet, or detached)."""
        return self._engine

    def follow(self, engine: Engine | None) -> None:
        """Pass on ``engine``'s events from now on, and no longer the previous one's."""
        if engine is self._engine:
            return
        self._unsubscribe()
        self._unsubscribe = lambda: None
        self._engine = engine
        if engine is not None:
            off_bus = engine.bus.subscribe(self._publish)
            off_boards = engine.listen_boards(self.board_changed.emit)

            def unsubscribe() -> None:
                off_bus()
                off_boards()

            self._unsubscribe = unsubscribe
        self.retargeted.emit()

    def detach(self) -> None:
        self.follow(None)

    def _publish(self, event: EngineEvent) -> None:
        from vidu_desktop.engine.events import EventKind  # (loaded with the engine)

        if event.kind == EventKind.STATE:
            self.state_changed.emit(event.record)
        elif event.kind == EventKind.MARK:
            self.marked.emit(event.record)
        elif event.kind == EventKind.PROGRESS:
            self.progress.emit(event.record)
        elif event.kind == EventKind.DOWNLOAD and event.bytes_done is not None:
            self.download.emit(DownloadProgress(event.record, event.bytes_done,
                                                event.bytes_total))
