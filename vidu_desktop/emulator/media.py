"""Real media for the emulator: H.264 MP4 videos (and JPEG covers) made from reference images.

Each image in turn gets a slow pan / gentle zoom ("Ken Burns"), with cross-fades between them.
The motion is deterministic given the seed, so the same spec always yields the same file, which
is cached on disk under the spec's key. With ``bgm`` the video has a sound track (``sound``).
``Renderer`` runs renders in worker processes so an asyncio server never blocks on the CPU-bound
encoding.

Only the standard library, Pillow and PyAV are used here.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import io
import json
import math
import os
import random
import uuid
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import av
from PIL import Image, ImageOps

from vidu_desktop.core.records import record

from . import render_pool
from . import sound as sound_track

#: Bump when the picture or encoding changes, so stale cache files are not reused.
RENDER_VERSION = 2  # 2: the sound track is copied from one encode per length

_MARGIN = 1.15  # images are pre-scaled this much larger than the frame: room to pan and zoom
_MAX_FADE_S = 0.75
_INPUT_FORMATS = ("PNG", "JPEG", "WEBP")
_VIDEO_FRAME: Any = av.VideoFrame  # PyAV's from_image is not annotated


@record
class RenderSpec:
    """What to render: the reference images and the output's size, length and options."""

    images: tuple[bytes, ...]
    width: int
    height: int
    duration_s: float
    fps: int = 24
    bgm: bool = False
    seed: int = 0
    scale: float = 1.0

    def key(self) -> str:
        """A sha256 hex digest over every field and the images' bytes: the cache key."""
        fields = {
            "version": RENDER_VERSION,
            "images": [hashlib.sha256(data).hexdigest() for data in self.images],
            "width": self.width,
            "height": self.height,
            "duration_s": float(self.duration_s),
            "fps": self.fps,
            "bgm": self.bgm,
            "seed": self.seed,
            "scale": float(self.scale),
        }
        blob = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(blob).hexdigest()

    def encoded_size(self) -> tuple[int, int]:
        """The size actually encoded: the requested size times ``scale``, even, at least 64."""
        return _even_side(self.width * self.scale), _even_side(self.height * self.scale)

    def frame_count(self) -> int:
        return max(1, round(self.duration_s * self.fps))


@record
class RenderResult:
    """A finished render: the files and what was actually encoded."""

    video_path: Path
    cover_path: Path
    width: int
    height: int
    duration_s: float
    fps: int
    has_audio: bool
    size_bytes: int


def _even_side(value: float) -> int:
    return max(64, round(value / 2) * 2)


def _validate(spec: RenderSpec) -> None:
    if not 1 <= len(spec.images) <= 7:
        raise ValueError(f"a render needs 1 to 7 images, got {len(spec.images)}")
    if spec.width <= 0 or spec.height <= 0:
        raise ValueError(f"invalid output size {spec.width}x{spec.height}")
    if not (math.isfinite(spec.duration_s) and spec.duration_s > 0):
        raise ValueError(f"invalid duration {spec.duration_s!r}")
    if not 1 <= spec.fps <= 120:
        raise ValueError(f"invalid frame rate {spec.fps!r}")
    if not (math.isfinite(spec.scale) and spec.scale > 0):
        raise ValueError(f"invalid scale {spec.scale!r}")


def _result(spec: RenderSpec, video: Path, cover: Path) -> RenderResult:
    width, height = spec.encoded_size()
    return RenderResult(
        video_path=video,
        cover_path=cover,
        width=width,
        height=height,
        duration_s=spec.frame_count() / spec.fps,
        fps=spec.fps,
        has_audio=spec.bgm,
        size_bytes=video.stat().st_size,
    )


def render(spec: RenderSpec, out_dir: Path) -> RenderResult:
    """Render ``spec`` into ``out_dir`` as ``<key>.mp4`` and ``<key>.jpg``; synchronous, CPU-bound.

    Both files are written atomically (temp file + ``os.replace``); when both already exist they
    are reused as they are. Raises ``ValueError`` for an invalid spec or unreadable image bytes.
    """
    _validate(spec)
    key = spec.key()
    out_dir = Path(out_dir)
    video, cover = out_dir / f"{key}.mp4", out_dir / f"{key}.jpg"
    if video.is_file() and cover.is_file():
        return _result(spec, video, cover)

    width, height = spec.encoded_size()
    pictures = [_prepare(data, i, width, height) for i, data in enumerate(spec.images)]
    out_dir.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp_video = out_dir / f".{key}.{tag}.tmp.mp4"
    tmp_cover = out_dir / f".{key}.{tag}.tmp.jpg"
    try:
        first = _encode(spec, pictures, width, height, tmp_video)
        first.save(tmp_cover, format="JPEG", quality=88)
        os.replace(tmp_cover, cover)
        os.replace(tmp_video, video)
    finally:
        for tmp in (tmp_video, tmp_cover):
            tmp.unlink(missing_ok=True)
    return _result(spec, video, cover)


