"""Cover thumbnails (the task list's, the board's): decoded off the UI thread, kept in a small
LRU cache.

``get`` answers at once: the cached pixmap, or a placeholder while a worker thread reads and
scales the file (``QImageReader`` with a scaled size, so a large cover is never decoded whole).
``ready(local_id)`` fires on the UI thread when a cover has arrived. On a high-DPI screen
(150 %, 200 %) the thumbnail is read with that many more pixels and drawn at the same size,
so it stays sharp.
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QImageReader, QPainter, QPixmap

from vidu_desktop.ui.common import theme

log = logging.getLogger(__name__)

THUMB = QSize(64, 40)
CACHE_SIZE = 400


def read_thumbnail(path: str, size: QSize = THUMB) -> QImage:
    """Runs in a worker thread: the file's image scaled to fit ``size`` (null when unreadable)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid() and not original.isEmpty():
        reader.setScaledSize(original.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.info("cover %s not readable: %s", path, reader.errorString())
    return image


def screen_ratio() -> float:
    """The highest device pixel ratio among the screens (1.0 with none)."""
    ratios = [s.devicePixelRatio() for s in QGuiApplication.screens()]
    return max([1.0, *ratios])


class CoverCache(QObject):
    ready = Signal(str)
    _loaded = Signal(str, QImage)  # from a worker thread, delivered queued on the UI thread

    def __init__(self, parent: QObject | None = None, *, size: int = CACHE_SIZE,
                 ratio: float | None = None, thumb: QSize = THUMB) -> None:
        super().__init__(parent)
        self.thumb = QSize(thumb)  # the size drawn (logical pixels)
        #: device pixels per logical pixel: the sharpest screen's
        self.ratio = ratio if ratio is not None else screen_ratio()
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._missing: set[str] = set()
        self._pending: set[str] = set()
        self._size = size
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="covers")
        self._placeholder: QPixmap | None = None
        self._loaded.connect(self._arrived, Qt.ConnectionType.QueuedConnection)

    def get(self, local_id: str, path_of: Callable[[], str]) -> QPixmap:
        found = self._cache.get(local_id)
        if found is not None:
            self._cache.move_to_end(local_id)
            return found
        if local_id not in self._pending and local_id not in self._missing:
            path = path_of()
            if path:
                self._pending.add(local_id)
                future = self._pool.submit(read_thumbnail, path, self.thumb * self.ratio)
                future.add_done_callback(functools.partial(self._done, local_id))
            else:
                self._missing.add(local_id)
        return self.placeholder()

    def forget(self, local_id: str) -> None:
        """The task's cover may have changed (it just finished): read it again when asked."""
        self._cache.pop(local_id, None)
        self._missing.discard(local_id)

    def _done(self, local_id: str, future: Future[QImage]) -> None:  # a worker thread
        try:
            image = future.result()
        except Exception:  # a broken cover only loses its thumbnail
            log.exception("cover of %s failed", local_id)
            image = QImage()
        self._loaded.emit(local_id, image)

    def _arrived(self, local_id: str, image: QImage) -> None:
        self._pending.discard(local_id)
        if image.isNull():
            self._missing.add(local_id)
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.ratio)
        self._cache[local_id] = pixmap
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)
        self.ready.emit(local_id)

    def placeholder(self) -> QPixmap:
        if self._placeholder is None:
            size = self.thumb
            pix = QPixmap(size * self.ratio)
            pix.setDevicePixelRatio(self.ratio)
            pix.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pix)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            c = theme.colors()
            painter.setPen(QColor(c.border))
            painter.setBrush(QColor(c.alt_base))
            painter.drawRoundedRect(QRect(0, 0, size.width() - 1, size.height() - 1), 4, 4)
            painter.setPen(QColor(c.muted))
            painter.drawText(QRect(0, 0, size.width(), size.height()),
                             Qt.AlignmentFlag.AlignCenter, "▶")
            painter.end()
            self._placeholder = pix
        return self._placeholder

    @property
    def pending(self) -> int:
        return len(self._pending)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
