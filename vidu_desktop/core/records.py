"""``@record``: an immutable dataclass that is cheaper to define than ``dataclass(frozen=True)``.

Every value object of the package (requests, specs, rows read from the library, events) is a
record. ``dataclass(frozen=True)`` compiles six methods per class, each from its own source
text (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``),
and the app defines some forty such classes before its window is ready. A record has only its
``__init__`` compiled (``dataclass(repr=False, eq=False)``); the other five are functions
shared by every record, which read the class's field names (kept on the class when it is
defined): defining a record costs about a third of a frozen dataclass (``bench/records.py``).

They behave as a frozen dataclass's: ``Name(field=value, ...)`` for the fields shown,
equality with an object of the same class only (the compared fields, in order), the hash of
the hashed fields, and :class:`dataclasses.FrozenInstanceError` on assigning or deleting a
field (a field is set once, by ``__init__`` or ``object.__setattr__`` in ``__post_init__``).
A record without a docstring is documented by its field names, ``Name(field, ...)`` (a
dataclass would read the whole signature with ``inspect``, a tenth of a millisecond a class).
Type checkers treat a record as a frozen dataclass (``dataclass_transform``), so mypy rejects
an assignment before the code runs. The price, per object: making one takes about 1.8 times
as long (each field goes through the shared ``__setattr__``: a few microseconds for twenty
fields), and comparing or hashing one about 1.5 times.
"""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, dataclass_transform

#: the class attributes where a record keeps what its shared methods read
_SHOWN, _COMPARED, _HASHED = "__record_shown__", "__record_compared__", "__record_hashed__"


def _set_once(self: object, name: str, value: object) -> None:
    if name in self.__dict__:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _no_delete(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


@reprlib.recursive_repr()
def _repr(self: object) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in getattr(type(self), _SHOWN))
    return f"{type(self).__qualname__}({shown})"


Values = Callable[[object], tuple[Any, ...]]


def _eq(self: object, other: object) -> object:
    if other.__class__ is not self.__class__:
        return NotImplemented
    values: Values = getattr(type(self), _COMPARED)
    return bool(values(self) == values(other))


def _hash(self: object) -> int:
    values: Values = getattr(type(self), _HASHED)
    return hash(values(self))


def _values(names: tuple[str, ...]) -> Values:
    """A getter of the fields ``names`` as one tuple, as the frozen dataclass compares and
    hashes them."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = names[0]
        return lambda obj: (getattr(obj, one),)
    return lambda _obj: ()


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record[T](cls: type[T]) -> type[T]:
    """The class as an immutable, hashable dataclass (see the module's docstring)."""
    if not cls.__dict__.get("__doc__"):  # the dataclass would make one from inspect.signature
        names = ", ".join(inspect.get_annotations(cls))
        cls.__doc__ = f"{cls.__name__}({names})"
    made = dataclasses.dataclass(repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    setattr(made, _SHOWN, tuple(f.name for f in fields if f.repr))
    setattr(made, _COMPARED, _values(tuple(f.name for f in fields if f.compare)))
    setattr(made, _HASHED, _values(tuple(
        f.name for f in fields if (f.compare if f.hash is None else f.hash))))
    own = vars(made)
    for name, method in (("__repr__", _repr), ("__eq__", _eq), ("__hash__", _hash)):
        if name not in own or (name == "__hash__" and own[name] is None):
            setattr(made, name, method)
    made.__setattr__ = _set_once  # type: ignore[method-assign]
    made.__delattr__ = _no_delete  # type: ignore[method-assign]
    return made


def made_from[T](cls: type[T], values: dict[str, Any]) -> T:
    """A record of ``cls`` holding ``values``, one for each of its fields, as ``cls(**values)``
    makes it but without running ``__init__`` (each field set through the shared
    ``__setattr__``: a few microseconds for forty fields): for the rows of the library, read a
    page at a time. Only for a record with no ``__post_init__``; a missing or unknown field is
    a TypeError, as with ``cls(**values)``."""
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    if values.keys() != fields.keys():
        missing = sorted(fields.keys() - values.keys())
        unknown = sorted(values.keys() - fields.keys())
        raise TypeError(f"{cls.__name__}: missing fields {missing}, unknown fields {unknown}")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__: make it with {cls.__name__}(...)")
    made = cls.__new__(cls)
    made.__dict__.update(values)
    return made

