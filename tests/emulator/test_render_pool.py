"""The render pool's processes: stopping the renderer ends a busy worker at once (its partial
files removed) and leaves no child; the pool works again afterwards. The parent-gone and
signal cases, with the emulator as a real child process, are in tests/e2e/test_processes.py."""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import time
from pathlib import Path

import pytest
from conftest import make_image

from vidu_desktop.emulator.media import Renderer, RenderSpec

# full size and long: the render is certainly still going when the shutdown comes
LONG = RenderSpec((make_image(640, 360),), 1920, 1080, 20.0, fps=24)
SHORT = RenderSpec((make_image(640, 360),), 640, 360, 1.0, fps=8, scale=0.2)


def _partial(folder: Path) -> list[Path]:
    return list(folder.glob(".*.tmp.*"))


def test_shutdown_ends_a_busy_worker_and_leaves_no_child(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, max_workers=1)

    async def scenario() -> float:
        job = asyncio.ensure_future(renderer.render(LONG))
        deadline = time.monotonic() + 60
        while not _partial(tmp_path):  # the worker is writing the video
            assert not job.done() and time.monotonic() < deadline
            await asyncio.sleep(0.02)
        assert len(multiprocessing.active_children()) == 1
        started = time.monotonic()
        renderer.shutdown()
        took = time.monotonic() - started
        with pytest.raises(concurrent.futures.BrokenExecutor):
            await job  # the job ended with its worker; it did not finish
        return took

    try:
        took = asyncio.run(scenario())
    finally:
        renderer.shutdown()
    assert took < 5.0  # not the seconds the render would have taken
    assert multiprocessing.active_children() == []
    assert _partial(tmp_path) == []
    assert not list(tmp_path.glob("*.mp4"))


def test_the_renderer_renders_again_after_a_shutdown(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, max_workers=1)
    try:
        first = asyncio.run(renderer.render(SHORT))
        renderer.shutdown()
        first.video_path.unlink()
        again = asyncio.run(renderer.render(SHORT))
    finally:
        renderer.shutdown()
    assert again.video_path.is_file() and renderer.jobs_submitted == 2
    assert multiprocessing.active_children() == []
