"""Inline reference images go to the reference store, so a task row holds only their hash (the
form a request's pictures take on the wire is the adapters' business: ``providers/wire.py``)."""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import replace

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.store import ReferenceMeta, ReferenceStore
from vidu_desktop.store.references import REF_URI_PREFIX


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
    """The request with each inline (data URI) image kept in ``refs`` and tagged with its hash,
    the subjects' pictures too. A ``ref:sha256:`` picture must be in ``refs`` already
    (AppError naming it otherwise)."""
    return replace(request, images=keep_images(refs, request.images),
                   subjects=tuple(replace(s, images=keep_images(refs, s.images, s.name))
                                  for s in request.subjects))


def keep_images(refs: ReferenceStore, images: tuple[ReferenceImage, ...], whose: str = ""
                ) -> tuple[ReferenceImage, ...]:
    """``images`` with each inline one kept in ``refs`` and tagged with its hash; a
    ``ref:sha256:`` one checked to be there. ``whose``: the subject they belong to, for the
    messages."""
    kept: list[ReferenceImage] = []
    for n, image in enumerate(images, 1):
        if image.uri.startswith("data:") and ";base64," in image.uri:
            _header, _, payload = image.uri.partition(",")
            try:
                data = base64.b64decode(payload, validate=True)
            except (binascii.Error, ValueError):
                raise AppError(ErrorKind.INVALID_IMAGE, f"{_named(image, n, whose)} is "
                               "not valid base64 data.", "Add the image again.") from None
            sha = refs.put(data, image_meta(data, image.label))
            image = replace(image, sha256=sha)
        elif (image.uri.startswith(REF_URI_PREFIX)
              and not refs.exists(image.uri.removeprefix(REF_URI_PREFIX))):
            raise AppError(ErrorKind.INVALID_IMAGE, f"{_named(image, n, whose)} is no "
                           "longer in the library's pictures.",
                           "Add the picture again (for a cast member: edit it and add "
                           "its pictures again).", retryable=False)
        kept.append(image)
    return tuple(kept)


def _named(image: ReferenceImage, n: int, whose: str) -> str:
    if whose:
        return f"Picture {n} of {whose}" + (f" ({image.label})" if image.label else "")
    return f"The reference image {image.label or n}"
