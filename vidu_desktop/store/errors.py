"""Errors raised by the store. Each says what happened in words a user can act on."""

from __future__ import annotations

from vidu_desktop.core.errors import AppError, ErrorKind, Promise


class StoreError(Exception):
    """A problem with the local data: the database, the media folder or the keychain."""


class DatabaseTooNewError(StoreError):
    """The database was written by a newer version of the app; this version must not touch it."""

    def __init__(self, path: str, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"The library at {path} was written by a newer version of Vidu Studio "
            f"(data version {found}; this app understands up to version {supported}). "
            "This app is older than the data: update Vidu Studio to open it. "
            "Nothing was changed."
        )


def board_error(message: str, hint: str) -> AppError:
    """A refused board or shot change: the user changes the value named in ``message``."""
    return AppError(ErrorKind.INVALID_PARAMETER, message, hint, retryable=False,
                    promise=Promise.FIX_INPUT)


class TaskNotFoundError(StoreError, KeyError):
    """No task with this local id."""

    def __init__(self, local_id: str) -> None:
        self.local_id = local_id
        super().__init__(f"no task with local id {local_id!r}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])
