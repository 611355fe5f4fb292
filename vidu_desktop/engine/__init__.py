"""The engine: asyncio orchestration of submit, track, download, resume, cancel, outbox. No Qt."""

from vidu_desktop.providers.account import AccountInfo

from .engine import Engine
from .events import EngineEvent, EventBus, EventKind
from .settings import EngineSettings

__all__ = ["AccountInfo", "Engine", "EngineEvent", "EngineSettings", "EventBus", "EventKind"]
