"""Removing a task's files when another program may have one open: the engine's
(``engine/file_removal.py``), which deletes the rejected takes the same way."""

from __future__ import annotations

from vidu_desktop.engine.file_removal import (
    RETRY_WAITS,
    Unlink,
    left_message,
    remove_files,
    try_remove,
    unlink,
    with_parts,
)

__all__ = ["RETRY_WAITS", "Unlink", "left_message", "remove_files", "try_remove", "unlink",
           "with_parts"]
