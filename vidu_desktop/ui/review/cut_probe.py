"""The cut's takes checked and their unknown lengths read (PyAV, headers only) in the global
thread pool, never on the UI thread; the answer comes back through a queued signal.

``probe_items`` is the blocking part (what the worker runs); ``CutProbe.start`` runs it and
``CutProbe.done`` carries ``(token, [Probed, ...])`` to the UI thread, the token naming the cut
it was started for (a newer cut drops an older answer).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from vidu_desktop.core.errors import AppError
from vidu_desktop.core.records import record
from vidu_desktop.ui.review.cut_model import CutItem


@record
class Probed:
    duration: float | None  # seconds; None when the take cannot play
    problem: str = ""  # why not, naming the shot and what to do


def _missing(item: CutItem) -> str:
    return (f"{item.label}: the take's file is missing ({Path(item.path).name}). The cut plays "
            "without it: pick another take for this shot, or download this one again.")


def _unreadable(item: CutItem, why: str) -> str:
    return (f"{item.label}: {Path(item.path).name} cannot be read as a video ({why}). The cut "
            "plays without it: pick another take for this shot.")


def probe_items(items: Sequence[CutItem]) -> list[Probed]:
    """Each item checked (the file is there and not empty), its length read when unknown.
    Blocks: run it off the UI thread."""
    from vidu_desktop.film.cut import Take, probe_take

    found: list[Probed] = []
    for number, item in enumerate(items, 1):
        path = Path(item.path)
        if not path.is_file():
            found.append(Probed(None, _missing(item)))
            continue
        if path.stat().st_size == 0:
            found.append(Probed(None, _unreadable(item, "the file is empty")))
            continue
        if item.duration_s is not None and item.duration_s > 0:
            found.append(Probed(float(item.duration_s)))
            continue
        try:
            media = probe_take(Take(path=path, shot=number))
        except AppError as err:
            found.append(Probed(None, _unreadable(item, err.message.split(": ", 1)[-1]
                                                  .rstrip("."))))
            continue
        found.append(Probed(float(media.duration)))
    return found


class CutProbe(QObject):
    """Runs ``probe_items`` in the global thread pool; ``done(token, results)`` on the UI
    thread."""

    done = Signal(int, object)

    def start(self, token: int, items: Sequence[CutItem]) -> None:
        todo = list(items)
        QThreadPool.globalInstance().start(lambda: self._run(token, todo))

    def _run(self, token: int, items: list[CutItem]) -> None:
        try:
            results = probe_items(items)
        except Exception as exc:  # a surprise still answers: nothing plays
            results = [Probed(None, _unreadable(i, str(exc) or type(exc).__name__))
                       for i in items]
        with contextlib.suppress(RuntimeError):  # the player was deleted meanwhile
            self.done.emit(token, results)
