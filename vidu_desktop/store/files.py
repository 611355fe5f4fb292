"""Files written by the store: atomic writes, and a guard that keeps secrets out of them."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

#: Names that are allowed although they look like a secret's name. ``client_token`` is the
#: random id the app sends in Vidu's ``payload`` to find a task again; it grants nothing.
ALLOWED_KEY_NAMES = frozenset({"client_token"})

#: A key whose normalised name contains one of these is refused.
FORBIDDEN_KEY_PARTS = ("api_key", "apikey", "authorization", "token", "secret", "password",
                       "passwd", "credential", "bearer", "cookie")
#: A key whose normalised name is one of these is refused.
FORBIDDEN_KEY_NAMES = frozenset({"key", "auth", "x_api_key"})

_AUTH_VALUE = re.compile(r"^\s*(bearer|token|basic)\s+\S{8,}", re.IGNORECASE)


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-.]+", "_", name.strip().lower())


def is_secret_name(name: str) -> bool:
    norm = _normalise(name)
    if norm in ALLOWED_KEY_NAMES:
        return False
    return norm in FORBIDDEN_KEY_NAMES or any(part in norm for part in FORBIDDEN_KEY_PARTS)


def check_no_secrets(data: object, secrets: Iterable[str] = ()) -> None:
    """Raise ValueError if ``data`` holds anything that looks like a credential, at any depth.

    Refused: keys named like a secret (see :data:`FORBIDDEN_KEY_PARTS`, except
    :data:`ALLOWED_KEY_NAMES`), string values that look like an Authorization header, and any
    of the given ``secrets`` appearing anywhere. The message names the place, never the value.
    """
    known = [s for s in secrets if s]
    _check(data, "$", known)


def _check(data: object, where: str, known: list[str]) -> None:
    if isinstance(data, Mapping):
        for key, value in data.items():
            name = str(key)
            if is_secret_name(name):
                raise ValueError(f"refusing to write {where}.{name}: the name looks like a secret")
            _check_text(name, f"{where} (a key)", known)
            _check(value, f"{where}.{name}", known)
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            _check(value, f"{where}[{i}]", known)
    elif isinstance(data, str):
        _check_text(data, where, known)


def _check_text(text: str, where: str, known: list[str]) -> None:
    if _AUTH_VALUE.match(text):
        raise ValueError(f"refusing to write {where}: it looks like an Authorization header")
    if any(secret in text for secret in known):
        raise ValueError(f"refusing to write {where}: it contains an API key")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part.

    The bytes go to a temporary file in the same folder, are flushed to disk, then renamed over
    the target; on failure the temporary file is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # the writer's process id in the name: a later run removes what a killed writer left
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp",
                                    dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        replace_retrying(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


#: waits between tries of a rename that Windows refuses for a moment (seconds, ~1 s in all)
REPLACE_WAITS = (0.05, 0.1, 0.25, 0.6)


def replace_retrying(src: Path, dst: Path, waits: Iterable[float] = REPLACE_WAITS) -> None:
    """``os.replace``, tried again a few times when it raises ``PermissionError``: on Windows a
    file just written is often held open for a moment by a virus scanner or the search
    indexer, and a target open in another program cannot be replaced. The last error is
    raised. (POSIX renames do not fail that way; there it succeeds or fails at once.)"""
    for wait in (*waits, None):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if wait is None:
                raise
            time.sleep(wait)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open a folder and does not need it."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
