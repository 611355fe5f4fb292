"""Inline reference images go to the reference store, so a task row holds only their hash."""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import replace

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.store import ReferenceMeta, ReferenceStore


def image_meta(data: bytes, label: str) -> ReferenceMeta:
    """Format and size of an image, read from its header only."""
    from PIL import Image  # here, not at start-up: Pillow costs tens of milliseconds

    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = (img.format or "png").lower()
            return ReferenceMeta(format=fmt, width=img.width, height=img.height,
                                 original_name=label)
    except (OSError, ValueError):
        raise AppError(ErrorKind.INVALID_IMAGE, "A reference image cannot be read.",
                       "Replace it with a PNG, JPEG or WebP image.") from None


def store_references(refs: ReferenceStore, request: GenerationRequest) -> GenerationRequest:
    """The request with each inline (data URI) image kept in ``refs`` and tagged with its hash."""
    kept: list[ReferenceImage] = []
    for image in request.images:
        if image.uri.startswith("data:") and ";base64," in image.uri:
            _header, _, payload = image.uri.partition(",")
            try:
                data = base64.b64decode(payload, validate=True)
            except (binascii.Error, ValueError):
                raise AppError(ErrorKind.INVALID_IMAGE, "A reference image is not valid "
                               "base64 data.", "Add the image again.") from None
            sha = refs.put(data, image_meta(data, image.label))
            image = replace(image, sha256=sha)
        kept.append(image)
    return replace(request, images=tuple(kept))
