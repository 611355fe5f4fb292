"""File names that work on every system, for names made from what the user typed (a prompt, a
draft's name) and paths the user gives (``vidu-cli … --out``).

Windows refuses the characters ``<>:"/\\|?*`` and control characters, a name that ends in a
dot or a space, and the device names ``CON PRN AUX NUL COM1-9 LPT1-9`` (also with an extension:
``con.mp4`` is the console); a path longer than 259 characters fails unless long paths are
switched on. macOS and Linux allow 255 bytes a name. macOS and Windows ignore case, so names
that differ only in case are one file there.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import PurePath, PureWindowsPath

FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)} | {"\x7f"}
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")})
MAX_NAME_BYTES = 255
WINDOWS_MAX_PATH = 259  # MAX_PATH (260) with the final NUL
DEFAULT_MAX_CHARS = 80


def is_reserved(name: str) -> bool:
    """A Windows device name, with or without an extension (``NUL``, ``com1.txt``)."""
    stem = name.split(".", 1)[0].rstrip(" ")
    return stem.upper() in RESERVED


def name_problem(name: str) -> str:
    """Why ``name`` is not a file name on every system ("" when it is)."""
    if not name or name in (".", ".."):
        return "an empty name"
    bad = sorted({c for c in name if c in FORBIDDEN})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        return f"the character(s) {shown}, which Windows does not allow"
    if name[-1] in ". ":
        return "a dot or space at the end, which Windows drops"
    if is_reserved(name):
        return f"{name.split('.', 1)[0]!r}, a device name on Windows"
    if len(name.encode()) > MAX_NAME_BYTES:
        return f"more than {MAX_NAME_BYTES} bytes"
    return ""


def path_problem(path: PurePath | str, platform: str = sys.platform) -> str:
    """Why this path cannot be written on ``platform`` ("" when it can): on Windows each part
    is checked as :func:`name_problem` does and the whole for length; elsewhere each part's
    length only (every other name is allowed there)."""
    if platform == "win32":
        win = PureWindowsPath(str(path))
        for part in win.parts[1:] if win.anchor else win.parts:
            problem = name_problem(part)
            if problem:
                return f"{part!r} has {problem}"
        if len(str(win)) > WINDOWS_MAX_PATH:
            return f"the path is longer than {WINDOWS_MAX_PATH} characters"
        return ""
    for part in PurePath(path).parts:
        if len(part.encode()) > MAX_NAME_BYTES:
            return f"{part[:20]!r}… is longer than {MAX_NAME_BYTES} bytes"
    return ""


def safe_file_name(text: str, suffix: str = "", *, max_chars: int = DEFAULT_MAX_CHARS,
                   fallback: str = "untitled") -> str:
    """``text`` made into a file name valid on every system, ``suffix`` (".json") kept: the
    forbidden characters and runs of spaces become one space, the end loses dots and spaces,
    a device name gets a "_" and the name is cut to ``max_chars`` (at most 255 bytes)."""
    text = unicodedata.normalize("NFC", text)
    name = "".join(" " if c in FORBIDDEN else c for c in text)
    name = re.sub(r"\s+", " ", name).strip(" .")
    name = name[:max_chars].rstrip(" .")
    while len((name + suffix).encode()) > MAX_NAME_BYTES:
        name = name[:-1].rstrip(" .")
    if not name:
        name = fallback
    if is_reserved(name):
        name += "_"
    return name + suffix
