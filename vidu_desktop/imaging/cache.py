"""Prepared pictures by content hash and options: a re-submission does no work twice.

In memory (LRU, bounded by entries and bytes) and optionally in a directory that survives
restarts (``<key>.json`` metadata written last, next to ``<key>.img`` and ``<key>.thumb``).
A result is reused under a new byte budget when it fits that budget and was not squeezed for a
larger one, so adding an image to the tray redoes only pictures that no longer fit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from .errors import OriginalInfo
from .result import PreparedImage

_FORMAT = 1


def usable(result: PreparedImage, budget: int) -> bool:
    """Would preparing again under ``budget`` give this same result?"""
    if result.data_uri_length > budget:
        return False
    return not result.fitted or budget <= result.budget


class PrepareCache:
    def __init__(self, directory: str | os.PathLike[str] | None = None, *,
                 max_entries: int = 256, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, PreparedImage] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._memory)

    def get(self, key: str, budget: int) -> PreparedImage | None:
        with self._lock:
            result = self._memory.get(key)
            if result is not None:
                self._memory.move_to_end(key)
        if result is None and self.directory is not None:
            result = self._read(key)
            if result is not None:
                self._remember(key, result)
        found = result is not None and usable(result, budget)
        with self._lock:
            if found:
                self.hits += 1
            else:
                self.misses += 1
        return result if found else None

    def put(self, key: str, result: PreparedImage) -> None:
        result = replace(result, from_cache=False)
        self._remember(key, result)
        if self.directory is not None:
            with contextlib.suppress(OSError):  # a full or read-only disk only costs speed
                self._write(key, result)

    def clear(self) -> None:
        with self._lock:
            self._memory.clear()
            self._bytes = 0

    def _remember(self, key: str, result: PreparedImage) -> None:
        weight = len(result.data) + len(result.thumbnail)
        with self._lock:
            old = self._memory.pop(key, None)
            if old is not None:
                self._bytes -= len(old.data) + len(old.thumbnail)
            self._memory[key] = result
            self._bytes += weight
            while self._memory and (len(self._memory) > self.max_entries
                                    or self._bytes > self.max_bytes):
                _, dropped = self._memory.popitem(last=False)
                self._bytes -= len(dropped.data) + len(dropped.thumbnail)

    def _paths(self, key: str) -> tuple[Path, Path, Path]:
        assert self.directory is not None
        base = self.directory / key[:2] / key
        return (base.with_suffix(".json"), base.with_suffix(".img"),
                base.with_suffix(".thumb"))

    def _write(self, key: str, result: PreparedImage) -> None:
        meta_path, data_path, thumb_path = self._paths(key)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta = asdict(result)
        for name in ("data", "thumbnail", "from_cache", "name"):
            meta.pop(name)
        meta["cache_format"] = _FORMAT
        _atomic_write(data_path, result.data)
        _atomic_write(thumb_path, result.thumbnail)
        _atomic_write(meta_path, json.dumps(meta).encode())  # last: marks the entry complete

    def _read(self, key: str) -> PreparedImage | None:
        meta_path, data_path, thumb_path = self._paths(key)
        try:
            meta: dict[str, Any] = json.loads(meta_path.read_bytes())
            if meta.pop("cache_format", None) != _FORMAT:
                return None
            data = data_path.read_bytes()
            thumb = thumb_path.read_bytes()
            if hashlib.sha256(data).hexdigest() != meta["sha256"]:
                raise ValueError("cached bytes do not match their hash")
            return PreparedImage(
                name="", data=data, thumbnail=thumb,
                original=OriginalInfo(**meta.pop("original")),
                fixes=tuple(meta.pop("fixes")), notes=tuple(meta.pop("notes")),
                thumbnail_size=tuple(meta.pop("thumbnail_size")), **meta)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            for path in (meta_path, data_path, thumb_path):  # damaged: forget it
                with contextlib.suppress(OSError):
                    path.unlink()
            return None


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
