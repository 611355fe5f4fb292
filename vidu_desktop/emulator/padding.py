"""A rendered video grown to a given size, for the big-download tests (the ``pad`` fault)."""

from __future__ import annotations

import dataclasses
import os
import uuid

from .media import RenderResult


def pad_video(result: RenderResult, size_bytes: int) -> RenderResult:
    """A copy of ``result``'s video grown to ``size_bytes`` by a trailing MP4 ``free`` box
    (which players skip), next to it as ``<name>.pad<size>.mp4``; synchronous (run it in a
    thread). The result itself when it is that big already. For big-download tests."""
    source = result.video_path
    extra = size_bytes - result.size_bytes
    if extra < 8:
        return result
    padded = source.with_name(f"{source.stem}.pad{size_bytes}.mp4")
    if not (padded.is_file() and padded.stat().st_size == size_bytes):
        tmp = padded.with_name(f".{padded.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
        try:
            with tmp.open("wb") as out:
                out.write(source.read_bytes())
                if extra < 1 << 32:
                    out.write(extra.to_bytes(4, "big") + b"free")
                    body = extra - 8
                else:  # a 64-bit box: size 1, then the real size after the type
                    out.write((1).to_bytes(4, "big") + b"free" + extra.to_bytes(8, "big"))
                    body = extra - 16
                block = bytes(1 << 20)
                while body > 0:
                    body -= out.write(block[:min(body, len(block))])
            os.replace(tmp, padded)
        finally:
            tmp.unlink(missing_ok=True)
    return dataclasses.replace(result, video_path=padded, size_bytes=size_bytes)
