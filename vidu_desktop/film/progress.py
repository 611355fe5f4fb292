"""Progress and cancellation for an export running in a worker thread.

The export calls ``Progress.at`` between packets: it raises the cancel error as soon as the
flag is set, and reports the fraction done to the callback when it has moved by at least
``step`` (so a UI is not flooded: about 200 calls for a whole export). The callback runs in the
export's thread; a UI hands it on to its own (a queued signal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .errors import cancelled

ProgressCallback = Callable[[float], None]


class CancelFlag(Protocol):
    """What cancels an export: a ``threading.Event`` (or anything with ``is_set``)."""

    def is_set(self) -> bool: ...


class Progress:
    def __init__(self, total: float, callback: ProgressCallback | None,
                 cancel: CancelFlag | None, what: str, step: float = 0.005) -> None:
        self.total = max(total, 1e-9)
        self.callback = callback
        self.cancel = cancel
        self.what = what
        self.step = step
        self.reported = -1.0

    def check(self) -> None:
        """Raise the cancel error (``AppError`` of kind CANCELLED) when cancelled."""
        if self.cancel is not None and self.cancel.is_set():
            raise cancelled(self.what)

    def at(self, done: float) -> None:
        """``done`` of ``total`` is done; checks the cancel flag first."""
        if self.cancel is not None and self.cancel.is_set():
            raise cancelled(self.what)
        fraction = done / self.total
        if self.callback is not None and fraction >= self.reported + self.step:
            self.reported = min(1.0, max(0.0, fraction))
            self.callback(self.reported)

    def finish(self) -> None:
        if self.callback is not None and self.reported < 1.0:
            self.reported = 1.0
            self.callback(1.0)
