"""One adapter per API host over httpx: pure request/response mapping plus a thin HTTP shell.

Imports ``vidu_desktop.core``, the standard library and httpx only.
"""

from .base import Adapter, CancelOutcome, RemoteStatus, Retry, Submitted, Timeouts
from .download import download
from .registry import make_adapter

__all__ = ["Adapter", "CancelOutcome", "RemoteStatus", "Retry", "Submitted", "Timeouts",
           "download", "make_adapter"]
