"""Is a downloaded file a playable MP4? Opened and one frame decoded with PyAV (in a thread).

PyAV is imported on the first verification, not with the engine: it costs ~100 ms at start-up.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from vidu_desktop.core.records import record


@record
class VideoInfo:
    codec: str
    width: int
    height: int
    duration_s: float
    fps: float
    has_audio: bool
    size_bytes: int
    sha256: str


class NotPlayable(ValueError):
    pass


def verify_mp4(path: Path) -> VideoInfo:
    """Check the container, the video stream and the first frame; raise ``NotPlayable``."""
    import av
    import av.error

    with path.open("rb") as fh:
        head = fh.read(12)
    if len(head) < 12 or head[4:8] != b"ftyp":
        raise NotPlayable(f"{path.name} is not an MP4 file (no ftyp box)")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise NotPlayable(f"{path.name} has no video stream")
            stream = container.streams.video[0]
            frame = next(container.decode(stream), None)
            if frame is None:
                raise NotPlayable(f"{path.name}: no frame could be decoded")
            duration = float(container.duration or 0) / 1_000_000
            info = (stream.codec_context.name, int(stream.codec_context.width),
                    int(stream.codec_context.height), duration,
                    float(stream.average_rate or 0), bool(container.streams.audio))
    except NotPlayable:
        raise
    except (av.error.FFmpegError, StopIteration, OSError) as exc:
        raise NotPlayable(f"{path.name} cannot be played: {exc}") from None
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return VideoInfo(*info, size_bytes=path.stat().st_size, sha256=digest.hexdigest())
