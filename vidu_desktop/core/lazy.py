"""A package whose names load their modules on first use (PEP 562), so importing the package
stays cheap: ``imaging`` and ``film`` name Pillow, PyAV and OpenTimelineIO work this way.

    __getattr__, __dir__ = lazy_exports(__name__, {"Take": "cut", ...}, __all__)

The package still imports the names under ``TYPE_CHECKING`` for the type checker.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str], names: Iterable[str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: a name in ``where`` is read from
    its submodule (``where[name]``; a dotted name is a module of its own, e.g. a name the
    package hands on from another package) the first time it is asked for, then kept in the
    package."""
    namespace = sys.modules[package].__dict__
    exported = frozenset(names)

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        found = importlib.import_module(module if "." in module else f".{module}", package)
        value = getattr(found, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | exported)

    return __getattr__, __dir__