# -- pictures -----------------------------------------------------------------------------------


@record
class _Motion:
    """A Ken Burns move: zoom and centre (as fractions of the slack) from start to end."""

    zoom0: float
    zoom1: float
    u0: float
    v0: float
    u1: float
    v1: float


def _motion(seed: int, index: int) -> _Motion:
    rng = random.Random(f"vidu-emulator:{seed}:{index}")
    near, far = 1.0 + rng.uniform(0.0, 0.03), _MARGIN - rng.uniform(0.0, 0.03)
    zoom0, zoom1 = (near, far) if rng.random() < 0.5 else (far, near)
    return _Motion(zoom0, zoom1, rng.random(), rng.random(), rng.random(), rng.random())


def _decode(data: bytes, index: int, width: int, height: int) -> Image.Image:
    """Decode image ``index`` into RGB, upright, first frame; JPEGs are drafted near the size."""
    try:
        img: Image.Image = Image.open(io.BytesIO(data), formats=_INPUT_FORMATS)
        img.seek(0)
        if img.format == "JPEG":  # decode big JPEGs at a reduced scale, still covering the frame
            w, h = img.size
            turned = img.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF quarter turn
            upright = (h, w) if turned else (w, h)
            cover = max(width * _MARGIN / upright[0], height * _MARGIN / upright[1])
            nw, nh = math.ceil(upright[0] * cover), math.ceil(upright[1] * cover)
            need = (nh, nw) if turned else (nw, nh)
            if need[0] < w and need[1] < h:
                img.draft("RGB", need)
        img.load()
        img = ImageOps.exif_transpose(img)
        if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
            rgba = img.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (0, 0, 0))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            img = flat
        else:
            img = img.convert("RGB")
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise ValueError(f"reference image {index + 1} could not be decoded: {exc}") from exc
    if img.width < 1 or img.height < 1:
        raise ValueError(f"reference image {index + 1} is empty")
    return img


def _prepare(data: bytes, index: int, width: int, height: int) -> Image.Image:
    """Decode once and scale once (high quality) to cover the frame with some margin."""
    img = _decode(data, index, width, height)
    cover = max(width * _MARGIN / img.width, height * _MARGIN / img.height)
    size = (max(width, math.ceil(img.width * cover)), max(height, math.ceil(img.height * cover)))
    if size != img.size:
        img = img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return img


def _smooth(p: float) -> float:
    p = min(1.0, max(0.0, p))
    return p * p * (3.0 - 2.0 * p)


def _view(img: Image.Image, motion: _Motion, p: float, width: int, height: int) -> av.VideoFrame:
    """The frame at progress ``p`` (0..1) of ``motion``, as yuv420p.

    A cheap integer crop in Pillow, then one swscale pass scales it (bilinear) to the frame size
    and converts it to BT.709 yuv420p; the crop moves several pixels a frame, so rounding it to
    whole pixels does not show.
    """
    e = _smooth(p)
    zoom = motion.zoom0 + (motion.zoom1 - motion.zoom0) * e
    # zoom 1 shows the whole covering area; zoom _MARGIN maps image pixels 1:1 to frame pixels.
    bw = min(img.width, max(2, round(width * _MARGIN / zoom)))
    bh = min(img.height, max(2, round(height * _MARGIN / zoom)))
    x0 = round((img.width - bw) * (motion.u0 + (motion.u1 - motion.u0) * e))
    y0 = round((img.height - bh) * (motion.v0 + (motion.v1 - motion.v0) * e))
    crop = img.crop((x0, y0, x0 + bw, y0 + bh))
    frame = _VIDEO_FRAME.from_image(crop)
    out: av.VideoFrame = frame.reformat(
        width=width,
        height=height,
        format="yuv420p",
        dst_colorspace="ITU709",
        interpolation="BILINEAR",
    )
    return out


