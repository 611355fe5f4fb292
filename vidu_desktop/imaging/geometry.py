"""Pure geometry: EXIF orientation, ratio rules, crop and pad boxes, how far to reduce.

All boxes are ``(x0, y0, x1, y1)`` floats. "Oriented" coordinates are the picture as displayed
(after EXIF orientation); "raw" coordinates are the pixels as stored in the file.
"""

from __future__ import annotations

import math
from typing import Literal

from PIL import Image

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.core.records import record

from .errors import RatioOffer, ratio_text
from .options import FixMode, PrepareOptions, parse_ratio

Box = tuple[float, float, float, float]

#: EXIF orientation -> the transpose that makes the stored pixels upright (as ImageOps does).
TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_EPS = 1e-3


def swaps_sides(orientation: int) -> bool:
    return orientation in (5, 6, 7, 8)


def oriented_size(raw: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (raw[1], raw[0]) if swaps_sides(orientation) else raw


def raw_box(box: Box, orientation: int, raw: tuple[int, int]) -> Box:
    """Map a box in oriented coordinates to the stored pixels' coordinates."""
    x0, y0, x1, y1 = box
    w, h = raw
    match orientation:
        case 2:
            return (w - x1, y0, w - x0, y1)
        case 3:
            return (w - x1, h - y1, w - x0, h - y0)
        case 4:
            return (x0, h - y1, x1, h - y0)
        case 5:
            return (y0, x0, y1, x1)
        case 6:
            return (y0, h - x1, y1, h - x0)
        case 7:
            return (w - y1, h - x1, w - y0, h - x0)
        case 8:
            return (w - y1, x0, w - y0, x1)
        case _:
            return box


def ratio_in_range(width: float, height: float, rules: ImageRules) -> bool:
    r = width / height
    return rules.min_ratio - 1e-9 <= r <= rules.max_ratio + 1e-9


def nearest_ratio(width: float, height: float, rules: ImageRules) -> float:
    return min(max(width / height, rules.min_ratio), rules.max_ratio)


def crop_box(width: float, height: float, ratio: float) -> Box:
    """The centred box of ``ratio`` (w/h) that keeps as much of the picture as possible."""
    if width / height > ratio:
        cw = height * ratio
        x0 = (width - cw) / 2
        return (x0, 0.0, x0 + cw, float(height))
    ch = width / ratio
    y0 = (height - ch) / 2
    return (0.0, y0, float(width), y0 + ch)


def pad_size(width: float, height: float, ratio: float) -> tuple[float, float]:
    """The smallest canvas of ``ratio`` (w/h) that holds the picture."""
    if width / height > ratio:
        return float(width), width / ratio
    return height * ratio, float(height)


def guard_ratio(width: int, height: int, rules: ImageRules) -> tuple[int, int]:
    """Grow the short side by the pixel that rounding may have cost, so the ratio stays legal."""
    if width / height > rules.max_ratio:
        height = math.ceil(width / rules.max_ratio)
    elif width / height < rules.min_ratio:
        width = math.ceil(height * rules.min_ratio)
    return width, height


def ratio_offer(width: int, height: int, rules: ImageRules) -> RatioOffer:
    target = nearest_ratio(width, height, rules)
    x0, y0, x1, y1 = crop_box(width, height, target)
    pw, ph = pad_size(width, height, target)
    crop = guard_ratio(round(x1 - x0), round(y1 - y0), rules)
    return RatioOffer(target, ratio_text(target), crop, guard_ratio(round(pw), round(ph), rules))


@record
class Plan:
    """What to do with a picture of oriented size ``size``: crop, scale, pad."""

    size: tuple[int, int]  # oriented source size
    box: Box  # the part kept, oriented coordinates
    scale: float  # output pixels per source pixel (<= 1)
    pad_ratio: float | None  # pad the content onto a canvas of this w/h
    crop_text: str  # the fix to report for the crop ("" when none)
    pad_text: str

    @property
    def box_size(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        return x1 - x0, y1 - y0

    def target_size(self) -> tuple[int, int]:
        """The content size after scaling (oriented)."""
        bw, bh = self.box_size
        return max(1, round(bw * self.scale)), max(1, round(bh * self.scale))

    def final_short_side(self) -> float:
        bw, bh = self.box_size
        if self.pad_ratio is not None:
            bw, bh = pad_size(bw, bh, self.pad_ratio)
        return min(bw, bh) * self.scale


def plan(width: int, height: int, options: PrepareOptions) -> Plan:
    """Decide crop, pad and scale for an oriented picture (ratio problems are the caller's)."""
    rules = options.rules
    target: float | None = None
    how: FixMode | None = None
    why = ""
    if options.aspect:
        target, how, why = parse_ratio(options.aspect), options.aspect_mode, options.aspect
    elif not ratio_in_range(width, height, rules) and options.fix_ratio:
        target, how = nearest_ratio(width, height, rules), options.fix_ratio
        why = f"{ratio_text(target)}, the nearest ratio the host accepts"
    box: Box = (0.0, 0.0, float(width), float(height))
    pad_ratio: float | None = None
    crop_text = pad_text = ""
    if target is not None and abs(width / height - target) > _EPS * target:
        if how == "crop":
            box = crop_box(width, height, target)
            crop_text = (f"cropped {width}x{height} to {round(box[2] - box[0])}x"
                         f"{round(box[3] - box[1])} ({why})")
        else:
            pad_ratio = target
            pw, ph = pad_size(width, height, target)
            pad_text = f"padded {width}x{height} to {round(pw)}x{round(ph)} ({why})"
    bw, bh = box[2] - box[0], box[3] - box[1]
    cw, ch = pad_size(bw, bh, pad_ratio) if pad_ratio else (bw, bh)
    scale = min(1.0, options.long_side / max(cw, ch))
    if min(cw, ch) * scale < rules.min_side:  # a low max_long_side must not break min_side
        scale = min(1.0, rules.min_side / min(cw, ch))
    return Plan((width, height), box, scale, pad_ratio, crop_text, pad_text)


Decoder = Literal["draft", "reduce"]


def choose_reduction(scale: float, decoder: Decoder, floor: float) -> tuple[int, bool]:
    """How far the decoder reduces (factor) and whether a resample must follow.

    ``draft``: JPEG DCT scaling by 1/2, 1/4, 1/8 while decoding. ``reduce``: integer box
    reduction after a full decode. A reduced size down to ``floor`` x the target is accepted
    as is, because a resample of a large picture costs more than the decode itself.
    """
    if scale >= 1 - 1e-9:
        return 1, False
    inv = 1 / scale
    if decoder == "draft":
        for factor in (2, 4, 8):
            if factor >= inv - 1e-9:
                if 1 / factor >= floor * scale:
                    return factor, False
                break
        below = max(f for f in (1, 2, 4, 8) if f <= inv + 1e-9)
        return below, True
    factor = math.ceil(inv - 1e-9)
    if 1 / factor >= floor * scale:
        return factor, False
    return 1, True
