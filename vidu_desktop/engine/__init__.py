"""The engine: asyncio orchestration of submit, track, download, resume, cancel, outbox. No Qt.

Importing the package is cheap: each name loads its module on first use (``AccountInfo``, the
providers' account facts, included: starting an engine needs none of the providers' modules),
so a module may use the events or the settings without loading the whole engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidu_desktop.core.lazy import lazy_exports

if TYPE_CHECKING:
    from vidu_desktop.providers.account import AccountInfo
    from vidu_desktop.store import CastMember, CastUsage

    from .engine import Engine
    from .events import EngineEvent, EventBus, EventKind
    from .settings import EngineSettings

__all__ = ["AccountInfo", "CastMember", "CastUsage", "Engine", "EngineEvent", "EngineSettings",
           "EventBus", "EventKind"]

_WHERE = {"Engine": "engine", "EngineEvent": "events", "EventBus": "events",
          "EventKind": "events", "EngineSettings": "settings",
          "AccountInfo": "vidu_desktop.providers.account",
          "CastMember": "vidu_desktop.store", "CastUsage": "vidu_desktop.store"}

__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
