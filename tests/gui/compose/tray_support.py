"""Helpers for the reference tray's GUI tests: real pictures, real drag-and-drop events,
screenshots, and a loopback web server with a gate for links that answer late."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import random
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from vidu_desktop.ui.compose.tray.tray import ItemState, ReferenceTray

COLORS = [(200, 80, 40), (30, 140, 200), (90, 180, 60), (220, 200, 40), (120, 60, 160),
          (20, 20, 20), (240, 240, 240), (160, 90, 90), (40, 120, 120)]
_PLUGINS: list[object] = []


def remember_plugins(config: pytest.Config) -> None:
    """Call from a fixture: lets ``make_image`` find tests/conftest.py among the plugins."""
    if not _PLUGINS:
        _PLUGINS.extend(config.pluginmanager.get_plugins())


def make_image(*args: object, **kwargs: object) -> bytes:
    """``make_image`` of tests/conftest.py (shadowed here by tests/gui/conftest.py)."""
    root = Path(__file__).resolve().parents[2] / "conftest.py"  # tests/conftest.py
    for plugin in _PLUGINS:
        if Path(getattr(plugin, "__file__", None) or "/").resolve() == root:
            made: Callable[..., bytes] = plugin.make_image  # type: ignore[attr-defined]
            return made(*args, **kwargs)
    raise LookupError("tests/conftest.py is not loaded (call remember_plugins first)")


def picture(folder: Path, name: str, n: int = 0, size: tuple[int, int] = (640, 360)) -> Path:
    """A real, distinct picture (colour ``n``) in ``folder``."""
    fmt = "JPEG" if name.endswith((".jpg", ".jpeg")) else "PNG"
    path = folder / name
    path.write_bytes(make_image(*size, fmt=fmt, color=COLORS[n % len(COLORS)]))
    return path


def noisy_photos(folder: Path, count: int, size: tuple[int, int] = (4000, 3000)) -> list[Path]:
    """Distinct JPEGs with noise that survives downscaling (the slow case to prepare)."""
    paths = []
    for n in range(count):
        rng = random.Random(n)
        small = (size[0] // 10, size[1] // 10)
        cells = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3))
        path = folder / f"large{n}.jpg"
        cells.resize(size, Image.Resampling.BILINEAR).save(path, quality=90)
        paths.append(path)
    return paths


def drop(widget: QWidget, mime: QMimeData, pos: QPoint | None = None) -> bool:
    """A drag entering ``widget`` then dropping there; returns whether the drop was taken."""
    point = QPointF(pos or QPoint(40, 40))
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    enter = QDragEnterEvent(point, actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(point, actions, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def url_mime(*targets: Path | str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(t)) if isinstance(t, Path) else QUrl(t)
                  for t in targets])
    return mime


def states(tray: ReferenceTray) -> list[ItemState]:
    return [i.state for i in tray.items()]


def settled(tray: ReferenceTray) -> bool:
    return bool(tray.items()) and tray.pending() == 0


def shoot(widget: QWidget, folder: Path, name: str) -> Path:
    """``widget.grab()`` to ``folder/name`` (and to $TRAY_SHOTS when set)."""
    QApplication.processEvents()  # let a pending layout run before grabbing
    path = folder / name
    assert widget.grab().save(str(path))
    if os.environ.get("TRAY_SHOTS"):
        Path(os.environ["TRAY_SHOTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(os.environ["TRAY_SHOTS"]) / name)
    return path


class _Handler(http.server.SimpleHTTPRequestHandler):
    gate: threading.Event

    def do_GET(self) -> None:
        if self.path.startswith("/slow/"):
            self.gate.wait(20)
            self.path = self.path[len("/slow"):]
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def web_server(root: Path) -> Iterator[tuple[str, threading.Event]]:
    """Serve ``root`` on loopback: (base URL, gate that /slow/... requests wait for)."""
    gate = threading.Event()
    handler = type("Handler", (_Handler,), {"gate": gate})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", gate
    finally:
        gate.set()
        httpd.shutdown()
        httpd.server_close()
