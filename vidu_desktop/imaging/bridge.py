"""From the command line's image arguments to the request's reference images.

``prepare_for_request`` prepares files and http(s) URLs with the pipeline, for the image rules
of the chosen host and model (from the capability table), and turns each result into the
request model's ``ReferenceImage`` (data URI, file name, content hash). The first unusable
image stops it with an ``AppError`` of kind ``INVALID_IMAGE`` that names the file and says
what to do. Imports core, Pillow (through the pipeline) and httpx only.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from vidu_desktop.core.capabilities import Mode, ProviderId, model_spec
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.request import ReferenceImage

from .batch import prepare_batch
from .budget import DEFAULT_OVERHEAD
from .errors import ImageProblem
from .options import PrepareOptions
from .result import PreparedImage


def label_of(source: str) -> str:
    """The file name of a path or URL ("shot.png"), else the text as given."""
    parts = urlsplit(source)
    if len(parts.scheme) > 1 and parts.scheme.lower() in ("http", "https", "file"):
        name = PurePosixPath(unquote(parts.path)).name
        return name or parts.netloc or source
    name = PurePosixPath(source.replace("\\", "/")).name
    return name or source


def problem_error(problem: ImageProblem, source: str, check: str = "vidu-cli check-images"
                  ) -> AppError:
    """The pipeline's problem as the app's error: names the file, says what to do."""
    message = problem.message
    name = label_of(source)
    if name not in message and source not in message:
        message = f"{name}: {message}"
    hint = (f"Fix or replace {name}; `{check} {source}` checks pictures without spending "
            "anything.")
    return AppError(ErrorKind.INVALID_IMAGE, message, hint, retryable=False,
                    code=problem.kind.value,
                    details={"file": source, "problem": problem.kind.value})


def prepare_for_request(sources: list[str], pid: ProviderId, model: str, mode: Mode
                        ) -> list[ReferenceImage]:
    """Prepare every image for ``pid``/``model``/``mode``; raise AppError(INVALID_IMAGE).

    No sources: an empty list (request validation reports the count). Too many sources are
    prepared anyway with the budget shared among them; validation refuses the count.
    """
    if not sources:
        return []
    try:
        spec = model_spec(pid, model, mode)
    except KeyError as exc:
        raise AppError(ErrorKind.INVALID_PARAMETER, str(exc.args[0]),
                       "Pick a model from `vidu-cli providers`.", retryable=False) from None
    options = PrepareOptions(rules=spec.images)
    # DEFAULT_OVERHEAD reserves room for the prompt and parameters the adapter adds
    try:
        result = prepare_batch(list(sources), options, overhead=DEFAULT_OVERHEAD)
    except ValueError as exc:  # no room in the body for so many pictures
        raise AppError(ErrorKind.INVALID_PARAMETER, f"{len(sources)} reference images: {exc}.",
                       f"This model takes {spec.images.min_count} to "
                       f"{spec.images.max_count}.", retryable=False) from None
    check = f"vidu-cli check-images --provider {pid.value}" + (
        f" --model {model}" if mode == Mode.REFERENCE2VIDEO else "")
    images: list[ReferenceImage] = []
    for source, item in zip(sources, result.items, strict=True):
        if isinstance(item, ImageProblem):
            raise problem_error(item, source, check)
        assert isinstance(item, PreparedImage)
        images.append(ReferenceImage(uri=item.data_uri, label=label_of(source),
                                     sha256=item.sha256))
    return images
