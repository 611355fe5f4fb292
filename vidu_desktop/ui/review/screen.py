"""One video "screen": a QMediaPlayer with its audio output, shown as the cover image until the
first frame after the user starts, seeks or steps, then as the video; a message replaces both
when the file is missing or cannot be played.

The video is drawn by a ``QGraphicsVideoItem`` in a ``QGraphicsView`` (not a ``QVideoWidget``):
under the offscreen platform a QVideoWidget renders into a native window that ``grab()`` cannot
see, whereas the graphics item paints through QPainter, so screenshots and tests see the frames.
The cover is decoded off the UI thread (``QImageReader`` in the global thread pool).

**The player is driven through queued slot calls** (``_call``), never by calling ``play()``,
``stop()``, ``setSource()``… directly from Python. FFmpeg's audio renderer thread deletes its
objects on its own; their destructor disconnects from our Python-made ``QAudioOutput``, whose
PySide wrapper needs the GIL while Qt holds the connection lock. A direct ``stop()`` from Python
holds the GIL and waits for that same lock: a deadlock (seen in the tests; reproduced within a
few hundred play/stop cycles). A queued call runs the C++ slot from the event loop, where the
GIL is released, so the renderer thread can finish. The calls still happen in order; state is
read from the player's signals and getters as before.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from PySide6.QtCore import (
    Q_ARG,
    QMetaObject,
    QObject,
    QRectF,
    QSizeF,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaMetaData, QMediaPlayer, QVideoFrame
from PySide6.QtMultimediaWidgets import QGraphicsVideoItem
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QLabel, QStackedWidget, QWidget

from vidu_desktop.ui.common.qt_messages import quiet_ffmpeg

DEFAULT_FPS = 24.0
_BACKDROP = QColor("#101012")


class _CoverView(QWidget):
    """The cover (or nothing yet) fitted into a dark backdrop, keeping its aspect ratio."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None

    def set_image(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), _BACKDROP)
        if self.image is not None and not self.image.isNull():
            size = QSizeF(self.image.size()).scaled(QSizeF(self.size()),
                                                   Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF((self.width() - size.width()) / 2,
                            (self.height() - size.height()) / 2, size.width(), size.height())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, self.image)
        painter.end()


