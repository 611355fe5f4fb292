"""Fixtures: a corpus folder, a worst-case noisy photo, a loopback HTTP server."""

from __future__ import annotations

import functools
import http.server
import random
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image


@pytest.fixture
def corpus(tmp_path: Path) -> Callable[[str, bytes], Path]:
    """write(name, data) -> path in a fresh folder."""
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path
    return write


@pytest.fixture(scope="session")
def noisy_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6000x4000 JPEG whose noise survives the downscale (2000x1333 cells): the worst case."""
    rng = random.Random(3)
    cells = Image.frombytes("RGB", (2000, 1333), rng.randbytes(2000 * 1333 * 3))
    path = tmp_path_factory.mktemp("noise") / "noise.jpg"
    cells.resize((6000, 4000), Image.Resampling.NEAREST).save(path, quality=85)
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that stops reading at the size cap is expected


@pytest.fixture
def http_dir(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server over a folder: (base URL, folder)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
