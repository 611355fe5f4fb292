"""The main window's geometry, dock state and splitter sizes, kept in the profile's settings
(``window.geometry``, ``window.state`` and ``window.<splitter name>``), with the sizes a first
start uses when nothing is remembered."""

from __future__ import annotations

import base64
from collections.abc import Sequence

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow, QSplitter

from vidu_desktop.store import Settings

DEFAULT_SIZE = (1280, 800)
#: a first start: the parameters and the task list on the right, the references over the prompt
#: on the left, the parameters over the task list (pixels)
SIDE_WIDTH = 400
TRAY_HEIGHT = 330
PARAMETERS_HEIGHT = 440


def restore(window: QMainWindow, settings: Settings, h_split: QSplitter, v_split: QSplitter,
            side_split: QSplitter) -> None:
    """The remembered geometry, state and splitter sizes (else the first start's)."""
    geometry = settings.get("window.geometry")
    state = settings.get("window.state")
    if geometry:
        window.restoreGeometry(QByteArray(base64.b64decode(geometry)))
    else:
        window.resize(*DEFAULT_SIZE)
        screen = window.screen().availableGeometry() if window.screen() else None
        if screen is not None:
            window.resize(min(DEFAULT_SIZE[0], screen.width()),
                          min(DEFAULT_SIZE[1], screen.height()))
    if state:
        window.restoreState(QByteArray(base64.b64decode(state)))
    for split in (h_split, v_split, side_split):
        sizes = settings.get(f"window.{split.objectName()}")
        if isinstance(sizes, list) and len(sizes) == split.count():
            split.setSizes([int(s) for s in sizes])
    if not settings.get(f"window.{h_split.objectName()}"):
        h_split.setSizes([window.width() - SIDE_WIDTH, SIDE_WIDTH])
    if not settings.get(f"window.{v_split.objectName()}"):
        v_split.setSizes([TRAY_HEIGHT, max(200, window.height() - TRAY_HEIGHT)])
    if not settings.get(f"window.{side_split.objectName()}"):
        side_split.setSizes([PARAMETERS_HEIGHT, max(160, window.height() - PARAMETERS_HEIGHT)])


def save(window: QMainWindow, settings: Settings, splitters: Sequence[QSplitter]) -> None:
    settings.set("window.geometry", base64.b64encode(window.saveGeometry().data()).decode())
    settings.set("window.state", base64.b64encode(window.saveState().data()).decode())
    for split in splitters:
        settings.set(f"window.{split.objectName()}", split.sizes())
