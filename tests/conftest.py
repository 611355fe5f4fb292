"""Shared fixtures: a fast emulator on loopback, generated images, an in-memory keyring."""

from __future__ import annotations

import base64
import io
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import keyring
import pytest
from PIL import Image

from vidu_desktop.emulator.config import DEMO_KEY, EmulatorConfig
from vidu_desktop.emulator.server import EmulatorServer
from vidu_desktop.store.memory_keyring import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The user's own config, cache and data folders are not the tests' to write: Qt's file dialog
# keeps its history in QtProject.conf there, the sound server its state. The run (and every
# child it starts) gets folders of its own, removed when it ends.
_XDG = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
_OWN_HOME = tempfile.mkdtemp(prefix="vidu-tests-home-")
for _name in _XDG:
    os.environ[_name] = os.path.join(_OWN_HOME, _name.split("_")[1].lower())


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def pytest_configure(config: pytest.Config) -> None:
    # a kill (SIGTERM) ends the run as Ctrl+C does: the running test unwinds and the fixtures
    # tear down, so the emulators and the child processes they reap do not outlive it
    signal.signal(signal.SIGTERM, _interrupt)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_OWN_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def fast_config(**overrides: Any) -> EmulatorConfig:
    values: dict[str, Any] = dict(time_scale=0.01, preview_scale=0.1, fps=8,
                                  render_processes=False, callback_backoff_s=0.05,
                                  sync_hold_s=10.0)
    values.update(overrides)
    return EmulatorConfig(**values)


@pytest.fixture
def emulator(tmp_path: Any) -> Iterator[EmulatorServer]:
    """A fresh emulator per test: near-instant tasks, tiny previews, threads for rendering."""
    server = EmulatorServer(fast_config(media_dir=tmp_path / "emulator"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def api_key() -> str:
    return DEMO_KEY


def make_image(width: int = 640, height: int = 360, fmt: str = "PNG",
               color: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    """A small real image: a gradient with a shape, so encoders have something to do."""
    img = Image.new("RGB", (width, height), color)
    for x in range(0, width, max(1, width // 16)):
        img.paste((x * 255 // width, 120, 255 - x * 255 // width),
                  (x, 0, x + max(1, width // 32), height))
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def data_uri(data: bytes, label: str = "png") -> str:
    return f"data:image/{label};base64,{base64.b64encode(data).decode()}"


@pytest.fixture
def image_uri() -> Callable[..., str]:
    def make(width: int = 640, height: int = 360, fmt: str = "PNG", label: str = "") -> str:
        return data_uri(make_image(width, height, fmt), label or fmt.lower())
    return make


def wait_for(check: Callable[[], Any], timeout: float = 20.0, interval: float = 0.02) -> Any:
    """Poll ``check`` until it returns something truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last: {value!r})")
        time.sleep(interval)


_HTTP = httpx.Client(timeout=30.0)  # one client: a new one per call costs ~30 ms


def counters(server: EmulatorServer) -> dict[str, Any]:
    return _HTTP.get(f"{server.url}/_emulator/counters").json()  # type: ignore[no-any-return]
