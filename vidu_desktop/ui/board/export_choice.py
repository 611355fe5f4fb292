"""What the user chose to export, and the job that writes it.

``ExportChoice`` is the dialog's answer: a folder, a name, and which files (the film, timelines
by their file ending, contact sheets by theirs). ``ExportJob`` is what the dialog runs in its
worker thread; the shell passes one over the engine's board export. Every file is named
``<name>.<ending>`` in the folder (``planned_files``): the dialog asks before any is replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from vidu_desktop.core.records import record
from vidu_desktop.film.progress import CancelFlag, ProgressCallback

#: the contact sheet's formats: (file ending, label)
SHEET_FORMATS: tuple[tuple[str, str], ...] = (("png", "PNG picture"), ("pdf", "PDF document"))


@record
class ExportChoice:
    folder: Path
    name: str  # the files' name without the ending
    mp4: bool  # the film: one MP4 of the chosen takes in order
    timelines: tuple[str, ...]  # the timelines' endings ("otio", "edl", "xml"…)
    sheets: tuple[str, ...]  # the contact sheet's endings ("png", "pdf")

    @property
    def empty(self) -> bool:
        return not (self.mp4 or self.timelines or self.sheets)


def planned_files(choice: ExportChoice) -> list[Path]:
    """The files the export writes, in the order it writes them."""
    endings = (["mp4"] if choice.mp4 else []) + list(choice.timelines) + list(choice.sheets)
    return [Path(choice.folder) / f"{choice.name}.{ending}" for ending in endings]


class ExportJob(Protocol):
    """Writes ``choice`` and returns the files written. Runs in a worker thread: it reports
    the fraction done (0..1) through ``progress`` and raises the ``AppError`` of kind
    CANCELLED, leaving no file, once ``cancel`` is set; any other failure is an ``AppError``
    with a message and a hint."""

    def __call__(self, choice: ExportChoice, progress: ProgressCallback,
                 cancel: CancelFlag) -> list[Path]: ...
