"""Budgets measured, not estimated: each data URI and the whole JSON body of 7 images."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from vidu_desktop.core.capabilities import ImageRules, ProviderId, provider
from vidu_desktop.imaging import (
    ImageProblem,
    PrepareCache,
    PrepareOptions,
    ProblemKind,
    body_limit,
    image_budget,
    per_image_limit,
    prepare_batch,
    prepare_image,
)
from vidu_desktop.imaging.budget import data_uri_length, overhead, request_body

from .corpus import encode, photo

RULES = provider(ProviderId.VIDU).default_model.images
PROMPT = "Ein Hund 🐕 läuft über die Wiese, Kamera folgt " * 30  # non-ASCII: escaped in JSON


def test_limits_read_from_the_capability_table() -> None:
    assert RULES.max_decoded_bytes == 10 * 1024 * 1024
    assert per_image_limit(RULES) == 9_500_000 < 10_000_000  # headroom below 10 MB
    assert body_limit(RULES) == 19_000_000 < 20_000_000
    assert image_budget(RULES, 1) == 9_500_000
    seven = image_budget(RULES, 7)
    assert 7 * seven + 64 * 1024 < 19_000_000
    unlimited = ImageRules(min_count=1, max_count=7, max_decoded_bytes=None,
                           max_body_bytes=None)
    assert image_budget(unlimited, 7) == per_image_limit(unlimited) > 60_000_000


def test_data_uri_length_is_exact() -> None:
    for n in range(0, 10):
        uri = "data:image/jpeg;base64," + base64.b64encode(b"x" * n).decode()
        assert data_uri_length(n, "jpeg") == len(uri)


def test_seven_noisy_24mp_photos_fit_the_body(noisy_photo: Path) -> None:
    """Worst case: noise that survives the downscale forces the quality search."""
    options = PrepareOptions(draft_floor=1.0)  # full 2048 px: the largest output
    fields = {"model": "viduq1", "prompt": PROMPT, "duration": 5, "resolution": "1080p",
              "aspect_ratio": "16:9", "movement_amplitude": "auto", "seed": 0}
    reserve = overhead(fields)
    # One worker and a cache: the first is computed, the other six are the same bytes.
    result = prepare_batch([noisy_photo] * 7, options, overhead=reserve, cache=PrepareCache(),
                           max_workers=1)
    assert result.ok, result.problems
    first = result.prepared[0]
    assert first.size == (2048, 1365) and first.fitted
    assert first.quality is not None and first.quality < options.jpeg_quality
    assert any("quality lowered" in f for f in first.fixes)
    for image in result.prepared:
        uri = image.data_uri
        assert len(uri) == image.data_uri_length <= result.budget
        assert len(base64.b64decode(uri.split(",", 1)[1])) < 10 * 1024 * 1024
        assert len(uri) < 10_000_000
    body = request_body(result.data_uris(), fields)
    assert len(body) == result.body_size(fields) == len(json.dumps(
        {**fields, "images": result.data_uris()}).encode())
    assert len(body) <= 19_000_000 < 20 * 1024 * 1024
    assert len(body) > 7 * 0.9 * result.budget  # the budget is used, not wasted


def test_single_image_quality_search_and_shrink(corpus: Callable[[str, bytes], Path]) -> None:
    path = corpus("p.jpg", encode(photo((3000, 2000), seed=5), "JPEG", quality=95))
    roomy = prepare_image(path)
    assert not roomy.fitted and roomy.quality == 90
    tight = prepare_image(path, budget=roomy.data_uri_length // 2)
    assert tight.fitted and tight.data_uri_length <= roomy.data_uri_length // 2
    assert tight.size == roomy.size and tight.quality is not None and tight.quality < 90
    tiny = prepare_image(path, budget=40_000)
    assert tiny.data_uri_length <= 40_000 and tiny.width < roomy.width
    assert any(f.startswith("downscaled further") for f in tiny.fixes)
    with pytest.raises(ImageProblem) as info:
        prepare_image(path, budget=2_000)
    assert info.value.kind is ProblemKind.BUDGET and "p.jpg" in info.value.message


def test_measured_body_helpers() -> None:
    fields = {"model": "viduq1", "prompt": PROMPT}
    assert overhead(fields) == len(json.dumps({**fields, "images": []}).encode())
    assert overhead(fields) > len(PROMPT)  # escaping makes it longer than the text
