"""The re-encoded sound: each take's sound decoded, resampled to the film's format, cut or
padded with silence to exactly the take's span in the film, and encoded as one AAC track.

A take without sound contributes silence of its length; a take whose sound starts late is
padded before, one whose sound runs past its picture is cut. The spans are whole samples at
the same boundaries as the picture (``round(boundary * sample_rate)``), so sound and picture
meet at every cut and never drift.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .cut import TakeMedia
from .plan import ExportPlan

_FORMAT = "fltp"  # what FFmpeg's AAC encoder takes
_FRAME = 1024  # samples in an AAC frame
_BIT_RATE = 192_000


class AudioEncoder:
    def __init__(self, out: Any, plan: ExportPlan) -> None:
        from av.audio.fifo import AudioFifo

        self.rate = plan.sample_rate
        self.layout = "stereo" if plan.channels >= 2 else "mono"
        stream: Any = out.add_stream("aac", rate=self.rate, layout=self.layout)
        stream.bit_rate = _BIT_RATE
        stream.time_base = Fraction(1, self.rate)
        self.out = out
        self.stream = stream
        self.fifo = AudioFifo()
        self.written = 0  # samples given to the fifo (the film's sound so far)
        self.encoded = 0  # samples encoded
        self._end = 0
        self._resampler: Any = None
        self._media: TakeMedia | None = None
        self._started = False
        self._start = 0  # the take's first sample in the film
        self._skip = 0  # samples still to drop: those before the take's first frame
        self._drained = False  # the decoder has given its last frames

    def begin(self, in_stream: Any | None, media: TakeMedia, start: Fraction,
              end: Fraction) -> None:
        """Sound of ``media`` follows from ``in_stream`` (None: the take has none), for the
        film's span ``start``-``end`` seconds."""
        import av

        self._media = media
        self._start, self._end = round(start * self.rate), round(end * self.rate)
        self._pad_to(self._start)
        self._started = False
        self._skip = 0
        self._drained = False
        self._resampler = (av.AudioResampler(format=_FORMAT, layout=self.layout,
                                             rate=self.rate)
                           if in_stream is not None else None)

    def packet(self, packet: Any) -> float | None:
        """Decode ``packet``; returns the time reached in the take (seconds), if any."""
        reached = None
        if packet.size == 0:  # the demuxer's last, empty packet: it drains the decoder
            self._drained = True
        for frame in packet.decode():
            reached = float(self._decoded(frame))
        return reached

    def finish_take(self, in_stream: Any | None) -> None:
        """The take's remaining sound, then silence up to its end in the film."""
        if in_stream is not None and self._resampler is not None:
            if not self._drained:
                for frame in in_stream.codec_context.decode(None):
                    self._decoded(frame)
            for chunk in self._resampler.resample(None):
                self._append(chunk)
        self._pad_to(self._end)
        self._encode_ready()

    def flush(self) -> None:
        """The last partial frame and the encoder's delayed packets."""
        rest = self.fifo.read(0, partial=True) if self.fifo.samples else None
        if rest is not None:
            self._encode(rest)
        self.out.mux(self.stream.encode(None))

    # -- samples ------------------------------------------------------------------------------

    def _decoded(self, frame: Any) -> Fraction:
        assert self._media is not None and self._resampler is not None
        t = Fraction(0)
        if frame.pts is not None and frame.time_base is not None:
            tb = frame.time_base
            t = frame.pts * Fraction(tb.numerator, tb.denominator) - self._media.start
        if not self._started:
            # the take's first sound sits where it belongs: silence before a late start, the
            # samples before the picture's first frame dropped
            self._started = True
            start = self._start + round(t * self.rate)
            self._pad_to(start)
            self._skip = max(0, self.written - start)
        for chunk in self._resampler.resample(frame):
            self._append(chunk)
        return t

    def _append(self, frame: Any) -> None:
        """Write ``frame``'s samples into the fifo, without those to skip or past the end."""
        frame.pts = None  # the fifo checks continuity against pts; the span is counted here
        n = frame.samples
        skip = min(self._skip, n)
        keep = min(n - skip, self._end - self.written)
        if skip:
            self._skip -= skip
        if keep <= 0:
            return
        if skip or keep < n:
            frame = _slice(frame, skip, keep)
        self.fifo.write(frame)
        self.written += keep
        self._encode_ready()

    def _pad_to(self, sample: int) -> None:
        while self.written < sample:
            n = min(_FRAME * 8, sample - self.written)
            self.fifo.write(_silence(n, self.layout, self.rate))
            self.written += n
        self._encode_ready()

    def _encode_ready(self) -> None:
        while self.fifo.samples >= _FRAME:
            chunk = self.fifo.read(_FRAME)
            if chunk is not None:
                self._encode(chunk)

    def _encode(self, frame: Any) -> None:
        frame.pts = self.encoded
        frame.time_base = Fraction(1, self.rate)
        self.encoded += frame.samples
        self.out.mux(self.stream.encode(frame))


def _silence(samples: int, layout: str, rate: int) -> Any:
    import av

    frame: Any = av.AudioFrame(format=_FORMAT, layout=layout, samples=samples)
    for plane in frame.planes:
        plane.update(bytes(plane.buffer_size))
    frame.sample_rate = rate
    return frame


def _slice(frame: Any, start: int, count: int) -> Any:
    """Samples ``start`` to ``start + count`` of ``frame`` as a frame of their own."""
    from av.audio.fifo import AudioFifo

    fifo = AudioFifo()
    fifo.write(frame)
    if start:
        fifo.read(start)
    part = fifo.read(count)
    assert part is not None
    return part
