"""The sound track of the emulator's videos: a soft chord, AAC in stereo at 48 kHz.

It stands for both of the hosts' sounds: ``bgm`` (background music) and ``audio`` (speech and
sound made with the video). Encoding AAC costs more than the whole small preview that the
tests render, and the chord is the same for every video of a length, so each length is encoded
once per process (:func:`tone_track`, a small MP4 of its own) and a video copies its packets
(:func:`mux_tone`) instead of encoding the sound again.

Only the standard library and PyAV are used here.
"""

from __future__ import annotations

import array
import functools
import io
import math
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import av

AUDIO_RATE = 48_000
_CHORD_HZ = (220, 277, 330, 440)  # integer frequencies: the chord repeats every second
_BIT_RATE = 128_000


@functools.cache
def _chord_second() -> tuple[array.array[float], array.array[float]]:
    """One second of a soft chord (it loops seamlessly), left and right slightly different."""
    sine = [math.sin(2.0 * math.pi * s / AUDIO_RATE) for s in range(AUDIO_RATE)]
    left, right = array.array("f"), array.array("f")
    for s in range(AUDIO_RATE):
        a, b, c, d = (sine[f * s % AUDIO_RATE] for f in _CHORD_HZ)
        left.append(0.15 * a + 0.11 * b + 0.09 * c + 0.05 * d)
        right.append(0.11 * a + 0.15 * b + 0.05 * c + 0.09 * d)
    return left, right


class _Tone:
    """Produces ``total`` samples of the chord as AAC-ready stereo fltp frames, faded in and
    out."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.pos = 0
        self.left, self.right = _chord_second()
        self.fade = max(1, min(AUDIO_RATE // 2, self.total // 4))

    def _loop(self, second: array.array[float], n: int) -> array.array[float]:
        """``n`` samples of the looping ``second`` from the current position."""
        start = self.pos % AUDIO_RATE
        out = second[start : start + n]
        while len(out) < n:
            out.extend(second[: n - len(out)])
        return out

    def frames(self, chunk: int = 1024) -> Iterator[av.AudioFrame]:
        while self.pos < self.total:
            n = min(chunk, self.total - self.pos)
            planes = [self._loop(self.left, n), self._loop(self.right, n)]
            if self.pos < self.fade or self.pos + n > self.total - self.fade:
                for j in range(n):
                    s = self.pos + j
                    gain = min(1.0, (s + 1) / self.fade, (self.total - s) / self.fade)
                    planes[0][j] *= gain
                    planes[1][j] *= gain
            frame = av.AudioFrame(format="fltp", layout="stereo", samples=n)
            for plane, samples in zip(frame.planes, planes, strict=True):
                plane.update(samples.tobytes())
            frame.sample_rate = AUDIO_RATE
            frame.pts = self.pos
            frame.time_base = Fraction(1, AUDIO_RATE)
            self.pos += n
            yield frame


def samples_for(duration_s: float) -> int:
    return round(duration_s * AUDIO_RATE)


@functools.lru_cache(maxsize=24)
def tone_track(samples: int) -> bytes:
    """An MP4 holding only the chord, ``samples`` long, AAC-encoded (cached per process: a
    handful of lengths cover every video the hosts make)."""
    if samples <= 0:
        raise ValueError(f"a sound track needs at least one sample, got {samples}")
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as container:
        stream: Any = container.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
        stream.bit_rate = _BIT_RATE
        for frame in _Tone(samples).frames():
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buf.getvalue()


class ToneCopy:
    """The chord's packets, copied into ``container`` as its sound track: ``until(t)`` muxes
    those that start before ``t`` seconds (call it as the video advances, so the two streams
    are interleaved), ``finish()`` the rest; ``close()`` closes the source."""

    def __init__(self, container: Any, duration_s: float) -> None:
        self._source: Any = av.open(io.BytesIO(tone_track(samples_for(duration_s))), mode="r")
        source_stream = self._source.streams.audio[0]
        self._out = container
        self._stream: Any = container.add_stream_from_template(source_stream)
        self._packets: Iterator[Any] = iter(self._source.demux(source_stream))
        self._held: Any = None

    def until(self, t: float) -> None:
        while True:
            packet = self._held if self._held is not None else next(self._packets, None)
            self._held = None
            if packet is None:
                return
            if packet.dts is None:  # the demuxer's closing empty packet
                continue
            if packet.pts is not None and float(packet.pts * packet.time_base) >= t:
                self._held = packet
                return
            packet.stream = self._stream
            self._out.mux(packet)

    def finish(self) -> None:
        self.until(math.inf)

    def close(self) -> None:
        self._source.close()
