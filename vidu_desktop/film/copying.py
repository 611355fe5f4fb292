"""The copy path: a take's packets moved into the film as they are, at the take's place.

Every packet keeps its own time base (PyAV rescales it to the output stream's when it is
muxed); only its timestamps move, by the take's start in the film minus the take's own zero
(its first video frame), the same offset for picture and sound so their alignment inside the
take is kept exactly. The muxer needs each stream's decode times to rise strictly:

- video: within a take they do; across takes they do when the takes were encoded alike (the
  same reordering delay). When they would not, ``CannotCopy`` is raised and the export
  re-encodes instead.
- sound: AAC packets start with the encoder's priming packet, timed before the take's zero,
  and the last one may reach past the take's end. Packets that start after the take's video
  has ended are dropped, and so are those that would start before the sound already written
  ends (the next take's priming): at a shot boundary at most one AAC frame (21 ms at 48 kHz)
  of sound is dropped or runs over from the shot before, and sound stays in step with the
  picture, take by take (it never drifts: every take is placed at its own start).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from .cut import TakeMedia


class CannotCopy(Exception):
    """The packets cannot be copied into one stream (the export re-encodes instead)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "video" or "audio": the stream to re-encode


def _tb(stream: Any) -> Fraction:
    tb = stream.time_base
    return Fraction(tb.numerator, tb.denominator)


class StreamCopy:
    """Copies one kind of packet (video or audio) of every take into ``out_stream``.

    Per packet only integers are added and compared, in the current take's time base (the
    state is carried over into the next take's once, at its start): the copy costs little more
    than reading the packets."""

    def __init__(self, out: Any, out_stream: Any, kind: str) -> None:
        import av.error

        self._refused = av.error.ArgumentError  # EINVAL: times the muxer will not take
        self.out = out
        self.stream = out_stream
        self.kind = kind
        self._tb: Fraction | None = None
        self._seconds = 0.0  # one tick, in seconds
        self._last: int | None = None  # the last decode time written, in ticks
        self._end = 0  # where the sound written so far ends, in ticks
        self._zero = 0  # the take's first video frame, in ticks
        self._limit = 0  # the take's end, in ticks
        self._offset = 0  # ticks added to the take's timestamps
        self._label = ""

    def begin(self, in_stream: Any, media: TakeMedia, start: Fraction, end: Fraction) -> None:
        """The next packets come from ``in_stream`` of ``media``, placed at ``start`` seconds
        (``end`` is where the take ends: ``start`` plus its length)."""
        tb = _tb(in_stream)
        if self._tb is not None and tb != self._tb:
            ratio = self._tb / tb
            if self._last is not None:
                self._last = math.ceil(self._last * ratio)
            self._end = math.ceil(self._end * ratio)
        self._tb, self._seconds = tb, float(tb)
        self._zero = round(media.start / tb)
        self._limit = self._zero + round(media.duration / tb)
        self._offset = round((start - media.start) / tb)
        self._label = media.label

    def packet(self, packet: Any) -> float | None:
        """Write ``packet`` (or drop it); returns its time in the take (seconds), if any."""
        dts = packet.dts
        if dts is None:  # the demuxer's empty packet at the end of a stream
            return None
        pts = packet.pts if packet.pts is not None else dts
        in_take: float = (pts - self._zero) * self._seconds
        new_pts = pts + self._offset
        if self.kind == "audio" and (pts >= self._limit or new_pts < self._end):
            return in_take  # after the take's picture ended, or over the sound written
        new_dts = dts + self._offset
        if self._last is not None and new_dts <= self._last:
            raise CannotCopy(self.kind, f"the {self.kind} of {self._label} cannot follow "
                             "the shot before it without re-encoding (its packets are ordered "
                             "differently)")
        packet.pts, packet.dts = new_pts, new_dts
        packet.stream = self.stream
        try:
            self.out.mux_one(packet)
        except self._refused as exc:
            raise CannotCopy(self.kind, f"the {self.kind} of {self._label} cannot be copied "
                             f"after the shot before it ({exc})") from None
        self._last = new_dts
        end = new_pts + (packet.duration or 0)
        if end > self._end:
            self._end = end
        return in_take

    def finish_take(self, in_stream: Any) -> None:
        """Nothing is held back between takes."""

    def flush(self) -> None:
        """Nothing is held back at the end."""
