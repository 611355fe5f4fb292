"""The pipeline for one picture: judge, decode at reduced scale, orient, fix, fit, encode.

Pure apart from reading the source; safe to run in worker threads (Pillow releases the GIL in
decode, resample and encode). Order matters for speed: judge from the header, decode at the
smallest scale that serves the target (``draft`` for JPEG), rotate after the downscale, and run
any quality search on the small picture.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING

from PIL import Image

from . import convert, encode
from .budget import image_budget
from .errors import ImageProblem, OriginalInfo, ProblemKind, ratio_text
from .geometry import (
    TRANSPOSE,
    Plan,
    choose_reduction,
    guard_ratio,
    pad_size,
    plan,
    ratio_in_range,
    ratio_offer,
    raw_box,
    swaps_sides,
)
from .options import PrepareOptions
from .probe import LOSSLESS, Probe, corrupt, open_image
from .result import PreparedImage
from .sources import ImageInput, Loaded, as_source, load

if TYPE_CHECKING:
    import httpx

    from .cache import PrepareCache

#: progress(stage, fraction of this picture done); stages: reading, decoding, encoding, done.
StageProgress = Callable[[str, float], None]
#: gate(estimated decoded bytes) -> a context held while the full-size pixels are in memory.
MemoryGate = Callable[[int], AbstractContextManager[object]]

_ANIMATED = frozenset({"GIF", "PNG", "WEBP", "AVIF", "FLI", "APNG"})
_ROTATION_TEXT = {
    2: "mirrored per EXIF orientation",
    3: "rotated 180° per EXIF orientation",
    4: "flipped upside down per EXIF orientation",
    5: "mirrored and rotated per EXIF orientation",
    6: "rotated 90° clockwise per EXIF orientation",
    7: "mirrored and rotated per EXIF orientation",
    8: "rotated 90° counter-clockwise per EXIF orientation",
}


def _no_gate(_: int) -> AbstractContextManager[object]:
    return contextlib.nullcontext()


def prepare_image(source: ImageInput, options: PrepareOptions | None = None, *,
                  budget: int | None = None, cache: PrepareCache | None = None,
                  progress: StageProgress | None = None, gate: MemoryGate | None = None,
                  client: httpx.Client | None = None) -> PreparedImage:
    """Prepare one picture for the host, or raise ``ImageProblem`` saying why it cannot be.

    ``budget`` is the data URI length allowed (default: one image alone in the request; for a
    batch use ``image_budget(rules, count)``, which ``prepare_batch`` does).
    """
    options = options or PrepareOptions()
    options.validate()
    if budget is None:
        budget = image_budget(options.rules, 1)
    report = progress or (lambda stage, fraction: None)
    src = as_source(source)
    report("reading", 0.0)
    loaded = load(src, options.source_cap, options.url_timeout_s, client)
    key = f"{loaded.sha256}-{options.key()}"
    if cache is not None:
        hit = cache.get(key, budget)
        if hit is not None:
            report("done", 1.0)
            return replace(hit, name=loaded.name, from_cache=True)
    result = _prepare(loaded, options, budget, report, gate or _no_gate)
    if cache is not None:
        cache.put(key, result)
    report("done", 1.0)
    return result


def _prepare(src: Loaded, options: PrepareOptions, budget: int, report: StageProgress,
             gate: MemoryGate) -> PreparedImage:
    probe = open_image(src)
    try:
        return _pipeline(probe, src, options, budget, report, gate)
    finally:
        probe.image.close()


def _judge(probe: Probe, name: str, options: PrepareOptions) -> Plan:
    rules = options.rules
    info = probe.info
    w, h = info.size
    if min(w, h) < rules.min_side:
        raise ImageProblem(ProblemKind.TOO_SMALL, name,
                           f"{name} is {w}x{h} px; the host needs at least {rules.min_side} px "
                           f"on each side. Use a larger version of the picture (it is not "
                           "enlarged automatically).", original=info)
    if not options.aspect and not options.fix_ratio and not ratio_in_range(w, h, rules):
        offer = ratio_offer(w, h, rules)
        raise ImageProblem(ProblemKind.RATIO, name,
                           f"{name} is {w}x{h} ({ratio_text(w / h)}); the host accepts "
                           f"{ratio_text(rules.min_ratio)} to {ratio_text(rules.max_ratio)}. "
                           f"Choose a fix: {offer.describe()}.", original=info, offer=offer)
    p = plan(w, h, options)
    short = p.final_short_side()
    if short < rules.min_side - 0.5:
        bw, bh = p.box_size
        raise ImageProblem(ProblemKind.TOO_SMALL, name,
                           f"{name}: {p.crop_text or 'fitting it'} leaves {round(bw)}x"
                           f"{round(bh)} px, below the host's {rules.min_side} px minimum. "
                           "Choose pad instead of crop, or a larger picture.", original=info)
    return p


def _pipeline(probe: Probe, src: Loaded, options: PrepareOptions, budget: int,
              report: StageProgress, gate: MemoryGate) -> PreparedImage:
    name, info = src.name, probe.info
    p = _judge(probe, name, options)
    fixes: list[str] = []
    notes: list[str] = list(probe.notes)
    if info.frames > 1 and info.format in _ANIMATED:
        fixes.append(f"first frame of an animated {info.format} used ({info.frames} frames)")
    elif info.frames > 1:
        fixes.append(f"first page of a {info.frames}-page {info.format} used")
    im = probe.image
    if probe.pre_oriented:  # upright as decoded: geometry as for an upright picture
        probe = replace(probe, orientation=1, raw_size=info.size)
        fixes.append(_ROTATION_TEXT[info.orientation])
    raw_w, raw_h = probe.raw_size
    drafted = info.format in ("JPEG", "MPO")
    factor, resample = choose_reduction(p.scale, "draft" if drafted else "reduce",
                                        options.draft_floor)
    box = raw_box(p.box, probe.orientation, probe.raw_size)
    report("decoding", 0.1)
    decoded_pixels = raw_w * raw_h // (factor * factor if drafted else 1)
    with gate(decoded_pixels * 4):
        try:
            if drafted and factor > 1:
                im.draft(im.mode, (raw_w // factor, raw_h // factor))
            im.load()
        except (MemoryError, Image.DecompressionBombError) as exc:
            raise ImageProblem(ProblemKind.BOMB, name,
                               f"{name} is too large to decode ({exc}). Export a smaller "
                               "version.", original=info) from None
        except Exception as exc:  # truncated or broken data, in any plugin
            raise _with_original(corrupt(name, exc), info) from None
        im = convert.before_resize(im, fixes)
        im = _resample(im, p, box, probe, factor, resample, drafted)
    report("encoding", 0.6)
    if probe.orientation in TRANSPOSE:
        im = im.transpose(TRANSPOSE[probe.orientation])
        fixes.append(_ROTATION_TEXT[probe.orientation])
    if p.crop_text:
        fixes.append(p.crop_text)
    content = _trim_ratio(im, options) if p.pad_ratio is None else im
    bw, bh = (round(v) for v in p.box_size)
    if content.size != (bw, bh):
        fixes.append(f"downscaled {bw}x{bh} → {content.width}x{content.height}")
    im = convert.after_resize(content, probe.icc, fixes, notes)
    if p.pad_ratio is not None:
        im = _pad(im, p.pad_ratio, options)
        fixes.append(p.pad_text)
    lossless = info.format in LOSSLESS
    out = encode.encode(im, options, info.format, lossless, budget, name, fixes, notes)
    if probe.metadata:
        where = ", ".join(m for m in probe.metadata if m != "GPS location")
        located = " incl. location" if "GPS location" in probe.metadata else ""
        fixes.append(f"metadata removed ({where}{located})")
    if convert.has_alpha(im) and out.format == "jpeg":  # the thumbnail shows what is sent
        im = convert.flatten(im, options.pad_color)
    thumb, thumb_fmt, thumb_size = encode.thumbnail(im, options.thumbnail_side)
    return PreparedImage(
        name=name, original=info, data=out.data, format=out.format,
        width=out.size[0], height=out.size[1], sha256=hashlib.sha256(out.data).hexdigest(),
        source_sha256=src.sha256, fixes=tuple(fixes), notes=tuple(notes), thumbnail=thumb,
        thumbnail_format=thumb_fmt, thumbnail_size=thumb_size, quality=out.quality,
        budget=budget, fitted=out.fitted)


def _with_original(problem: ImageProblem, info: OriginalInfo) -> ImageProblem:
    problem.original = info
    return problem


def _resample(im: Image.Image, p: Plan, box: tuple[float, float, float, float], probe: Probe,
              factor: int, resample: bool, drafted: bool) -> Image.Image:
    """The kept box at the planned scale, still in stored (unrotated) orientation."""
    raw_w, raw_h = probe.raw_size
    sx, sy = im.width / raw_w, im.height / raw_h  # what draft() already did
    dbox = (box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy)
    if drafted and factor > 1 and im.width > -(-raw_w // factor):
        resample = True  # the decoder ignored draft(): resample from what it gave
    if resample:
        tw, th = p.target_size()
        if swaps_sides(probe.orientation):
            tw, th = th, tw
        return im.resize((tw, th), Image.Resampling.LANCZOS, box=dbox,
                         reducing_gap=None if drafted else 2.0)
    ibox = _int_box(dbox, im.size)
    if not drafted and factor > 1:
        return im.reduce(factor, box=ibox)
    return im if ibox == (0, 0, im.width, im.height) else im.crop(ibox)


def _int_box(box: tuple[float, float, float, float],
             size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Whole pixels of the same width and height as the float box (rounded once)."""
    w = max(1, min(size[0], round(box[2] - box[0])))
    h = max(1, min(size[1], round(box[3] - box[1])))
    x0 = min(max(0, int(box[0] + 0.5)), size[0] - w)
    y0 = min(max(0, int(box[1] + 0.5)), size[1] - h)
    return x0, y0, x0 + w, y0 + h


def _trim_ratio(im: Image.Image, options: PrepareOptions) -> Image.Image:
    """Crop the pixel or two by which rounding may have left the ratio out of range."""
    rules = options.rules
    if ratio_in_range(im.width, im.height, rules):
        return im
    w, h = im.size
    if w / h > rules.max_ratio:
        w = int(h * rules.max_ratio)
    else:
        h = int(w / rules.min_ratio)
    x0, y0 = (im.width - w) // 2, (im.height - h) // 2
    return im.crop((x0, y0, x0 + w, y0 + h))


def _pad(im: Image.Image, ratio: float, options: PrepareOptions) -> Image.Image:
    cw, ch = pad_size(im.width, im.height, ratio)
    size = guard_ratio(max(im.width, round(cw)), max(im.height, round(ch)), options.rules)
    fill = (*options.pad_color, 0) if im.mode == "RGBA" else options.pad_color
    canvas = Image.new(im.mode, size, fill)
    canvas.paste(im, ((size[0] - im.width) // 2, (size[1] - im.height) // 2))
    return canvas
