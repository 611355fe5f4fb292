"""``@record``: immutable at run time as a frozen dataclass is, equal and hashable by value."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

import pytest

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.records import made_from, record
from vidu_desktop.core.request import GenerationRequest, ReferenceImage


@record
class Point:
    """A point with a derived field."""

    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    norm: int = dataclasses.field(default=0, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", tuple(self.tags))
        object.__setattr__(self, "norm", abs(self.x) + abs(self.y))


def test_a_field_cannot_be_reassigned_or_deleted() -> None:
    p = Point(3, -4, ["a"])  # type: ignore[arg-type]
    assert (p.x, p.y, p.tags, p.norm) == (3, -4, ("a",), 7)  # __post_init__ may set fields
    with pytest.raises(dataclasses.FrozenInstanceError, match="'x'"):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="'y'"):
        del p.y
    with pytest.raises(AttributeError):  # (a FrozenInstanceError is one, as for frozen)
        p.norm = 0  # type: ignore[misc]
    assert (p.x, p.y, p.norm) == (3, -4, 7)


def test_equal_by_value_and_hashable_as_a_frozen_dataclass() -> None:
    a, b = Point(1, 2), Point(1, 2)
    assert a == b and a is not b and hash(a) == hash(b)
    assert {a: "first"}[b] == "first"
    assert Point(1, 2) != Point(2, 1)
    moved = dataclasses.replace(a, y=5)
    assert (moved.y, moved.norm, a.y) == (5, 6, 2)
    assert dataclasses.asdict(a) == {"x": 1, "y": 2, "tags": (), "norm": 3}
    assert repr(a) == "Point(x=1, y=2, tags=(), norm=3)"


def test_copies_and_pickles_keep_the_values() -> None:
    request = GenerationRequest(ProviderId.VIDU, "viduq1", "a walk",
                                (ReferenceImage("https://example.com/a.png", "walker"),), seed=7)
    for again in (copy.copy(request), copy.deepcopy(request),
                  pickle.loads(pickle.dumps(request))):
        assert again == request and again.images[0] == request.images[0]
        assert hash(again.images[0]) == hash(request.images[0])
        with pytest.raises(dataclasses.FrozenInstanceError):
            again.seed = 8  # type: ignore[misc]


@record
class One:
    """A single field."""

    value: str


@record
class Nothing:
    """No fields at all."""


@record
class Other:
    """Another class with the same field."""

    value: str


def test_one_field_no_field_and_another_class_compare_as_a_frozen_dataclass() -> None:
    assert One("a") == One("a") and One("a") != One("b") and hash(One("a")) == hash(One("a"))
    assert One("a") != Other("a")  # type: ignore[comparison-overlap]  # (another class)
    assert One("a").__eq__(Other("a")) is NotImplemented
    assert Nothing() == Nothing() and hash(Nothing()) == hash(Nothing())
    assert (repr(One("a")), repr(Nothing())) == ("One(value='a')", "Nothing()")
    frozen = dataclasses.make_dataclass("One", [("value", str)], frozen=True)
    assert repr(One("a")) == repr(frozen("a"))


def test_a_field_left_out_of_comparing_is_left_out_of_the_hash() -> None:
    a, b = Point(1, 2), Point(1, 2)
    object.__setattr__(b, "norm", 99)  # compare=False: not part of equality or the hash
    assert a == b and hash(a) == hash(b)


def test_a_record_keeps_its_docstring_or_names_its_fields() -> None:
    @record
    class Bare:
        name: str
        size: int = 0

    assert Point.__doc__ == "A point with a derived field."
    assert Bare.__doc__ == "Bare(name, size)"
    assert Bare("a") == Bare("a", 0) and repr(Bare("a")).endswith(".Bare(name='a', size=0)")


def test_made_from_a_whole_mapping_equals_the_record_init_makes() -> None:
    @record
    class Row:
        name: str
        size: int = 0
        tags: tuple[str, ...] = ()

    made = made_from(Row, {"name": "a", "size": 3, "tags": ("x",)})
    assert made == Row("a", 3, ("x",)) and hash(made) == hash(Row("a", 3, ("x",)))
    assert type(made) is Row and repr(made).endswith(".Row(name='a', size=3, tags=('x',))")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.size = 4  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"missing fields \['size', 'tags'\]"):
        made_from(Row, {"name": "a"})
    with pytest.raises(TypeError, match=r"unknown fields \['colour'\]"):
        made_from(Row, {"name": "a", "size": 3, "tags": (), "colour": "red"})
    with pytest.raises(TypeError, match="__post_init__"):
        made_from(Point, {"x": 1, "y": 2, "tags": (), "norm": 3})


def test_the_shared_init_takes_and_refuses_arguments_as_a_dataclass_init() -> None:
    @record
    class Job:
        name: str
        size: int = 0
        tags: list[str] = dataclasses.field(default_factory=list)

    assert Job("a") == Job(name="a") == Job("a", 0, []) == Job(size=0, name="a")
    first, second = Job("a"), Job("a")
    assert first.tags == [] and first.tags is not second.tags  # a new list each
    assert Job("a", tags=["x"]).tags == ["x"] and Point(3, -4).norm == 7  # __post_init__
    with pytest.raises(TypeError, match="missing 1 required argument: 'name'"):
        Job()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="got multiple values for argument 'name'"):
        Job("a", name="b")  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Job("a", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="takes 4 positional arguments but 5 were given"):
        Job("a", 1, [], 2)  # type: ignore[call-arg]
    assert str(inspect.signature(Job)) == ("(name: 'str', size: 'int' = 0, "
                                           "tags: 'list[str]' = <factory>) -> None")
    assert list(inspect.signature(Point).parameters) == ["x", "y", "tags", "norm"]
    assert dataclasses.replace(Job("a", 2), size=3) == Job("a", 3)
    assert dataclasses.asdict(Job("a", 2)) == {"name": "a", "size": 2, "tags": []}


def test_a_field_init_would_not_take_is_refused_when_the_record_is_defined() -> None:
    with pytest.raises(TypeError, match="use a plain dataclass"):
        @record
        class Late:
            name: str
            seen: int = dataclasses.field(default=0, init=False)
    with pytest.raises(TypeError, match="use a plain dataclass"):
        @record
        class Named:
            name: str = dataclasses.field(default="", kw_only=True)
