"""Fixtures for the store tests: real SQLite files in tmp_path, a controllable clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.store.db import open_database
from vidu_desktop.store.tasks import TaskStore

# 2025-06-15 12:00:00 UTC: mid-day in every time zone's "today" is not guaranteed, so tests
# that care about local days compute local midnight themselves.
START = 1_749_988_800.0


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float = 1.0) -> float:
        self.now += seconds
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "library.sqlite3"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_database(db_path)
    yield connection
    connection.close()


@pytest.fixture
def tasks(conn: sqlite3.Connection, clock: FakeClock) -> TaskStore:
    return TaskStore(conn, clock=clock)


def make_request(prompt: str = "the man in the red coat walks into the sea",
                 provider: ProviderId = ProviderId.VIDU, model: str = "viduq1",
                 **values: Any) -> GenerationRequest:
    images = values.pop("images", (ReferenceImage("https://example.com/a.png", "the man"),))
    return GenerationRequest(provider=provider, model=model, prompt=prompt, images=images,
                             **values)
