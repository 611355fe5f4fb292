"""The engine: asyncio orchestration of submit, track, download, resume, cancel, outbox. No Qt."""

from .engine import Engine
from .events import EngineEvent, EventBus
from .settings import EngineSettings

__all__ = ["Engine", "EngineEvent", "EngineSettings", "EventBus"]
