"""Benchmark: the engine tracking many tasks at once, and its downloader against bare httpx.

Starts ``vidu-emulator`` as a child process (so this process's CPU time is the engine's own),
warms the engine up with one task per host (imports, TLS contexts, connections), then submits
``--tasks`` tasks through one ``Engine`` spread evenly over the hosts (one key per host,
as the app has; Vidu runs 5 tasks at once per key and queues the rest), waits for every video,
and prints:

- API requests per task (from the emulator's counters, the timed run only), by route;
- the engine's CPU time per task (``time.process_time`` of this process) and the wall time;
- the download throughput of ``vidu_desktop.providers.download.download`` and of a bare
  ``httpx`` stream of the same file (hosted by the emulator's ``/_emulator/uploads``).

The emulator runs at ``--time-scale`` (0.5: a task takes about 5 s instead of 10 s) and the
engine's poll intervals and backoffs are scaled by the same factor, so the request counts are
those of the real pace. Every task uses the same reference and seed, so the emulator renders
each host's video once and serves it from its cache (its work is not what is measured).

    .venv/bin/python bench/tracking.py [--tasks 200] [--time-scale 0.5] [--download-mb 50]

Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from bench_common import reference, request_for, start_emulator, stop_emulator, stop_on_sigterm

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest
from vidu_desktop.core.states import TaskState
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.engine import Engine, EngineSettings
from vidu_desktop.providers.download import download
from vidu_desktop.store import AppPaths

MB = 1_000_000


def scaled_settings(scale: float, url: str, hosts: list[ProviderId]) -> EngineSettings:
    s = EngineSettings()
    s.poll_initial_s *= scale
    s.poll_max_s *= scale
    s.retry_base_s *= scale
    s.retry_max_s *= scale
    s.reconcile_delay_s *= scale
    s.outbox_probe_s *= scale
    s.http_backoff_s *= scale
    s.base_urls = {h.value: f"{url}/{h.value}" for h in hosts}
    return s


async def run_all(engine: Engine, requests: list[GenerationRequest]) -> dict[str, Any]:
    cpu0, wall0 = time.process_time(), time.perf_counter()
    recs = [await engine.submit(r) for r in requests]
    submitted = time.perf_counter() - wall0
    await asyncio.gather(*(engine.wait_until_sent(r.local_id) for r in recs))
    accepted = time.perf_counter() - wall0
    done = await asyncio.gather(*(engine.wait(r.local_id) for r in recs))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    states: dict[str, int] = {}
    for rec in done:
        states[rec.state.value] = states.get(rec.state.value, 0) + 1
    succeeded = [r for r in done if r.state == TaskState.SUCCEEDED]
    by_host: dict[str, list[int]] = {}
    for rec in succeeded:
        by_host.setdefault(rec.provider, []).append(rec.poll_count)
    return {"cpu": cpu, "wall": wall, "submitted": submitted, "accepted": accepted,
            "states": states, "host_polls": {h: statistics.mean(v) for h, v in by_host.items()},
            "polls": statistics.mean(r.poll_count for r in succeeded) if succeeded else 0.0}


async def track_many(url: str, count: int, hosts: list[ProviderId], scale: float,
                     profile: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Warm up (one task per host: imports, connections), then time ``count`` tasks. The
    result and the emulator's counters before the timed run."""
    image = reference()
    engine = Engine(AppPaths(profile), lambda pid: DEMO_KEY, scaled_settings(scale, url, hosts))
    try:
        await run_all(engine, [request_for(h, image, -1) for h in hosts])
        before = httpx.get(f"{url}/_emulator/counters").json()
        result = await run_all(engine, [request_for(hosts[i % len(hosts)], image, i)
                                        for i in range(count)])
    finally:
        await engine.close()
    return result, before


async def timed(runs: int, fn: Callable[[], Awaitable[int]]) -> list[float]:
    """MB/s of each of ``runs`` calls of ``fn`` (which returns the bytes it fetched)."""
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        size = await fn()
        rates.append(size / MB / (time.perf_counter() - t0))
    return rates


