"""Artifacts, the media layout, atomic sidecars and the guard that keeps keys out of them."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from vidu_desktop.core.request import ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.store.artifacts import (
    ArtifactKind,
    ArtifactStore,
    MediaLayout,
    sidecar_for,
    write_sidecar,
)
from vidu_desktop.store.files import ALLOWED_KEY_NAMES, atomic_write_bytes, check_no_secrets
from vidu_desktop.store.tasks import TaskStore

from .conftest import FakeClock, make_request

KEY = "vda_live_4f1c2b9e8d7a6f5e4d3c2b1a"


def test_media_layout_by_month_of_creation(tmp_path: Path) -> None:
    created = datetime(2025, 3, 9, 14, 30).timestamp()
    media = MediaLayout(tmp_path).for_task("abc123", created)
    folder = tmp_path / "videos" / "2025-03"
    assert media.folder == folder
    assert media.video == folder / "abc123.mp4"
    assert media.part == folder / "abc123.mp4.part"
    assert media.cover == folder / "abc123.cover.jpg"
    assert media.sidecar == folder / "abc123.json"
    assert MediaLayout(tmp_path).for_task("abc123", created, cover_ext=".webp").cover.suffix \
        == ".webp"
    for bad in ("", "../x", "a/b", "a.b"):
        with pytest.raises(ValueError):
            MediaLayout(tmp_path).for_task(bad, created)


def test_artifacts_are_recorded_relative_to_the_media_root(
        conn: sqlite3.Connection, tasks: TaskStore, tmp_path: Path, clock: FakeClock) -> None:
    record = tasks.create(make_request())
    media = MediaLayout(tmp_path / "media").for_record(record)
    store = ArtifactStore(conn, tmp_path / "media", clock=clock)
    store.record(record.local_id, ArtifactKind.VIDEO, media.video, size=10)
    store.mark_verified(record.local_id, sha256="ab" * 32, size=12)
    video = store.get(record.local_id, ArtifactKind.VIDEO)
    assert video is not None
    assert (video.path, video.bytes, video.sha256, video.verified) == (
        media.video, 12, "ab" * 32, True)
    stored = conn.execute("SELECT path FROM artifacts").fetchone()[0]
    assert not Path(stored).is_absolute() and stored.startswith("videos/")
    # a library opened from elsewhere finds the same files under its own root
    moved = ArtifactStore(conn, tmp_path / "moved")
    assert moved.for_task(record.local_id)[0].path == tmp_path / "moved" / stored
    # recording a kind again replaces it
    store.record(record.local_id, ArtifactKind.VIDEO, media.video, size=99)
    store.record(record.local_id, ArtifactKind.SIDECAR, media.sidecar)
    assert [(a.kind, a.bytes, a.verified) for a in store.for_task(record.local_id)] == [
        (ArtifactKind.VIDEO, 99, False), (ArtifactKind.SIDECAR, None, False)]
    store.remove(record.local_id, ArtifactKind.SIDECAR)
    assert store.get(record.local_id, ArtifactKind.SIDECAR) is None


@pytest.mark.parametrize("data", [
    {"api_key": KEY},
    {"request": {"headers": {"Authorization": "Token abc"}}},
    {"x": [{"ok": 1}, {"X-API-Key": "k"}]},
    {"provider": {"apiKey": "k"}},
    {"token": "t"},
    {"access_token": "t"},
    {"secret": "s"},
    {"key": "k"},
    {"note": "Bearer abcdefghijklmnop"},
    {"deep": [[{"prompt": f"my key is {KEY}"}]]},
])
def test_sidecar_guard_refuses_secrets(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "s.json"
    with pytest.raises(ValueError) as info:
        write_sidecar(path, data, secrets=[KEY])
    assert KEY not in str(info.value)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_sidecar_allows_the_client_token_and_writes_atomically(tmp_path: Path) -> None:
    assert {"client_token"} == ALLOWED_KEY_NAMES
    path = tmp_path / "videos" / "x.json"
    write_sidecar(path, {"client_token": "c0ffee", "prompt": "ünïcode ✓", "seed": 7})
    write_sidecar(path, {"client_token": "c0ffee", "prompt": "second", "seed": 8})
    assert json.loads(path.read_text("utf-8"))["prompt"] == "second"
    assert [p.name for p in path.parent.iterdir()] == ["x.json"]


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.bin"
    atomic_write_bytes(path, b"old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_bytes(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_sidecar_for_a_task_has_every_parameter_and_no_inline_images(
        conn: sqlite3.Connection, tasks: TaskStore, tmp_path: Path) -> None:
    request = make_request(seed=5, duration=5, resolution="1080p", aspect_ratio="9:16", images=(
        ReferenceImage("data:image/png;base64,AAAA", "inline", "a" * 64),
        ReferenceImage("https://example.com/b.png", "linked")))
    record = tasks.create(request)
    tasks.set_remote_id(record.local_id, "r-1")
    tasks.set_result(record.local_id, url="https://cdn/x.mp4", resolved_seed=5)
    tasks.set_cost(record.local_id, 8, "credits")
    tasks.transition(record.local_id, TaskState.DOWNLOADING)
    done = tasks.transition(record.local_id, TaskState.SUCCEEDED)
    media = MediaLayout(tmp_path).for_record(done)
    artifacts = ArtifactStore(conn, tmp_path)
    artifacts.record(done.local_id, ArtifactKind.VIDEO, media.video, size=3, verified=True)
    data = sidecar_for(done, artifacts.for_task(done.local_id))
    write_sidecar(media.sidecar, data, secrets=[KEY])
    loaded = json.loads(media.sidecar.read_text("utf-8"))
    assert loaded["remote_id"] == "r-1" and loaded["local_id"] == done.local_id
    assert loaded["request"]["aspect_ratio"] == "9:16"
    assert loaded["seed"] == {"requested": 5, "resolved": 5}
    assert loaded["cost"]["actual"] == 8 and loaded["cost"]["estimated_unit"] == "credits"
    assert loaded["times"]["finished_at"] is not None
    assert loaded["files"] == [{"kind": "video", "name": media.video.name, "bytes": 3,
                                "sha256": "", "verified": True}]
    assert loaded["request"]["images"] == [
        {"label": "inline", "sha256": "a" * 64},
        {"uri": "https://example.com/b.png", "label": "linked", "sha256": ""}]
    assert "base64" not in media.sidecar.read_text("utf-8")


def test_check_no_secrets_accepts_ordinary_data() -> None:
    check_no_secrets({"prompt": "a token of love", "credits": 8, "keyframes": [1, 2],
                      "client_token": "abc", "monkey": "ok"}, secrets=["", KEY])
