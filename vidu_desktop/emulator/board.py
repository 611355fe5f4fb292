"""The emulated tasks and their life over time, shared by every host's contract.

Each task is driven by one asyncio task on the server's loop:
created -> queueing -> (a slot free: Vidu runs 5 at once per key) processing -> success | failed.
The render runs in a pool while the task "processes", so the server never blocks.
Contracts map ``Phase`` onto their own wire states.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .accounts import Accounts
from .config import EmulatorConfig
from .faults import FaultPlan, FaultRule
from .media import Renderer, RenderResult, RenderSpec
from .padding import pad_video

log = logging.getLogger(__name__)


class Phase(StrEnum):
    CREATED = "created"
    QUEUEING = "queueing"
    PROCESSING = "processing"
    SUCCESS = "success"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL = frozenset({Phase.SUCCESS, Phase.FAILED, Phase.CANCELLED})


@dataclass
class EmuTask:
    """A task the emulator holds for a host: what was asked, what it costs, where it is."""

    id: str
    provider: str
    key: str
    model: str
    mode: str
    params: dict[str, Any]  # normalised: prompt, duration, resolution, aspect_ratio, seed, ...
    images: list[bytes]
    cost: float
    width: int
    height: int
    phase: Phase = Phase.CREATED
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    err_code: str = ""
    err_message: str = ""
    charged: float = 0.0
    result: RenderResult | None = None
    fault: FaultRule | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # contract-specific
    history: list[tuple[str, float]] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.phase in FINAL

    def progress(self, processing_s: float) -> float:
        """0.0-1.0: how far the task is, by phase and by time processed."""
        if self.phase == Phase.SUCCESS:
            return 1.0
        if self.phase != Phase.PROCESSING or self.started_at is None:
            return 0.0
        if processing_s <= 0:
            return 0.99
        return min(0.99, (time.time() - self.started_at) / processing_s)


Listener = Callable[[EmuTask], None]


#: the lowest frame rate ``frame_rate`` goes down to
MIN_FPS = 8


def frame_rate(config: EmulatorConfig, duration_s: float) -> int:
    """The frame rate of a video of ``duration_s``: ``config.fps``, lowered for a video longer
    than ``config.frame_budget_s`` so its frame count stays within the budget (never below
    ``MIN_FPS``, nor above ``config.fps``)."""
    if duration_s <= config.frame_budget_s:
        return config.fps
    budget = int(config.fps * config.frame_budget_s / duration_s)
    return min(config.fps, max(MIN_FPS, budget))


def _sound(params: dict[str, Any]) -> bool:
    """Whether the video gets a sound track: the contract's ``sound`` when it set one, else
    ``bgm`` (music) or ``audio`` (speech and sound made with the video)."""
    sound = params.get("sound")
    if sound is None:
        sound = params.get("bgm") or params.get("audio")
    return bool(sound)


class Board:
    def __init__(self, config: EmulatorConfig, accounts: Accounts, faults: FaultPlan) -> None:
        self.config = config
        self.accounts = accounts
        self.faults = faults
        self.tasks: dict[str, EmuTask] = {}
        self.listeners: list[Listener] = []
        self.renderer = Renderer(config.media_dir / "renders",
                                 max_workers=config.render_workers,
                                 use_processes=config.render_processes)
        self._drivers: dict[str, asyncio.Task[None]] = {}
        self._slots: dict[tuple[str, str], asyncio.Semaphore] = {}
        self._holding: set[str] = set()  # ids of the tasks that hold a concurrency slot

    # -- creating and finding ------------------------------------------------------------
    def submit(self, task: EmuTask, concurrency: int | None = None) -> EmuTask:
        """Register an accepted task and start driving it (call on the server's loop)."""
        task.fault = self.faults.take(task.provider, "task")
        task.history.append((task.phase.value, task.created_at))
        self.tasks[task.id] = task
        self.accounts.count_submission(task.provider, task.key)
        driver = asyncio.get_running_loop().create_task(self._drive(task, concurrency))
        self._drivers[task.id] = driver
        def forget(_: asyncio.Task[None], tid: str = task.id) -> None:
            self._drivers.pop(tid, None)

        driver.add_done_callback(forget)
        return task

    def get(self, task_id: str) -> EmuTask | None:
        return self.tasks.get(task_id)

    def load(self, provider: str, key: str) -> tuple[int, int]:
        """(tasks running, tasks waiting) for one key: running ones hold a concurrency slot,
        waiting ones are not final and hold none yet."""
        mine = [t for t in self.tasks.values()
                if t.provider == provider and t.key == key and not t.final]
        running = sum(1 for t in mine if t.id in self._holding)
        return running, len(mine) - running

    # -- changes ----------------------------------------------------------------------------
    def _set(self, task: EmuTask, phase: Phase, code: str = "", message: str = "") -> None:
        now = time.time()
        task.phase = phase
        task.updated_at = now
        task.history.append((phase.value, now))
        if phase == Phase.PROCESSING:
            task.started_at = now
        if phase in FINAL:
            task.finished_at = now
        if code:
            task.err_code, task.err_message = code, message
        for listener in list(self.listeners):
            try:
                listener(task)
            except Exception:  # a listener never breaks the task
                log.exception("task listener failed")

    def cancel(self, task: EmuTask) -> bool:
        """Cancel a task that has not started processing. False when it is too late."""
        if task.phase not in (Phase.CREATED, Phase.QUEUEING):
            return False
        driver = self._drivers.pop(task.id, None)
        if driver is not None:
            driver.cancel()
        self._set(task, Phase.CANCELLED, "UserCancelled", "user cancelled")
        return True

    def _slot(self, task: EmuTask, concurrency: int | None) -> asyncio.Semaphore | None:
        if not concurrency:
            return None
        key = (task.provider, task.key)
        if key not in self._slots:
            self._slots[key] = asyncio.Semaphore(concurrency)
        return self._slots[key]

    async def _drive(self, task: EmuTask, concurrency: int | None) -> None:
        cfg = self.config
        try:
            await asyncio.sleep(cfg.scaled(cfg.created_s))
            self._set(task, Phase.QUEUEING)
            if task.fault is not None and task.fault.action == "stuck":
                await asyncio.Event().wait()  # until cancelled
            slot = self._slot(task, concurrency)
            if slot is not None:
                await slot.acquire()
            self._holding.add(task.id)
            try:
                await asyncio.sleep(cfg.scaled(cfg.queue_s))
                await self._process(task)
            finally:
                self._holding.discard(task.id)
                if slot is not None:
                    slot.release()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("emulated task %s failed unexpectedly", task.id)
            self._set(task, Phase.FAILED, "InternalServiceFailure", f"internal failure: {exc}")

    async def _process(self, task: EmuTask) -> None:
        cfg = self.config
        self._set(task, Phase.PROCESSING)
        duration = float(task.params.get("duration", 5))
        spec = RenderSpec(
            images=tuple(task.images), width=task.width, height=task.height,
            duration_s=duration, fps=frame_rate(cfg, duration),
            bgm=_sound(task.params), seed=int(task.params.get("seed") or 0),
            scale=cfg.preview_scale,
        )
        render = asyncio.ensure_future(self.renderer.render(spec))
        await asyncio.sleep(cfg.scaled(cfg.processing_s))
        fault = task.fault
        if fault is not None and fault.action == "fail":
            render.cancel()
            self._set(task, Phase.FAILED, fault.code or "InternalServiceFailure",
                      fault.message or "generation failed")
            return
        task.result = await render
        if fault is not None and fault.action == "pad":
            task.result = await asyncio.to_thread(pad_video, task.result, fault.size_bytes)
        task.charged = task.cost
        self.accounts.charge(task.provider, task.key, task.cost)
        self._set(task, Phase.SUCCESS)

    async def close(self) -> None:
        drivers = list(self._drivers.values())
        for driver in drivers:
            driver.cancel()
        if drivers:
            await asyncio.wait(drivers, timeout=5)
        self.renderer.shutdown()
