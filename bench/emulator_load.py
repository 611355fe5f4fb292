"""Status latency of the emulator while it renders full-size 1080p videos.

Starts ``vidu-emulator`` as a subprocess (full-size renders in its process pool), measures the
latency of status requests when idle, then submits N tasks (default 50, spread over the five
hosts, each with its own seed so no render is shared) and keeps polling all of them until every
one has finished, measuring each status request. Prints the latency percentiles idle and under
load, and how many 1080p videos were rendered meanwhile.

    .venv/bin/python bench/emulator_load.py [--tasks 50] [--time-scale 0.5]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from bench_common import start_emulator, stop_emulator, stop_on_sigterm
from PIL import Image

from vidu_desktop.emulator.config import DEMO_KEY

HOSTS = {
    "vidu": ("/vidu/ent/v2/reference2video", {"model": "viduq1"}, {"Authorization":
                                                                  f"Token {DEMO_KEY}"}),
    "novita": ("/novita/v3/async/vidu-q1-reference2video", {}, {"Authorization":
                                                               f"Bearer {DEMO_KEY}"}),
    "segmind": ("/segmind/v2/vidu-q1-reference-to-video", {}, {"x-api-key": DEMO_KEY}),
    "vtrix": ("/vtrix/model/v1/generation", {"model": "viduq1_reference2video"},
              {"Authorization": f"Bearer {DEMO_KEY}"}),
    "highwayapi": ("/highwayapi/v3/async/vidu-q1-reference2video", {},
                   {"Authorization": f"Bearer {DEMO_KEY}"}),
}


def image_uri(seed: int) -> str:
    img = Image.new("RGB", (1280, 720), (seed * 37 % 255, 90, 160))
    for x in range(0, 1280, 40):
        img.paste(((x + seed) % 255, 200, 80), (x, 0, x + 12, 720))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()


def status_url(base: str, host: str, data: dict[str, object]) -> str:
    if host == "vidu":
        return f"{base}/vidu/ent/v2/tasks/{data['task_id']}/creations"
    if host in ("novita", "highwayapi"):
        return f"{base}/{host}/v3/async/task-result?task_id={data['task_id']}"
    if host == "segmind":
        return str(data["status_url"])
    return f"{base}/vtrix/model/v1/generation/task/{data['id']}"


def finished(host: str, response: httpx.Response) -> bool:
    text = response.text
    return any(word in text for word in ('"success"', "TASK_STATUS_SUCCEED", '"COMPLETED"',
                                         '"completed"', '"failed"', "TASK_STATUS_FAILED",
                                         '"FAILED"'))


async def measure_idle(client: httpx.AsyncClient, base: str, n: int = 200) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        await client.get(f"{base}/vidu/ent/v2/tasks/1/creations",
                         headers=HOSTS["vidu"][2])
        times.append(time.perf_counter() - start)
    return times


async def run(base: str, tasks: int) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        idle = await measure_idle(client, base)
        hosts = list(HOSTS)
        pending: list[tuple[str, str]] = []
        for i in range(tasks):
            host = hosts[i % len(hosts)]
            path, extra, headers = HOSTS[host]
            body = {"prompt": f"bench task {i}", "seed": i + 1, **extra}
            if host == "vtrix":
                body["subjects"] = [{"id": "a", "images": [image_uri(i)]}]
            elif host == "segmind":
                body["image_urls"] = [image_uri(i)]
            else:
                body["images"] = [image_uri(i)]
            answer = await client.post(base + path, json=body, headers=headers)
            answer.raise_for_status()
            pending.append((host, status_url(base, host, answer.json())))
        print(f"submitted {tasks} tasks over {len(hosts)} hosts", flush=True)
        loaded: list[float] = []
        started = time.perf_counter()
        while pending:
            still = []
            for host, url in pending:
                t0 = time.perf_counter()
                response = await client.get(url, headers=HOSTS[host][2])
                loaded.append(time.perf_counter() - t0)
                if not finished(host, response):
                    still.append((host, url))
            pending = still
        wall = time.perf_counter() - started

    def pct(values: list[float], p: float) -> float:
        return sorted(values)[min(len(values) - 1, int(len(values) * p))] * 1000

    print(f"all {tasks} tasks finished in {wall:.1f} s ({tasks / wall:.2f} 1080p videos/s)")
    for name, values in (("idle", idle), ("while rendering", loaded)):
        print(f"status latency {name:>16}: n={len(values):5d}  "
              f"median {statistics.median(values) * 1000:6.1f} ms  p95 {pct(values, .95):6.1f}"
              f" ms  p99 {pct(values, .99):6.1f} ms  max {max(values) * 1000:6.1f} ms")
    ratio = statistics.median(loaded) / statistics.median(idle)
    print(f"median latency under load / idle: {ratio:.1f}x")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=int, default=50)
    p.add_argument("--time-scale", type=float, default=0.5)
    p.add_argument("--preview-scale", type=float, default=1.0)
    args = p.parse_args(argv)
    stop_on_sigterm()
    with tempfile.TemporaryDirectory(prefix="vidu-bench-") as tmp:
        proc, base = start_emulator(args.time_scale, args.preview_scale,
                                    Path(tmp) / "emulator", processes=True)
        try:
            print(f"emulator at {base}; renders at preview scale {args.preview_scale} "
                  "(1.0 = full 1920x1080) in its process pool", flush=True)
            asyncio.run(run(base, args.tasks))
        finally:
            stop_emulator(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
