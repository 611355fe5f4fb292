"""The engine's verbs over its library: the tasks, their files and history, deletion, the
reference pictures, the outbox, the spend. The UI and the CLI read and change the library
through these, never through the stores themselves (:class:`~.engine.Engine` inherits them)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from vidu_desktop.core.states import TaskState
from vidu_desktop.store import (
    AppPaths,
    Artifact,
    ArtifactKind,
    ArtifactStore,
    MediaLayout,
    Outbox,
    PreparedReference,
    ReferenceMeta,
    ReferenceStore,
    TaskEvent,
    TaskFilter,
    TaskRecord,
    TaskStore,
)


class LibraryVerbs:
    """What the library holds, asked and changed through the engine. The stores are the
    engine's own (set in its ``__init__``)."""

    paths: AppPaths
    tasks: TaskStore
    artifacts: ArtifactStore
    refs: ReferenceStore
    outbox: Outbox
    layout: MediaLayout

    # -- tasks ---------------------------------------------------------------------------------
    def task(self, local_id: str) -> TaskRecord | None:
        """The task as stored now (None: not in the library)."""
        return self.tasks.get(local_id)

    def task_by_remote_id(self, remote_id: str, host: str | None = None) -> TaskRecord | None:
        """The newest task the host knows as ``remote_id``."""
        return self.tasks.by_remote_id(remote_id, host)

    def tasks_page(self, task_filter: TaskFilter | None = None, offset: int = 0,
                   limit: int = 100) -> list[TaskRecord]:
        """Tasks matching the filter, newest first, ``limit`` from ``offset``."""
        return self.tasks.list_tasks(task_filter, limit=limit, offset=offset)

    def count(self, task_filter: TaskFilter | None = None) -> int:
        """How many tasks match the filter."""
        return self.tasks.count(task_filter)

    def tasks_in(self, states: Iterable[TaskState]) -> list[TaskRecord]:
        """The tasks in any of ``states``, oldest first."""
        return self.tasks.in_states(states)

    def history(self, local_id: str) -> list[TaskEvent]:
        """The task's state changes, oldest first."""
        return self.tasks.events(local_id)

    # -- files ---------------------------------------------------------------------------------
    def files(self, local_id: str) -> list[Artifact]:
        """The task's recorded files (video, cover, sidecar), paths absolute."""
        return self.artifacts.for_task(local_id)

    def file(self, local_id: str, kind: ArtifactKind) -> Artifact | None:
        return self.artifacts.get(local_id, kind)

    def media_folder(self, rec: TaskRecord) -> Path:
        """The folder the task's files go to (it may not exist yet)."""
        return self.layout.for_record(rec).folder

    def delete(self, local_id: str, *, remove_files: bool = False) -> list[Path]:
        """Delete the task with its history, file rows and outbox entry; returns the paths of
        its files (absolute). With ``remove_files`` they are deleted too, at once and once;
        the UI deletes them itself, trying again while another program holds one. Stop the
        task first (:meth:`~.engine.Engine.stop_running`) when it may be running."""
        return self.tasks.delete(local_id, remove_files=remove_files,
                                 media_root=self.paths.media_root)

    # -- references ----------------------------------------------------------------------------
    def read_reference(self, sha256: str) -> bytes:
        """A stored reference picture's bytes (StoreError when it is gone)."""
        return self.refs.read(sha256)

    def reference(self, sha256: str) -> PreparedReference | None:
        """A stored reference picture's facts, when its file is still there."""
        found = self.refs.get(sha256)
        return found if found is not None and self.refs.exists(sha256) else None

    def keep_reference(self, data: bytes, meta: ReferenceMeta) -> str:
        """Store a picture (once: stored again it is not rewritten); returns its hash."""
        return self.refs.put(data, meta)

    # -- outbox --------------------------------------------------------------------------------
    def in_outbox(self, local_id: str) -> bool:
        """Whether the task waits in the outbox (made while its host was unreachable)."""
        return local_id in self.outbox

    def outbox_size(self) -> int:
        return len(self.outbox)

    def waiting_in_outbox(self) -> list[TaskRecord]:
        """The tasks waiting in the outbox, in the order they will be sent."""
        records = (self.tasks.get(i) for i in self.outbox.pending())
        return [r for r in records if r is not None]

    # -- money ---------------------------------------------------------------------------------
    def spent_today(self) -> dict[str, float]:
        """What the hosts charged for the tasks finished today, per unit ("credits", "USD")."""
        return self.tasks.spend_today()

    def latest_balances(self) -> dict[str, tuple[float, str]]:
        """The remaining balance each host reported last: host -> (amount, unit)."""
        return self.tasks.latest_balances()