def _blend(a: av.VideoFrame, b: av.VideoFrame, alpha: float) -> av.VideoFrame:
    """``a`` cross-faded into ``b``, plane by plane (blending is linear, so YUV is as good)."""
    for pa, pb in zip(a.planes, b.planes, strict=True):
        size = (pa.line_size, pa.buffer_size // pa.line_size)
        la = Image.frombuffer("L", size, bytes(pa), "raw", "L", 0, 1)
        lb = Image.frombuffer("L", size, bytes(pb), "raw", "L", 0, 1)
        pa.update(Image.blend(la, lb, alpha).tobytes())
    return a


def _frames(
    spec: RenderSpec, pictures: list[Image.Image], width: int, height: int
) -> Iterator[av.VideoFrame]:
    """Every frame of the video: each picture in turn, cross-faded into the next."""
    count, n, total = spec.frame_count(), len(pictures), spec.frame_count() / spec.fps
    fade = min(_MAX_FADE_S, 0.25 * total / n) if n > 1 else 0.0
    segment = (total + (n - 1) * fade) / n  # each picture's time on screen, fades included
    step = segment - fade
    motions = [_motion(spec.seed, i) for i in range(n)]
    for k in range(count):
        t = (k + 0.5) / spec.fps
        i = min(n - 1, int(t // step)) if step > 0 else 0
        frame = _view(pictures[i], motions[i], (t - i * step) / segment, width, height)
        into = t - i * step  # time since picture i appeared: picture i-1 fades out meanwhile
        if i > 0 and into < fade:
            before = _view(
                pictures[i - 1], motions[i - 1], (t - (i - 1) * step) / segment, width, height
            )
            frame = _blend(before, frame, _smooth(into / fade))
        yield frame


# -- encoding -----------------------------------------------------------------------------------


def _encode(
    spec: RenderSpec, pictures: list[Image.Image], width: int, height: int, path: Path
) -> Image.Image:
    """Encode the video (and the sound track when ``bgm``) into ``path``; returns the first
    frame."""
    first: Image.Image | None = None
    options = {"movflags": "+faststart"}
    with av.open(str(path), mode="w", format="mp4", options=options) as container:
        video: Any = container.add_stream("libx264", rate=spec.fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        frame_time = Fraction(1, spec.fps)  # the muxer may change video.time_base later
        video.time_base = frame_time
        video.options = {"preset": "ultrafast", "crf": "23"}
        ctx = video.codec_context
        ctx.colorspace = ctx.color_primaries = ctx.color_trc = 1  # BT.709, as the frames are
        ctx.color_range = 1  # limited ("tv") range
        sound = (sound_track.ToneCopy(container, spec.frame_count() / spec.fps)
                 if spec.bgm else None)
        try:
            for k, frame in enumerate(_frames(spec, pictures, width, height)):
                if first is None:
                    first = cast(Image.Image, cast(Any, frame).to_image())
                frame.pts = k
                frame.time_base = frame_time
                container.mux(video.encode(frame))
                if sound is not None:
                    sound.until((k + 1) / spec.fps)
            container.mux(video.encode(None))
            if sound is not None:
                sound.finish()
        finally:
            if sound is not None:
                sound.close()
    assert first is not None
    return first


# -- the asynchronous front --------------------------------------------------------------------


class Renderer:
    """Runs renders off the caller's thread so an asyncio server never blocks.

    Work goes to a lazily created ``ProcessPoolExecutor`` ('spawn' context; its workers end with
    it, see ``render_pool``) or, with ``use_processes=False``, a thread pool. Concurrent requests
    for the same ``spec.key()`` share one job; finished results are kept in memory (and on disk
    in ``out_dir``). ``jobs_submitted`` counts the jobs handed to the pool.
    """

    def __init__(self, out_dir: Path, max_workers: int = 2, use_processes: bool = True) -> None:
        self.out_dir = Path(out_dir)
        self.max_workers = max_workers
        self.use_processes = use_processes
        self.jobs_submitted = 0
        self._executor: concurrent.futures.Executor | None = None
        self._pending: dict[str, asyncio.Future[RenderResult]] = {}
        self._done: dict[str, RenderResult] = {}

    def _pool(self) -> concurrent.futures.Executor:
        if self._executor is None:
            if self.use_processes:
                self._executor = render_pool.new_pool(self.max_workers)
            else:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=self.max_workers, thread_name_prefix="vidu-render"
                )
        return self._executor

    async def render(self, spec: RenderSpec) -> RenderResult:
        key = spec.key()
        done = self._done.get(key)
        if done is not None and done.video_path.is_file() and done.cover_path.is_file():
            return done
        pending = self._pending.get(key)
        if pending is None:
            loop = asyncio.get_running_loop()
            pool = self._pool()
            job = (functools.partial(render_pool.run_job, render)
                   if isinstance(pool, concurrent.futures.ProcessPoolExecutor) else render)
            pending = loop.run_in_executor(pool, job, spec, self.out_dir)
            self.jobs_submitted += 1
            self._pending[key] = pending
            pending.add_done_callback(lambda fut: self._finished(key, fut))
        # shield: one caller giving up must not cancel the job the others are waiting for
        return await asyncio.shield(pending)

    def _finished(self, key: str, fut: asyncio.Future[RenderResult]) -> None:
        if self._pending.get(key) is fut:
            del self._pending[key]
        if fut.cancelled():
            return
        exc = fut.exception()
        if exc is None:
            self._done[key] = fut.result()
        elif isinstance(exc, concurrent.futures.BrokenExecutor):
            self.shutdown(wait=False)  # a worker died: start afresh next time

    def shutdown(self, wait: bool = True) -> None:
        """Drop the queued jobs and stop the pool. Worker processes end at once (a running
        render removes its partial files), waited for unless ``wait`` is False; threads finish
        their running renders, waited for likewise."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if wait and isinstance(executor, concurrent.futures.ProcessPoolExecutor):
            render_pool.stop_pool(executor)
        else:
            executor.shutdown(wait=wait, cancel_futures=True)
