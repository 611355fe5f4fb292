"""Reference pictures: validate, fix and fit each one to the host's rules before money is spent.

Pure functions run in a thread pool; nothing here imports Qt. The entry points:

- ``prepare_batch(inputs, options)`` -> ``BatchResult``: the pictures of one request, in
  parallel, with progress, a cache, and a byte budget that keeps the whole body under the limit.
- ``prepare_image(input, options, budget=...)`` -> ``PreparedImage`` or raises ``ImageProblem``.
- ``PrepareOptions.for_model(provider, model, fix_ratio=..., aspect=...)``: the rules and choices.
- ``budget.body_size`` / ``budget.overhead`` / ``image_budget``: measured request sizes.

Importing the package is cheap: each name loads its module on first use (Pillow and httpx come
with the pipeline, not with ``import vidu_desktop.imaging``, so the app's start-up skips them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.lazy import lazy_exports

if TYPE_CHECKING:
    from .batch import BatchProgress, BatchResult, MemoryGate, prepare_batch
    from .budget import body_limit, body_size, image_budget, overhead, per_image_limit
    from .cache import PrepareCache
    from .encode import PRIVACY_PROMISE
    from .errors import ImageProblem, OriginalInfo, ProblemKind, RatioOffer
    from .options import PrepareOptions
    from .prepare import prepare_image
    from .result import Outcome, PreparedImage
    from .sources import BytesSource, FileSource, ImageInput, UrlSource, as_source

_WHERE = {
    "BatchProgress": "batch",
    "BatchResult": "batch",
    "MemoryGate": "batch",
    "prepare_batch": "batch",
    "body_limit": "budget",
    "body_size": "budget",
    "image_budget": "budget",
    "overhead": "budget",
    "per_image_limit": "budget",
    "PrepareCache": "cache",
    "PRIVACY_PROMISE": "encode",
    "ImageProblem": "errors",
    "OriginalInfo": "errors",
    "ProblemKind": "errors",
    "RatioOffer": "errors",
    "PrepareOptions": "options",
    "prepare_image": "prepare",
    "Outcome": "result",
    "PreparedImage": "result",
    "BytesSource": "sources",
    "FileSource": "sources",
    "ImageInput": "sources",
    "UrlSource": "sources",
    "as_source": "sources",
}

__all__ = [
    "PRIVACY_PROMISE",
    "BatchProgress",
    "BatchResult",
    "BytesSource",
    "FileSource",
    "ImageInput",
    "ImageProblem",
    "MemoryGate",
    "OriginalInfo",
    "Outcome",
    "PrepareCache",
    "PrepareOptions",
    "PreparedImage",
    "ProblemKind",
    "RatioOffer",
    "UrlSource",
    "as_source",
    "body_limit",
    "body_size",
    "image_budget",
    "overhead",
    "per_image_limit",
    "prepare_batch",
    "prepare_image",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
