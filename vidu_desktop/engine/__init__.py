"""The engine: asyncio orchestration of submit, track, download, resume, cancel, outbox. No Qt.

``AccountInfo`` (the providers' account facts) is loaded when first asked for: starting an
engine needs none of the providers' modules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vidu_desktop.store import CastMember, CastUsage

from .engine import Engine
from .events import EngineEvent, EventBus, EventKind
from .settings import EngineSettings

if TYPE_CHECKING:
    from vidu_desktop.providers.account import AccountInfo

__all__ = ["AccountInfo", "CastMember", "CastUsage", "Engine", "EngineEvent", "EngineSettings",
           "EventBus", "EventKind"]


def __getattr__(name: str) -> Any:
    if name == "AccountInfo":
        from vidu_desktop.providers.account import AccountInfo

        return AccountInfo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