class _VideoView(QGraphicsView):
    """A frameless view whose single video item always fills the viewport."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = QGraphicsVideoItem()
        self.item.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        scene = QGraphicsScene(self)
        scene.addItem(self.item)
        self.setScene(scene)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(_BACKDROP)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = QSizeF(self.viewport().size())
        self.item.setSize(size)
        self.scene().setSceneRect(QRectF(0, 0, size.width(), size.height()))


class _CoverLoads(QObject):
    """Carries a decoded cover from the pool thread back to the UI thread (queued)."""

    loaded = Signal(int, QImage)


def _decode(path: Path, token: int, loads: _CoverLoads) -> None:
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    with contextlib.suppress(RuntimeError):  # the screen was deleted meanwhile
        loads.loaded.emit(token, image)


class VideoScreen(QStackedWidget):
    """Cover, video and message pages over one QMediaPlayer. See the module docstring."""

    error = Signal(str)
    frame_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(160, 90)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cover = _CoverView()
        self.view = _VideoView()
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet("QLabel { background: #101012; color: #ff8a80;"
                                   " padding: 16px; font-weight: 600; }")
        for page in (self.cover, self.view, self.message):
            self.addWidget(page)

        self.player = QMediaPlayer(self)
        quiet_ffmpeg()  # the backend is loaded now: FFmpeg's file details stay off stderr
        self.audio = QAudioOutput(self)
        self.audio.setVolume(0.8)  # before any playback: no renderer thread yet
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.view.item)
        self.player.errorOccurred.connect(self._on_error)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.view.item.videoSink().videoFrameChanged.connect(self._on_frame)
        self._loads = _CoverLoads(self)
        self._loads.loaded.connect(self._on_cover)

        self.source: Path | None = None
        self.failed = False
        self._token = 0
        self._armed = False  # a play/seek/step asked for frames: the next one replaces the cover
        self._shown = False  # frame_shown was emitted for this source
        self._last_frame: QVideoFrame | None = None
        self._pending_ms: int | None = None  # a seek asked for, not yet applied
        self.player.positionChanged.connect(self._on_position)

    # -- loading ----------------------------------------------------------------------------

    def load(self, video: Path, cover: Path | None = None) -> bool:
        """Show ``cover`` and open ``video``; False (with a message) if there is no file."""
        if not self.prepare(video, cover):
            return False
        self.open()
        return True

    def prepare(self, video: Path, cover: Path | None = None) -> bool:
        """Show ``cover`` and check ``video`` without opening it yet (see ``open``)."""
        self.unload()
        self.source = Path(video)
        self._armed = self._shown = False
        if cover is not None and Path(cover).is_file():
            QThreadPool.globalInstance().start(
                lambda p=Path(cover), t=self._token, sink=self._loads: _decode(p, t, sink))
        path = Path(video)
        if not path.is_file():
            self.fail(f"The video file is missing:\n{path}")
            return False
        if path.stat().st_size == 0:
            self.fail(f"The video file is empty:\n{path}")
            return False
        return True

    def open(self) -> None:
        """Hand the prepared file to the media player (it opens it asynchronously)."""
        if self.ready and self.source is not None:
            url = QUrl.fromLocalFile(str(self.source.resolve()))
            self._call(self.player, "setSource", Q_ARG(QUrl, url))

    def unload(self) -> None:
        """Stop, close the file and show an empty cover (a cover still decoding is dropped)."""
        self._token += 1
        self.stop()
        self._call(self.player, "setSource", Q_ARG(QUrl, QUrl()))
        self.source, self.failed = None, False
        self._last_frame = None
        self._pending_ms = None  # a seek in the old file is no position in the next one
        self.cover.set_image(None)
        self.setCurrentWidget(self.cover)

    def let_go(self) -> asyncio.Future[None]:
        """Unload, and a future done once the media player has closed the file (it does so
        from the event loop): Windows cannot delete or rename a file that is open."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.unload()
        if self.player.source().isEmpty():
            future.set_result(None)
            return future

        def changed(url: QUrl) -> None:
            if url.isEmpty() and not future.done():
                future.set_result(None)

        self.player.sourceChanged.connect(changed)
        future.add_done_callback(lambda _f: self.player.sourceChanged.disconnect(changed))
        return future

    def fail(self, text: str) -> None:
        """Replace the picture with ``text`` and emit ``error`` (once per source)."""
        if self.failed:
            return
        self.failed = True
        self.stop()
        self.message.setText(text)
        self.setCurrentWidget(self.message)
        self.error.emit(text)

    @property
    def ready(self) -> bool:
        return self.source is not None and not self.failed

    def fps(self) -> float:
        value = self.player.metaData().value(QMediaMetaData.Key.VideoFrameRate)
        try:
            fps = float(value)
        except (TypeError, ValueError):
            return DEFAULT_FPS
        return fps if 1.0 <= fps <= 240.0 else DEFAULT_FPS

    # -- transport (the player widget and the compare view drive these) ---------------------

    def play(self) -> None:
        if self.ready:
            self._armed = True
            self._call(self.player, "play")

    def pause(self) -> None:
        if self.ready:
            self._call(self.player, "pause")

    def stop(self) -> None:
        self._call(self.player, "stop")

    def seek(self, ms: int) -> None:
        if not self.ready:
            return
        self._armed = True
        if self.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState:
            self._call(self.player, "pause")  # stopped shows no frame; paused shows the seek
        duration = self.player.duration()
        ms = max(0, ms if duration <= 0 else min(ms, duration))
        self.set_position(ms)

    def set_position(self, ms: int) -> None:
        self._pending_ms = int(ms)
        self._call(self.player, "setPosition", Q_ARG("qint64", int(ms)))

    def set_volume(self, volume: float) -> None:
        """0.0-1.0 (applied from the event loop, like every call here)."""
        self._call(self.audio, "setVolume", Q_ARG("float", float(volume)))

    def set_muted(self, muted: bool) -> None:
        self._call(self.audio, "setMuted", Q_ARG(bool, bool(muted)))

    @staticmethod
    def _call(target: QObject, slot: str, *args: object) -> None:
        """Call ``slot`` of the player or the audio output from the event loop (see the module
        docstring: a direct call can deadlock with FFmpeg's audio thread)."""
        QMetaObject.invokeMethod(  # type: ignore[call-overload]  # PySide's stubs list
            target, slot, Qt.ConnectionType.QueuedConnection, *args)  # no varargs form

    def step(self, frames: int) -> int | None:
        """Pause, then move ``frames`` frames (negative: back); the position it goes to."""
        if not self.ready:
            return None
        self.pause()
        frame_ms = 1000.0 / self.fps()
        current = round(self.position() / frame_ms)  # snap to the frame grid
        target = round((current + frames) * frame_ms)
        self.seek(target)
        return target

    def position(self) -> int:
        """Where the player is, or is about to be after a seek not yet applied."""
        return self._pending_ms if self._pending_ms is not None else self.player.position()

    def is_playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    # -- reactions --------------------------------------------------------------------------

    def _on_position(self, _ms: int) -> None:
        self._pending_ms = None

    @Slot(int, QImage)
    def _on_cover(self, token: int, image: QImage) -> None:
        if token == self._token and not image.isNull():
            self.cover.set_image(image)

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid() or not self._armed or self.failed:
            return
        self._last_frame = frame
        if self.currentWidget() is not self.view:
            self.setCurrentWidget(self.view)
        if not self._shown:
            self._shown = True
            self.frame_shown.emit()

    def _on_error(self, error: QMediaPlayer.Error, text: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        name = self.source.name if self.source else "the video"
        detail = f"\n({text})" if text else ""
        self.fail(f"Can't play “{name}”: the file is damaged or not a video.{detail}")

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.InvalidMedia and self.source is not None:
            self._on_error(QMediaPlayer.Error.FormatError, self.player.errorString())
        elif status == QMediaPlayer.MediaStatus.EndOfMedia and self._last_frame is not None:
            # the video item goes blank at the end: hold the last frame instead
            self.cover.set_image(self._last_frame.toImage())
            self.setCurrentWidget(self.cover)
