"""Helpers of the cast tests: pictures uploaded to the emulator (the hosts take image URLs),
and what a downloaded MP4 holds, read with PyAV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from conftest import fast_config, make_image

from vidu_desktop.core.capabilities import video_size
from vidu_desktop.emulator.media import RenderSpec
from vidu_desktop.emulator.server import EmulatorServer

#: the tests' emulators render at this fraction of the size (conftest.fast_config)
PREVIEW_SCALE = 0.1


def serving(factory: pytest.TempPathFactory, name: str, **config: Any
            ) -> Iterator[EmulatorServer]:
    """A module's emulator (``fast_config`` with ``config``), stopped at the end: the body of
    its fixture (``yield from serving(...)``)."""
    server = EmulatorServer(fast_config(media_dir=factory.mktemp(name), **config))
    server.start()
    yield server
    server.stop()


def preview_size(resolution: str, ratio: str, scale: float = PREVIEW_SCALE) -> tuple[int, int]:
    """The pixel size of the file the emulator renders for ``resolution`` at ``ratio``."""
    width, height = video_size(resolution, ratio)
    return RenderSpec((b"",), width, height, 1.0, scale=scale).encoded_size()


def upload(client: httpx.Client, emulator_url: str, width: int = 640, height: int = 360,
           color: tuple[int, int, int] = (200, 80, 40)) -> str:
    """A real PNG, uploaded to the emulator: its loopback URL (what the hosts fetch)."""
    response = client.post(f"{emulator_url}/_emulator/uploads",
                           content=make_image(width, height, color=color),
                           headers={"Content-Type": "image/png"})
    assert response.status_code == 200, response.text
    return str(response.json()["url"])


@dataclass(frozen=True)
class Media:
    width: int
    height: int
    duration_s: float  # the video stream's
    audio_s: float | None  # the sound track's (None: no sound track)
    channels: int


def probe(client: httpx.Client, url: str, into: Path) -> Media:
    """Download ``url`` to ``into`` and read its streams (every packet decoded: a broken file
    fails here)."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    into.write_bytes(response.content)
    with av.open(str(into)) as container:
        video = container.streams.video[0]
        audio = list(container.streams.audio)
        for _ in container.decode(*container.streams):
            pass
        assert video.duration is not None and video.time_base is not None
        media = Media(video.codec_context.width, video.codec_context.height,
                      float(video.duration * video.time_base), None, 0)
        if audio:
            track = audio[0]
            assert track.duration is not None and track.time_base is not None
            media = Media(media.width, media.height, media.duration_s,
                          float(track.duration * track.time_base), track.codec_context.channels)
    return media
