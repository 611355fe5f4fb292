"""One reference in the tray: where it came from, its state, and the words its badge shows.

``TrayItem`` is what ``ReferenceTray.items()`` returns (a snapshot; changing it changes nothing
in the tray). The text helpers are pure so the delegate, tooltips and tests share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from vidu_desktop.core.formatting import format_bytes
from vidu_desktop.core.request import ReferenceImage
from vidu_desktop.imaging.options import FixMode

if TYPE_CHECKING:  # (loaded with the first picture's preparation; QImage's class, with the
    # first image pasted or decoded)
    from PySide6.QtGui import QImage

    from vidu_desktop.imaging import PreparedImage, RatioOffer

    #: What to prepare (again): a file, an http(s) URL, bytes (pasted, dropped or restored),
    #: or image data from the clipboard (encoded by the worker).
    SourceRef = Path | str | bytes | QImage


class ItemState(StrEnum):
    PREPARING = "preparing"
    READY = "ready"
    ERROR = "error"



@dataclass
class TrayItem:
    """One picture in the tray: where it came from, its state, its label and what its
    preparation made of it (the tray hands out copies)."""

    id: int  # unique within the tray, never reused
    name: str  # file name, URL or "pasted image"
    source: SourceRef
    state: ItemState = ItemState.PREPARING
    label: str = ""  # "the man in the red coat": what "image N" means in the prompt
    prepared: PreparedImage | None = None
    error: str = ""  # the pipeline's message (names the file, says what to do)
    error_kind: str = ""  # imaging.ProblemKind value
    offer: RatioOffer | None = None  # crop/pad fixes for a ratio problem
    fix_ratio: FixMode | None = None  # the user chose to crop or pad into the ratio range
    thumbnail: QImage | None = None  # decoded off the UI thread
    progress: float = 0.0  # of the current preparation
    restored: bool = False  # bytes from a draft: kept as they are when they still comply
    group: str = ""  # the key of the cast member's group it belongs to ("" : a loose picture)
    #: Bytes a job downloaded or encoded (URL, clipboard image): preparing again reuses them.
    fetched: bytes | None = field(default=None, repr=False)

    @property
    def data_uri(self) -> str:
        return self.prepared.data_uri if self.prepared else ""

    @property
    def data(self) -> bytes:
        """The prepared bytes (what is sent); empty until ready."""
        return self.prepared.data if self.prepared else b""

    @property
    def sha256(self) -> str:
        return self.prepared.sha256 if self.prepared else ""

    @property
    def source_sha256(self) -> str:
        return self.prepared.source_sha256 if self.prepared else ""

    @property
    def width(self) -> int:
        return self.prepared.width if self.prepared else 0

    @property
    def height(self) -> int:
        return self.prepared.height if self.prepared else 0

    @property
    def format(self) -> str:
        return self.prepared.format if self.prepared else ""

    @property
    def byte_count(self) -> int:
        return self.prepared.byte_count if self.prepared else 0

    @property
    def fixes(self) -> tuple[str, ...]:
        return self.prepared.fixes if self.prepared else ()

    def reference(self) -> ReferenceImage:
        assert self.prepared is not None
        return self.prepared.reference(self.label)


def display_name(item: TrayItem) -> str:
    """The file name of a file or link ("photo.png"); the host for a link without one."""
    name = item.name
    if name.lower().startswith(("http://", "https://")):
        parts = urlsplit(name)
        return unquote(parts.path.rstrip("/").rpartition("/")[2]) or parts.netloc or name
    return name


def short_fix(text: str) -> str:
    """A fix in one or two words for the badge ("rotated", "metadata removed")."""
    lowered = text.lower()
    for start, short in (("downscaled further", "downscaled"), ("downscaled", "downscaled"),
                         ("rotated", "rotated"), ("mirrored", "mirrored"),
                         ("flipped", "flipped"), ("metadata removed", "metadata removed"),
                         ("transparency flattened", "transparency flattened"),
                         ("cropped", "cropped"), ("padded", "padded"),
                         ("first frame", "first frame used"), ("colours converted", "sRGB"),
                         ("converted cmyk", "CMYK → RGB"), ("converted", "8-bit")):
        if lowered.startswith(start):
            return short
    if "quality lowered" in lowered:
        return "quality lowered"
    return " ".join(text.split()[:2])


def fixes_text(fixes: tuple[str, ...]) -> str:
    """"rotated, metadata removed" (each short form once, in order)."""
    seen: list[str] = []
    for fix in fixes:
        short = short_fix(fix)
        if short not in seen:
            seen.append(short)
    return ", ".join(seen)


def size_text(item: TrayItem) -> str:
    """"1920×1080 JPEG · 812 KB" for a ready item, else ""."""
    if item.prepared is None:
        return ""
    return (f"{item.width}×{item.height} {item.format.upper()} · "
            f"{format_bytes(item.byte_count)}")


def badge_text(item: TrayItem) -> str:
    """The one-line badge: size and fixes when ready, the error, or "Preparing…"."""
    if item.state is ItemState.ERROR:
        return item.error
    if item.state is ItemState.PREPARING:
        return "Preparing…"
    fixes = fixes_text(item.fixes)
    return size_text(item) + (f" · {fixes}" if fixes else "")


def tooltip_text(item: TrayItem, number: int, limit: int, member: str = "") -> str:
    """Everything about one reference, for its tooltip (``member``: the cast member's name
    when it is one of its pictures)."""
    lines = [f"Image {number}: {item.name}"]
    if member:
        lines.append(f"One of {member}'s pictures (the prompt says @{member})")
    if item.label:
        lines.append(f"Label: {item.label}")
    if number > limit:
        lines.append(f"Over the limit: this model takes at most {limit}.")
    if item.state is ItemState.ERROR:
        lines.append(item.error)
    elif item.state is ItemState.PREPARING:
        lines.append(f"Preparing… {round(item.progress * 100)}%")
    elif item.prepared is not None:
        lines.append(size_text(item))
        lines.append("Original: " + item.prepared.original.describe())
        lines.extend(f"• {fix}" for fix in item.prepared.fixes)
        lines.extend(f"• {note}" for note in item.prepared.notes)
    return "\n".join(lines)
