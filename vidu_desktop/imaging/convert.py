"""Pixel modes: bring any decoded picture to 8-bit RGB, or RGBA when transparency matters.

Two steps around the resample: ``before_resize`` makes modes Pillow resamples well (palette,
1-bit and 16-bit pictures would otherwise be resampled nearest-neighbour or not at all);
``after_resize`` does the colour work on the small picture (CMYK and colour profiles to sRGB).
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageCms

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_RESIZABLE = frozenset({"L", "LA", "RGB", "RGBA", "CMYK"})
_SIXTEEN = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I"})


def before_resize(im: Image.Image, fixes: list[str]) -> Image.Image:
    mode = im.mode
    if mode in _RESIZABLE and "transparency" not in im.info:
        return im
    if mode in ("P", "PA", "RGB", "L", "LA") and ("transparency" in im.info or mode == "PA"):
        return im.convert("RGBA")
    if mode == "P":
        return im.convert("RGB")
    if mode == "1":
        return im.convert("L")
    if mode in _SIXTEEN:
        # Pillow's I;16 -> L clips at 255 instead of scaling: scale 0..65535 to 0..255 first.
        fixes.append("converted 16-bit to 8-bit")
        wide = im if mode == "I" else im.convert("I")
        if mode == "I":
            _, high = wide.getextrema()
            if not (isinstance(high, int | float) and high > 255):
                return wide.convert("L")  # 8-bit values stored in 32 bits
        return wide.point(lambda v: v * (255 / 65535)).convert("L")
    if mode == "F":
        fixes.append("converted 32-bit floating point to 8-bit")
        return im.convert("L")
    if mode in ("RGBa", "La"):
        return im.convert("RGBA")
    return im.convert("RGB")  # YCbCr, LAB, HSV and anything new


def after_resize(im: Image.Image, icc: bytes | None, fixes: list[str],
                 notes: list[str]) -> Image.Image:
    """8-bit sRGB RGB or RGBA; RGBA only when some pixel is not fully opaque."""
    if im.mode == "CMYK":
        converted = _to_srgb(im, icc, notes) if icc else None
        fixes.append("converted CMYK to RGB" + (" using its colour profile" if converted
                                                else ""))
        im = converted or im.convert("RGB")
    elif im.mode in ("RGB", "RGBA") and icc:
        converted = _to_srgb(im, icc, notes)
        if converted is not None:
            fixes.append(f"colours converted from {_describe(icc)} to sRGB")
            im = converted
    if im.mode == "L":
        im = im.convert("RGB")
    elif im.mode == "LA":
        im = im.convert("RGBA")
    if im.mode == "RGBA":
        low, _ = im.getchannel("A").getextrema()
        if low == 255:
            im = im.convert("RGB")
    return im


def _to_srgb(im: Image.Image, icc: bytes, notes: list[str]) -> Image.Image | None:
    """The picture in sRGB, or None when it already is or the profile cannot be used."""
    try:
        if _is_srgb(icc):
            return None
        out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
        transform = _transform(icc, im.mode, out_mode)
        result = ImageCms.applyTransform(im, transform)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        notes.append("colour profile unreadable; colours used as stored")
        return None
    return result


@lru_cache(maxsize=16)
def _is_srgb(icc: bytes) -> bool:
    return "srgb" in _describe(icc).lower()


@lru_cache(maxsize=16)
def _describe(icc: bytes) -> str:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.getProfileDescription(profile).strip() or "an embedded profile"
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return "an embedded profile"


@lru_cache(maxsize=16)
def _transform(icc: bytes, in_mode: str, out_mode: str) -> ImageCms.ImageCmsTransform:
    source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    # NOCACHE: littlecms transforms keep a one-pixel cache that threads must not share.
    return ImageCms.buildTransform(source, _SRGB, in_mode, out_mode,
                                   flags=ImageCms.Flags.NOCACHE)


def has_alpha(im: Image.Image) -> bool:
    return im.mode == "RGBA"


def flatten(im: Image.Image, color: tuple[int, int, int]) -> Image.Image:
    """Composite an RGBA picture onto an opaque background."""
    background = Image.new("RGB", im.size, color)
    background.paste(im, mask=im.getchannel("A"))
    return background
