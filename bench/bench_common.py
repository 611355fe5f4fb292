"""What the benches share: a reference picture, one request per host, the emulator in a child
process. Imported by the bench scripts (``bench/`` is on their path when run as scripts)."""

from __future__ import annotations

import base64
import io
import subprocess
import sys
from pathlib import Path

from PIL import Image

from vidu_desktop.core.capabilities import Mode, ProviderId, provider
from vidu_desktop.core.request import GenerationRequest, ReferenceImage

ROOT = Path(__file__).resolve().parent.parent


def reference() -> ReferenceImage:
    """A 640x360 JPEG with stripes, as a data URI."""
    img = Image.new("RGB", (640, 360), (200, 80, 40))
    for x in range(0, 640, 40):
        img.paste((x * 255 // 640, 120, 255 - x * 255 // 640), (x, 0, x + 20, 360))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return ReferenceImage("data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode(),
                          "bench.jpg")


def request_for(host: ProviderId, image: ReferenceImage, i: int,
                what: str = "benchmark") -> GenerationRequest:
    """Task ``i`` for ``host``'s first reference-to-video model."""
    model = provider(host).models_for(Mode.REFERENCE2VIDEO)[0].model
    return GenerationRequest(provider=host, model=model, prompt=f"{what} task {i}",
                             images=(image,), seed=1)


def start_emulator(time_scale: float, preview_scale: float, media_dir: Path
                   ) -> tuple[subprocess.Popen[str], str]:
    """``vidu-emulator --port 0`` in a child process; its URL from its first line."""
    cmd = [sys.executable, "-m", "vidu_desktop.emulator", "--port", "0",
           "--time-scale", str(time_scale), "--preview-scale", str(preview_scale),
           "--threads", "--media-dir", str(media_dir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if "listening on" not in first:
        proc.kill()
        raise SystemExit(f"the emulator did not start: {first!r}")
    return proc, first.rsplit(" ", 1)[-1].strip()
