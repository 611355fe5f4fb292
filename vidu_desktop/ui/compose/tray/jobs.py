"""Preparing the tray's pictures off the UI thread.

``Preparer`` runs one job per picture in a ``ThreadPoolExecutor`` (the imaging pipeline: read,
judge, decode at reduced scale, fix, fit, encode; plus the thumbnail decoded into a ``QImage``,
which is safe off the GUI thread) and hands each result and progress step back through a
queued signal of a never-deleted relay, so the tray applies them on the UI thread. It needs
no asyncio loop: it works the same under qasync and under a plain Qt event loop.

Each job carries the item id and a generation number: a result for an item that was removed,
or that was re-queued since (new rules), is ignored by the receiver.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import QImage
from shiboken6 import Shiboken

from vidu_desktop.core.records import record
from vidu_desktop.imaging import (
    BytesSource,
    FileSource,
    ImageProblem,
    MemoryGate,
    PrepareCache,
    PreparedImage,
    PrepareOptions,
    ProblemKind,
    UrlSource,
)
from vidu_desktop.imaging.budget import data_uri_length
from vidu_desktop.imaging.options import parse_ratio
from vidu_desktop.imaging.sources import Loaded, load

if TYPE_CHECKING:
    from vidu_desktop.ui.compose.tray.item import SourceRef

log = logging.getLogger(__name__)

#: Downloads at once (each waits on the network; the CPU work goes to the other pool).
FETCHERS = 4
_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
_MODES = frozenset({"RGB", "RGBA", "L", "LA", "P"})


@record
class Job:
    item_id: int
    generation: int
    name: str
    source: SourceRef  # QImage: clipboard/drop image data, encoded here
    options: PrepareOptions
    budget: int  # the data URI length allowed for this picture
    adopt: bool = False  # bytes from a draft: keep them as they are when they comply


@record
class JobResult:
    item_id: int
    generation: int
    outcome: PreparedImage | ImageProblem
    thumbnail: QImage | None = None
    #: Bytes fetched or encoded by the job (URL download, clipboard image), so preparing the
    #: item again under new rules does not download or encode again.
    source_bytes: bytes | None = field(default=None, repr=False)


def qimage_png(image: QImage) -> bytes:
    """A QImage as PNG bytes (lossless; the pipeline then decides the output format)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; str works
    buffer.close()
    return bytes(data.data())


def adopt_prepared(data: bytes, name: str, options: PrepareOptions,
                   budget: int) -> PreparedImage | None:
    """``data`` unchanged when it already meets the rules (a draft's prepared image), else None.

    Preparing prepared bytes again would re-encode them: a new hash each time a draft is
    opened, and a little quality lost. Anything in doubt goes through the pipeline instead.
    """
    # Pillow comes with the first picture, not with the window (start-up)
    from vidu_desktop.imaging.encode import thumbnail as make_thumbnail
    from vidu_desktop.imaging.geometry import ratio_in_range
    from vidu_desktop.imaging.probe import open_image

    sha = hashlib.sha256(data).hexdigest()
    loaded = Loaded(name, sha, len(data), "", data=data)
    try:
        probe = open_image(loaded)
    except ImageProblem:
        return None
    rules, info = options.rules, probe.info
    try:
        fmt = _FORMATS.get(info.format)
        w, h = info.size
        compliant = (fmt is not None and fmt in rules.formats and not probe.metadata
                     and probe.icc is None and probe.orientation == 1 and info.frames == 1
                     and info.mode in _MODES and min(w, h) >= rules.min_side
                     and max(w, h) <= options.long_side and ratio_in_range(w, h, rules)
                     and data_uri_length(len(data), fmt) <= budget)
        if compliant and options.aspect:
            target = parse_ratio(options.aspect)
            compliant = abs(w / h - target) / target < 0.01
        if not compliant or fmt is None:
            return None
        probe.image.load()
        thumb, thumb_fmt, thumb_size = make_thumbnail(probe.image, options.thumbnail_side)
    except Exception:  # damaged data: let the pipeline say what is wrong
        return None
    finally:
        probe.image.close()
    return PreparedImage(
        name=name, original=info, data=data, format=fmt, width=w, height=h, sha256=sha,
        source_sha256=sha, fixes=(), notes=("kept as saved in the draft",), thumbnail=thumb,
        thumbnail_format=thumb_fmt, thumbnail_size=thumb_size, quality=None, budget=budget,
        fitted=False)


def unexpected(job: Job, exc: Exception) -> ImageProblem:
    log.error("preparing %s failed", job.name, exc_info=exc)
    return ImageProblem(ProblemKind.UNREADABLE, job.name,
                        f"{job.name} could not be prepared ({type(exc).__name__}: {exc}). "
                        "Try another copy of the picture.")


def fetch(job: Job) -> bytes:
    """The bytes behind a link job (raises ImageProblem naming the link)."""
    assert isinstance(job.source, str)
    options = job.options
    return load(UrlSource(job.source), options.source_cap, options.url_timeout_s).data or b""


