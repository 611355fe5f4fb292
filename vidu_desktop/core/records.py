"""``@record``: an immutable dataclass that is cheaper to define than ``dataclass(frozen=True)``.

Every value object of the package (requests, specs, rows read from the library, events) is a
record. ``dataclass(frozen=True)`` compiles six methods per class, each from its own source
text (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``),
and the app defines some thirty such classes before its window is ready. A record has none
compiled: the dataclass machinery only collects its fields (``dataclass(init=False,
repr=False, eq=False)``: ``dataclasses.fields``, ``replace`` and ``asdict`` work as on any
dataclass), and the six methods are functions shared by every record, which read what the
class keeps of its fields when it is defined. Defining a record costs under a tenth of a frozen
dataclass, making one about the same, comparing or hashing one about 1.4 times as long
(``bench/records.py``).

They behave as a frozen dataclass's: ``__init__`` takes the fields in order, by position or
by name, with their defaults and default factories (and refuses a missing, repeated or
unknown one with a TypeError, as a dataclass's does), then runs ``__post_init__`` (a field
that ``__init__`` would not take, ``init=False`` or ``kw_only``, is refused when the record is
defined: such a class is a plain dataclass);
``Name(field=value, ...)`` for the fields shown; equality with an object of the same class
only (the compared fields, in order); the hash of the hashed fields; and
:class:`dataclasses.FrozenInstanceError` on assigning or deleting a field (a field is set
once, by ``__init__`` or ``object.__setattr__`` in ``__post_init__``). ``inspect.signature``
shows the fields (``__signature__``, made when asked for). A record without a docstring is
documented by its field names, ``Name(field, ...)`` (a dataclass would read the whole
signature with ``inspect``, a tenth of a millisecond a class). Type checkers treat a record as
a frozen dataclass (``dataclass_transform``), so mypy rejects an assignment before the code
runs.
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
_INIT = "__record_init__"


class _InitSpec:
    """What the shared ``__init__`` needs of a record: its fields in order, their defaults and
    default factories, and whether it has a ``__post_init__``."""

    __slots__ = ("defaults", "factories", "known", "names", "post_init", "required")

    def __init__(self, fields: tuple[dataclasses.Field[Any], ...], post_init: bool) -> None:
        if any(f.kw_only is True or not f.init for f in fields):
            raise TypeError("a record's fields are all __init__'s, by position or by name "
                            "(no kw_only, no init=False): use a plain dataclass")
        self.names = tuple(f.name for f in fields)
        self.known = frozenset(self.names)
        self.defaults = {f.name: f.default for f in fields
                         if f.default is not dataclasses.MISSING}
        self.factories = {f.name: f.default_factory for f in fields
                          if f.default_factory is not dataclasses.MISSING}
        self.required = frozenset(self.names) - self.defaults.keys() - self.factories.keys()
        self.post_init = post_init


def _init(self: object, *args: object, **kwargs: object) -> None:
    """Every record's ``__init__``: the fields in order, by position or by name, as the
    dataclass's own would take them (and the same errors), then ``__post_init__``."""
    cls = type(self)
    spec: _InitSpec = getattr(cls, _INIT)
    names = spec.names
    if len(args) > len(names):
        raise TypeError(f"{cls.__qualname__}.__init__() takes {len(names) + 1} positional "
                        f"arguments but {len(args) + 1} were given")
    values = self.__dict__
    values.update(zip(names, args, strict=False))  # (fewer arguments than fields)
    for name, value in kwargs.items():
        if name in values:
            raise TypeError(f"{cls.__qualname__}.__init__() got multiple values for argument "
                            f"{name!r}")
        if name not in spec.known:
            raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword "
                            f"argument {name!r}")
        values[name] = value
    if len(values) < len(names):
        missing = [name for name in names if name not in values and name in spec.required]
        if missing:
            raise TypeError(f"{cls.__qualname__}.__init__() missing {len(missing)} required "
                            f"argument{'s' if len(missing) > 1 else ''}: "
                            + ", ".join(repr(name) for name in missing))
        for name, default in spec.defaults.items():
            values.setdefault(name, default)
        for name, factory in spec.factories.items():
            if name not in values:
                values[name] = factory()
    if spec.post_init:
        self.__post_init__()  # type: ignore[attr-defined]


class _Factory:
    """What a signature shows as the default of a field with a default factory."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


class _Signature:
    """A record's ``__signature__`` (its shared ``__init__`` takes ``*args, **kwargs``), made
    when asked for: the fields with their defaults, as a dataclass's signature shows them."""

    def __get__(self, obj: object, cls: type) -> inspect.Signature:
        spec: _InitSpec = getattr(cls, _INIT)
        empty = inspect.Parameter.empty
        hints = inspect.get_annotations(cls)
        parameters = []
        for name in spec.names:
            default = spec.defaults.get(name, empty)
            if name in spec.factories:
                default = _FACTORY
            parameters.append(inspect.Parameter(
                name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=default,
                annotation=hints.get(name, empty)))
        return inspect.Signature(parameters, return_annotation=None)


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
    made = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    setattr(made, _INIT, _InitSpec(fields, hasattr(made, "__post_init__")))
    setattr(made, _SHOWN, tuple(f.name for f in fields if f.repr))
    setattr(made, _COMPARED, _values(tuple(f.name for f in fields if f.compare)))
    setattr(made, _HASHED, _values(tuple(
        f.name for f in fields if (f.compare if f.hash is None else f.hash))))
    own = vars(made)
    if "__init__" not in own:
        made.__init__ = _init  # type: ignore[method-assign]
        made.__signature__ = _Signature()  # type: ignore[attr-defined]
    for name, method in (("__repr__", _repr), ("__eq__", _eq), ("__hash__", _hash)):
        if name not in own or (name == "__hash__" and own[name] is None):
            setattr(made, name, method)
    made.__setattr__ = _set_once  # type: ignore[method-assign]
    made.__delattr__ = _no_delete  # type: ignore[method-assign]
    return made


def made_from[T](cls: type[T], values: dict[str, Any]) -> T:
    """A record of ``cls`` holding ``values``, one for each of its fields, as ``cls(**values)``
    makes it but without running ``__init__`` (which checks each argument by name: some
    microseconds for forty fields): for the rows of the library, read a page at a time. Only
    for a record with no ``__post_init__``; a missing or unknown field is a TypeError, as with
    ``cls(**values)``."""
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

