"""The store: SQLite (tasks, events, artifacts, drafts, the cast, the boards and their
takes, references, outbox, settings), media files, and API keys through keyring. Imports core,
stdlib and keyring only; never Qt."""

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
from .leftovers import library_facts, sweep
from .migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from .outbox import Outbox
from .paths import AppPaths
from .references import PreparedReference, ReferenceMeta, ReferenceStore
from .secrets import NO_KEYCHAIN_WARNING, BackendStatus, KeySource, SecretStore
from .settings import Settings
from .takes import TakeLink, TakeStore
from .task_records import TaskEvent, TaskFilter, TaskRecord
from .tasks import RESUMABLE, TaskStore

__all__ = [
    "MAX_PICTURES", "MIGRATIONS", "NO_KEYCHAIN_WARNING", "RESUMABLE", "SCHEMA_VERSION",
    "AppPaths", "Artifact", "ArtifactKind", "ArtifactStore", "BackendStatus", "Board",
    "BoardStore", "BoardSummary", "CastMember",
    "CastStore", "CastUsage", "DatabaseTooNewError", "Draft", "DraftReference", "DraftStore",
    "KeySource", "MediaLayout", "Migration", "Outbox", "PreparedReference", "ReferenceMeta",
    "ReferenceStore", "SecretStore", "Settings", "Shot", "StoreError", "TakeLink", "TakeStore",
    "TaskEvent", "TaskFilter",
    "TaskMedia", "TaskNotFoundError", "TaskRecord", "TaskStore", "atomic_write_bytes",
    "check_no_secrets", "library_facts", "migrate", "open_database", "replace_retrying",
    "schema_version", "sidecar_for", "sweep", "transaction", "write_sidecar",
]
