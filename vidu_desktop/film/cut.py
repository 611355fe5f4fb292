"""A cut: the chosen takes in order, and what each take's file holds (probed with PyAV).

A ``Take`` is what the board hands over: the downloaded MP4 and the facts the contact sheet and
the timeline show. ``probe_cut`` opens every file once (headers only, nothing is decoded) and
returns a ``TakeMedia`` per take: the video and audio formats that decide between copying and
re-encoding, where the take starts and how long it lasts.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidu_desktop.core.records import record

from ..core.errors import AppError
from .errors import input_problem


@record
class Take:
    """One chosen take of a shot: its file and what the contact sheet says about it."""

    path: Path
    shot: int  # the shot's number on the board (1, 2, ...)
    prompt: str = ""
    host: str = ""  # the host's id ("vidu", "novita"…) or its name
    model: str = ""
    cost: str = ""  # already written for people ("$0.40", "8 credits"), "" when unknown
    cover: Path | None = None  # the take's cover picture; None: the first frame is used


@record
class VideoFormat:
    """What must be equal in every take for the video packets to be copied."""

    codec: str
    width: int
    height: int
    rate: Fraction  # frames per second
    pix_fmt: str
    extradata: bytes  # the decoder's set-up (H.264: SPS and PPS), shared by the copied stream

    def describe(self) -> str:
        return f"{self.codec} {self.width}x{self.height} at {_rate_text(self.rate)} fps"


@record
class AudioFormat:
    """What must be equal in every take for the audio packets to be copied."""

    codec: str
    sample_rate: int
    channels: int
    extradata: bytes

    def describe(self) -> str:
        return f"{self.codec} {self.sample_rate} Hz, {self.channels} channel(s)"


@record
class TakeMedia:
    """A take and what its file holds."""

    take: Take
    video: VideoFormat
    audio: AudioFormat | None
    start: Fraction  # seconds: the first video frame's time, the take's zero
    duration: Fraction  # seconds of video: the take's length in the cut
    frames: int  # video frames (as the file says; an estimate where it does not)

    @property
    def label(self) -> str:
        return f"shot {self.take.shot}"


def _rate_text(rate: Fraction) -> str:
    return f"{rate.numerator}" if rate.denominator == 1 else f"{float(rate):.3f}"


def _fraction(value: object) -> Fraction:
    """An ``AVRational`` (or a Fraction, an int) as a ``Fraction``."""
    num = getattr(value, "numerator", None)
    den = getattr(value, "denominator", None)
    if isinstance(num, int) and isinstance(den, int) and den:
        return Fraction(num, den)
    return Fraction(0)


def open_take(take: Take) -> Any:
    """``take``'s file opened with PyAV (the caller closes it); raises ``AppError``
    (FIX_INPUT) naming the shot and the file when it is missing or cannot be read."""
    import av
    import av.error

    path = Path(take.path)
    if not path.is_file():
        raise input_problem(f"Shot {take.shot}: the take's file {path.name} is missing.",
                            "Pick another take for this shot, or download this one again.")
    try:
        return av.open(str(path))
    except av.error.FFmpegError as exc:
        raise _unreadable(take, exc) from None


def _unreadable(take: Take, exc: Exception) -> AppError:
    return input_problem(f"Shot {take.shot}: {Path(take.path).name} cannot be read as a "
                         f"video ({exc}).", "Pick another take for this shot.")


def describe(take: Take, container: Any) -> TakeMedia:
    """What the open ``container`` of ``take`` holds (headers only, nothing decoded)."""
    name = Path(take.path).name
    if not container.streams.video:
        raise input_problem(f"Shot {take.shot}: {name} has no video.",
                            "Pick another take for this shot.")
    vs = container.streams.video[0]
    vctx = vs.codec_context
    rate = _fraction(vs.average_rate) or _fraction(vs.guessed_rate)
    if rate <= 0:
        raise input_problem(f"Shot {take.shot}: {name} has no frame rate.",
                            "Pick another take for this shot.")
    video = VideoFormat(codec=vctx.name, width=int(vctx.width), height=int(vctx.height),
                        rate=rate, pix_fmt=str(vctx.pix_fmt or ""),
                        extradata=bytes(vctx.extradata or b""))
    tb = _fraction(vs.time_base)
    start = Fraction(vs.start_time or 0) * tb
    if vs.duration:
        duration = Fraction(vs.duration) * tb
    elif vs.frames:
        duration = Fraction(vs.frames) / rate
    else:
        duration = Fraction(container.duration or 0, 1_000_000)
    if duration <= 0:
        raise input_problem(f"Shot {take.shot}: {name} has no length.",
                            "Pick another take for this shot.")
    audio = None
    if container.streams.audio:
        a = container.streams.audio[0].codec_context
        audio = AudioFormat(codec=a.name, sample_rate=int(a.sample_rate),
                            channels=int(a.channels), extradata=bytes(a.extradata or b""))
    frames = int(vs.frames) or round(duration * rate)
    return TakeMedia(take=take, video=video, audio=audio, start=start, duration=duration,
                     frames=frames)


def probe_take(take: Take) -> TakeMedia:
    """What ``take``'s file holds; raises ``AppError`` (FIX_INPUT) naming the shot and the file
    when it is missing or holds no readable video."""
    with open_take(take) as container:
        return describe(take, container)


def probe_cut(takes: Sequence[Take]) -> list[TakeMedia]:
    """Every take probed, in order; raises ``AppError`` for an empty cut or a bad take."""
    require_takes(takes)
    return [probe_take(take) for take in takes]


def require_takes(takes: Sequence[Take]) -> None:
    """Raise the empty cut's ``AppError`` when there are no takes."""
    if not takes:
        raise input_problem("The cut has no takes.",
                            "Pick a take for at least one shot, then export again.")
