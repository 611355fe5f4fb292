"""Where ``vidu-cli`` keeps things: the profile folder, its log, the remembered addresses."""

from __future__ import annotations

import logging
import logging.handlers
from urllib.parse import urlsplit

from vidu_desktop.store import AppPaths

from .cli_parser import HOSTS


def setup_logging(paths: AppPaths, verbose: int) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.logs_dir / "cli.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(fmt)
    root.addHandler(handler)
    if verbose:
        console = logging.StreamHandler()
        console.setFormatter(fmt)
        root.addHandler(console)
    for noisy in ("httpx", "httpcore", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose < 2 else logging.DEBUG)


def base_urls(profile: AppPaths, given: list[str]) -> dict[str, str]:
    """Remember ``--base-url HOST=URL`` in the profile's settings; all remembered ones."""
    from vidu_desktop.store import Settings, open_database

    conn = open_database(profile.database)
    try:
        stored = Settings(conn)
        for item in given:
            host, sep, url = item.partition("=")
            if not sep or host not in HOSTS:
                raise ValueError(f"--base-url wants HOST=URL with HOST one of "
                                 f"{', '.join(HOSTS)}; got {item!r}")
            if not url:
                stored.delete(f"base_url.{host}")
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"--base-url {host}: {url!r} is not an http(s) address")
            stored.set(f"base_url.{host}", url.rstrip("/"))
        return {h: str(u) for h in HOSTS if (u := stored.get(f"base_url.{h}"))}
    finally:
        conn.close()
