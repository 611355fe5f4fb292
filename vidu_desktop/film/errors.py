"""The export's failures as the app's errors (``core.errors.AppError``): what is wrong with
which shot or file, and what to do about it."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import AppError, ErrorKind, Promise


def input_problem(message: str, hint: str) -> AppError:
    """Something about the cut itself (a missing or unreadable take): the user changes it."""
    return AppError(ErrorKind.LOCAL, message=message, hint=hint, promise=Promise.FIX_INPUT)


def setup_problem(message: str, hint: str) -> AppError:
    """Something about the machine (the disk, a package that is not installed)."""
    return AppError(ErrorKind.LOCAL, message=message, hint=hint, promise=Promise.FIX_SETUP)


def cancelled(what: str) -> AppError:
    """The user stopped the export; nothing was left behind."""
    return AppError(ErrorKind.CANCELLED, message=f"The {what} export was cancelled; no file "
                    "was written.", hint="Export again to make the file.",
                    promise=Promise.NONE)


def write_failed(dest: Path, exc: OSError) -> AppError:
    """Writing ``dest`` failed (disk full, no permission, a folder that went away)."""
    reason = exc.strerror or str(exc)
    return setup_problem(f"Could not write {dest.name} in {dest.parent}: {reason}.",
                         "Choose another folder, or free some space, and export again.")
