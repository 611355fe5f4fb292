"""The store: SQLite (tasks, events, artifacts, drafts, the cast, the boards and their
takes, references, outbox, settings), media files, and API keys through keyring. Imports core,
stdlib and keyring only; never Qt.

Importing the package is cheap: each name loads its module on first use (the window's first
paint needs the drafts, settings and references, not the library's tasks, artifacts and
boards).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.lazy import lazy_exports

if TYPE_CHECKING:
    from .artifacts import (
        Artifact,
        ArtifactKind,
        ArtifactStore,
        MediaLayout,
        TaskMedia,
        sidecar_for,
        write_sidecar,
    )
    from .boards import Board, BoardStore, BoardSummary, Shot
    from .cast import MAX_PICTURES, CastMember, CastStore, CastUsage
    from .db import migrate, open_database, schema_version, transaction
    from .drafts import Draft, DraftReference, DraftStore
    from .errors import DatabaseTooNewError, StoreError, TaskNotFoundError
    from .files import atomic_write_bytes, check_no_secrets, replace_retrying
    from .leftovers import library_facts, read_library_facts, sweep
    from .migrations import MIGRATIONS, SCHEMA_VERSION, Migration
    from .outbox import Outbox
    from .paths import AppPaths
    from .references import PreparedReference, ReferenceMeta, ReferenceStore
    from .secrets import NO_KEYCHAIN_WARNING, BackendStatus, KeySource, SecretStore
    from .settings import Settings
    from .takes import TakeLink, TakeStore
    from .task_records import TaskEvent, TaskFilter, TaskRecord
    from .tasks import RESUMABLE, TaskStore

_WHERE = {
    "Artifact": "artifacts", "ArtifactKind": "artifacts", "ArtifactStore": "artifacts",
    "MediaLayout": "artifacts", "TaskMedia": "artifacts", "sidecar_for": "artifacts",
    "write_sidecar": "artifacts",
    "Board": "boards", "BoardStore": "boards", "BoardSummary": "boards", "Shot": "boards",
    "MAX_PICTURES": "cast", "CastMember": "cast", "CastStore": "cast", "CastUsage": "cast",
    "migrate": "db", "open_database": "db", "schema_version": "db", "transaction": "db",
    "Draft": "drafts", "DraftReference": "drafts", "DraftStore": "drafts",
    "DatabaseTooNewError": "errors", "StoreError": "errors", "TaskNotFoundError": "errors",
    "atomic_write_bytes": "files", "check_no_secrets": "files", "replace_retrying": "files",
    "library_facts": "leftovers", "read_library_facts": "leftovers", "sweep": "leftovers",
    "MIGRATIONS": "migrations", "SCHEMA_VERSION": "migrations", "Migration": "migrations",
    "Outbox": "outbox",
    "AppPaths": "paths",
    "PreparedReference": "references", "ReferenceMeta": "references",
    "ReferenceStore": "references",
    "NO_KEYCHAIN_WARNING": "secrets", "BackendStatus": "secrets", "KeySource": "secrets",
    "SecretStore": "secrets",
    "Settings": "settings",
    "TakeLink": "takes", "TakeStore": "takes",
    "TaskEvent": "task_records", "TaskFilter": "task_records", "TaskRecord": "task_records",
    "RESUMABLE": "tasks", "TaskStore": "tasks",
}

__all__ = [
    "MAX_PICTURES", "MIGRATIONS", "NO_KEYCHAIN_WARNING", "RESUMABLE", "SCHEMA_VERSION",
    "AppPaths", "Artifact", "ArtifactKind", "ArtifactStore", "BackendStatus", "Board",
    "BoardStore", "BoardSummary", "CastMember",
    "CastStore", "CastUsage", "DatabaseTooNewError", "Draft", "DraftReference", "DraftStore",
    "KeySource", "MediaLayout", "Migration", "Outbox", "PreparedReference", "ReferenceMeta",
    "ReferenceStore", "SecretStore", "Settings", "Shot", "StoreError", "TakeLink", "TakeStore",
    "TaskEvent", "TaskFilter",
    "TaskMedia", "TaskNotFoundError", "TaskRecord", "TaskStore", "atomic_write_bytes",
    "check_no_secrets", "library_facts", "migrate", "open_database", "read_library_facts",
    "replace_retrying", "schema_version", "sidecar_for", "sweep", "transaction", "write_sidecar",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
