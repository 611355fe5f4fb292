"""A cut as the player sees it: the takes in order, each a span of the whole film's time.

``CutItem`` is what a caller hands ``ReviewPane.play_cut``; ``CutTimeline`` places the takes
that can play (a missing or unreadable one is left out, with its reason) end to end and answers
where a time of the cut falls. Plain data and arithmetic (no QtMultimedia): the bar and the
player share it, and a caller makes ``CutItem``s without loading the player.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from vidu_desktop.core.records import record
from vidu_desktop.ui.review.controls import format_ms


@record
class CutItem:
    """One take of the cut: its file, the shot it plays ("Shot 3"), its length when known
    (``None``: the player reads it from the file first)."""

    path: Path
    label: str
    duration_s: float | None = None


@record
class Span:
    """A take that plays, and where it sits in the cut (seconds)."""

    item: CutItem
    number: int  # the item's place in the whole cut, from 1 (missing ones counted)
    start: float
    duration: float

    @property
    def end(self) -> float:
        return self.start + self.duration


@record
class Problem:
    """A take left out of the cut, and why (a sentence that names the shot)."""

    item: CutItem
    number: int
    text: str


class CutTimeline:
    """The spans of the takes that play, end to end; ``problems`` the takes left out."""

    def __init__(self, items: Sequence[CutItem], durations: Sequence[float | None],
                 problems: Sequence[Problem] = ()) -> None:
        self.count = len(items)
        left_out = {p.number for p in problems}
        self.problems = list(problems)
        self.spans: list[Span] = []
        at = 0.0
        for number, (item, duration) in enumerate(zip(items, durations, strict=True), 1):
            if number in left_out or duration is None or duration <= 0:
                continue
            self.spans.append(Span(item, number, at, float(duration)))
            at += float(duration)
        self.total = at

    def boundaries(self) -> list[float]:
        """Where each span starts, then where the cut ends (seconds)."""
        return [s.start for s in self.spans] + ([self.total] if self.spans else [])

    def locate(self, t: float) -> tuple[int, float]:
        """The span (index) that plays at ``t`` seconds, and how far into it; ``t`` is held
        within the cut (the end is the last span's end)."""
        if not self.spans:
            raise IndexError("the cut has nothing to play")
        t = min(max(0.0, t), self.total)
        for index, span in enumerate(self.spans):
            if t < span.end:
                return index, t - span.start
        last = len(self.spans) - 1
        return last, self.spans[last].duration

    def caption(self, index: int, offset_s: float) -> str:
        """"Shot 3 of 6 · 0:12 / 0:30" (the shot's own name when it is not "Shot N")."""
        span = self.spans[index]
        label = span.item.label.strip() or f"Take {span.number}"
        if re.fullmatch(rf".*\b{span.number}", label):
            where = f"{label} of {self.count}"
        else:
            where = f"{label} ({span.number} of {self.count})"
        now = format_ms(round((span.start + offset_s) * 1000))
        return f"{where} · {now} / {format_ms(round(self.total * 1000))}"
