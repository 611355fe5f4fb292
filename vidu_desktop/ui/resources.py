"""The app's resource folder (icons, sample references): ``resources/`` next to the package in
a source checkout, inside the bundle when frozen by PyInstaller (``sys._MEIPASS``)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

SAMPLES = ("character-robot.jpg", "object-teapot.jpg", "place-lake.jpg")


@cache
def resource_dir() -> Path | None:
    """Where ``resources/`` is (None when this installation has none)."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parents[2] / "resources")
    for folder in candidates:
        if (folder / "icons").is_dir():
            return folder
    return None


def app_icon() -> QIcon:
    """The app icon at every size there is (an empty icon when the resources are missing)."""
    folder = resource_dir()
    icon = QIcon()
    if folder is None:
        return icon
    for png in sorted((folder / "icons" / "hicolor").glob("*/apps/vidu-studio.png")):
        icon.addFile(str(png))
    return icon


def sample_references() -> list[Path]:
    """The bundled sample pictures (a character, an object, a place) that exist."""
    folder = resource_dir()
    if folder is None:
        return []
    return [p for p in (folder / "samples" / name for name in SAMPLES) if p.is_file()]
