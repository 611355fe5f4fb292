"""Fixtures: takes made in the test's folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vidu_desktop.film import Take

from .takes import make_take


@pytest.fixture
def make(tmp_path: Path) -> Callable[..., Take]:
    """make(name, **options) -> a take written to ``tmp_path/takes/name.mp4``."""
    folder = tmp_path / "takes"
    folder.mkdir()

    def _make(name: str, **options: Any) -> Take:
        return make_take(folder / f"{name}.mp4", **options)

    return _make


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    return folder
