"""``vidu-desktop --sandbox --self-test``: drive the real window as a user would and prove the
whole chain works on this machine (Qt, the tray's image pipeline, the engine, the sandbox
emulator, the download and verification, the player with its multimedia plugin).

Steps: a new draft; the bundled sample references into the tray; a prompt; Generate (one take,
in the sandbox: no cost); wait for the video; play it in the Review tab until a frame is on
screen; save a screenshot of the window to ``<profile>/self-test.png``. Each step has a time
limit; the first that fails gives the reason.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidu_desktop.core.states import TaskState
from vidu_desktop.store import TaskRecord
from vidu_desktop.ui.common.resources import sample_references

if TYPE_CHECKING:
    from vidu_desktop.ui.shell.main_window import MainWindow

log = logging.getLogger("vidu_desktop.self_test")

PROMPT = ("@1 the friendly robot carries @2 the red teapot along the shore of @3 the mountain "
          "lake at sunset; slow camera push-in, warm light.")
SHOT = "self-test.png"


class SelfTestFailed(Exception):
    """A step did not happen: the message says which and why."""


@dataclasses.dataclass
class SelfTestResult:
    """How the self-test went: passed or why not, each step's time, and the screenshot."""

    ok: bool
    reason: str
    steps: list[tuple[str, float]]  # (step, seconds it took)
    screenshot: Path | None = None

    def report(self) -> str:
        lines = [f"self-test {'passed' if self.ok else 'FAILED'}"
                 + ("" if self.ok else f": {self.reason}")]
        lines += [f"  {name}: {seconds:.1f} s" for name, seconds in self.steps]
        if self.screenshot is not None:
            lines.append(f"  screenshot: {self.screenshot}")
        return "\n".join(lines)


async def until(check: Callable[[], Any], timeout_s: float, what: str,
                explain: Callable[[], str] | None = None, every_s: float = 0.05) -> Any:
    """Wait (without blocking the loop) until ``check()`` is truthy; fail saying ``what``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = explain() if explain is not None else ""
            raise SelfTestFailed(f"{what} did not happen within {timeout_s:g} s"
                                 + (f" ({detail})" if detail else ""))
        await asyncio.sleep(every_s)


class SelfTest:
    """Runs the steps against ``window`` (already shown, in sandbox mode)."""

    def __init__(self, window: MainWindow, out_dir: Path, *, task_timeout_s: float = 240.0
                 ) -> None:
        self.window = window
        self.out_dir = out_dir
        self.task_timeout_s = task_timeout_s
        self.steps: list[tuple[str, float]] = []

    async def run(self) -> SelfTestResult:
        try:
            shot = await self._run()
        except SelfTestFailed as err:
            log.error("self-test failed: %s", err)
            return SelfTestResult(False, str(err), self.steps)
        except Exception as exc:  # a bug: report it as the reason, never hang
            log.exception("self-test crashed")
            return SelfTestResult(False, f"{type(exc).__name__}: {exc}", self.steps)
        log.info("self-test passed")
        return SelfTestResult(True, "", self.steps, shot)

    def _step(self, name: str, started: float) -> None:
        self.steps.append((name, time.monotonic() - started))
        log.info("self-test: %s (%.1f s)", name, time.monotonic() - started)

    async def _run(self) -> Path:
        w = self.window
        if not w.session.sandbox:
            raise SelfTestFailed("the self-test runs only in sandbox mode (add --sandbox)")
        t = time.monotonic()
        sizes = w.windowIcon().availableSizes()
        if not sizes:
            raise SelfTestFailed("the app icon (resources/icons) is missing")
        samples = sample_references()
        if not samples:
            raise SelfTestFailed("the bundled sample pictures (resources/samples) are missing")
        self._step(f"app icon ({len(sizes)} sizes) and {len(samples)} sample pictures found", t)

        t = time.monotonic()
        w.tabs.setCurrentIndex(0)
        w.drafts.new()
        panel = w.panel
        panel.set_choices(dataclasses.replace(panel.choices(), variations=1))
        w.tray.add_paths(samples)
        await until(lambda: len(w.tray.references()) == len(samples) and w.tray.pending() == 0,
                    60, f"preparing the {len(samples)} sample pictures",
                    lambda: w.tray.problem() or f"{w.tray.pending()} still being prepared")
        self._step(f"{len(samples)} sample references prepared", t)

        t = time.monotonic()
        w.editor.set_text(PROMPT)
        await until(lambda: not w.composer.generate_state().reason, 10, "Generate enabled",
                    lambda: w.composer.generate_state().reason)
        sent: list[Any] = []
        w.composer.submitted.connect(sent.extend)
        if not w.generate():
            raise SelfTestFailed(f"Generate refused: {w.composer.generate_state().reason}")
        await until(lambda: sent, 60, "the submission",
                    lambda: w.generate_bar.reason.text())
        local_id = sent[0].local_id
        self._step("submitted to the sandbox", t)

        t = time.monotonic()
        engine = w.session.engine
        final: list[TaskRecord] = []

        def on_state(rec: TaskRecord) -> None:
            if rec.local_id == local_id and rec.state.is_terminal:
                final.append(rec)

        w.session.bridge.state_changed.connect(on_state)
        try:
            rec = engine.task(local_id)
            if rec is None or not rec.state.is_terminal:
                await until(lambda: final, self.task_timeout_s, "the video",
                            lambda: w.task_list.state_of(local_id))
            rec = engine.task(local_id)
        finally:
            w.session.bridge.state_changed.disconnect(on_state)
        if rec is None or rec.state != TaskState.SUCCEEDED:
            error = rec.error.message if rec is not None and rec.error else "no error given"
            state = rec.state.value if rec is not None else "gone"
            raise SelfTestFailed(f"the task ended {state}: {error}")
        self._step("video generated, downloaded and verified", t)

        t = time.monotonic()
        w.task_list.view.select(local_id)
        shown: list[bool] = []
        player = w.review.player
        player.frame_shown.connect(lambda: shown.append(True))
        if not w.play_task(local_id):
            raise SelfTestFailed(f"the player could not open the video: {player.message}")
        await until(lambda: shown or player.message, 60, "a video frame on screen")
        if player.message:
            raise SelfTestFailed(f"the player failed: {player.message}")
        self._step("played: a frame is on screen", t)
        await until(lambda: w.summary.active.text() == "No task running", 10,
                    "the status bar showing no task running", w.summary.active.text)

        self.out_dir.mkdir(parents=True, exist_ok=True)
        shot = self.out_dir / SHOT
        if not w.grab().save(str(shot)):
            raise SelfTestFailed(f"could not save the screenshot to {shot}")
        return shot
