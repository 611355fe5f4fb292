"""Benchmark: the longest event-loop stall of the app while 50 tasks are tracked and a 50 MB
result downloads (target: under 50 ms), and what causes the long ones.

The loop is the app's: a qasync ``QEventLoop`` on a ``QApplication`` with the real main window
shown (offscreen unless ``QT_QPA_PLATFORM`` says otherwise), built by ``vidu_desktop.app.build``
on a fresh profile, with a key per host in an in-memory keyring and every host's address
pointed at the emulator, so the task list receives the engine's events as it does in use.

The emulator runs in this process (a thread, as the app's sandbox mode runs it) at
``--time-scale`` (the engine's poll intervals and backoffs scaled alike), or in a child process
with ``--emulator-process`` (then its Python work does not compete for this process's GIL, as a
remote host's would not). One task per host is run first (imports, connections, the emulator's
renders and the big file on disk); then ``--tasks`` tasks are submitted through the engine over
the hosts, and the first Vidu task among them succeeds with a ``--download-mb`` result (the
emulator's ``pad`` task action: the rendered MP4 plus a trailing ``free`` box), which the engine
fetches through its real download path (stream to ``.part``, PyAV verification, rename) while
the other tasks are followed.

From the first submit until every task is finished (the big video downloaded and verified),
two probes run on the loop: a 5 ms ``Qt.PreciseTimer`` and a chain of ``loop.call_later``; the
lateness of a tick is its gap from the previous tick minus the period. Printed: the longest
stall, p99, p95, median lateness, ticks, the run's time, the target. Then the causes:

- a watchdog thread samples the main thread's Python stack every few ms while a tick is more
  than ``--stall-ms`` late; each stall is put down to the innermost frame of the app's code on
  the stack (else the innermost Python frame; "in Qt" when only the loop's own frames are there);
- the main thread's CPU time during each long stall against its wall time, with the CPU used by
  the process's other threads meanwhile (a stall with little main-thread CPU is waiting: the GIL
  held by another thread, or the machine's other load);
- every asyncio callback (``Handle._run``) that ran longer than ``--stall-ms``, by task.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/stall.py [--tasks 50] [--download-mb 50]
        [--time-scale 0.5] [--emulator-process] [--stall-ms 20]

Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
from bench_common import reference, request_for, start_emulator, stop_emulator, stop_on_sigterm

from vidu_desktop.store.memory_keyring import MemoryKeyring

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
TARGET_MS = 50.0
PACKAGE = f"{os.sep}vidu_desktop{os.sep}"


# -- the probes --------------------------------------------------------------------------------

@dataclass
class Ticks:
    """One probe's ticks: wall time and the main thread's CPU time at each."""

    period_s: float
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def hit(self) -> None:
        self.wall.append(time.perf_counter())
        self.cpu.append(time.thread_time())

    def gaps(self) -> list[tuple[float, float, float]]:
        """(start, lateness, main-thread CPU) of each gap between ticks, in seconds."""
        return [(self.wall[i - 1], self.wall[i] - self.wall[i - 1] - self.period_s,
                 self.cpu[i] - self.cpu[i - 1]) for i in range(1, len(self.wall))]


@dataclass
class Stall:
    start: float  # perf_counter of the last tick before it
    samples: list[tuple[float, tuple[tuple[str, int, str], ...]]] = field(default_factory=list)
    cpu_before: dict[str, float] = field(default_factory=dict)
    cpu_after: dict[str, float] = field(default_factory=dict)


class Watchdog(threading.Thread):
    """Samples the main thread's stack while the Qt probe's last tick is over ``late_s`` old."""

    def __init__(self, ticks: Ticks, late_s: float, every_s: float = 0.003) -> None:
        super().__init__(name="stall-watchdog", daemon=True)
        self.ticks = ticks
        self.late_s = late_s
        self.every_s = every_s
        self.main = threading.main_thread().ident
        self.stalls: dict[float, Stall] = {}
        self.running = threading.Event()
        self.halt = threading.Event()

    def run(self) -> None:
        current: Stall | None = None
        quiet = thread_cpu()
        while not self.halt.wait(self.every_s):
            if not self.running.is_set() or not self.ticks.wall:
                continue
            last = self.ticks.wall[-1]
            now = time.perf_counter()
            if current is not None and current.start != last:  # it ended
                current.cpu_after = thread_cpu()
                current = None
            if now - last < self.late_s:
                quiet = thread_cpu()
                continue
            if current is None:
                current = self.stalls[last] = Stall(last, cpu_before=quiet)
            frame = sys._current_frames().get(self.main)
            if frame is not None:
                current.samples.append((now, stack_of(frame)))


def thread_cpu() -> dict[str, float]:
    """CPU seconds of each Python thread (by name) and of the whole process."""
    out = {"(process)": time.process_time()}
    for t in threading.enumerate():
        if t.ident is None:
            continue
        with contextlib.suppress(OSError, AttributeError, ProcessLookupError):
            out[t.name] = out.get(t.name, 0.0) + time.clock_gettime(
                time.pthread_getcpuclockid(t.ident))
    return out


def stack_of(frame: FrameType | None) -> tuple[tuple[str, int, str], ...]:
    """(file, line, function) from the innermost frame out."""
    out = []
    while frame is not None:
        code = frame.f_code
        name = code.co_qualname
        if name == "_find_and_load":  # an import: which module
            name = f"import {frame.f_locals.get('name', '?')}"
        out.append((code.co_filename, frame.f_lineno, name))
        frame = frame.f_back
    return tuple(out)


_LOOP_FILES = ("qasync", f"{os.sep}asyncio{os.sep}", f"{os.sep}bench{os.sep}stall.py",
               f"{os.sep}selectors.py", f"{os.sep}contextvars")


def short(filename: str) -> str:
    for marker in (PACKAGE, f"{os.sep}site-packages{os.sep}", f"{os.sep}python3."):
        if marker in filename:
            tail = filename.split(marker, 1)[1]
            return ("vidu_desktop/" + tail) if marker == PACKAGE else tail.split(os.sep, 1)[-1] \
                if marker.startswith(f"{os.sep}python3") else tail
    return os.path.basename(filename)


def cause_of(stack: tuple[tuple[str, int, str], ...]) -> tuple[str, str]:
    """(the cause, the innermost frame) of one sample. The cause: the import under way (the
    outermost one) when there is one, with the app's frame that asked for it; else the
    innermost frame of the app's code, with its two callers in the app; else the innermost
    Python frame outside the loop's machinery; else "in Qt"."""
    leaf = stack[0] if stack else ("?", 0, "?")
    leaf_text = f"{short(leaf[0])}:{leaf[1]} {leaf[2]}"
    app = [f"{short(f)}:{line} {name}" for f, line, name in stack if PACKAGE in f]
    imports = [name for _f, _line, name in stack if name.startswith("import ")]
    if imports:
        return imports[-1] + (f" (from {app[0]})" if app else ""), leaf_text
    if app:
        via = " <- ".join(a.split(" ", 1)[1] for a in app[1:3])
        return app[0] + (f" <- {via}" if via else ""), leaf_text
    for filename, line, name in stack:
        if not any(m in filename for m in _LOOP_FILES):
            return f"{short(filename)}:{line} {name}", leaf_text
    return "in Qt (no Python frame but the loop's own)", leaf_text


