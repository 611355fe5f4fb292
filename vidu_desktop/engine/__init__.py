"""The engine: asyncio orchestration of submit, track, download, resume, cancel, outbox. No Qt."""

from vidu_desktop.providers.account import AccountInfo
from vidu_desktop.store import CastMember, CastUsage

from .engine import Engine
from .events import EngineEvent, EventBus, EventKind
from .settings import EngineSettings

__all__ = ["AccountInfo", "CastMember", "CastUsage", "Engine", "EngineEvent", "EngineSettings",
           "EventBus", "EventKind"]
