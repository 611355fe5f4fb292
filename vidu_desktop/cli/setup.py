"""Where ``vidu-cli`` keeps things: its log (through :mod:`vidu_desktop.logs`, so every known
key is redacted) and the remembered host addresses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.logs import LogSetup, Redactor
from vidu_desktop.logs import setup_logging as setup_log_files
from vidu_desktop.store import AppPaths, SecretStore

from .parser import HOSTS

LOG_FILE = "cli.log"
#: the libraries' own records at -vv; with less they log warnings only
NOISY = ("httpx", "httpcore", "PIL")


KeyLookup = Callable[[ProviderId], str | None]


def setup_logging(paths: AppPaths, verbose: int, secrets: SecretStore) -> LogSetup:
    """``<profile>/logs/cli.log`` (rotating), on stderr too with ``-v`` (``-vv``: debug); in
    every record the environment's keys and the demo key are replaced by ``***``, and so is
    each key the engine reads from the keychain (:func:`redacted_keys`): the keychain is not
    read for the log's sake."""
    from vidu_desktop.emulator.config import DEMO_KEY

    def keys() -> list[str]:
        return [k for k in (secrets.from_env(pid) for pid in ProviderId) if k]

    level = "debug" if verbose > 1 else "info"
    setup = setup_log_files(paths.logs_dir, level, keys=keys, extra_keys=[DEMO_KEY],
                            console=verbose > 0, file_name=LOG_FILE, console_level=level)
    if verbose > 1:
        for noisy in NOISY:
            logging.getLogger(noisy).setLevel(logging.DEBUG)
    return setup


def redacted_keys(lookup: KeyLookup, redactor: Redactor) -> KeyLookup:
    """``lookup``, telling ``redactor`` each key it gives (before anything can log it)."""
    told: set[str] = set()

    def resolve(pid: ProviderId) -> str | None:
        key = lookup(pid)
        if key and key not in told:
            told.add(key)
            redactor.add(key)
        return key

    return resolve


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
