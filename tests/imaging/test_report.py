"""``check-images``: output per image, the body line, and the exit status."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from vidu_desktop.imaging.report import main

from .corpus import encode, photo, with_gps

Write = Callable[[str, bytes], Path]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_all_usable_exits_0(corpus: Write) -> None:
    a = corpus("phone.jpg", encode(photo((3000, 4000)), "JPEG", exif=with_gps(6)))
    b = corpus("logo.png", encode(photo((400, 400)), "PNG"))
    code, text = run(str(a), str(b))
    assert code == 0, text
    assert "1/2 phone.jpg: ok (fixed)" in text
    assert "original  JPEG 4000x3000 RGB" in text
    assert "prepared  JPEG 2000x1500" in text and "base64" in text
    assert "rotated 90° clockwise per EXIF orientation" in text
    assert "metadata removed (EXIF incl. location)" in text
    assert "body:" in text and "20.97 MB limit" in text


def test_unusable_image_exits_1(corpus: Write) -> None:
    good = corpus("ok.jpg", encode(photo((800, 600)), "JPEG"))
    small = corpus("tiny.png", encode(photo((100, 300)), "PNG"))
    wide = corpus("wide.png", encode(photo((2000, 300)), "PNG"))
    code, text = run(str(good), str(small), str(wide))
    assert code == 1
    assert "2/3 tiny.png: error (too_small)" in text and "100x300 px" in text
    assert "3/3 wide.png: error (ratio)" in text and "crop to 4:1" in text
    code, text = run(str(wide), "--fix-ratio", "crop")
    assert code == 0 and "cropped 2000x300 to 1200x300" in text


def test_aspect_provider_model_and_json(corpus: Write) -> None:
    a = corpus("a.jpg", encode(photo((1200, 800)), "JPEG"))
    code, text = run(str(a), "--provider", "segmind", "--aspect", "9:16", "--json")
    data = json.loads(text)
    assert code == 0 and data["ok"]
    assert data["body_limit"] == 20 * 1024 * 1024
    item = data["images"][0]
    assert (item["prepared"]["width"], item["prepared"]["height"]) == (450, 800)
    assert item["prepared"]["base64_bytes"] <= data["budget_per_image"]


def test_usage_errors_exit_2(corpus: Write) -> None:
    a = corpus("a.jpg", encode(photo((400, 400)), "JPEG"))
    assert run()[0] == 2
    assert run(str(a), "--provider", "nope")[0] == 2
    assert run(str(a), "--model", "nope")[0] == 2
    assert run(str(a), "--aspect", "4:3")[0] == 2
    assert run("--help")[0] == 0


def test_too_many_images_exit_1(corpus: Write) -> None:
    a = corpus("a.jpg", encode(photo((300, 300)), "JPEG"))
    code, text = run(*[str(a)] * 8)
    assert code == 1 and "count: 8 images; this model takes 1 to 7" in text


def test_runs_as_a_module(corpus: Write) -> None:
    a = corpus("a.jpg", encode(photo((300, 300)), "JPEG"))
    proc = subprocess.run([sys.executable, "-m", "vidu_desktop.imaging.report", str(a)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "1/1 a.jpg: ok" in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "vidu_desktop.imaging.report", "/nonexistent"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "unreadable" in bad.stdout