class GcPauses:
    """The cyclic garbage collector's pauses on the main thread over ``limit_s``."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.pauses: list[tuple[float, float, int]] = []  # start, seconds, generation
        self._start = 0.0
        self.main = threading.main_thread().ident

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if threading.get_ident() != self.main:
            return
        now = time.perf_counter()
        if phase == "start":
            self._start = now
        elif now - self._start >= self.limit_s:
            self.pauses.append((self._start, now - self._start, info.get("generation", -1)))


class SlowCallbacks:
    """Times every asyncio ``Handle._run`` (qasync runs each callback through one) and keeps the
    ones over ``limit_s``, described by their task's coroutine or their callback."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.active = False
        self.slow: list[tuple[float, float, str]] = []  # start, seconds, what
        self._original: Callable[..., Any] = asyncio.events.Handle._run

    def install(self) -> None:
        original, me = self._original, self

        def timed(handle: asyncio.Handle) -> None:
            if not me.active:
                return original(handle)  # type: ignore[no-any-return]
            t0 = time.perf_counter()
            try:
                return original(handle)  # type: ignore[no-any-return]
            finally:
                dt = time.perf_counter() - t0
                if dt >= me.limit_s:
                    me.slow.append((t0, dt, describe(handle)))

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]

    def uninstall(self) -> None:
        asyncio.events.Handle._run = self._original  # type: ignore[method-assign]


def describe(handle: asyncio.Handle) -> str:
    callback = handle._callback
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        code = getattr(coro, "cr_code", None)
        if code is not None:
            return f"task {code.co_qualname} ({short(code.co_filename)}:{code.co_firstlineno})"
        return f"task {owner.get_name()}"
    for arg in handle._args or ():  # qasync's socket-notifier wrapper
        if callable(arg) and getattr(arg, "__self__", None) is not None:
            inner = arg.__self__
            protocol = getattr(inner, "_protocol", None)
            return (f"{type(inner).__name__}.{arg.__name__}"
                    + (f" -> {type(protocol).__module__}.{type(protocol).__name__}"
                       if protocol is not None else ""))
    return getattr(callback, "__qualname__", repr(callback))


