"""Key-value settings (timeouts, base URL overrides, window state), stored as JSON.

Never a secret: keys named like one are refused (API keys belong to :mod:`.secrets`).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from .db import transaction
from .files import check_no_secrets


class Settings:
    def __init__(self, conn: sqlite3.Connection, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock

    def get(self, key: str, default: Any = None) -> Any:
        row = self._conn.execute("SELECT value_json FROM settings WHERE key = ?",
                                 (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value. Raises ValueError for anything secret-looking."""
        check_no_secrets({key: value})
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        with transaction(self._conn) as conn:
            conn.execute(
                """INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json,
                       updated_at = excluded.updated_at""",
                (key, text, self._clock()),
            )

    def delete(self, key: str) -> None:
        with transaction(self._conn) as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    def all(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in
                self._conn.execute("SELECT key, value_json FROM settings ORDER BY key")}
