"""A library written before the cast (schema 3, drafts of format 1, task rows without subjects)
opens in this version unchanged: a real SQLite file made with the previous schema, then opened
by the new code."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.store.cast import CastStore
from vidu_desktop.store.db import open_database, schema_version
from vidu_desktop.store.drafts import DraftReference, DraftStore
from vidu_desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION
from vidu_desktop.store.tasks import TaskStore

PREVIOUS = 3  # the schema before the cast

# What the previous version wrote, byte for byte as its Draft.to_data and
# GenerationRequest.to_dict made them (no "cast", no "subjects", no "audio").
OLD_DRAFT = {
    "format": 1, "provider": "vidu", "model": "viduq1", "mode": "reference2video",
    "prompt": "the man walks into the sea", "parameters": {"duration": 5, "takes": 2},
    "references": [{"sha256": "a" * 64, "label": "the man", "original_name": "man.png"}],
}
OLD_REQUEST = {
    "provider": "vidu", "model": "viduq1", "prompt": "the man walks into the sea",
    "images": [{"uri": "ref:sha256:" + "a" * 64, "label": "the man", "sha256": "a" * 64}],
    "mode": "reference2video", "duration": 5, "resolution": "1080p", "aspect_ratio": "16:9",
    "movement_amplitude": "auto", "seed": 3, "bgm": False, "payload": "", "off_peak": False,
    "watermark": False, "callback_url": "", "extra": {},
}


def old_library(path: Path) -> None:
    """A library file as the previous version left it."""
    conn = open_database(path, migrations=MIGRATIONS[:PREVIOUS])
    try:
        assert schema_version(conn) == PREVIOUS
        conn.execute("INSERT INTO drafts (id, name, data_json, created_at, updated_at, "
                     "opened_at) VALUES ('d1', 'Sea walk', ?, 100, 200, 300)",
                     (json.dumps(OLD_DRAFT, sort_keys=True),))
        conn.execute(
            "INSERT INTO tasks (local_id, provider, model, mode, prompt, request_json, "
            "client_token, state, created_at, updated_at, seed) VALUES ('t' || hex(randomblob("
            "15)), 'vidu', 'viduq1', 'reference2video', ?, ?, 'tok-1', 'succeeded', 100, 200, 3)",
            (OLD_REQUEST["prompt"], json.dumps(OLD_REQUEST)))
        conn.execute("INSERT INTO prepared_references (sha256, format, width, height, bytes, "
                     "original_name, created_at) VALUES (?, 'png', 640, 360, 10, 'man.png', 1)",
                     ("a" * 64,))
    finally:
        conn.close()


def test_a_library_of_the_previous_schema_opens_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    old_library(path)
    before = sqlite3.connect(path)
    try:
        tables = {r[0] for r in before.execute("SELECT name FROM sqlite_master")}
    finally:
        before.close()
    assert "cast_members" not in tables

    conn = open_database(path)  # the new code migrates it
    try:
        assert schema_version(conn) == SCHEMA_VERSION > PREVIOUS  # and the later ones
        assert (tmp_path / f"library.sqlite3.v{PREVIOUS}.bak").is_file()  # kept before

        # the draft of format 1 opens with every field it had, and no cast
        [draft] = DraftStore(conn).list_drafts()
        assert (draft.id, draft.name, draft.created_at, draft.updated_at, draft.opened_at) == (
            "d1", "Sea walk", 100.0, 200.0, 300.0)
        assert (draft.provider, draft.model, draft.prompt, draft.parameters) == (
            "vidu", "viduq1", "the man walks into the sea", {"duration": 5, "takes": 2})
        assert draft.references == (DraftReference("a" * 64, "the man", "man.png"),)
        assert draft.cast == ()
        # reading did not rewrite it
        stored = conn.execute("SELECT data_json FROM drafts").fetchone()[0]
        assert json.loads(stored) == OLD_DRAFT

        # the task row reads back as written; its request has no subjects and no audio
        [task] = TaskStore(conn).list_tasks()
        assert task.request_data == OLD_REQUEST
        request = task.request
        assert request.provider == ProviderId.VIDU and request.subjects == ()
        assert request.audio is False and request.all_images == request.images
        assert request.images[0].sha256 == "a" * 64

        # the cast works in the migrated file, and keeps the old pictures' hashes apart
        mia = CastStore(conn).add("mia", (DraftReference("a" * 64, "the man"),))
        assert DraftStore(conn).referenced_hashes() == {"a" * 64}
        assert CastStore(conn).get(mia.id) == mia
    finally:
        conn.close()

    # and opens again without migrating twice
    again = open_database(path)
    try:
        assert schema_version(again) == SCHEMA_VERSION
        assert [m.name for m in CastStore(again).list_members()] == ["mia"]
    finally:
        again.close()
