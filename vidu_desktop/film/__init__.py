"""The storyboard's export: a cut (the chosen takes, in order) as one MP4, an OpenTimelineIO
timeline and a contact sheet. No Qt; every function blocks, so a UI runs it in a worker thread
(the MP4 export reports progress and can be cancelled).

- ``Take``: a take's file and facts; ``probe_cut(takes)`` -> ``TakeMedia`` per take.
- ``plan_export(media)`` -> ``ExportPlan``: what is copied, what is re-encoded, and why.
- ``export_mp4(takes, dest, progress=, cancel=)`` -> ``ExportResult``.
- ``write_timeline(takes, dest)`` (.otio, or another format's adapter) and
  ``timeline_formats()``: which formats are installed, and the package for the others.
- ``write_contact_sheet(takes, png, pdf)`` -> ``ContactSheet``.

Importing the package is cheap: each name loads its module (and PyAV, Pillow, OpenTimelineIO)
on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.lazy import lazy_exports

if TYPE_CHECKING:
    from .cut import AudioFormat, Take, TakeMedia, VideoFormat, probe_cut, probe_take
    from .mp4 import ExportResult, export_mp4, write_mp4
    from .plan import ExportPlan, StreamMode, plan_export
    from .progress import CancelFlag, ProgressCallback
    from .sheet import ContactSheet, write_contact_sheet
    from .sheet_layout import SheetLayout
    from .timeline import TimelineFormat, build_timeline, timeline_formats, write_timeline
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
    "ContactSheet": "sheet",
    "write_contact_sheet": "sheet",
    "SheetLayout": "sheet_layout",
    "TimelineFormat": "timeline",
    "build_timeline": "timeline",
    "timeline_formats": "timeline",
    "write_timeline": "timeline",
    "EncodeOptions": "video_encode",
}

__all__ = [
    "AudioFormat",
    "CancelFlag",
    "ContactSheet",
    "EncodeOptions",
    "ExportPlan",
    "ExportResult",
    "ProgressCallback",
    "SheetLayout",
    "StreamMode",
    "Take",
    "TakeMedia",
    "TimelineFormat",
    "VideoFormat",
    "build_timeline",
    "export_mp4",
    "plan_export",
    "probe_cut",
    "probe_take",
    "timeline_formats",
    "write_contact_sheet",
    "write_mp4",
    "write_timeline",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
