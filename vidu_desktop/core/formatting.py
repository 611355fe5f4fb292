"""How the app and the CLI write money, sizes, prompt excerpts and host names. Pure; stdlib
only."""

from __future__ import annotations

from .capabilities import provider


def excerpt(prompt: str, limit: int) -> str:
    """The prompt on one line, at most ``limit`` characters (cut with "…", no space before
    it)."""
    text = " ".join(prompt.split()) or "(no prompt)"
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def format_bytes(n: int) -> str:
    """Decimal units, as hosts state their limits: 1.5 MB, 980 KB, 312 bytes."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.2f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} KB"
    return f"{n} bytes"


def host_label(pid: str) -> str:
    """"Vidu", "Segmind"…: a host's name for people (the id itself when it is unknown)."""
    try:
        return provider(pid).display_name
    except (KeyError, ValueError):
        return pid


def money(amount: float, unit: str) -> str:
    """"$0.40" for USD, "8 credits" otherwise (a balance of 1234567 credits in full, not
    "1.23457e+06")."""
    return f"${amount:.2f}" if unit == "USD" else f"{amount:.10g} {unit}".strip()
