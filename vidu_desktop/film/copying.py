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
  ends (the next take's priming): the cut loses at most one AAC frame (21 ms at 48 kHz) of
  sound at each shot boundary, and sound stays in step with the picture, take by take.
"""

from __future__ import annotations

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
    """Copies one kind of packet (video or audio) of every take into ``out_stream``."""

    def __init__(self, out: Any, out_stream: Any, kind: str) -> None:
        self.out = out
        self.stream = out_stream
        self.kind = kind
        self.last_dts: Fraction | None = None  # seconds, in the film
        self.end: Fraction = Fraction(0)  # seconds: where the last packet written ends
        self._offset = 0  # ticks of the take's own time base
        self._tb = Fraction(1)
        self._zero = Fraction(0)
        self._length = Fraction(0)
        self._label = ""

    def begin(self, in_stream: Any, media: TakeMedia, start: Fraction, end: Fraction) -> None:
        """The next packets come from ``in_stream`` of ``media``, placed at ``start`` seconds
        (``end`` is where the take ends: ``start`` plus its length)."""
        self._tb = _tb(in_stream)
        self._zero = media.start
        self._length = media.duration
        self._label = media.label
        self._offset = round((start - media.start) / self._tb)

    def packet(self, packet: Any) -> Fraction | None:
        """Write ``packet`` (or drop it); returns its time in the take (seconds), if any."""
        if packet.dts is None:  # the demuxer's empty packet at the end of a stream
            return None
        pts = packet.pts if packet.pts is not None else packet.dts
        in_take: Fraction = Fraction(pts) * self._tb - self._zero
        if self.kind == "audio" and in_take >= self._length:
            return in_take  # starts after the take's picture has ended
        new_pts, new_dts = pts + self._offset, packet.dts + self._offset
        start = new_pts * self._tb
        if self.kind == "audio" and start < self.end:
            return in_take  # overlaps the sound already written (the priming packet)
        dts = new_dts * self._tb
        if self.last_dts is not None and dts <= self.last_dts:
            raise CannotCopy(self.kind, f"the {self.kind} of {self._label} cannot follow "
                             "the shot before it without re-encoding (its packets are ordered "
                             "differently)")
        packet.pts, packet.dts = new_pts, new_dts
        packet.stream = self.stream
        self.out.mux(packet)
        self.last_dts = dts
        self.end = max(self.end, start + (packet.duration or 0) * self._tb)
        return in_take

    def finish_take(self, in_stream: Any) -> None:
        """Nothing is held back between takes."""

    def flush(self) -> None:
        """Nothing is held back at the end."""
