"""Byte budgets measured the way the host sees them: base64 data URIs inside a JSON body.

The hosts state "decoded base64 < 10 MB" per image (older text) and "request body <= 20 MB"
(newer text); the capability table holds them as 10 MiB and 20 MiB. The budget reads each limit
the strict way (decimal megabytes, and the base64 text rather than the decoded bytes) and keeps
5 % headroom: a budget computed as 10 MiB produced 10.26 MB of base64 on a real host.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from vidu_desktop.core.capabilities import MB, ImageRules, MiB

HEADROOM = 0.95
#: JSON around the images when the caller does not measure it: model, prompt (2,000 characters
#: escaped as \\uXXXX pairs take 24 KB), parameters, a payload of a few KB.
DEFAULT_OVERHEAD = 64 * 1024
#: Bytes JSON adds per image in a list: two quotes, a comma and a space.
PER_ITEM_JSON = 4

MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def data_uri_prefix(fmt: str) -> str:
    return f"data:{MIME[fmt]};base64,"


def base64_length(n_bytes: int) -> int:
    return 4 * math.ceil(n_bytes / 3)


def data_uri_length(n_bytes: int, fmt: str) -> int:
    """The length of ``data:image/<fmt>;base64,<...>`` for ``n_bytes`` of image (ASCII)."""
    return len(data_uri_prefix(fmt)) + base64_length(n_bytes)


def strict(limit: int) -> int:
    """A limit stated in MiB, read as the same number of decimal MB (the smaller reading)."""
    return limit // MiB * MB if limit % MiB == 0 else limit


def per_image_limit(rules: ImageRules) -> int:
    """The longest data URI one image may have, whatever the other images do."""
    limits = [int(HEADROOM * 4 / 3 * strict(rules.max_file_bytes))]
    if rules.max_decoded_bytes is not None:
        limits.append(int(HEADROOM * strict(rules.max_decoded_bytes)))
    return min(limits)


def body_limit(rules: ImageRules) -> int | None:
    """The largest request body the pipeline aims for (None: the host states no limit)."""
    if rules.max_body_bytes is None:
        return None
    return int(HEADROOM * strict(rules.max_body_bytes))


def image_budget(rules: ImageRules, count: int, overhead: int = DEFAULT_OVERHEAD) -> int:
    """The data URI length each of ``count`` images may use so that all of them fit together.

    Every image gets the same share, so an image's result does not depend on its neighbours
    and a cached result stays valid as long as its size is within the new share.
    """
    budget = per_image_limit(rules)
    limit = body_limit(rules)
    if limit is not None:
        share = (limit - overhead) // max(1, count) - PER_ITEM_JSON
        budget = min(budget, share)
    if budget <= 0:
        raise ValueError(f"no room for {count} images in the request body")
    return budget


def request_body(data_uris: Iterable[str], fields: Mapping[str, Any] | None = None,
                 *, prompt: str | None = None, images_key: str = "images") -> bytes:
    """The JSON request body as the providers send it (``json.dumps``, UTF-8)."""
    body: dict[str, Any] = dict(fields or {})
    if prompt is not None:
        body["prompt"] = prompt
    body[images_key] = list(data_uris)
    return json.dumps(body).encode("utf-8")


def body_size(data_uris: Iterable[str], fields: Mapping[str, Any] | None = None,
              *, prompt: str | None = None, images_key: str = "images") -> int:
    """The measured size of the request body holding these images."""
    return len(request_body(data_uris, fields, prompt=prompt, images_key=images_key))


def overhead(fields: Mapping[str, Any] | None = None, *, prompt: str | None = None) -> int:
    """The measured size of the body without images: pass it to ``image_budget``."""
    return body_size([], fields, prompt=prompt)


def fit_quality(encode: Callable[[int], bytes], fmt: str, budget: int, start: int,
                lowest: int) -> tuple[bytes, int] | None:
    """The highest quality in [lowest, start] whose data URI fits ``budget``, and its bytes.

    Encodes once when the first try fits; otherwise binary-searches (about six encodes).
    None when even ``lowest`` does not fit.
    """
    data = encode(start)
    if data_uri_length(len(data), fmt) <= budget:
        return data, start
    best: tuple[bytes, int] | None = None
    lo, hi = lowest, start - 1
    while lo <= hi:
        q = (lo + hi) // 2
        data = encode(q)
        if data_uri_length(len(data), fmt) <= budget:
            best, lo = (data, q), q + 1
        else:
            hi = q - 1
    return best
