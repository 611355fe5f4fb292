"""One MP4 of the cut: the takes in order, copied where they allow it, else re-encoded.

``export_mp4(takes, dest, progress=..., cancel=...)`` probes the takes, plans (``plan.py``:
what is copied, what is re-encoded and why) and writes the film in one pass over each take's
packets. It blocks: run it in a worker thread. The file is written as a part with the process
id in its name and renamed when complete; a failure or a cancel removes the part
(``partfiles.py``), so there is the whole film or nothing. When copying turns out impossible
in the middle (a take whose frames are ordered differently), the export starts again,
re-encoding that stream, and the progress starts again from 0.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

from vidu_desktop.core.records import record

from . import partfiles
from .audio_encode import AudioEncoder
from .copying import CannotCopy, StreamCopy
from .cut import Take, TakeMedia, describe, open_take, require_takes
from .errors import input_problem, write_failed
from .plan import ExportPlan, StreamMode, plan_export
from .progress import CancelFlag, Progress, ProgressCallback
from .video_encode import EncodeOptions, VideoEncoder

log = logging.getLogger(__name__)

_DISK_ERRNOS = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EROFS,
                      errno.EACCES, errno.EPERM, errno.EIO) if code is not None)


@record
class ExportResult:
    path: Path
    plan: ExportPlan  # what was done: plan.video / plan.audio, plan.reasons

    @property
    def duration(self) -> float:
        return float(self.plan.duration)


class _Writer(Protocol):
    def begin(self, in_stream: Any, media: TakeMedia, start: Fraction,
              end: Fraction) -> None: ...
    def packet(self, packet: Any) -> float | None: ...
    def finish_take(self, in_stream: Any) -> None: ...
    def flush(self) -> None: ...


def boundaries(plan: ExportPlan) -> list[Fraction]:
    """Where each take starts in the film, and (last) where the film ends, in seconds.

    Copied video keeps each take's exact length; re-encoded video puts each cut on the
    nearest frame (so lengths stay within half a frame of the sum, not one per take)."""
    bounds = [Fraction(0)]
    for m in plan.media:
        bounds.append(bounds[-1] + m.duration)
    if plan.video == StreamMode.ENCODE:
        bounds = [Fraction(round(b * plan.rate)) / plan.rate for b in bounds]
    return bounds


def export_mp4(takes: Sequence[Take], dest: Path, *, progress: ProgressCallback | None = None,
               cancel: CancelFlag | None = None, options: EncodeOptions | None = None,
               force_encode: bool = False) -> ExportResult:
    """Write the film of ``takes`` to ``dest``; raises ``AppError`` (the shot and file at
    fault, a disk that is full, CANCELLED when ``cancel`` was set), leaving no file."""
    require_takes(takes)
    opened: list[Any] = []
    try:
        media = []
        for take in takes:  # each file opened once: probed, then read
            opened.append(open_take(take))
            media.append(describe(take, opened[-1]))
        plan = plan_export(media, force_encode=force_encode)
        return write_mp4(plan, dest, progress=progress, cancel=cancel, options=options,
                         opened=opened)
    finally:
        for container in opened:
            container.close()


def write_mp4(plan: ExportPlan, dest: Path, *, progress: ProgressCallback | None = None,
              cancel: CancelFlag | None = None, options: EncodeOptions | None = None,
              opened: Sequence[Any] | None = None) -> ExportResult:
    """Write ``plan`` (from ``plan_export``) to ``dest``; see ``export_mp4``. ``opened``: the
    takes' files already open and not yet read, in order (the caller closes them)."""
    options = options or EncodeOptions()
    dest = Path(dest)
    for m in plan.media:
        if _same_file(Path(m.take.path), dest):
            raise input_problem(f"The film would replace the take of {m.label} "
                                f"({dest.name}).", "Choose another name or folder for the "
                                "film, so the takes stay as they are.")
    log.info("exporting %s: %s%s", dest.name, plan.summary(),
             f" ({'; '.join(plan.reasons)})" if plan.reasons else "")
    try:
        _write(plan, dest, Progress(float(plan.duration), progress, cancel, "film"), options,
               opened)
    except CannotCopy as exc:
        log.info("copying failed (%s): re-encoding the %s", exc, exc.kind)
        reasons = (*plan.reasons, str(exc))
        plan = (dataclasses.replace(plan, audio=StreamMode.ENCODE, reasons=reasons)
                if exc.kind == "audio"
                else dataclasses.replace(plan, video=StreamMode.ENCODE, reasons=reasons))
        _write(plan, dest, Progress(float(plan.duration), progress, cancel, "film"), options)
    return ExportResult(path=dest, plan=plan)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def _write(plan: ExportPlan, dest: Path, progress: Progress, options: EncodeOptions,
           opened: Sequence[Any] | None = None) -> None:
    """One pass over the takes' packets; ``opened``: the takes' containers, at their start
    (closed by the caller), else each take is opened here."""
    import av
    import av.error

    bounds = boundaries(plan)
    current = plan.media[0]
    try:
        with partfiles.writing(dest) as part, av.open(
                str(part), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            video: _Writer | None = None
            audio: _Writer | None = None
            for i, media in enumerate(plan.media):
                current = media
                own = opened is None
                inp = open_take(media.take) if opened is None else opened[i]
                try:
                    if video is None:
                        video, audio = _writers(out, plan, inp, options)
                    _take(inp, media, bounds[i], bounds[i + 1], video, audio, progress)
                finally:
                    if own:
                        inp.close()
            progress.check()
            assert video is not None
            video.flush()
            if audio is not None:
                audio.flush()
        progress.finish()
    except av.error.FFmpegError as exc:
        if getattr(exc, "errno", None) in _DISK_ERRNOS:
            raise write_failed(dest, OSError(exc.errno, exc.strerror)) from None
        raise input_problem(f"The film could not be made at {current.label} "
                            f"({current.take.path.name}): {exc}.",
                            "Pick another take for this shot, or export again.") from None


def _writers(out: Any, plan: ExportPlan, first: Any,
             options: EncodeOptions) -> tuple[_Writer, _Writer | None]:
    """The film's streams, made from the first take's where they are copied."""
    fv = first.streams.video[0]
    video: _Writer
    if plan.video == StreamMode.COPY:
        video = StreamCopy(out, out.add_stream_from_template(fv), "video")
    else:
        video = VideoEncoder(out, plan, options, colours=fv.codec_context)
    audio: _Writer | None = None
    if plan.audio == StreamMode.COPY:
        audio = StreamCopy(out, out.add_stream_from_template(first.streams.audio[0]), "audio")
    elif plan.audio == StreamMode.ENCODE:
        audio = AudioEncoder(out, plan)
    return video, audio


def _take(inp: Any, media: TakeMedia, start: Fraction, end: Fraction, video: _Writer,
          audio: _Writer | None, progress: Progress) -> None:
    """Every packet of one take, through the writers."""
    vs = inp.streams.video[0]
    sound = inp.streams.audio[0] if (audio is not None and inp.streams.audio) else None
    video.begin(vs, media, start, end)
    if audio is not None:
        audio.begin(sound, media, start, end)
    streams = (vs, sound) if sound is not None else (vs,)
    at, length = float(start), float(media.duration)
    for packet in inp.demux(*streams):
        progress.check()
        if packet.stream.type == "video":  # (the empty last packets keep index 0)
            reached = video.packet(packet)
        else:
            assert audio is not None
            reached = audio.packet(packet)
        if reached is not None:
            progress.at(at + min(reached, length))
    video.finish_take(vs)
    if audio is not None:
        audio.finish_take(sound)