# -- the run -----------------------------------------------------------------------------------

def scaled_settings(scale: float) -> Any:
    from vidu_desktop.engine import EngineSettings

    s = EngineSettings()
    for name in ("poll_initial_s", "poll_max_s", "retry_base_s", "retry_max_s",
                 "reconcile_delay_s", "outbox_probe_s", "http_backoff_s"):
        setattr(s, name, getattr(s, name) * scale)
    return s


@dataclass
class Result:
    qt: Ticks
    chain: Ticks
    wall_s: float
    states: dict[str, int]
    big_bytes: int
    big_host: str
    watchdog: Watchdog
    slow: SlowCallbacks
    gc: GcPauses
    download: list[float]  # perf_counter of the big result's first and last progress event


async def run_all(engine: Any, requests: list[Any], *, burst: bool = True) -> list[Any]:
    """Submit every request (each in its own loop callback unless ``burst``, as one click of
    Generate each), then wait for all of them to finish."""
    recs = []
    for request in requests:
        recs.append(await engine.submit(request))
        if not burst:
            await asyncio.sleep(0)
    return list(await asyncio.gather(*(engine.wait(r.local_id) for r in recs)))


def add_pad_rule(url: str, size: int) -> None:
    rule = {"action": "pad", "provider": "vidu", "size_bytes": size, "times": 1}
    httpx.post(f"{url}/_emulator/faults", json=rule, timeout=10).raise_for_status()


async def measure(args: argparse.Namespace, url: str, profile: Path) -> Result:
    from PySide6.QtCore import Qt, QTimer

    from vidu_desktop.app import build
    from vidu_desktop.core.capabilities import ProviderId
    from vidu_desktop.core.states import TaskState
    from vidu_desktop.emulator.config import DEMO_KEY
    from vidu_desktop.store import ArtifactKind, SecretStore

    hosts = [ProviderId(h.strip()) for h in args.hosts.split(",") if h.strip()]
    secrets = SecretStore(MemoryKeyring(), environ={})
    for pid in hosts:
        secrets.set(pid, DEMO_KEY)
    session, window = build(profile, sandbox=False, sandbox_starter=None,
                            engine_settings=scaled_settings(args.time_scale), secrets=secrets)
    for pid in hosts:
        session.set_base_url_override(pid, f"{url}/{pid.value}")
    window.resize(1280, 800)
    window.show()
    await session.start()
    engine = session.engine
    image = reference()
    size = args.download_mb * MB
    try:
        # warm-up: one task per host (the first Vidu one with the big result)
        if size:
            add_pad_rule(url, size)
        await run_all(engine, [request_for(h, image, -1, "stall benchmark") for h in hosts])
        if size:
            add_pad_rule(url, size)
        await asyncio.sleep(0.5)
        requests = [request_for(hosts[i % len(hosts)], image, i, "stall benchmark")
                    for i in range(args.tasks)]

        period = args.tick_ms / 1000
        qt, chain = Ticks(period), Ticks(period)
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(args.tick_ms)
        timer.timeout.connect(qt.hit)
        loop = asyncio.get_running_loop()
        running = [True]

        def link() -> None:
            chain.hit()
            if running[0]:
                loop.call_later(period, link)

        window_s: list[float] = []

        async def follow_download() -> None:
            async for event in engine.events():
                if event.kind == "download" and (event.bytes_total or 0) >= size > 0:
                    window_s[1:] = [time.perf_counter()]
                    if len(window_s) == 1:
                        window_s.insert(0, window_s[0])

        follower = asyncio.create_task(follow_download())
        watchdog = Watchdog(qt, args.stall_ms / 1000)
        slow = SlowCallbacks(args.stall_ms / 1000)
        slow.install()
        pauses = GcPauses(0.005)
        gc.callbacks.append(pauses)
        watchdog.start()
        qt.hit()
        timer.start()
        link()
        watchdog.running.set()
        slow.active = True
        t0 = time.perf_counter()
        done = await run_all(engine, requests, burst=args.burst)
        wall = time.perf_counter() - t0
        gc.callbacks.remove(pauses)
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower
        slow.active = False
        watchdog.running.clear()
        running[0] = False
        timer.stop()
        watchdog.halt.set()
        watchdog.join()
        slow.uninstall()

        states: dict[str, int] = {}
        for rec in done:
            states[rec.state.value] = states.get(rec.state.value, 0) + 1
        big_bytes, big_host = 0, ""
        for rec in done:
            art = engine.artifacts.get(rec.local_id, ArtifactKind.VIDEO)
            if rec.state == TaskState.SUCCEEDED and art is not None and art.verified \
                    and art.path.stat().st_size > big_bytes:
                big_bytes, big_host = art.path.stat().st_size, rec.provider
        return Result(qt, chain, wall, states, big_bytes, big_host, watchdog, slow, pauses,
                      window_s)
    finally:
        window.close()
        await window.composer.bg.close()
        await session.close()


