"""The key is written nowhere by ``vidu-cli``: not the library, sidecars, logs or output."""

from __future__ import annotations

from pathlib import Path

import httpx

from vidu_desktop.emulator.server import EmulatorServer

from .helpers import Cli

SECRET = "sk-e2e-0d1e2f3a4b5c6d7e8f9a"  # distinctive, so any leak is found by a byte search


def test_the_key_appears_in_no_file_and_no_output(cli: Cli, emulator: EmulatorServer,
                                                  image: Path) -> None:
    httpx.post(f"{emulator.url}/_emulator/keys", json={"key": SECRET, "balance": 100})
    outputs = []
    for host in ("vidu", "segmind"):
        done = cli.run("-v", "generate", "--host", host, "-i", str(image), "-p", "a heron",
                       "--wait", env={"VIDU_API_KEY": SECRET, "SEGMIND_API_KEY": SECRET})
        assert done.returncode == 0, done.stderr
        outputs += [done.stdout, done.stderr]
    refused = cli.run("-v", "generate", "--host", "vidu", "-i", str(image), "-p", "a heron",
                      "--wait", env={"VIDU_API_KEY": SECRET + "-wrong"})
    assert refused.returncode == 3, refused.stderr
    outputs += [refused.stdout, refused.stderr]
    assert not any(SECRET in text for text in outputs)
    files = [p for p in cli.profile.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files) and any(p.suffix == ".json" for p in files)
    leaked = [p for p in files if SECRET.encode() in p.read_bytes()]
    assert leaked == []