async def compare_downloads(url: str, size_mb: int, runs: int, work: Path
                            ) -> tuple[list[float], list[float]]:
    data = os.urandom(size_mb * MB)
    async with httpx.AsyncClient(timeout=60) as client:
        answer = await client.post(f"{url}/_emulator/uploads", content=data,
                                   headers={"content-type": "video/mp4"})
        answer.raise_for_status()
    file_url = answer.json()["url"]
    del data
    part = work / "engine.part"
    bare_file = work / "bare.bin"

    async def engine_once() -> int:
        part.unlink(missing_ok=True)
        async with httpx.AsyncClient(timeout=60, follow_redirects=False) as client:
            return await download(client, file_url, part)

    async def bare_once() -> int:
        total = 0
        async with httpx.AsyncClient(timeout=60) as client, \
                client.stream("GET", file_url) as response:
            response.raise_for_status()
            with bare_file.open("wb") as fh:
                async for chunk in response.aiter_bytes():
                    fh.write(chunk)
                    total += len(chunk)
        return total

    await engine_once()  # warm up both paths once (connection, page cache)
    await bare_once()
    engine_rates: list[float] = []
    bare_rates: list[float] = []
    for _ in range(runs):  # interleaved, so drift in the machine's load hits both alike
        engine_rates += await timed(1, engine_once)
        bare_rates += await timed(1, bare_once)
    return engine_rates, bare_rates


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=int, default=200, help="tasks tracked at once")
    p.add_argument("--hosts", default="vidu,novita,highwayapi,segmind,vtrix",
                   help="comma-separated hosts the tasks are spread over")
    p.add_argument("--time-scale", type=float, default=0.5)
    p.add_argument("--preview-scale", type=float, default=0.1)
    p.add_argument("--download-mb", type=int, default=50)
    p.add_argument("--download-runs", type=int, default=5)
    args = p.parse_args(argv)
    hosts = [ProviderId(h.strip()) for h in args.hosts.split(",") if h.strip()]
    stop_on_sigterm()
    with tempfile.TemporaryDirectory(prefix="vidu-bench-") as tmp:
        work = Path(tmp)
        emu, url = start_emulator(args.time_scale, args.preview_scale, work / "emulator")
        try:
            print(f"emulator {url} (time scale {args.time_scale}); {args.tasks} tasks over "
                  f"{', '.join(h.value for h in hosts)}, one key each", flush=True)
            r, before = asyncio.run(track_many(url, args.tasks, hosts, args.time_scale,
                                               work / "profile"))
            after = httpx.get(f"{url}/_emulator/counters").json()
            report_tracking(r, delta(after, before), args.tasks)
            if args.download_mb > 0:
                engine_rates, bare_rates = asyncio.run(compare_downloads(
                    url, args.download_mb, args.download_runs, work))
                report_downloads(engine_rates, bare_rates, args.download_mb)
        finally:
            stop_emulator(emu)
    return 0


def delta(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """Counters of the timed run alone: ``after`` minus ``before``, per section and host."""
    out: dict[str, Any] = {}
    for section in ("submissions", "requests"):
        out[section] = {
            host: {k: n - before[section].get(host, {}).get(k, 0) for k, n in counts.items()}
            for host, counts in after[section].items()}
    return out


def report_tracking(r: dict[str, Any], counters: dict[str, Any], n: int) -> None:
    by_route: dict[str, int] = {}
    for routes in counters["requests"].values():
        for route, count in routes.items():
            by_route[route] = by_route.get(route, 0) + int(count)
    total = sum(by_route.values())
    subs = sum(sum(v.values()) for v in counters["submissions"].values())
    print(f"states:            {r['states']}")
    print(f"submissions:       {subs} accepted by the hosts for {n} tasks")
    print(f"requests per task: {total / n:.2f}  ("
          + ", ".join(f"{k} {v / n:.2f}" for k, v in sorted(by_route.items()))
          + "; result downloads not counted)")
    print(f"status polls/task: {r['polls']:.2f} (the engine's own count; "
          + ", ".join(f"{h} {v:.2f}" for h, v in r["host_polls"].items()) + ")")
    print(f"engine CPU:        {r['cpu']:.2f} s in all, {r['cpu'] / n * 1000:.1f} ms per task")
    print(f"wall time:         {r['wall']:.2f} s ({r['submitted']:.2f} s to create and start "
          f"all {n}; all accepted by the hosts after {r['accepted']:.2f} s)")


def report_downloads(engine_rates: list[float], bare_rates: list[float], size: int) -> None:
    e, b = statistics.median(engine_rates), statistics.median(bare_rates)
    print(f"download {size} MB x{len(engine_rates)} (median MB/s; min-max):")
    print(f"  engine download(): {e:8.1f}  ({min(engine_rates):.1f}-{max(engine_rates):.1f})")
    print(f"  bare httpx stream: {b:8.1f}  ({min(bare_rates):.1f}-{max(bare_rates):.1f})")
    print(f"  ratio engine/bare: {e / b:.2f}")


if __name__ == "__main__":
    sys.exit(main())
