"""The compose area's top: the reference tray with the cast library's panel beside it (a
splitter whose sizes the profile keeps), and the controller that joins them to the engine and
to the composer. The main window places this where the tray stood.

When the draft's cast changes on screen (a subject made, a member added, another draft), the
tray is given the height its groups need, taken from the pane below it (the prompt) as far as
that can spare it: a group's header and cards are seen without scrolling."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QSplitter, QWidget

from vidu_desktop.ui.common.session import Session
from vidu_desktop.ui.compose.cast.controller import CastController
from vidu_desktop.ui.compose.cast.panel import CastPanel
from vidu_desktop.ui.compose.composer import Composer
from vidu_desktop.ui.compose.tray.tray import ReferenceTray

SIZES_KEY = "window.cast-split"
PANEL_W = 250
#: what the pane below keeps when the tray grows for its groups
BELOW_KEEPS = 240


class CastArea(QSplitter):
    def __init__(self, session: Session, tray: ReferenceTray, composer: Composer,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("cast-split")
        self.session = session
        self.tray = tray
        self.panel = CastPanel(self)
        self.addWidget(tray)
        self.addWidget(self.panel)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self.setChildrenCollapsible(False)
        self.controller = CastController(lambda: session.engine, tray, self.panel,
                                         self.window() or self,
                                         readable=lambda: session.engine_open)
        self.controller.renamed.connect(composer.rename_mentions)
        self.controller.message.connect(tray.message)
        session.engine_changed.connect(self.controller.refresh)
        self.controller.refresh()
        sizes = session.settings.get(SIZES_KEY)
        if isinstance(sizes, list) and len(sizes) == 2:
            self.setSizes([int(s) for s in sizes])
        else:
            self.setSizes([10_000, PANEL_W])
        self.splitterMoved.connect(
            lambda _pos, _index: session.settings.set(SIZES_KEY, self.sizes()))
        self._fitting = QTimer(self)
        self._fitting.setSingleShot(True)
        self._fitting.setInterval(0)
        self._fitting.timeout.connect(self.fit)
        self._fit_on_show = False
        tray.cast.changed.connect(self._fit_later)

    def _fit_later(self) -> None:
        """Fit in the next turn; a cast restored before the window shows (the draft opened at
        start) is fitted when it does."""
        self._fit_on_show = not self.isVisible()
        if self.isVisible():
            self._fitting.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_on_show:
            self._fit_on_show = False
            self._fitting.start()

    def needed_height(self) -> int:
        """The height that shows every row of the tray without scrolling."""
        view = self.tray.view
        model = view.tray_model
        if model.rowCount() == 0:
            return 0
        view.doItemsLayout()
        bottom = max(view.visualRect(model.index(r)).bottom() for r in range(model.rowCount()))
        content = bottom + view.verticalOffset() + view.spacing() + 2
        return self.height() - view.viewport().height() + content

    def fit(self) -> bool:
        """Grow into the pane below (a vertical splitter's) as far as it can spare; True
        when the sizes changed."""
        split = self.parentWidget()
        if not isinstance(split, QSplitter) or split.orientation() != Qt.Orientation.Vertical:
            return False
        index = split.indexOf(self)
        sizes = split.sizes()
        if index < 0 or index + 1 >= len(sizes):
            return False
        grow = min(self.needed_height() - sizes[index], sizes[index + 1] - BELOW_KEEPS)
        if grow <= 0:
            return False
        sizes[index] += grow
        sizes[index + 1] -= grow
        split.setSizes(sizes)
        return True

    def focus_order(self) -> list[QWidget]:
        """The tray's, then the cast panel's (Tab follows the work)."""
        return self.tray.focus_order() + self.panel.focus_order()
