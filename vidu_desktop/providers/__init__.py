"""One adapter per API host over httpx: pure request/response mapping plus a thin HTTP shell.

Imports ``vidu_desktop.core``, the standard library and httpx only. Importing the package is
cheap: httpx is imported when the first request is made, and the adapters themselves
(``make_adapter``) when the first one is made; the app's start-up needs neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Adapter, CancelOutcome, RemoteStatus, Retry, Submitted, Timeouts
from .download import download

if TYPE_CHECKING:
    from .registry import make_adapter

__all__ = ["Adapter", "CancelOutcome", "RemoteStatus", "Retry", "Submitted", "Timeouts",
           "download", "make_adapter"]


def __getattr__(name: str) -> Any:
    if name == "make_adapter":
        from .registry import make_adapter

        return make_adapter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
