"""Text that fits its box: wrapped at spaces (or between characters where a line has none,
as Chinese and Japanese text), at most so many lines, the last one ended with "…" when the
text goes on. Measured with the font that draws it, so nothing overflows a cell."""

from __future__ import annotations

from .fonts import Font

ELLIPSIS = "…"


def _width(font: Font, text: str) -> float:
    return float(font.getlength(text))


def elide(text: str, font: Font, width: float) -> str:
    """``text`` on one line, cut with "…" where it is wider than ``width``."""
    text = " ".join(text.split())
    if _width(font, text) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
    while low < high:
        mid = (low + high + 1) // 2
        if _width(font, text[:mid].rstrip() + ELLIPSIS) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def _fit(text: str, font: Font, width: float) -> int:
    """How many characters of ``text`` fit on a line (at least one)."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if _width(font, text[:mid]) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def wrap(text: str, font: Font, width: float, max_lines: int) -> list[str]:
    """``text`` in at most ``max_lines`` lines no wider than ``width``."""
    rest = " ".join(text.split())
    lines: list[str] = []
    while rest and len(lines) < max_lines:
        if len(lines) == max_lines - 1:
            lines.append(elide(rest, font, width))
            break
        n = _fit(rest, font, width)
        if n < len(rest):
            space = rest.rfind(" ", 0, n + 1)
            if space > n // 3:  # break at the last space, unless it leaves a stub line
                n = space
        lines.append(rest[:n].rstrip())
        rest = rest[n:].lstrip()
    return lines
