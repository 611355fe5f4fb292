"""The storyboard's export: a cut (the chosen takes, in order) as one MP4, an OpenTimelineIO
timeline and a contact sheet. No Qt; every function blocks, so a UI runs it in a worker thread
(the MP4 export reports progress and can be cancelled).

- ``Take``: a take's file and facts; ``probe_cut(takes)`` -> ``TakeMedia`` per take.
- ``plan_export(media)`` -> ``ExportPlan``: what is copied, what is re-encoded, and why.
- ``export_mp4(takes, dest, progress=, cancel=)`` -> ``ExportResult``.

Importing the package is cheap: each name loads its module (and PyAV, Pillow, OpenTimelineIO)
on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cut import AudioFormat, Take, TakeMedia, VideoFormat, probe_cut, probe_take
    from .mp4 import ExportResult, export_mp4, write_mp4
    from .plan import ExportPlan, StreamMode, plan_export
    from .progress import CancelFlag, ProgressCallback
    from .video_encode import EncodeOptions

_WHERE = {
    "AudioFormat": "cut",
    "Take": "cut",
    "TakeMedia": "cut",
    "VideoFormat": "cut",
    "probe_cut": "cut",
    "probe_take": "cut",
    "ExportResult": "mp4",
    "export_mp4": "mp4",
    "write_mp4": "mp4",
    "ExportPlan": "plan",
    "StreamMode": "plan",
    "plan_export": "plan",
    "CancelFlag": "progress",
    "ProgressCallback": "progress",
    "EncodeOptions": "video_encode",
}

__all__ = [
    "AudioFormat",
    "CancelFlag",
    "EncodeOptions",
    "ExportPlan",
    "ExportResult",
    "ProgressCallback",
    "StreamMode",
    "Take",
    "TakeMedia",
    "VideoFormat",
    "export_mp4",
    "plan_export",
    "probe_cut",
    "probe_take",
    "write_mp4",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
