"""The app's resource folder (icons, sample references, the Linux desktop files).

An installed wheel carries it as package data, ``vidu_desktop/resources/`` (the build copies it
from the source folders: see ``setup.py``); so does the frozen app, whose package lives in the
bundle (``sys._MEIPASS``). A source checkout or an editable install reads the checkout's
``resources/``, the source of truth.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import vidu_desktop

if TYPE_CHECKING:  # (the icon is made after the first paint: QIcon's class with it)
    from PySide6.QtGui import QIcon

SAMPLES = ("character-robot.jpg", "object-teapot.jpg", "place-lake.jpg")


def _candidates() -> list[Path]:
    found = []
    package = Path(vidu_desktop.__file__).parent  # on disk (the app is never a zip import)
    found.append(package / "resources")
    checkout = package.resolve().parent  # the package's folder's parent
    if (checkout / "pyproject.toml").is_file():  # a source checkout or an editable install
        found.append(checkout / "resources")
    return found


@cache
def resource_dir() -> Path | None:
    """Where the resources are (None when this installation has none)."""
    for folder in _candidates():
        if (folder / "icons").is_dir():
            return folder
    return None


def app_icon() -> QIcon:
    """The app icon at every size there is (an empty icon when the resources are missing)."""
    from PySide6.QtGui import QIcon

    folder = resource_dir()
    icon = QIcon()
    if folder is None:
        return icon
    hicolor = folder / "icons" / "hicolor"  # 16x16/, 32x32/...: a listing, cheaper than a glob
    for size in sorted(os.listdir(hicolor)) if hicolor.is_dir() else ():
        png = hicolor / size / "apps" / "vidu-studio.png"
        if png.is_file():
            icon.addFile(str(png))
    return icon


def sample_references() -> list[Path]:
    """The bundled sample pictures (a character, an object, a place) that exist."""
    folder = resource_dir()
    if folder is None:
        return []
    return [p for p in (folder / "samples" / name for name in SAMPLES) if p.is_file()]
