"""What a value-object class costs to define and to make, as ``@record`` against
``dataclass(frozen=True)``, in the same run (the start-up defines some thirty such classes
before its window is ready).

Run: ``.venv/bin/python bench/records.py [--classes N] [--instances N]``

It defines N classes of 8 fields (a docstring, defaults on half of them) each way, interleaved
in rounds, then makes instances of one 20-field class each way, compares two equal ones and
hashes one, and prints the medians and the ratio record / frozen for each.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vidu_desktop.core.records import record

Decorator = Callable[[type], type]
WAYS: dict[str, Decorator] = {"dataclass(frozen=True)": dataclasses.dataclass(frozen=True),
                              "@record": record}


def bare_class(fields: int) -> type:
    """A new class with ``fields`` annotated fields (the second half with defaults)."""
    lines = ['    """A value."""']
    lines += [f"    f{i}: int" + (" = 0" if i >= fields // 2 else "") for i in range(fields)]
    namespace: dict[str, object] = {}
    exec("class Value:\n" + "\n".join(lines) + "\n", namespace)
    value = namespace["Value"]
    assert isinstance(value, type)
    return value


def define(decorator: Decorator, n: int) -> float:
    """Milliseconds per class, over ``n`` classes (made bare beforehand)."""
    bare = [bare_class(8) for _ in range(n)]
    started = time.perf_counter()
    for cls in bare:
        decorator(cls)
    return (time.perf_counter() - started) * 1000 / n


def make(decorator: Decorator, n: int) -> float:
    """Microseconds per instance of a 20-field class, over ``n`` instances."""
    cls = decorator(bare_class(20))
    args = tuple(range(10))
    started = time.perf_counter()
    for _ in range(n):
        cls(*args)
    return (time.perf_counter() - started) * 1e6 / n


def compare_and_hash(decorator: Decorator, n: int) -> float:
    """Microseconds per ``a == b`` plus ``hash(a)`` of two equal 20-field instances."""
    cls = decorator(bare_class(20))
    a, b = cls(*range(10)), cls(*range(10))
    started = time.perf_counter()
    for _ in range(n):
        assert a == b
        hash(a)
    return (time.perf_counter() - started) * 1e6 / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", type=int, default=200, help="classes per way and round")
    parser.add_argument("--instances", type=int, default=20_000,
                        help="instances per way and round")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    defined: dict[str, list[float]] = {way: [] for way in WAYS}
    made: dict[str, list[float]] = {way: [] for way in WAYS}
    used: dict[str, list[float]] = {way: [] for way in WAYS}
    for _ in range(args.rounds):
        for way, decorator in WAYS.items():
            defined[way].append(define(decorator, args.classes))
            made[way].append(make(decorator, args.instances))
            used[way].append(compare_and_hash(decorator, args.instances))
    print(f"{args.rounds} rounds, {sys.version.split()[0]}")
    for title, results, unit in (("define a class of 8 fields", defined, "ms"),
                                 ("make an instance of 20 fields", made, "us"),
                                 ("compare two and hash one (20 fields)", used, "us")):
        medians = {way: statistics.median(values) for way, values in results.items()}
        frozen, rec = medians["dataclass(frozen=True)"], medians["@record"]
        print(f"{title}: dataclass(frozen=True) {frozen:.3f} {unit}, @record {rec:.3f} {unit}"
              f" ({rec / frozen:.2f}x)")


if __name__ == "__main__":
    main()
