"""The cut as an OpenTimelineIO timeline, so the film can be finished in an editor.

One video track with a clip per take, in order, each clip the whole take and referencing the
downloaded file by its absolute ``file://`` URL, at the take's own frame rate; when any take
has sound, an audio track with the same clips (a gap where a take has none). The shot's
prompt, host, model and cost ride in each clip's metadata under ``vidu_studio``.

``.otio`` (OpenTimelineIO's own JSON; DaVinci Resolve 18.5 and later imports it) is always
available. Other formats come from OTIO's adapter packages where they are installed:
``timeline_formats()`` lists the known ones and whether each is, and the package that brings
it (``pip install otio-fcp-adapter`` for Final Cut Pro 7 XML, which Premiere Pro and Resolve
import). Asking for one that is missing raises an error that says which package to add.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vidu_desktop.core.records import record

from ..core.errors import AppError
from . import partfiles
from .cut import Take, TakeMedia, probe_cut
from .errors import input_problem, setup_problem


@record
class TimelineFormat:
    adapter: str  # OpenTimelineIO's name for its adapter
    label: str  # for people
    suffix: str  # the file name's ending, without the dot
    package: str  # what `pip install` brings it with ("" when OpenTimelineIO has it)
    installed: bool


#: the formats worth offering, best first: (adapter, label, suffix, package)
KNOWN_FORMATS: tuple[tuple[str, str, str, str], ...] = (
    ("otio_json", "OpenTimelineIO", "otio", "opentimelineio"),
    ("fcp_xml", "Final Cut Pro 7 XML (Premiere Pro, Resolve)", "xml", "otio-fcp-adapter"),
    ("fcpx_xml", "Final Cut Pro X XML", "fcpxml", "otio-fcpx-xml-adapter"),
    ("cmx_3600", "EDL (CMX 3600)", "edl", "otio-cmx3600-adapter"),
    ("AAF", "AAF (Avid Media Composer)", "aaf", "otio-aaf-adapter"),
)

_NO_OTIO_HINT = ("Install OpenTimelineIO (pip install opentimelineio) in the app's Python "
                 "environment; its wheels cover Linux, Windows and Apple silicon Macs, on "
                 "Intel Macs it builds from source with CMake and a C++ compiler.")


def _otio() -> Any:
    try:
        import opentimelineio
    except ImportError:
        raise setup_problem("The timeline export needs OpenTimelineIO, which is not "
                            "installed.", _NO_OTIO_HINT) from None
    return opentimelineio


def _writers() -> dict[str, list[str]]:
    """Installed adapters that can write a file: name -> suffixes."""
    otio = _otio()
    found: dict[str, list[str]] = {}
    for adapter in otio.plugins.ActiveManifest().adapters:
        if adapter.has_feature("write_to_string") or adapter.has_feature("write_to_file"):
            found[str(adapter.name)] = [str(s).lower() for s in adapter.suffixes]
    return found


def timeline_formats() -> list[TimelineFormat]:
    """The known formats (installed or not) and any other installed one that writes a
    single file, in the order to offer them."""
    try:
        installed = _writers()
    except AppError:  # OpenTimelineIO is missing: nothing is installed
        installed = {}
    formats = [TimelineFormat(name, label, suffix, package, name in installed)
               for name, label, suffix, package in KNOWN_FORMATS]
    known = {f.adapter for f in formats}
    for name, suffixes in sorted(installed.items()):
        if name not in known and name not in ("otioz", "otiod") and suffixes:
            formats.append(TimelineFormat(name, name, suffixes[0], "", True))
    return formats


def format_for(dest: Path, adapter: str | None = None) -> TimelineFormat:
    """The format ``adapter`` names, else the one ``dest``'s suffix names; raises
    ``AppError`` when it is unknown or its adapter is not installed."""
    formats = timeline_formats()
    suffix = dest.suffix.lower().lstrip(".")
    match = next((f for f in formats if (f.adapter == adapter if adapter else
                                         f.suffix == suffix)), None)
    if match is None:
        offered = ", ".join(f".{f.suffix} ({f.label})" for f in formats if f.installed)
        asked = f"the format {adapter!r}" if adapter else f"files ending in .{suffix}"
        raise input_problem(f"The timeline cannot be written as {asked}.",
                            f"Choose one of: {offered}.")
    if not match.installed:
        if match.adapter == "otio_json":
            raise setup_problem("The timeline export needs OpenTimelineIO, which is not "
                                "installed.", _NO_OTIO_HINT)
        raise setup_problem(
            f"Writing {match.label} needs OpenTimelineIO's {match.adapter} adapter, which is "
            "not installed.",
            f"Install it with `pip install {match.package}` in the app's Python environment "
            "and export again, or export .otio, which DaVinci Resolve imports.")
    return match


def build_timeline(media: Sequence[TakeMedia], name: str = "Film") -> Any:
    """The ``opentimelineio.schema.Timeline`` of the cut."""
    otio = _otio()
    rt, tr = otio.opentime.RationalTime, otio.opentime.TimeRange
    timeline = otio.schema.Timeline(name=name)
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(video)
    audio = None
    if any(m.audio is not None for m in media):
        audio = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
        timeline.tracks.append(audio)
    for m in media:
        rate = float(m.video.rate)
        frames = round(m.duration * m.video.rate)
        span = tr(start_time=rt(0, rate), duration=rt(frames, rate))
        url = otio.url_utils.url_from_filepath(str(Path(m.take.path).resolve()))
        reference = otio.schema.ExternalReference(target_url=url, available_range=span)
        metadata = {"vidu_studio": _facts(m.take)}
        video.append(otio.schema.Clip(name=f"Shot {m.take.shot}", media_reference=reference,
                                      source_range=span, metadata=metadata))
        if audio is not None:
            if m.audio is None:
                audio.append(otio.schema.Gap(source_range=span))
            else:
                sound = otio.schema.ExternalReference(target_url=url, available_range=span)
                audio.append(otio.schema.Clip(name=f"Shot {m.take.shot}",
                                              media_reference=sound, source_range=span,
                                              metadata=metadata))
    return timeline


def _facts(take: Take) -> dict[str, object]:
    return {"shot": take.shot, "prompt": take.prompt, "host": take.host, "model": take.model,
            "cost": take.cost}


def write_timeline(cut: Sequence[Take] | Sequence[TakeMedia], dest: Path, *,
                   name: str = "Film", adapter: str | None = None) -> Path:
    """Write the timeline of ``cut`` (takes, probed here, or ``probe_cut``'s media) to
    ``dest``, in the format of ``adapter`` or of ``dest``'s suffix; whole or not at all.
    Raises ``AppError`` for an unknown or missing format, a bad take, a failed write."""
    dest = Path(dest)
    fmt = format_for(dest, adapter)
    media = [c for c in cut if isinstance(c, TakeMedia)]
    if len(media) != len(cut):
        media = probe_cut([c for c in cut if isinstance(c, Take)])
    otio = _otio()
    timeline = build_timeline(media, name)
    plugin = otio.adapters.from_name(fmt.adapter)
    try:
        with partfiles.writing(dest) as part:
            if plugin.has_feature("write_to_string"):
                part.write_text(otio.adapters.write_to_string(timeline, fmt.adapter),
                                encoding="utf-8")
            else:  # binary formats (AAF) write files only
                otio.adapters.write_to_file(timeline, str(part), adapter_name=fmt.adapter)
    except (otio.exceptions.OTIOError, ValueError) as exc:  # ValueError: a rate timecode lacks
        raise input_problem(f"{fmt.label} cannot hold this timeline: {exc}.",
                            "Export .otio instead, which holds every track.") from None
    return dest
