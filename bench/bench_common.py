"""What the benches share: a reference picture, one request per host, the emulator in a child
process that never outlives the bench. Imported by the bench scripts (``bench/`` is on their
path when run as scripts)."""

from __future__ import annotations

import base64
import io
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import httpx
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


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """A kill (SIGTERM) unwinds the bench as Ctrl+C does, through its ``finally`` blocks (they
    stop the emulator and remove the temporary folders)."""
    signal.signal(signal.SIGTERM, _interrupt)


def start_emulator(time_scale: float, preview_scale: float, media_dir: Path | None = None,
                   processes: bool = False) -> tuple[subprocess.Popen[str], str]:
    """``vidu-emulator --port 0`` in a child process (rendering in threads, or in its process
    pool with ``processes``); its URL from its first line. The emulator stops by itself when
    this process ends, however it ends: it watches the pipe to its standard input."""
    cmd = [sys.executable, "-m", "vidu_desktop.emulator", "--port", "0",
           "--time-scale", str(time_scale), "--preview-scale", str(preview_scale),
           "--exit-with-stdin"]
    if not processes:
        cmd.append("--threads")
    if media_dir is not None:
        cmd += ["--media-dir", str(media_dir)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if "listening on" not in first:
        stop_emulator(proc)
        raise SystemExit(f"the emulator did not start: {first!r}")
    url = first.rsplit(" ", 1)[-1].strip()
    _wait_until_serving(proc, url)
    return proc, url


def _wait_until_serving(proc: subprocess.Popen[str], url: str, timeout: float = 30.0) -> None:
    """The first line comes just before the server accepts connections: ask until it does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(f"{url}/_emulator/health", timeout=5).raise_for_status()
            return
        except httpx.HTTPError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_emulator(proc)
                raise SystemExit(f"the emulator at {url} does not answer") from None
            time.sleep(0.05)


def stop_emulator(proc: subprocess.Popen[str], timeout: float = 15.0) -> None:
    """Stop the emulator (SIGTERM: it stops its render workers too) and wait for it."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.communicate(timeout=timeout)  # closes its stdin and drains its stdout
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
