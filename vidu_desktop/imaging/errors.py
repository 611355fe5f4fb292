"""Why an image cannot be used, as data: a kind, the file, a message that says what to do.

Every problem names the file (or URL) it is about and ends with what the user can do. A ratio
problem also carries the fixes the pipeline can apply on request (``RatioOffer``): the caller asks
for one with ``PrepareOptions(fix_ratio="crop")`` or ``"pad"``.
"""

from __future__ import annotations

from enum import StrEnum

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.formatting import format_bytes
from vidu_desktop.core.records import record


class ProblemKind(StrEnum):
    NOT_IMAGE = "not_image"  # the bytes are not a picture Pillow can identify
    CORRUPT = "corrupt"  # a picture, but damaged or truncated
    EMPTY = "empty"  # zero bytes
    TOO_SMALL = "too_small"  # a side below the host's minimum
    RATIO = "ratio"  # width:height outside the host's range
    BOMB = "bomb"  # so many pixels that decoding could exhaust memory
    UNREADABLE = "unreadable"  # cannot be read: permissions, missing file, unsupported format
    URL_FAILED = "url_failed"  # the download failed
    TOO_LARGE = "too_large"  # the source is bigger than the size cap
    BUDGET = "budget"  # cannot be made small enough for the request body


@record
class RatioOffer:
    """The two ways to bring an out-of-range picture into the host's ratio range."""

    ratio: float  # the nearest allowed width/height
    ratio_text: str  # e.g. "4:1"
    crop_size: tuple[int, int]  # the picture after cropping (same scale as the original)
    pad_size: tuple[int, int]  # the canvas after padding

    def describe(self) -> str:
        cw, ch = self.crop_size
        pw, ph = self.pad_size
        return (f"crop to {self.ratio_text} ({cw}x{ch}) or pad to {self.ratio_text} "
                f"({pw}x{ph})")


@record
class OriginalInfo:
    """What the source was, as far as it could be read."""

    format: str  # Pillow's format name ("JPEG", "PNG"), "" when unknown
    width: int  # as displayed (after EXIF orientation)
    height: int
    mode: str
    bytes: int
    frames: int = 1
    orientation: int = 1  # the EXIF orientation tag (1 = upright)

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def describe(self) -> str:
        parts = [self.format or "unknown format"]
        if self.width and self.height:
            parts.append(f"{self.width}x{self.height}")
        if self.mode:
            parts.append(self.mode)
        text = " ".join(parts) + f", {format_bytes(self.bytes)}"
        if self.frames > 1:
            text += f", {self.frames} frames"
        return text


class ImageProblem(Exception):
    """An image that cannot be used as is. ``str(problem)`` is the message for the user."""

    verdict = "error"

    def __init__(self, kind: ProblemKind, name: str, message: str, *,
                 original: OriginalInfo | None = None, offer: RatioOffer | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.message = message
        self.original = original
        self.offer = offer

    def __repr__(self) -> str:
        return f"ImageProblem({self.kind.value!r}, {self.name!r}, {self.message!r})"

    def __reduce__(self) -> tuple[object, ...]:  # picklable across processes
        return (_rebuild, (self.kind, self.name, self.message, self.original, self.offer))

    def to_app_error(self) -> AppError:
        """The same problem in the app-wide error taxonomy (never retryable as is)."""
        return AppError(ErrorKind.INVALID_IMAGE, message=self.message, retryable=False,
                        code=self.kind.value, details={"file": self.name})


def _rebuild(kind: ProblemKind, name: str, message: str, original: OriginalInfo | None,
             offer: RatioOffer | None) -> ImageProblem:
    return ImageProblem(kind, name, message, original=original, offer=offer)


def ratio_text(ratio: float) -> str:
    """4.0 -> "4:1", 0.25 -> "1:4", 1.7778 -> "1.78:1"."""
    if ratio >= 1:
        value = f"{ratio:.2f}".rstrip("0").rstrip(".")
        return f"{value}:1"
    value = f"{1 / ratio:.2f}".rstrip("0").rstrip(".")
    return f"1:{value}"
