"""New random ids for rows and files."""

from __future__ import annotations


def new_id() -> str:
    """A new random id: a version-4 UUID's 32 hex digits."""
    import uuid  # (with platform's: not needed to start the app)

    return uuid.uuid4().hex
