"""The API key never leaves the request header: no byte of any file the app writes under the
profile (SQLite database and WAL, sidecars, videos, references) and no log line at DEBUG, for
every logger (httpx and httpcore included), across a full run on every host and an auth
failure."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import ErrorKind
from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import Engine
from vidu_desktop.store import AppPaths

from .conftest import HOSTS, Emu, fast_settings, request_for, run

GOOD = "sk-live-" + secrets.token_hex(16)
WRONG = "sk-wrong-" + secrets.token_hex(16)


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured() -> Iterator[Capture]:
    root = logging.getLogger()
    handler = Capture()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    for name in quiet:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


def _files_holding(folder: Path, needle: bytes) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_key_is_in_no_file_and_no_log_line(emu: Emu, paths: AppPaths,
                                           captured: Capture) -> None:
    emu.set_key(GOOD, 1000)

    def key_for(pid: ProviderId) -> str:
        return WRONG if pid == ProviderId.VTRIX else GOOD

    async def scenario() -> None:
        engine = Engine(paths, key_for, fast_settings(emu))
        try:
            records = [await engine.submit(request_for(h)) for h in HOSTS]
            done = await asyncio.gather(*(engine.wait(r.local_id) for r in records))
            by_host = {r.provider: r for r in done}
            for host in HOSTS:
                if host == "vtrix":
                    refused = by_host[host]
                    assert refused.state == TaskState.FAILED
                    assert refused.error is not None and refused.error.kind == ErrorKind.AUTH
                else:
                    assert by_host[host].state == TaskState.SUCCEEDED, by_host[host].detail
            # while the engine is open: the WAL and every file as they are on disk now
            assert list(paths.profile_dir.glob("*-wal")), "expected a WAL file to scan"
            for key in (GOOD, WRONG):
                assert _files_holding(paths.profile_dir, key.encode()) == []
        finally:
            await engine.close()

    run(scenario())
    assert len(list(paths.media_root.rglob("*.json"))) == 4  # the sidecars were scanned
    for key in (GOOD, WRONG):
        assert _files_holding(paths.profile_dir, key.encode()) == []
        assert [line for line in captured.lines if key in line] == []
    names = {line.split(" ", 1)[0] for line in captured.lines}
    assert {"httpx", "httpcore.http11"} <= names  # the HTTP stack really logged at DEBUG
