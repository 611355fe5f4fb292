"""Prepare the pictures of one request in parallel, with progress, a cache and one budget.

Every picture gets the same share of the request body (``image_budget``), so the pictures can
be prepared independently and the whole body is under the host's limit by construction; the
result measures it anyway (``BatchResult.body_size``).

Callbacks run on worker threads: a Qt or asyncio caller hands them over to its own thread
(``loop.call_soon_threadsafe`` or a queued signal).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError, Executor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.core.records import record

from .budget import DEFAULT_OVERHEAD, body_limit, body_size, image_budget
from .cache import PrepareCache
from .errors import ImageProblem
from .options import PrepareOptions
from .result import Outcome, PreparedImage
from .sources import ImageInput, UrlSource, as_source

#: Full-size pixels held at once across workers (a 24 MP RGB picture is 96 MB decoded).
DEFAULT_MEMORY = 256 * 1024 * 1024


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 2))


@record
class BatchProgress:
    index: int  # position of the picture in the input
    total: int
    name: str
    stage: str  # queued, reading, decoding, encoding, done, failed
    fraction: float  # of this picture
    done: int  # pictures finished so far (this one included when stage is done/failed)
    outcome: Outcome | None = None  # set when stage is done or failed

    @property
    def overall(self) -> float:
        return min(1.0, (self.done + (0 if self.outcome else self.fraction)) / self.total)


BatchCallback = Callable[[BatchProgress], None]


class MemoryGate:
    """A byte-counting semaphore: decode only while the pixels in memory stay under a cap."""

    def __init__(self, capacity: int = DEFAULT_MEMORY) -> None:
        self.capacity = capacity
        self._used = 0
        self._cond = threading.Condition()

    @contextmanager
    def __call__(self, nbytes: int) -> Iterator[None]:
        need = min(nbytes, self.capacity)  # one huge picture may run, alone
        with self._cond:
            self._cond.wait_for(lambda: self._used + need <= self.capacity)
            self._used += need
        try:
            yield
        finally:
            with self._cond:
                self._used -= need
                self._cond.notify_all()


@record
class BatchResult:
    items: tuple[Outcome, ...]  # in input order
    rules: ImageRules
    budget: int  # data URI length each picture was allowed
    overhead: int  # bytes reserved for the JSON around the images

    @property
    def prepared(self) -> list[PreparedImage]:
        return [i for i in self.items if isinstance(i, PreparedImage)]

    @property
    def problems(self) -> list[ImageProblem]:
        return [i for i in self.items if isinstance(i, ImageProblem)]

    @property
    def count_ok(self) -> bool:
        return self.rules.min_count <= len(self.items) <= self.rules.max_count

    @property
    def ok(self) -> bool:
        """Every picture is usable and their number is what the model takes."""
        return not self.problems and self.count_ok

    @property
    def body_limit(self) -> int | None:
        return body_limit(self.rules)

    def data_uris(self) -> list[str]:
        return [p.data_uri for p in self.prepared]

    def body_size(self, fields: Mapping[str, Any] | None = None, *,
                  prompt: str | None = None) -> int:
        """The measured JSON body with the prepared pictures as data URIs."""
        return body_size(self.data_uris(), fields, prompt=prompt)


def prepare_batch(inputs: Sequence[ImageInput], options: PrepareOptions | None = None, *,
                  cache: PrepareCache | None = None, progress: BatchCallback | None = None,
                  max_workers: int | None = None, overhead: int = DEFAULT_OVERHEAD,
                  executor: Executor | None = None, memory: int = DEFAULT_MEMORY,
                  cancel: threading.Event | None = None) -> BatchResult:
    """Prepare ``inputs`` in parallel; never raises ImageProblem (it is in the results).

    ``overhead``: the measured JSON body without images (``budget.overhead``) when known.
    Raises ``concurrent.futures.CancelledError`` when ``cancel`` is set before the end.
    """
    import httpx  # here, not at import: the app's start-up does not load httpx or Pillow

    from .prepare import prepare_image

    options = options or PrepareOptions()
    options.validate()
    total = len(inputs)
    if total == 0:
        return BatchResult((), options.rules, 0, overhead)
    budget = image_budget(options.rules, total, overhead)
    sources = [as_source(i) for i in inputs]
    gate = MemoryGate(memory)
    lock = threading.Lock()
    finished = [0]
    client = (httpx.Client(timeout=options.url_timeout_s, follow_redirects=True)
              if any(isinstance(s, UrlSource) for s in sources) else None)

    def emit(index: int, stage: str, fraction: float, outcome: Outcome | None = None) -> None:
        if progress is None:
            return
        with lock:
            if outcome is not None:
                finished[0] += 1
            done = finished[0]
        progress(BatchProgress(index, total, sources[index].name, stage, fraction, done,
                               outcome))

    def work(index: int) -> Outcome:
        if cancel is not None and cancel.is_set():
            raise CancelledError
        try:
            result: Outcome = prepare_image(
                sources[index], options, budget=budget, cache=cache, gate=gate,
                client=client,
                progress=lambda stage, f: None if stage == "done" else emit(index, stage, f))
        except ImageProblem as problem:
            emit(index, "failed", 1.0, problem)
            return problem
        emit(index, "done", 1.0, result)
        return result

    for i in range(total):
        emit(i, "queued", 0.0)
    own = executor is None
    pool = executor or ThreadPoolExecutor(max_workers or default_workers(),
                                          thread_name_prefix="imaging")
    futures = []
    try:
        futures = [pool.submit(work, i) for i in range(total)]
        items = tuple(f.result() for f in futures)
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
        if client is not None:
            client.close()
    return BatchResult(items, options.rules, budget, overhead)
