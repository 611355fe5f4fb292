"""The ``pad`` task action: a task whose result video is grown to a given size (a trailing MP4
``free`` box), still a playable MP4, for big-download tests and benches."""

from __future__ import annotations

import io
from collections.abc import Callable

import av
import httpx
from conftest import wait_for

from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.faults import parse_fault
from vidu_desktop.emulator.server import EmulatorServer

SIZE = 3_000_000
AUTH = {"Authorization": f"Token {DEMO_KEY}"}


def run_task(emu: EmulatorServer, image: str) -> str:
    """Submit a Vidu reference2video task, wait for it; its result URL."""
    body = {"model": "viduq1", "images": [image], "prompt": "a fox in snow",
            "seed": 7}  # one seed: the same video every time
    answer = httpx.post(f"{emu.url}/ent/v2/reference2video", json=body, headers=AUTH,
                        timeout=30)
    assert answer.status_code == 200, answer.text
    task_id = answer.json()["task_id"]

    def done() -> dict[str, str] | None:
        got = httpx.get(f"{emu.url}/ent/v2/tasks/{task_id}/creations", headers=AUTH).json()
        return got if got["state"] in ("success", "failed") else None

    result = wait_for(done)
    assert result["state"] == "success", result
    return str(result["creations"][0]["url"])


def test_pad_grows_one_result_to_the_size_and_it_still_plays(
        emulator: EmulatorServer, image_uri: Callable[..., str]) -> None:
    assert parse_fault(f"action=pad,size_bytes={SIZE}").route == "task"
    rule = {"action": "pad", "provider": "vidu", "size_bytes": SIZE, "times": 1}
    assert httpx.post(f"{emulator.url}/_emulator/faults", json=rule).status_code == 200
    big_url = run_task(emulator, image_uri())
    big = httpx.get(big_url, timeout=30)
    normal = httpx.get(run_task(emulator, image_uri()), timeout=30)  # the rule fired once
    assert big.status_code == normal.status_code == 200
    assert len(big.content) == SIZE > 10 * len(normal.content)
    assert big.content.startswith(normal.content)  # the same video, then the free box
    assert big.content[len(normal.content) + 4:len(normal.content) + 8] == b"free"
    with av.open(io.BytesIO(big.content)) as container:
        assert next(container.decode(container.streams.video[0]), None) is not None
    tail = httpx.get(big_url, headers={"Range": f"bytes={SIZE - 8}-"})
    assert tail.status_code == 206 and tail.content == bytes(8)
