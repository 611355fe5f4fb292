"""The schema, as an ordered list of migrations.

``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``; the version lives in
``PRAGMA user_version``. To change the schema, append a migration: never edit one that has shipped.
Each migration is a list of SQL statements, run inside the same transaction that sets the version
(see :func:`vidu_desktop.store.db.migrate`), so a crash mid-migration leaves the old version intact.

Timestamps are seconds since the epoch (UTC, REAL). Text columns that are "unknown" hold ``''``;
identifiers that can be absent (remote id, draft id, group id) hold NULL so they index well.
"""

from __future__ import annotations

from collections.abc import Sequence

from vidu_desktop.core.records import record


@record
class Migration:
    description: str
    statements: Sequence[str]


_V1_TASKS_EVENTS_ARTIFACTS_DRAFTS = Migration(
    "tasks with their state history, artifacts and drafts",
    [
        """
        CREATE TABLE tasks (
            local_id            TEXT PRIMARY KEY,
            provider            TEXT NOT NULL,
            model               TEXT NOT NULL,
            mode                TEXT NOT NULL,
            prompt              TEXT NOT NULL DEFAULT '',
            request_json        TEXT NOT NULL,
            client_token        TEXT NOT NULL UNIQUE,
            state               TEXT NOT NULL,
            remote_id           TEXT,
            remote_state        TEXT NOT NULL DEFAULT '',
            progress            REAL,
            detail              TEXT NOT NULL DEFAULT '',
            draft_id            TEXT,
            group_id            TEXT,
            take_index          INTEGER,
            seed                INTEGER,
            resolved_seed       INTEGER,
            estimated_cost      REAL,
            estimated_cost_unit TEXT NOT NULL DEFAULT '',
            actual_cost         REAL,
            actual_cost_unit    TEXT NOT NULL DEFAULT '',
            credits             REAL,
            balance             REAL,
            balance_unit        TEXT NOT NULL DEFAULT '',
            error_json          TEXT,
            trace_id            TEXT NOT NULL DEFAULT '',
            result_url          TEXT NOT NULL DEFAULT '',
            result_expires_at   REAL,
            cover_url           TEXT NOT NULL DEFAULT '',
            created_at          REAL NOT NULL,
            updated_at          REAL NOT NULL,
            submitted_at        REAL,
            queued_at           REAL,
            started_at          REAL,
            result_at           REAL,
            finished_at         REAL,
            submit_attempts     INTEGER NOT NULL DEFAULT 0,
            poll_count          INTEGER NOT NULL DEFAULT 0,
            download_attempts   INTEGER NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX tasks_created ON tasks (created_at DESC)",
        "CREATE INDEX tasks_state_created ON tasks (state, created_at DESC)",
        "CREATE INDEX tasks_provider_created ON tasks (provider, created_at DESC)",
        "CREATE UNIQUE INDEX tasks_remote ON tasks (remote_id, provider)"
        " WHERE remote_id IS NOT NULL",
        "CREATE INDEX tasks_finished ON tasks (finished_at) WHERE finished_at IS NOT NULL",
        "CREATE INDEX tasks_draft ON tasks (draft_id) WHERE draft_id IS NOT NULL",
        """
        CREATE TABLE task_events (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            local_id    TEXT NOT NULL REFERENCES tasks (local_id) ON DELETE CASCADE,
            at          REAL NOT NULL,
            old_state   TEXT,
            new_state   TEXT NOT NULL,
            detail      TEXT NOT NULL DEFAULT '',
            error_json  TEXT
        )
        """,
        "CREATE INDEX task_events_task ON task_events (local_id, id)",
        """
        CREATE TABLE artifacts (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            local_id    TEXT NOT NULL REFERENCES tasks (local_id) ON DELETE CASCADE,
            kind        TEXT NOT NULL CHECK (kind IN ('video', 'cover', 'sidecar')),
            path        TEXT NOT NULL,
            bytes       INTEGER,
            sha256      TEXT NOT NULL DEFAULT '',
            verified    INTEGER NOT NULL DEFAULT 0,
            created_at  REAL NOT NULL,
            UNIQUE (local_id, kind)
        )
        """,
        """
        CREATE TABLE drafts (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL DEFAULT '',
            data_json   TEXT NOT NULL,
            created_at  REAL NOT NULL,
            updated_at  REAL NOT NULL,
            opened_at   REAL
        )
        """,
        "CREATE INDEX drafts_updated ON drafts (updated_at DESC)",
    ],
)

_V2_REFERENCES_OUTBOX_SETTINGS = Migration(
    "prepared references by content hash, the offline outbox, settings, take groups",
    [
        """
        CREATE TABLE prepared_references (
            sha256          TEXT PRIMARY KEY,
            format          TEXT NOT NULL,
            width           INTEGER NOT NULL,
            height          INTEGER NOT NULL,
            bytes           INTEGER NOT NULL,
            original_name   TEXT NOT NULL DEFAULT '',
            created_at      REAL NOT NULL
        )
        """,
        """
        CREATE TABLE outbox (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            local_id    TEXT NOT NULL UNIQUE REFERENCES tasks (local_id) ON DELETE CASCADE,
            enqueued_at REAL NOT NULL
        )
        """,
        """
        CREATE TABLE settings (
            key         TEXT PRIMARY KEY,
            value_json  TEXT NOT NULL,
            updated_at  REAL NOT NULL
        )
        """,
        "CREATE INDEX tasks_group ON tasks (group_id, take_index) WHERE group_id IS NOT NULL",
    ],
)

_V3_BALANCE_INDEX = Migration(
    "an index for the balance each host reported last (the status bar asks at start-up; "
    "without it the query reads every task: ~15 ms for 10,000)",
    [
        "CREATE INDEX tasks_balance ON tasks (provider, updated_at) WHERE balance IS NOT NULL",
    ],
)

_V4_CAST = Migration(
    "the cast: named subjects with their pictures (by content hash), and which tasks were "
    "made with which member; drafts and task rows are unchanged (a draft without a cast is "
    "format 1, a request without subjects reads as one with none)",
    [
        # name_key: the name as NFC, case-folded (SQLite's NOCASE folds ASCII only)
        """
        CREATE TABLE cast_members (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            name_key    TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            voice_id    TEXT NOT NULL DEFAULT '',
            created_at  REAL NOT NULL,
            updated_at  REAL NOT NULL
        )
        """,
        """
        CREATE TABLE cast_pictures (
            member_id     TEXT NOT NULL REFERENCES cast_members (id) ON DELETE CASCADE,
            position      INTEGER NOT NULL,
            sha256        TEXT NOT NULL,
            label         TEXT NOT NULL DEFAULT '',
            original_name TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (member_id, position)
        )
        """,
        "CREATE INDEX cast_pictures_sha ON cast_pictures (sha256)",
        # member_id names a member of the library holding the cast, which for the sandbox
        # library is the profile's: no foreign key on it
        """
        CREATE TABLE task_cast (
            local_id    TEXT NOT NULL REFERENCES tasks (local_id) ON DELETE CASCADE,
            member_id   TEXT NOT NULL,
            PRIMARY KEY (local_id, member_id)
        )
        """,
        "CREATE INDEX task_cast_member ON task_cast (member_id)",
    ],
)

_V5_BOARDS = Migration(
    "the storyboard: boards of ordered shots (plans, kept with the drafts and the cast), which "
    "task is a take of which shot, and a mark on each task (starred or rejected); task rows "
    "of before have no mark",
    [
        "ALTER TABLE tasks ADD COLUMN mark TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE tasks ADD COLUMN marked_at REAL",
        "CREATE INDEX tasks_mark ON tasks (mark, created_at DESC) WHERE mark != ''",
        # name_key: the name as NFC, case-folded (as the cast's); parameters_json: the
        # defaults of its shots, as drafts keep them
        """
        CREATE TABLE boards (
            id              TEXT PRIMARY KEY,
            name            TEXT NOT NULL,
            name_key        TEXT NOT NULL UNIQUE,
            provider        TEXT NOT NULL,
            model           TEXT NOT NULL,
            parameters_json TEXT NOT NULL DEFAULT '{}',
            created_at      REAL NOT NULL,
            updated_at      REAL NOT NULL
        )
        """,
        # references_json: DraftReference entries (by hash); cast_json: cast member ids;
        # parameters_json: the shot's own values over the board's
        """
        CREATE TABLE shots (
            id              TEXT PRIMARY KEY,
            board_id        TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
            position        INTEGER NOT NULL,
            prompt          TEXT NOT NULL DEFAULT '',
            references_json TEXT NOT NULL DEFAULT '[]',
            cast_json       TEXT NOT NULL DEFAULT '[]',
            parameters_json TEXT NOT NULL DEFAULT '{}',
            created_at      REAL NOT NULL,
            updated_at      REAL NOT NULL
        )
        """,
        "CREATE INDEX shots_board ON shots (board_id, position)",
        # shot_id names a shot of the library holding the boards, which for the sandbox
        # library is the profile's: no foreign key on it; recipe: what the take was made
        # from (a hash), to tell when the shot changed since
        """
        CREATE TABLE shot_takes (
            local_id    TEXT PRIMARY KEY REFERENCES tasks (local_id) ON DELETE CASCADE,
            shot_id     TEXT NOT NULL,
            recipe      TEXT NOT NULL DEFAULT '',
            created_at  REAL NOT NULL
        )
        """,
        "CREATE INDEX shot_takes_shot ON shot_takes (shot_id, created_at)",
    ],
)

#: Every migration, oldest first. The schema version of a fresh database is ``len(MIGRATIONS)``.
MIGRATIONS: tuple[Migration, ...] = (
    _V1_TASKS_EVENTS_ARTIFACTS_DRAFTS,
    _V2_REFERENCES_OUTBOX_SETTINGS,
    _V3_BALANCE_INDEX,
    _V4_CAST,
    _V5_BOARDS,
)

SCHEMA_VERSION = len(MIGRATIONS)
