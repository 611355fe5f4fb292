"""Engine integration fixtures: a real engine (real SQLite under tmp_path, real loopback HTTP)
against the fast emulator, plus helpers that wait on engine events (never on bare sleeps)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import av
import httpx
import pytest
from conftest import data_uri, make_image

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer
from vidu_desktop.engine import Engine, EngineSettings
from vidu_desktop.store import AppPaths, TaskRecord

T = TypeVar("T")

#: The Vidu Q1 reference-to-video model on each host.
MODELS = {"vidu": "viduq1", "novita": "vidu-q1", "highwayapi": "vidu-q1", "segmind": "vidu-q1",
          "vtrix": "viduq1_reference2video"}
HOSTS = list(MODELS)


def request_for(host: str, prompt: str = "a cat on a red sofa", **values: Any
                ) -> GenerationRequest:
    image = ReferenceImage(data_uri(make_image(400, 300)), label="the cat")
    return GenerationRequest(ProviderId(host), MODELS[host], prompt, (image,), **values)


def run[T](coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
    """Run one test coroutine on a fresh loop, failing (not hanging) after ``timeout``."""
    async def bounded() -> T:
        return await asyncio.wait_for(coro, timeout)
    return asyncio.run(bounded())


class Emu:
    """The emulator's control API, for tests."""

    def __init__(self, server: EmulatorServer, http: httpx.Client) -> None:
        self.server = server
        self.url = server.url
        self.http = http

    def base(self, host: str) -> str:
        return f"{self.url}/{host}"

    def fault(self, action: str, **rule: Any) -> None:
        reply = self.http.post(f"{self.url}/_emulator/faults", json={"action": action, **rule})
        reply.raise_for_status()

    def fired(self) -> list[dict[str, Any]]:
        return list(self.http.get(f"{self.url}/_emulator/faults").json()["fired"])

    def clear_faults(self) -> None:
        self.http.delete(f"{self.url}/_emulator/faults").raise_for_status()

    def config(self, **values: Any) -> None:
        self.http.post(f"{self.url}/_emulator/config", json=values).raise_for_status()

    def set_key(self, key: str, balance: float) -> None:
        self.http.post(f"{self.url}/_emulator/keys",
                   json={"key": key, "balance": balance}).raise_for_status()

    def tasks(self) -> list[dict[str, Any]]:
        return list(self.http.get(f"{self.url}/_emulator/tasks").json()["tasks"])

    def counters(self) -> dict[str, Any]:
        return dict(self.http.get(f"{self.url}/_emulator/counters").json())

    def submissions(self, host: str) -> int:
        """Tasks the host accepted (created), all keys."""
        return sum(self.counters()["submissions"].get(host, {}).values())

    def requests(self, host: str, route: str) -> int:
        """Requests that reached ``host``'s ``route`` (submit, poll, list, cancel, ...)."""
        return int(self.counters()["requests"].get(host, {}).get(route, 0))


@pytest.fixture(scope="session")
def control() -> Iterator[httpx.Client]:
    """One client for the control API (a new httpx client per call costs ~0.1 s of TLS setup)."""
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def emu(emulator: EmulatorServer, control: httpx.Client) -> Emu:
    return Emu(emulator, control)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "profile")


def fast_settings(emu: Emu, **overrides: Any) -> EngineSettings:
    values: dict[str, Any] = dict(
        poll_initial_s=0.02, poll_max_s=0.1, retry_base_s=0.02, retry_max_s=0.3,
        http_backoff_s=0.02, outbox_probe_s=0.05, reconcile_delay_s=0.05,
        progress_interval_s=0.05, base_urls={h: emu.base(h) for h in HOSTS})
    values.update(overrides)
    return EngineSettings(**values)


EngineFactory = Callable[..., Engine]


@pytest.fixture
def make_engine(paths: AppPaths, emu: Emu) -> Iterator[EngineFactory]:
    """``make_engine(key=..., **settings)``: an engine on the test's profile folder (call it
    inside the test's event loop; close it, or use ``async with``)."""
    def make(key: str | None = DEMO_KEY, **overrides: Any) -> Engine:
        return Engine(paths, lambda _pid: key, fast_settings(emu, **overrides))
    yield make


async def reach(engine: Engine, local_id: str, check: Callable[[TaskRecord], bool] | TaskState,
                timeout: float = 15.0) -> TaskRecord:
    """Wait (on the engine's state events) until the stored task satisfies ``check``."""
    def ok(rec: TaskRecord) -> bool:
        return rec.state == check if isinstance(check, TaskState) else check(rec)

    changed = asyncio.Event()
    unsubscribe = engine.bus.subscribe(
        lambda ev: changed.set() if ev.local_id == local_id else None)
    try:
        async with asyncio.timeout(timeout):
            while True:
                rec = engine.tasks.get(local_id)
                assert rec is not None
                if ok(rec):
                    return rec
                changed.clear()
                await changed.wait()
    finally:
        unsubscribe()


async def until(check: Callable[[], Awaitable[bool] | bool], timeout: float = 10.0,
                step: float = 0.01) -> None:
    """For conditions no engine event announces (the emulator's own state): poll ``check``."""
    async with asyncio.timeout(timeout):
        while True:
            value = check()
            if isinstance(value, Awaitable):
                value = await value
            if value:
                return
            await asyncio.sleep(step)


def assert_playable(path: Path) -> tuple[int, int]:
    """Open the MP4 with PyAV and decode a frame; its size."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frame = next(container.decode(stream))
        return frame.width, frame.height


def sidecar_of(engine: Engine, rec: TaskRecord) -> dict[str, Any]:
    path = engine.layout.for_record(rec).sidecar
    return dict(json.loads(path.read_text("utf-8")))


def states_seen(engine: Engine, local_id: str) -> list[TaskState]:
    """The task's state history as stored, without repeats."""
    out: list[TaskState] = []
    for event in engine.tasks.events(local_id):
        if not out or out[-1] != event.new_state:
            out.append(event.new_state)
    return out
