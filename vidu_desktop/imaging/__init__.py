"""Reference pictures: validate, fix and fit each one to the host's rules before money is spent.

Pure functions run in a thread pool; nothing here imports Qt. The entry points:

- ``prepare_batch(inputs, options)`` -> ``BatchResult``: the pictures of one request, in
  parallel, with progress, a cache, and a byte budget that keeps the whole body under the limit.
- ``prepare_image(input, options, budget=...)`` -> ``PreparedImage`` or raises ``ImageProblem``.
- ``PrepareOptions.for_model(provider, model, fix_ratio=..., aspect=...)``: the rules and choices.
- ``budget.body_size`` / ``budget.overhead`` / ``image_budget``: measured request sizes.
"""

from .batch import BatchProgress, BatchResult, MemoryGate, prepare_batch
from .budget import body_limit, body_size, image_budget, overhead, per_image_limit
from .cache import PrepareCache
from .encode import PRIVACY_PROMISE
from .errors import ImageProblem, OriginalInfo, ProblemKind, RatioOffer
from .options import PrepareOptions
from .prepare import prepare_image
from .result import Outcome, PreparedImage
from .sources import BytesSource, FileSource, ImageInput, UrlSource, as_source

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
