"""Where a profile keeps its files, and the default profile folder both shells use."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from vidu_desktop.core.records import record

DATABASE_NAME = "library.sqlite3"
APP_FOLDER = "Vidu Studio"


def default_profile_dir() -> Path:
    """``VIDU_DESKTOP_HOME``, else the system's per-user data folder (what Qt's
    ``AppDataLocation`` gives for the app name): ``vidu-desktop`` and ``vidu-cli`` both call
    this, so they always open the same library."""
    env = os.environ.get("VIDU_DESKTOP_HOME")
    if env:
        return Path(env)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / APP_FOLDER
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_FOLDER


@record
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
