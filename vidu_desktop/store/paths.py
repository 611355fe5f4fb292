"""Where a profile keeps its files. The app shell picks the folder (QStandardPaths); the store
only takes it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "library.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    profile_dir: Path
    #: where videos go; defaults to ``<profile>/media`` (the user may choose another folder)
    media_override: Path | None = None

    @property
    def database(self) -> Path:
        return self.profile_dir / DATABASE_NAME

    @property
    def media_root(self) -> Path:
        return self.media_override or self.profile_dir / "media"

    @property
    def refs_dir(self) -> Path:
        return self.profile_dir / "refs"

    @property
    def cache_dir(self) -> Path:
        return self.profile_dir / "cache"

    @property
    def logs_dir(self) -> Path:
        return self.profile_dir / "logs"

    def ensure(self) -> AppPaths:
        """Create every folder that does not exist yet; return self."""
        for folder in (self.profile_dir, self.media_root, self.refs_dir, self.cache_dir,
                       self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self
