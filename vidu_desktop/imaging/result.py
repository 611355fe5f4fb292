"""The result of preparing one picture: the bytes to send, what was done, and a thumbnail."""

from __future__ import annotations

import base64
from dataclasses import field
from functools import cached_property
from typing import ClassVar

from vidu_desktop.core.formatting import format_bytes
from vidu_desktop.core.records import record
from vidu_desktop.core.request import ReferenceImage

from .budget import MIME, base64_length, data_uri_length, data_uri_prefix
from .errors import ImageProblem, OriginalInfo


@record
class PreparedImage:
    """A picture the host accepts. Immutable; safe to share between threads."""

    name: str  # the file name, URL or "pasted image"
    original: OriginalInfo
    data: bytes = field(repr=False)  # the prepared file (no metadata)
    format: str  # "jpeg" | "png" | "webp"
    width: int
    height: int
    sha256: str  # of ``data``
    source_sha256: str  # of the source bytes
    fixes: tuple[str, ...]  # what was changed, in words the UI can show
    notes: tuple[str, ...]  # observations that did not change the picture
    thumbnail: bytes = field(repr=False)
    thumbnail_format: str  # "jpeg" | "png"
    thumbnail_size: tuple[int, int]
    quality: int | None  # the encoder quality (None: lossless)
    budget: int  # the data URI length this result was fitted under
    fitted: bool  # quality or size was lowered to meet ``budget``
    from_cache: bool = False

    verdict: ClassVar[str] = "ok"

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    @property
    def mime(self) -> str:
        return MIME[self.format]

    @property
    def byte_count(self) -> int:
        return len(self.data)

    @property
    def base64_length(self) -> int:
        return base64_length(len(self.data))

    @property
    def data_uri_length(self) -> int:
        return data_uri_length(len(self.data), self.format)

    @cached_property
    def data_uri(self) -> str:
        """``data:image/jpeg;base64,...``, as the hosts take it in ``images``."""
        return data_uri_prefix(self.format) + base64.b64encode(self.data).decode("ascii")

    @property
    def thumbnail_mime(self) -> str:
        return MIME[self.thumbnail_format]

    def reference(self, label: str = "") -> ReferenceImage:
        """The request model's reference image (data URI + content hash)."""
        return ReferenceImage(self.data_uri, label, self.sha256)

    def summary(self) -> str:
        return (f"{self.format.upper()} {self.width}x{self.height}, "
                f"{format_bytes(self.byte_count)} (base64 {format_bytes(self.data_uri_length)})")


#: What preparing one input gives: a usable picture or the reason it cannot be used.
Outcome = PreparedImage | ImageProblem
