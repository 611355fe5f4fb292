"""Orientation mapping, ratio rules and reduction choices, checked against Pillow itself."""

from __future__ import annotations

import random

import pytest
from PIL import Image

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.imaging.geometry import (
    TRANSPOSE,
    choose_reduction,
    guard_ratio,
    oriented_size,
    plan,
    ratio_in_range,
    ratio_offer,
    raw_box,
)
from vidu_desktop.imaging.options import PrepareOptions, parse_ratio

RULES = ImageRules(min_count=1, max_count=7)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_raw_box_matches_pillow_transpose(orientation: int) -> None:
    rng = random.Random(orientation)
    raw = Image.frombytes("L", (7, 5), rng.randbytes(35))
    upright = raw.transpose(TRANSPOSE[orientation]) if orientation in TRANSPOSE else raw
    assert upright.size == oriented_size(raw.size, orientation)
    for _ in range(20):
        x0, x1 = sorted(rng.sample(range(upright.width + 1), 2))
        y0, y1 = sorted(rng.sample(range(upright.height + 1), 2))
        a, b, c, d = raw_box((x0, y0, x1, y1), orientation, raw.size)
        part = raw.crop((int(a), int(b), int(c), int(d)))
        if orientation in TRANSPOSE:
            part = part.transpose(TRANSPOSE[orientation])
        assert part.tobytes() == upright.crop((x0, y0, x1, y1)).tobytes()


def test_ratio_range_and_offer() -> None:
    assert ratio_in_range(4000, 1000, RULES) and ratio_in_range(1000, 4000, RULES)
    assert not ratio_in_range(2000, 300, RULES)
    offer = ratio_offer(2000, 300, RULES)
    assert offer.ratio == 4.0 and offer.ratio_text == "4:1"
    assert offer.crop_size == (1200, 300) and offer.pad_size == (2000, 500)
    tall = ratio_offer(300, 2000, RULES)
    assert tall.ratio_text == "1:4" and tall.crop_size == (300, 1200)
    assert guard_ratio(2049, 512, RULES) == (2049, 513)


def test_choose_reduction() -> None:
    # 6000 px to 2048: JPEG decodes at 1/4 (1500 px, above 0.625 x 2048) with no resample.
    assert choose_reduction(2048 / 6000, "draft", 0.625) == (4, False)
    # With a strict floor it decodes at 1/2 and resamples.
    assert choose_reduction(2048 / 6000, "draft", 1.0) == (2, True)
    assert choose_reduction(1.0, "draft", 0.625) == (1, False)
    assert choose_reduction(2048 / 30000, "draft", 0.625) == (8, True)
    # Other formats: integer box reduction when close enough, else a LANCZOS resample.
    assert choose_reduction(2048 / 6000, "reduce", 0.625) == (3, False)
    assert choose_reduction(2048 / 2400, "reduce", 0.625) == (1, True)


def test_plan_crop_pad_and_scale() -> None:
    p = plan(6000, 4000, PrepareOptions())
    assert p.scale == pytest.approx(2048 / 6000) and p.pad_ratio is None
    crop = plan(6000, 4000, PrepareOptions(aspect="9:16"))
    assert crop.box_size[0] / crop.box_size[1] == pytest.approx(9 / 16)
    assert crop.scale == pytest.approx(2048 / 4000)
    pad = plan(2000, 300, PrepareOptions(fix_ratio="pad"))
    assert pad.pad_ratio == 4.0 and pad.scale == 1.0


def test_parse_ratio() -> None:
    assert parse_ratio("16:9") == pytest.approx(16 / 9)
    for bad in ("16x9", "0:1", "a:b"):
        with pytest.raises(ValueError):
            parse_ratio(bad)
