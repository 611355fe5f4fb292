"""Fonts for the contact sheet: a system sans-serif where there is one, one that has Chinese,
Japanese and Korean characters for text that needs them, else Pillow's own (Latin only).

``ImageFont.truetype`` finds a bare file name in the system's font folders (Windows' Fonts
folder, ``/usr/share/fonts`` and the XDG folders on Linux, ``/Library/Fonts`` and
``/System/Library/Fonts`` on macOS).
"""

from __future__ import annotations

import functools

from PIL import ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_REGULAR = ("DejaVuSans.ttf", "segoeui.ttf", "arial.ttf", "Arial.ttf", "Helvetica.ttc",
            "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf")
_BOLD = ("DejaVuSans-Bold.ttf", "segoeuib.ttf", "arialbd.ttf", "Arial Bold.ttf",
         "LiberationSans-Bold.ttf", "NotoSans-Bold.ttf")
_CJK = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "msyh.ttc", "msyh.ttf",
        "PingFang.ttc", "Hiragino Sans GB.ttc", "wqy-microhei.ttc", "wqy-zenhei.ttc",
        "Arial Unicode.ttf", "DroidSansFallbackFull.ttf")


def needs_cjk(text: str) -> bool:
    """Whether ``text`` has characters of the CJK blocks (and their punctuation)."""
    return any(ord(ch) >= 0x2E80 for ch in text)


@functools.lru_cache(maxsize=32)
def font(size: int, *, bold: bool = False, cjk: bool = False) -> Font:
    names = (_CJK if cjk else ()) + (_BOLD if bold else ()) + _REGULAR
    for name in names:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def font_for(text: str, size: int, *, bold: bool = False) -> Font:
    return font(size, bold=bold, cjk=needs_cjk(text))
