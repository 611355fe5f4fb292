"""Takes made by the tests with PyAV: H.264 video of a moving pattern, AAC sound optional."""

from __future__ import annotations

import array
import functools
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from vidu_desktop.film import Take


def make_take(path: Path, *, width: int = 160, height: int = 90, fps: int = 12,
              seconds: float = 1.0, sound: bool = False, sample_rate: int = 48_000,
              channels: int = 2, shade: int = 0, bframes: int = 0, shot: int = 1,
              prompt: str = "", cover: Path | None = None) -> Take:
    """A take of ``seconds`` at ``fps``: a bar that moves across a background of ``shade``
    (each take its own), a tone when ``sound``."""
    frames = round(seconds * fps)
    with av.open(str(path), "w", format="mp4") as out:
        video: Any = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.time_base = Fraction(1, fps)
        video.options = {"preset": "ultrafast", "bf": str(bframes)} if bframes else {
            "preset": "ultrafast"}
        audio: Any = None
        if sound:
            layout = "stereo" if channels == 2 else "mono"
            audio = out.add_stream("aac", rate=sample_rate, layout=layout)
        written = 0
        for k in range(frames):
            frame = av.VideoFrame(width, height, "yuv420p")
            y, u, v = frame.planes
            x = k * width // max(1, frames)
            row = bytes([40 + shade % 180] * x + [235] * 8 + [40 + shade % 180] * width)[:width]
            y.update(b"".join(row.ljust(y.line_size, b"\0") for _ in range(height)))
            u.update(bytes([(shade * 37) % 256]) * u.buffer_size)
            v.update(bytes([(shade * 91) % 256]) * v.buffer_size)
            frame.pts = k
            frame.time_base = Fraction(1, fps)
            out.mux(video.encode(frame))
            if audio is not None:
                end = round((k + 1) * sample_rate / fps)
                while written < end:
                    n = min(1024, end - written)
                    tone = av.AudioFrame(format="fltp", layout=audio.layout.name, samples=n)
                    at = written % sample_rate
                    data = (_tone(sample_rate) * 2)[at:at + n].tobytes()
                    for plane in tone.planes:
                        plane.update(data)
                    tone.sample_rate = sample_rate
                    tone.pts = written
                    tone.time_base = Fraction(1, sample_rate)
                    written += n
                    out.mux(audio.encode(tone))
        out.mux(video.encode(None))
        if audio is not None:
            out.mux(audio.encode(None))
    return Take(path=path, shot=shot, prompt=prompt or f"shot {shot}", host="vidu",
                model="viduq1", cost="$0.40", cover=cover)


@functools.cache
def _tone(sample_rate: int) -> array.array[float]:
    """One second of 440 Hz (it loops seamlessly), as 32-bit floats."""
    return array.array("f", (0.2 * math.sin(2 * math.pi * 440 * i / sample_rate)
                             for i in range(sample_rate)))


def decode_all(path: Path) -> tuple[int, int, float, float]:
    """(video frames decoded, audio samples decoded, container seconds, video seconds)."""
    frames = samples = 0
    with av.open(str(path)) as container:
        duration = (container.duration or 0) / 1_000_000
        vs = container.streams.video[0]
        vdur = float((vs.duration or 0) * vs.time_base) if vs.time_base else 0.0
        for frame in container.decode(*container.streams):
            if isinstance(frame, av.VideoFrame):
                frames += 1
            elif isinstance(frame, av.AudioFrame):
                samples += frame.samples
    return frames, samples, duration, vdur