# -- the emulator ------------------------------------------------------------------------------

# -- the report --------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(r: Result, args: argparse.Namespace) -> None:
    print(f"run:              {r.wall_s:.2f} s from the first submit until all {args.tasks} "
          f"tasks finished {r.states}")
    print(f"big result:       {r.big_bytes / MB:.1f} MB downloaded and verified"
          + (f" ({r.big_host})" if r.big_bytes else " (none found!)"))
    print(f"event-loop stalls (tick lateness, ms; target: longest under {TARGET_MS:.0f} ms):")
    for label, ticks in (("Qt 5 ms timer", r.qt), ("asyncio call_later", r.chain)):
        late = [g[1] * 1000 for g in ticks.gaps()]
        if not late:
            continue
        print(f"  {label:<20} longest {max(late):7.1f}   p99 {pct(late, .99):6.1f}   "
              f"p95 {pct(late, .95):6.1f}   median {statistics.median(late):5.1f}   "
              f"ticks {len(ticks.wall)}   over {TARGET_MS:.0f} ms: "
              f"{sum(x > TARGET_MS for x in late)}   over {args.stall_ms:.0f} ms: "
              f"{sum(x > args.stall_ms for x in late)}")
    if len(r.download) == 2:
        a, b = r.download
        during = [late * 1000 for start, late, _ in r.qt.gaps() if a <= start <= b]
        print(f"  {'during the download':<20} longest {max(during, default=0):7.1f}   "
              f"(the {r.big_bytes / MB:.0f} MB streamed from {a - r.qt.wall[0]:.2f} s to "
              f"{b - r.qt.wall[0]:.2f} s: {r.big_bytes / MB / max(b - a, 1e-6):.0f} MB/s)")
    print(f"  {'longest stall':<20} {max(g[1] for g in r.qt.gaps()) * 1000:.1f} ms "
          f"(target {TARGET_MS:.0f} ms)")
    report_causes(r, args)


