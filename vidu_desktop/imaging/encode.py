"""Encode the prepared picture within its byte budget, and its thumbnail.

Photos become JPEG; pictures with transparency stay PNG (or lossy WebP with alpha when PNG is
too large) and are flattened onto the pad colour only when nothing else fits or JPEG is forced;
graphics from lossless sources with at most 256 colours stay PNG. Nothing but pixels is written:
no EXIF, XMP, ICC profile, comments or text chunks.
"""

from __future__ import annotations

import io
import math
from functools import partial

from PIL import Image

from vidu_desktop.core.formatting import format_bytes
from vidu_desktop.core.records import record

from .budget import data_uri_length, fit_quality
from .convert import flatten, has_alpha
from .errors import ImageProblem, ProblemKind
from .options import PrepareOptions

#: What the UI can promise: it holds because ``save`` writes pixels only (tests check it).
PRIVACY_PROMISE = ("Reference pictures are re-encoded from their pixels before they are sent: "
                   "EXIF (including GPS location), XMP, colour profiles, comments and text "
                   "chunks are never uploaded.")
PNG_LEVEL = 6
WEBP_METHOD = 4
WEBP_MAX_SIDE = 16383
_SHRINK_TRIES = 8


@record
class Encoded:
    data: bytes
    format: str  # "jpeg" | "png" | "webp"
    size: tuple[int, int]
    quality: int | None  # None for lossless output
    fitted: bool  # quality or size was lowered to meet the budget


def save(im: Image.Image, fmt: str, quality: int | None = None) -> bytes:
    """The picture's pixels in ``fmt``, with no metadata at all."""
    im.info = {}  # PNG and WebP would otherwise copy the source's ICC profile and more
    buf = io.BytesIO()
    if fmt == "jpeg":
        im.save(buf, "JPEG", quality=quality or 90)
    elif fmt == "png":
        im.save(buf, "PNG", compress_level=PNG_LEVEL)
    else:
        im.save(buf, "WEBP", quality=quality or 90, method=WEBP_METHOD)
    return buf.getvalue()


def encode(im: Image.Image, options: PrepareOptions, source_format: str, lossless_source: bool,
           budget: int, name: str, fixes: list[str], notes: list[str]) -> Encoded:
    allowed = options.rules.formats
    forced = options.output_format
    if has_alpha(im):
        if forced == "jpeg" or not allowed & {"png", "webp"}:
            fixes.append("transparency flattened onto white (JPEG has no alpha)"
                         if options.pad_color == (255, 255, 255)
                         else f"transparency flattened onto {options.pad_color} "
                              "(JPEG has no alpha)")
            return _lossy(flatten(im, options.pad_color), "jpeg", options, budget, name, fixes)
        if forced in (None, "png") and "png" in allowed:
            data = save(im, "png")
            if data_uri_length(len(data), "png") <= budget:
                notes.append("transparency kept (PNG)")
                return Encoded(data, "png", im.size, None, False)
            if forced == "png":
                return _lossy(im, "png", options, budget, name, fixes)
        if "webp" in allowed and max(im.size) <= WEBP_MAX_SIDE:
            notes.append("transparency kept (WebP)")
            return _lossy(im, "webp", options, budget, name, fixes)
        fixes.append("transparency flattened onto white (too large to send with alpha)")
        return _lossy(flatten(im, options.pad_color), "jpeg", options, budget, name, fixes)
    if forced is None and lossless_source and "png" in allowed \
            and im.getcolors(256) is not None:
        data = save(im, "png")
        if data_uri_length(len(data), "png") <= budget:
            return Encoded(data, "png", im.size, None, False)
    fmt = forced or ("jpeg" if "jpeg" in allowed else sorted(allowed)[0])
    return _lossy(im, fmt, options, budget, name, fixes)


def _lossy(im: Image.Image, fmt: str, options: PrepareOptions, budget: int, name: str,
           fixes: list[str]) -> Encoded:
    """Fit by quality first, then by size; PNG (forced) only by size."""
    original = im.size
    for attempt in range(_SHRINK_TRIES):
        if fmt == "png":
            data = save(im, "png")
            found = (data, 0) if data_uri_length(len(data), "png") <= budget else None
        else:
            found = fit_quality(partial(save, im, fmt), fmt, budget, options.jpeg_quality,
                                options.min_quality)
        if found is not None:
            data, quality = found
            fitted = attempt > 0 or (fmt != "png" and quality < options.jpeg_quality)
            if fmt != "png" and quality < options.jpeg_quality:
                fixes.append(f"{fmt.upper()} quality lowered to {quality} to fit the "
                             f"{format_bytes(budget)} per-image budget")
            if attempt:
                fixes.append(f"downscaled further {original[0]}x{original[1]} → "
                             f"{im.width}x{im.height} to fit the {format_bytes(budget)} "
                             "per-image budget")
            return Encoded(data, fmt, im.size, quality or None, fitted)
        # Even the lowest quality is too large: shrink by the area the budget allows.
        last = save(im, fmt, options.min_quality) if fmt != "png" else data
        factor = min(0.9, max(0.5, math.sqrt(budget / data_uri_length(len(last), fmt)) * 0.95))
        size = (max(1, round(im.width * factor)), max(1, round(im.height * factor)))
        if min(size) < options.rules.min_side:
            break
        im = im.resize(size, Image.Resampling.LANCZOS)
    raise ImageProblem(ProblemKind.BUDGET, name,
                       f"{name} cannot be made smaller than {format_bytes(budget)} as "
                       f"{fmt.upper()} without going below {options.rules.min_side} px. Send "
                       "fewer images in this request, or crop the picture.")


def thumbnail(im: Image.Image, side: int) -> tuple[bytes, str, tuple[int, int]]:
    """A small preview (``side`` px on the long side) for the tray and the task list."""
    scale = min(1.0, side / max(im.size))
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    factor = max(1, int(1 / scale))  # box-reduce by a whole factor, then a small resample:
    small = im.reduce(factor) if factor > 1 else im  # half the cost of reducing_gap
    if small.size != size:
        small = small.resize(size, Image.Resampling.BILINEAR)
    if has_alpha(small):
        return save(small.copy(), "png"), "png", size
    return save(small.copy() if small is im else small, "jpeg", 80), "jpeg", size
