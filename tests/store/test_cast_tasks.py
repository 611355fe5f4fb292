"""Task rows and sidecars of requests with subjects: the subjects' pictures are kept by hash
(``ref:sha256:``) and rehydrated before sending; the sidecar says which subjects and which
mentions were sent, with no inline picture and no secret."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import make_image

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import ReferenceImage, Subject
from vidu_desktop.core.states import TaskState
from vidu_desktop.store.artifacts import MediaLayout, sidecar_for, write_sidecar
from vidu_desktop.store.references import REF_URI_PREFIX, ReferenceMeta, ReferenceStore
from vidu_desktop.store.tasks import TaskStore

from .conftest import make_request

KEY = "vk-sidecar-secret-0123456789abcdef"


def stored_picture(refs: ReferenceStore, shade: int) -> ReferenceImage:
    data = make_image(300, 200, color=(shade, 90, 30))
    sha = refs.put(data, ReferenceMeta("png", 300, 200, f"p{shade}.png"))
    return ReferenceImage("data:image/png;base64," + base64.b64encode(data).decode(),
                          f"p{shade}.png", sha)


@pytest.fixture
def refs(conn: sqlite3.Connection, tmp_path: Path) -> ReferenceStore:
    return ReferenceStore(conn, tmp_path / "refs")


def test_subjects_pictures_are_kept_by_hash_and_rehydrated(
        conn: sqlite3.Connection, tasks: TaskStore, refs: ReferenceStore) -> None:
    a, b, loose = (stored_picture(refs, s) for s in (10, 20, 30))
    cast_ref = ReferenceImage(REF_URI_PREFIX + a.sha256, "front", a.sha256)  # subject_of's
    request = make_request("@mia meets @leo", images=(loose,), subjects=(
        Subject("mia", (a, b), voice_id="v-1"), Subject("leo", (cast_ref,))), audio=True)
    record = tasks.create(request)
    row = json.loads(conn.execute("SELECT request_json FROM tasks").fetchone()[0])
    assert [i["uri"] for s in row["subjects"] for i in s["images"]] == [
        REF_URI_PREFIX + a.sha256, REF_URI_PREFIX + b.sha256, REF_URI_PREFIX + a.sha256]
    assert row["images"][0]["uri"] == REF_URI_PREFIX + loose.sha256
    assert row["subjects"][0]["voice_id"] == "v-1" and row["audio"] is True
    assert "base64" not in json.dumps(row)

    sent = refs.rehydrate(record.request)
    assert sent.subjects[0] == request.subjects[0]  # the data URIs again, byte for byte
    assert sent.subjects[1].images[0].uri == a.uri and sent.images == request.images
    assert sent.audio is True and sent.prompt == "@mia meets @leo"


def done(tasks: TaskStore, model: str = "viduq1", **values: object) -> object:
    record = tasks.create(make_request(model=model, **values))  # type: ignore[arg-type]
    tasks.set_remote_id(record.local_id, "r-1")
    tasks.transition(record.local_id, TaskState.DOWNLOADING)
    return tasks.transition(record.local_id, TaskState.SUCCEEDED)


def test_the_sidecar_of_a_flattened_task_says_which_numbers_each_name_became(
        tasks: TaskStore, refs: ReferenceStore, tmp_path: Path) -> None:
    a, b, c, loose = (stored_picture(refs, s) for s in (10, 20, 30, 40))
    rec = done(tasks, prompt="@Mia hands @leo a cup; @nobody watches", images=(loose,),
               subjects=(Subject("mia", (a, b), "v-1"), Subject("leo", (c,))))
    data = sidecar_for(rec)  # type: ignore[arg-type]
    assert data["format"] == 2
    assert data["subjects"] == [  # Q1 takes no voice: none was sent
        {"name": "mia", "pictures": [a.sha256, b.sha256], "voice_id": ""},
        {"name": "leo", "pictures": [c.sha256], "voice_id": ""}]
    assert data["mentions"] == {
        "form": "images", "mentioned": ["mia", "leo"],
        "prompt": "Mia (images 1-2) hands leo (image 3) a cup; @nobody watches",
        "numbers": {"mia": [1, 2], "leo": [3]}}
    # the subjects in the request are listed by hash, never inline
    assert [i for s in data["request"]["subjects"] for i in s["images"]] == [
        {"label": "p10.png", "sha256": a.sha256}, {"label": "p20.png", "sha256": b.sha256},
        {"label": "p30.png", "sha256": c.sha256}]
    path = MediaLayout(tmp_path).for_record(rec).sidecar  # type: ignore[arg-type]
    write_sidecar(path, data, secrets=[KEY])
    text = path.read_text("utf-8")
    assert "base64" not in text and "data:" not in text and KEY not in text
    assert json.loads(text)["mentions"]["numbers"] == {"mia": [1, 2], "leo": [3]}


def test_the_sidecar_of_a_task_made_before_the_cast(tasks: TaskStore) -> None:
    data = sidecar_for(done(tasks, prompt="no one is mentioned"))  # type: ignore[arg-type]
    assert data["subjects"] == []
    assert data["mentions"] == {"form": "images", "mentioned": [],
                                "prompt": "no one is mentioned", "numbers": {}}


def test_the_sidecar_of_a_model_the_table_no_longer_has(tasks: TaskStore) -> None:
    rec = tasks.create(make_request(provider=ProviderId.VIDU, model="vidu0.1-retired",
                                    subjects=(Subject("mia", (ReferenceImage(
                                        "https://example.com/m.png", "m", ""),)),)))
    data = sidecar_for(rec)
    assert data["mentions"] is None
    assert data["subjects"] == [{"name": "mia", "pictures": ["https://example.com/m.png"],
                                 "voice_id": ""}]
