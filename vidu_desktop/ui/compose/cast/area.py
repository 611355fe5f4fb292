"""The compose area's top: the reference tray with the cast library's panel beside it (a
splitter whose sizes the profile keeps), and the controller that joins them to the engine and
to the composer. The main window places this where the tray stood."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from vidu_desktop.ui.common.session import Session
from vidu_desktop.ui.compose.cast.controller import CastController
from vidu_desktop.ui.compose.cast.panel import CastPanel
from vidu_desktop.ui.compose.composer import Composer
from vidu_desktop.ui.compose.tray.tray import ReferenceTray

SIZES_KEY = "window.cast-split"
PANEL_W = 250


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
                                         self.window() or self)
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

    def focus_order(self) -> list[QWidget]:
        """The tray's, then the cast panel's (Tab follows the work)."""
        return self.tray.focus_order() + self.panel.focus_order()
