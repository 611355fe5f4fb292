"""Files a task produced (video, cover, metadata sidecar): their rows and where they live.

Layout under the media root::

    videos/<yyyy-mm>/<local_id>.mp4        the verified video
    videos/<yyyy-mm>/<local_id>.mp4.part   while downloading (resumed with Range)
    videos/<yyyy-mm>/<local_id>.cover.jpg  the host's cover image
    videos/<yyyy-mm>/<local_id>.cover.<pid>.part  while process <pid> downloads the cover
    videos/<yyyy-mm>/<local_id>.json       the sidecar: every parameter, seed, ids, cost, timings

The month is the task's creation month in local time, so a task's paths never move.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from vidu_desktop.core.mentions import sent_references
from vidu_desktop.core.records import record
from vidu_desktop.core.request import ReferenceImage

from .db import transaction
from .files import atomic_write_bytes, check_no_secrets
from .task_records import TaskRecord

#: 2: ``subjects`` (name, picture hashes, voice id) and ``mentions`` (what the prompt's
#: @mentions became on the wire); a task made before the cast has an empty list and null
SIDECAR_FORMAT = 2


class ArtifactKind(StrEnum):
    VIDEO = "video"
    COVER = "cover"
    SIDECAR = "sidecar"


@record
class Artifact:
    id: int
    local_id: str
    kind: ArtifactKind
    path: Path  # absolute when the store knows the media root
    bytes: int | None
    sha256: str
    verified: bool
    created_at: float


@record
class TaskMedia:
    folder: Path
    video: Path
    part: Path
    cover: Path
    sidecar: Path

    @property
    def cover_part(self) -> Path:
        """Where this process downloads the cover (its id in the name: see ``leftovers``)."""
        return self.cover.with_name(f"{self.cover.name.split('.')[0]}.cover.{os.getpid()}.part")


@record
class MediaLayout:
    root: Path

    def for_task(self, local_id: str, created_at: float, *, cover_ext: str = "jpg") -> TaskMedia:
        if not local_id or any(c in local_id for c in "/\\.") or local_id != local_id.strip():
            raise ValueError(f"not a usable local id for a file name: {local_id!r}")
        month = datetime.fromtimestamp(created_at).strftime("%Y-%m")
        folder = self.root / "videos" / month
        video = folder / f"{local_id}.mp4"
        return TaskMedia(folder=folder, video=video, part=folder / f"{local_id}.mp4.part",
                         cover=folder / f"{local_id}.cover.{cover_ext.lstrip('.')}",
                         sidecar=folder / f"{local_id}.json")

    def for_record(self, record: TaskRecord) -> TaskMedia:
        return self.for_task(record.local_id, record.created_at)


class ArtifactStore:
    """Artifact rows: one per task and kind (recording a kind again replaces it).

    Paths under ``media_root`` are stored relative to it, so the library can move as a whole.
    """

    def __init__(self, conn: sqlite3.Connection, media_root: Path | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._root = media_root
        self._clock = clock

    def record(self, local_id: str, kind: ArtifactKind, path: Path, *, size: int | None = None,
               sha256: str = "", verified: bool = False) -> Artifact:
        with transaction(self._conn) as conn:
            conn.execute(
                """INSERT INTO artifacts (local_id, kind, path, bytes, sha256, verified, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (local_id, kind) DO UPDATE SET path = excluded.path,
                       bytes = excluded.bytes, sha256 = excluded.sha256,
                       verified = excluded.verified, created_at = excluded.created_at""",
                (local_id, ArtifactKind(kind).value, self._to_stored(path), size, sha256,
                 int(verified), self._clock()),
            )
        found = self.get(local_id, kind)
        assert found is not None
        return found

    def mark_verified(self, local_id: str, kind: ArtifactKind = ArtifactKind.VIDEO, *,
                      sha256: str = "", size: int | None = None) -> None:
        with transaction(self._conn) as conn:
            conn.execute(
                """UPDATE artifacts SET verified = 1, sha256 = COALESCE(NULLIF(?, ''), sha256),
                       bytes = COALESCE(?, bytes) WHERE local_id = ? AND kind = ?""",
                (sha256, size, local_id, ArtifactKind(kind).value),
            )

    def get(self, local_id: str, kind: ArtifactKind) -> Artifact | None:
        row = self._conn.execute("SELECT * FROM artifacts WHERE local_id = ? AND kind = ?",
                                 (local_id, ArtifactKind(kind).value)).fetchone()
        return self._from_row(row) if row else None

    def for_task(self, local_id: str) -> list[Artifact]:
        rows = self._conn.execute("SELECT * FROM artifacts WHERE local_id = ? ORDER BY id",
                                  (local_id,))
        return [self._from_row(r) for r in rows]

    def remove(self, local_id: str, kind: ArtifactKind) -> None:
        with transaction(self._conn) as conn:
            conn.execute("DELETE FROM artifacts WHERE local_id = ? AND kind = ?",
                         (local_id, ArtifactKind(kind).value))

    def _to_stored(self, path: Path) -> str:
        if self._root is not None and path.is_absolute():
            try:
                return path.relative_to(self._root).as_posix()
            except ValueError:
                pass
        return str(path)

    def _from_row(self, row: sqlite3.Row) -> Artifact:
        path = Path(row["path"])
        if self._root is not None and not path.is_absolute():
            path = self._root / path
        return Artifact(id=int(row["id"]), local_id=row["local_id"],
                        kind=ArtifactKind(row["kind"]), path=path, bytes=row["bytes"],
                        sha256=row["sha256"], verified=bool(row["verified"]),
                        created_at=float(row["created_at"]))


def write_sidecar(path: Path, data: Mapping[str, Any], *, secrets: Iterable[str] = ()) -> None:
    """Write the metadata sidecar atomically, as UTF-8 JSON.

    Refuses (ValueError, nothing written) data that holds a credential: see
    :func:`vidu_desktop.store.files.check_no_secrets`. Pass the provider's key as ``secrets``
    for an exact check on top of the name rules.
    """
    check_no_secrets(data, secrets)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    atomic_write_bytes(path, (text + "\n").encode("utf-8"))


def sidecar_for(record: TaskRecord, artifacts: Iterable[Artifact] = ()) -> dict[str, Any]:
    """The sidecar content for a task: every parameter, the seed, ids, cost and timings.

    Reference images are listed by label and content hash (and URL when they were sent as
    one), never as inline data; the subjects' pictures too. ``subjects`` and ``mentions``:
    see :func:`cast_sidecar`.
    """
    request = dict(record.request_data)
    request["images"] = _listed(request.get("images", []))
    if "subjects" in request:
        request["subjects"] = [{**s, "images": _listed(s.get("images", []))}
                               for s in request["subjects"] or [] if isinstance(s, dict)]
    return {
        "format": SIDECAR_FORMAT,
        "app": "Vidu Studio",
        "local_id": record.local_id,
        "provider": record.provider,
        "model": record.model,
        "mode": record.mode,
        "remote_id": record.remote_id,
        "client_token": record.client_token,
        "state": record.state.value,
        "prompt": record.prompt,
        "request": request,
        **cast_sidecar(record),
        "seed": {"requested": record.seed, "resolved": record.resolved_seed},
        "cost": {
            "estimated": record.estimated_cost, "estimated_unit": record.estimated_cost_unit,
            "actual": record.actual_cost, "actual_unit": record.actual_cost_unit,
            "credits": record.credits,
        },
        "trace_id": record.trace_id,
        "result_url": record.result_url,
        "cover_url": record.cover_url,
        "times": {name: _iso(getattr(record, name)) for name in (
            "created_at", "submitted_at", "queued_at", "started_at", "result_at",
            "finished_at")},
        "attempts": {"submit": record.submit_attempts, "poll": record.poll_count,
                     "download": record.download_attempts},
        "files": [{"kind": a.kind.value, "name": a.path.name, "bytes": a.bytes,
                   "sha256": a.sha256, "verified": a.verified} for a in artifacts],
    }


def _listed(images: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in image.items()
             if k != "uri" or str(v).startswith(("http://", "https://"))}
            for image in images or [] if isinstance(image, dict)]


def cast_sidecar(record: TaskRecord) -> dict[str, Any]:
    """The cast part of a sidecar: ``subjects`` (each cast member as sent: its name, its
    pictures' content hashes in order, its voice id) and ``mentions``, what the prompt's
    mentions became (``core.mentions.sent_references``): the form, the names mentioned, the
    prompt as the host received it and, in the images form, the picture numbers each name
    became. ``mentions`` is None when the task's model is no longer in the capability table."""
    request = record.request

    def listed(voices: bool) -> list[dict[str, Any]]:
        return [{"name": s.name, "pictures": [_picture(i) for i in s.images],
                 "voice_id": s.voice_id if voices else ""} for s in request.subjects]
    try:
        sent = sent_references(request)
        rules = request.spec.subjects
    except KeyError:  # a model the table no longer has: the form cannot be told
        return {"subjects": listed(True), "mentions": None}
    # a voice goes only to a model that takes voices (see core.validation)
    subjects = listed(sent.form == "subjects" and rules is not None and rules.voice)
    mentions: dict[str, Any] = {"form": sent.form, "mentioned": list(sent.mentioned),
                                "prompt": sent.prompt}
    if sent.form == "images":
        mentions["numbers"] = {name: list(n) for name, n in sent.numbers.items()}
    return {"subjects": subjects, "mentions": mentions}


def _picture(image: ReferenceImage) -> str:
    """A picture in the sidecar: its content hash, else its URL when it was sent as one."""
    return image.sha256 or (image.uri if image.uri.startswith(("http://", "https://")) else "")


def _iso(value: float | None) -> str | None:
    return datetime.fromtimestamp(value).astimezone().isoformat() if value else None