def report_causes(r: Result, args: argparse.Namespace) -> None:
    t0 = r.qt.wall[0]
    gaps = {start: (late, cpu) for start, late, cpu in r.qt.gaps()}
    long_ = sorted(((late, start, cpu) for start, (late, cpu) in gaps.items()
                    if late * 1000 > args.stall_ms), reverse=True)
    causes: dict[str, list[float]] = {}  # cause -> [sampled ms, stalls, longest stall ms]
    leaves: dict[str, dict[str, float]] = {}
    for late, start, _cpu in long_:
        stall = r.watchdog.stalls.get(start)
        if stall is None or not stall.samples:
            continue
        seen: set[str] = set()
        previous = start
        for when, stack in stall.samples:
            where, leaf = cause_of(stack)
            weight = (when - previous) * 1000
            previous = when
            entry = causes.setdefault(where, [0.0, 0, 0.0])
            entry[0] += weight
            if where not in seen:
                seen.add(where)
                entry[1] += 1
                entry[2] = max(entry[2], late * 1000)
            leaves.setdefault(where, {})
            leaves[where][leaf] = leaves[where].get(leaf, 0.0) + weight
    print(f"\ncauses of the {len(long_)} stalls over {args.stall_ms:.0f} ms (the main thread's "
          "stack sampled every ~3 ms during each; ms of stall put down to each):")
    for where, (ms, n, worst) in sorted(causes.items(), key=lambda kv: -kv[1][0])[:args.top]:
        leaf = max(leaves[where].items(), key=lambda kv: kv[1])[0]
        print(f"  {ms:7.0f} ms in {n:3d} stall(s), longest {worst:5.0f} ms: {where}")
        if leaf.split(" ", 1)[0] != where.split(" ", 1)[0]:
            print(f"{'':39}innermost: {leaf}")
    print(f"\nthe {min(args.top, len(long_))} longest stalls (wall ms; the main thread's CPU ms; "
          "other threads' CPU ms meanwhile):")
    for late, start, cpu in long_[:args.top]:
        stall = r.watchdog.stalls.get(start)
        where = "no sample"
        others = ""
        if stall is not None:
            counts: dict[str, int] = {}
            for _when, stack in stall.samples:
                w = cause_of(stack)[0]
                counts[w] = counts.get(w, 0) + 1
            if counts:
                where = max(counts.items(), key=lambda kv: kv[1])[0]
            if stall.cpu_after:
                deltas = {name: (stall.cpu_after.get(name, 0.0) - v) * 1000
                          for name, v in stall.cpu_before.items()}
                rest = deltas.pop("(process)", 0.0) - deltas.pop("MainThread", 0.0)
                deltas.pop("stall-watchdog", None)
                others = f"all other threads {max(0.0, rest):.0f}" + "".join(
                    f", {n} {d:.0f}" for n, d in sorted(deltas.items(), key=lambda kv: -kv[1])
                    if d >= 1)
        print(f"  at {start - t0:6.2f} s: {late * 1000:6.1f} ms, main CPU {cpu * 1000:5.1f} ms"
              f": {where}" + (f"\n{'':12}meanwhile: {others}" if others else ""))
    pauses = r.gc.pauses
    print(f"\ngarbage-collector pauses over 5 ms on the main thread: {len(pauses)}"
          + (f", longest {max(p[1] for p in pauses) * 1000:.1f} ms (generations "
             f"{sorted({p[2] for p in pauses})}), {sum(p[1] for p in pauses) * 1000:.0f} ms "
             f"in all" if pauses else ""))
    slow = r.slow.slow
    print(f"\nasyncio callbacks over {args.stall_ms:.0f} ms: {len(slow)}")
    by_what: dict[str, list[float]] = {}
    for _t, dt, what in slow:
        entry = by_what.setdefault(what, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += dt * 1000
        entry[2] = max(entry[2], dt * 1000)
    for what, (n, total, worst) in sorted(by_what.items(), key=lambda kv: -kv[1][1]
                                          )[:args.top]:
        print(f"  {n:4.0f} x, {total:7.0f} ms in all, longest {worst:6.1f} ms: {what}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=int, default=50)
    p.add_argument("--hosts", default="vidu,novita,highwayapi,segmind,vtrix")
    p.add_argument("--download-mb", type=int, default=50)
    p.add_argument("--time-scale", type=float, default=0.5)
    p.add_argument("--preview-scale", type=float, default=0.1)
    p.add_argument("--tick-ms", type=int, default=5)
    p.add_argument("--stall-ms", type=float, default=20.0,
                   help="stalls over this are sampled and explained")
    p.add_argument("--top", type=int, default=12)
    p.add_argument("--burst", action="store_true",
                   help="submit all tasks in one loop callback (default: one per callback)")
    p.add_argument("--emulator-process", action="store_true",
                   help="run the emulator in a child process (not competing for the GIL)")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    import qasync
    from PySide6.QtWidgets import QApplication

    from vidu_desktop import app as shell
    from vidu_desktop.ui.common import theme

    stop_on_sigterm()
    shell.set_identity()
    qapp = QApplication(sys.argv[:1])
    qapp.setQuitOnLastWindowClosed(False)
    theme.install(qapp, "light")
    with tempfile.TemporaryDirectory(prefix="vidu-stall-") as tmp:
        work = Path(tmp)
        child: subprocess.Popen[str] | None = None
        server: Any = None
        if args.emulator_process:
            child, url = start_emulator(args.time_scale, args.preview_scale, work / "emulator")
        else:
            from vidu_desktop.emulator.config import EmulatorConfig
            from vidu_desktop.emulator.server import EmulatorServer

            server = EmulatorServer(EmulatorConfig(
                time_scale=args.time_scale, preview_scale=args.preview_scale,
                render_processes=False, media_dir=work / "emulator"))
            url = server.start()
        try:
            print(f"emulator {url} ({'child process' if child else 'in this process'}, "
                  f"time scale {args.time_scale}); {args.tasks} tasks over {args.hosts}; "
                  f"{args.download_mb} MB result; Qt platform "
                  f"{os.environ['QT_QPA_PLATFORM']}", flush=True)
            result = asyncio.run(measure(args, url, work / "profile"),
                                 loop_factory=lambda: qasync.QEventLoop(qapp))
            report(result, args)
        finally:
            if server is not None:
                server.stop()
            if child is not None:
                stop_emulator(child)
    return 0


if __name__ == "__main__":
    sys.exit(main())
