"""Fixtures of the end-to-end tests: a CLI runner per test, a reference image, child reaping."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_image

from vidu_desktop.emulator.server import EmulatorServer

from .helpers import Cli


@pytest.fixture
def cli(emulator: EmulatorServer, tmp_path: Path) -> Cli:
    return Cli(emulator.url, tmp_path / "profile")


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "ref one.png"
    path.write_bytes(make_image(640, 360))
    return path


@pytest.fixture
def reap() -> Iterator[list[subprocess.Popen[str]]]:
    """Child processes a test started; killed at the end if still running."""
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


