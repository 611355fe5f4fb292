"""How a cut becomes one MP4: copy the packets where the takes allow it, re-encode otherwise.

Video and sound are decided apart:

- **video** is copied when every take has the same codec, size, frame rate, pixel format and
  decoder set-up (H.264's SPS/PPS: one MP4 track has one, so takes made with other encoder
  settings cannot share it). Otherwise every take is decoded and encoded again with libx264 at
  one size and rate: those that cover most of the cut's running time (a tie goes to the larger
  picture). A take of another shape is **letterboxed** (scaled to fit inside, black bars on
  the two free sides), never stretched or cropped: Vidu makes 16:9, 9:16 and 1:1 takes, and
  stretching would distort the cast while cropping could cut a face out of the frame.
- **sound** is copied when every take has sound in the same format. When only some have it,
  or the formats differ, the sound alone is decoded and encoded again (AAC; cheap next to
  video), each take's sound cut or padded with silence to its video's length, so a take
  without sound is silence and sound and picture stay in step at every cut. No take with sound:
  the film has none.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from enum import StrEnum
from fractions import Fraction

from vidu_desktop.core.records import record

from .cut import TakeMedia

#: the sound of a re-encoded track when no take says otherwise
DEFAULT_SAMPLE_RATE = 48_000

class StreamMode(StrEnum):
    COPY = "copy"  # the packets are copied as they are
    ENCODE = "encode"  # decoded and encoded again
    NONE = "none"  # no such stream (sound, when no take has any)


@record
class ExportPlan:
    """What the export will do, for the UI to say before it starts (and the export to do)."""

    media: tuple[TakeMedia, ...]
    video: StreamMode
    audio: StreamMode
    width: int
    height: int
    rate: Fraction
    sample_rate: int  # the film's sound (when audio is not NONE)
    channels: int
    reasons: tuple[str, ...]  # why a stream is re-encoded, for people

    @property
    def duration(self) -> Fraction:
        """Seconds: the sum of the takes' lengths."""
        return sum((m.duration for m in self.media), Fraction(0))

    @property
    def copies_everything(self) -> bool:
        return self.video == StreamMode.COPY and self.audio != StreamMode.ENCODE

    def summary(self) -> str:
        """One line for the export dialog."""
        video = ("video copied" if self.video == StreamMode.COPY
                 else f"video re-encoded to {self.width}x{self.height} at "
                      f"{float(self.rate):g} fps")
        audio = {StreamMode.COPY: "sound copied", StreamMode.ENCODE: "sound re-encoded",
                 StreamMode.NONE: "no sound"}[self.audio]
        return f"{len(self.media)} shots, {float(self.duration):.1f} s: {video}, {audio}"


def _weighted_choice[K: Hashable](media: Sequence[TakeMedia], key: Callable[[TakeMedia], K],
                                  tie: Callable[[K], float]) -> K:
    """The value of ``key`` that covers the most running time; ``tie`` breaks ties (larger
    wins), then the earliest take."""
    weight: dict[K, Fraction] = {}
    for m in media:
        weight[key(m)] = weight.get(key(m), Fraction(0)) + m.duration
    order = {key(m): i for i, m in reversed(list(enumerate(media)))}
    return max(weight, key=lambda k: (weight[k], tie(k), -order[k]))


def _differences(media: Sequence[TakeMedia]) -> list[str]:
    """Why the video cannot be copied: the first take that differs from the first, per
    property, in words."""
    first = media[0]
    reasons: list[str] = []
    checks: tuple[tuple[str, Callable[[TakeMedia], object], Callable[[TakeMedia], str]], ...] = (
        ("codec", lambda m: m.video.codec, lambda m: m.video.codec),
        ("size", lambda m: (m.video.width, m.video.height),
         lambda m: f"{m.video.width}x{m.video.height}"),
        ("frame rate", lambda m: m.video.rate, lambda m: f"{float(m.video.rate):g} fps"),
        ("pixel format", lambda m: m.video.pix_fmt, lambda m: m.video.pix_fmt),
    )
    for name, key, text in checks:
        other = next((m for m in media if key(m) != key(first)), None)
        if other is not None:
            reasons.append(f"the {name} differs: {first.label} is {text(first)}, "
                           f"{other.label} is {text(other)}")
    if not reasons:
        other = next((m for m in media if m.video.extradata != first.video.extradata), None)
        if other is not None:
            reasons.append(f"{other.label} was encoded with other settings than {first.label}")
    return reasons


def plan_export(media: Sequence[TakeMedia], *, force_encode: bool = False) -> ExportPlan:
    """The plan for ``media`` (from ``probe_cut``); ``force_encode`` re-encodes the video even
    where it could be copied (a bench, or the fallback when copying fails)."""
    if not media:
        raise ValueError("a plan needs at least one take")
    reasons = _differences(media)
    if force_encode and not reasons:
        reasons = ["re-encoding was asked for"]
    video = StreamMode.ENCODE if reasons else StreamMode.COPY
    width, height = _weighted_choice(media, lambda m: (m.video.width, m.video.height),
                                     lambda size: size[0] * size[1])
    rate = _weighted_choice(media, lambda m: m.video.rate, float)
    width, height = width // 2 * 2, height // 2 * 2  # yuv420p wants even sides

    with_sound = [m for m in media if m.audio is not None]
    sample_rate, channels = DEFAULT_SAMPLE_RATE, 2
    if not with_sound:
        audio = StreamMode.NONE
    else:
        formats = {m.audio for m in media}
        if len(formats) == 1:
            audio = StreamMode.COPY
        else:
            audio = StreamMode.ENCODE
            silent = [m for m in media if m.audio is None]
            if silent:
                reasons.append(f"{silent[0].label} has no sound (it gets silence)")
            else:
                reasons.append("the takes' sound formats differ")
        sample_rate = _weighted_choice(
            with_sound, lambda m: m.audio.sample_rate if m.audio else 0, float)
        channels = min(2, max(m.audio.channels if m.audio else 0 for m in with_sound))
    return ExportPlan(media=tuple(media), video=video, audio=audio, width=width,
                      height=height, rate=rate, sample_rate=sample_rate, channels=channels,
                      reasons=tuple(reasons))
