"""``@record``: an immutable dataclass that is cheaper to define than ``dataclass(frozen=True)``.

Every value object of the package (requests, specs, rows read from the library, events) is a
record. ``dataclass(frozen=True)`` compiles two more methods per class (``__setattr__`` and
``__delattr__``, each from its own source text) and a longer ``__init__``: defining a class
that way costs about 1.7 times a record (``bench/records.py``), and the app defines some forty of
them before its window is ready. A record is a plain dataclass with a hash, whose attribute
methods are two shared functions: a field is set once (by ``__init__``, or
``object.__setattr__`` in ``__post_init__``) and never reassigned or deleted. Type checkers treat
it as frozen (``dataclass_transform(frozen_default=True)``), so mypy rejects an assignment before
the code runs; at run time the shared functions raise :class:`dataclasses.FrozenInstanceError`
as a frozen dataclass does. The price: making an instance takes about 1.7 times as long (a few
microseconds for twenty fields), as each field goes through the shared ``__setattr__``.
"""

from __future__ import annotations

import dataclasses
from typing import dataclass_transform


def _set_once(self: object, name: str, value: object) -> None:
    if name in self.__dict__:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _no_delete(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record[T](cls: type[T]) -> type[T]:
    """The class as an immutable, hashable dataclass (see the module's docstring)."""
    made = dataclasses.dataclass(unsafe_hash=True)(cls)
    made.__setattr__ = _set_once  # type: ignore[method-assign]
    made.__delattr__ = _no_delete  # type: ignore[method-assign]
    return made