def run_job(job: Job, cache: PrepareCache | None, gate: MemoryGate,
            progress: Callable[[float], None]) -> JobResult:
    """Prepare one picture (on a worker thread). Never raises."""
    from vidu_desktop.imaging.prepare import prepare_image  # Pillow: not at start-up

    fetched: bytes | None = None
    try:
        source: Path | bytes
        if isinstance(job.source, QImage):
            source = fetched = qimage_png(job.source)
        elif isinstance(job.source, str):
            source = fetched = fetch(job)
        else:
            source = job.source
        outcome: PreparedImage | None = None
        if isinstance(source, bytes) and job.adopt:
            outcome = adopt_prepared(source, job.name, job.options, job.budget)
        if outcome is None:
            src = (FileSource(source) if isinstance(source, Path)
                   else BytesSource(source, job.name))
            outcome = prepare_image(src, job.options, budget=job.budget, cache=cache,
                                    gate=gate, progress=lambda _stage, f: progress(f))
    except ImageProblem as problem:
        return JobResult(job.item_id, job.generation, problem, None, fetched)
    except Exception as exc:  # a bug or an unexpected library error: still a clear message
        return JobResult(job.item_id, job.generation, unexpected(job, exc), None, fetched)
    _ = outcome.data_uri  # base64 here, not on the UI thread (a cached property)
    thumb = QImage.fromData(outcome.thumbnail)
    return JobResult(job.item_id, job.generation, outcome,
                     None if thumb.isNull() else thumb, fetched)


def tray_workers() -> int:
    """Leave a core to the UI thread: its painting waits for the GIL the workers share."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class _Relay(QObject):
    """Carries messages from worker threads to the UI thread.

    Workers emit only on this object, which is created once on the UI thread and never
    deleted: emitting on a QObject that the UI thread may be deleting at that moment (a tray
    closed while its pictures prepare) can crash. The UI-thread side looks the receiver up
    and skips it when it is gone.
    """

    carry = Signal(int, str, object)  # receiver key, kind ("done" | "progress"), payload

    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[int, weakref.ref[Preparer]] = {}
        self.keys = itertools.count(1)
        self.carry.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)

    def _dispatch(self, key: int, kind: str, payload: object) -> None:
        ref = self.targets.get(key)
        receiver = ref() if ref is not None else None
        if receiver is None or not Shiboken.isValid(receiver):
            self.targets.pop(key, None)
            return
        receiver.deliver(kind, payload)


_relay: _Relay | None = None


def relay() -> _Relay:
    """The process's relay (made on first use, which must be on the UI thread)."""
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class Preparer(QObject):
    """Runs jobs in a thread pool; results and progress arrive as signals on the UI thread."""

    finished = Signal(object)  # JobResult
    progressed = Signal(int, int, float)  # item id, generation, fraction

    def __init__(self, parent: QObject | None = None, *, cache: PrepareCache | None = None,
                 max_workers: int | None = None) -> None:
        super().__init__(parent)
        self.cache = cache if cache is not None else PrepareCache()
        self._pool = ThreadPoolExecutor(max_workers or tray_workers(),
                                        thread_name_prefix="tray-prepare")
        #: Downloads wait on the network, not the CPU: a slow link must not hold up files.
        self._fetchers = ThreadPoolExecutor(FETCHERS, thread_name_prefix="tray-fetch")
        self._gate = MemoryGate()
        self._futures: dict[int, Future[None]] = {}
        self._latest: dict[int, int] = {}  # item id -> generation of its current job
        self._lock = threading.Lock()
        self._closed = False
        self._relay = relay()
        self._key = next(self._relay.keys)
        self._relay.targets[self._key] = weakref.ref(self)

    def submit(self, job: Job) -> None:
        if self._closed:
            return
        self.cancel(job.item_id)
        with self._lock:
            self._latest[job.item_id] = job.generation
            if isinstance(job.source, str):
                future = self._fetchers.submit(self._fetch, job)
            else:
                future = self._pool.submit(self._work, job, None)
            self._futures[job.item_id] = future

    def cancel(self, item_id: int) -> None:
        """Skip the job if it has not started; a running one finishes and is ignored."""
        with self._lock:
            future = self._futures.pop(item_id, None)
            self._latest.pop(item_id, None)
        if future is not None:
            future.cancel()

    def pending(self) -> int:
        with self._lock:
            return sum(1 for f in self._futures.values() if not f.done())

    def shutdown(self) -> None:
        """Stop taking jobs and drop queued ones (running ones end on their own, unheard)."""
        self._closed = True
        self._relay.targets.pop(self._key, None)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._fetchers.shutdown(wait=False, cancel_futures=True)

    def deliver(self, kind: str, payload: object) -> None:
        """On the UI thread: a worker's message, as this object's signals."""
        if self._closed:
            return
        if kind == "done":
            self.finished.emit(payload)
        elif isinstance(payload, tuple):
            self.progressed.emit(*payload)

    # -- on worker threads: these touch no QObject but the relay ---------------------------

    def _fetch(self, job: Job) -> None:
        """Download a link, then queue the picture for preparation."""
        try:
            data = fetch(job)
        except ImageProblem as problem:
            self._send("done", JobResult(job.item_id, job.generation, problem))
            return
        except Exception as exc:
            self._send("done", JobResult(job.item_id, job.generation, unexpected(job, exc)))
            return
        with self._lock:
            if self._closed or self._latest.get(job.item_id) != job.generation:
                return  # removed or queued again meanwhile
            self._futures[job.item_id] = self._pool.submit(
                self._work, replace(job, source=data), data)

    def _work(self, job: Job, fetched: bytes | None) -> None:
        last = [-1.0]

        def report(fraction: float) -> None:
            if fraction - last[0] >= 0.1:  # a few steps per picture
                last[0] = fraction
                self._send("progress", (job.item_id, job.generation, fraction))

        result = run_job(job, self.cache, self._gate, report)
        self._send("done", result if fetched is None else replace(result, source_bytes=fetched))

    def _send(self, kind: str, payload: object) -> None:
        if not self._closed:
            self._relay.carry.emit(self._key, kind, payload)
