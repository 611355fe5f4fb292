"""Put on the ``PYTHONPATH`` of a ``vidu-cli`` child (see ``tripwire.py``): with
``VIDU_TRIPWIRE`` set, every outgoing connection and every name lookup the child makes is
written to that file, one a line, by an audit hook (it sees the sockets of httpx, asyncio and
anything else)."""

from __future__ import annotations

import os
import sys
from typing import Any

_path = os.environ.get("VIDU_TRIPWIRE")


def _line(text: str) -> None:
    fd = os.open(_path or os.devnull, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (text.replace("\n", " ") + "\n").encode())
    finally:
        os.close(fd)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect":
        _line(f"connect {args[1]!r}")
    elif event == "socket.getaddrinfo":
        _line(f"lookup {args[0]!r}")


if _path:
    sys.addaudithook(_hook)
