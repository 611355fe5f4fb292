"""Scripted faults: what the emulator does wrong, when and how often, deterministic with a seed.

A rule matches a host (``host``, or any; ``provider`` is the older name of the same field and
still accepted), a route kind (submit, poll, list, cancel, result, download, task, account, any)
and fires ``times`` times (None: always) after skipping ``after`` matches, with a
``probability`` drawn from the seeded generator.

Actions on HTTP routes: ``status`` (answer ``status`` in the host's error shape, with
``retry_after``), ``slow`` (wait ``delay_s`` then answer normally), ``reset`` (cut the connection
mid-body), ``truncate`` (downloads: send part of the file, then cut), ``stall`` (downloads: send
half the file, wait ``delay_s``, then the rest), ``malformed`` (200 with
broken JSON), ``expire`` (downloads: the signed URL has expired).
Actions on tasks (route ``task``, taken at submit): ``fail`` (the task fails with ``code``),
``stuck`` (it stays queued), ``pad`` (not a failure: the task succeeds with its video padded to
``size_bytes`` by a trailing MP4 ``free`` box, a big result for download tests).

Text form for the CLI: ``action=status,status=429,route=submit,host=vidu,retry_after=2,times=1``.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from vidu_desktop.core.capabilities import ProviderId

ACTIONS = frozenset({"status", "slow", "reset", "truncate", "stall", "malformed", "expire",
                     "fail", "stuck", "pad"})
ROUTES = frozenset({"submit", "poll", "list", "cancel", "result", "download", "task", "account",
                    "any"})
HOSTS = frozenset(p.value for p in ProviderId)
#: Other names a rule's fields are known by: the README (and ``--fault``) say ``host``.
ALIASES = {"host": "provider"}
TASK_ACTIONS = frozenset({"fail", "stuck", "pad"})


@dataclass
class FaultRule:
    """A fault the emulator injects: what it does, on which route and host, and how."""

    action: str
    route: str = "any"
    provider: str | None = None
    status: int = 500
    retry_after: float | None = None
    delay_s: float = 0.0
    code: str = ""  # the provider's failure code for ``fail`` (e.g. CreationPolicyViolation)
    message: str = ""
    size_bytes: int = 0  # ``pad``: the size of the padded result video
    times: int | None = 1
    after: int = 0
    probability: float = 1.0
    id: int = 0

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown fault action {self.action!r}; one of {sorted(ACTIONS)}")
        if self.route not in ROUTES:
            raise ValueError(f"unknown fault route {self.route!r}; one of {sorted(ROUTES)}")
        if self.provider is not None and self.provider not in HOSTS:
            raise ValueError(f"unknown fault host {self.provider!r}; one of {sorted(HOSTS)}")
        if self.action in TASK_ACTIONS:
            self.route = "task"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultRule:
        """A rule from JSON (the control API), ``host`` or ``provider`` naming the host."""
        return cls(**_unalias(data))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _unalias(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        real = ALIASES.get(name, name)
        if real in out and out[real] != value:
            raise ValueError(f"fault field {real!r} given twice, as {name!r} too")
        out[real] = value
    return out


def parse_fault(text: str) -> FaultRule:
    """``action=status,status=503,route=poll,host=vidu,times=2`` -> FaultRule."""
    types = {f.name: f.type for f in fields(FaultRule)}
    names = sorted((set(types) - {"id", "provider"}) | set(ALIASES))
    values: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, raw = part.partition("=")
        name = ALIASES.get(name.strip(), name.strip())
        if not sep or name not in types or name == "id":
            raise ValueError(f"bad fault field {part!r}; fields: {names}")
        if name in values:
            raise ValueError(f"fault field {part!r} given twice")
        kind = str(types[name])
        if raw.lower() in ("none", "always") and "None" in kind:
            values[name] = None
        elif "int" in kind and "float" not in kind:
            values[name] = int(raw)
        elif "float" in kind:
            values[name] = float(raw)
        else:
            values[name] = raw
    if "action" not in values:
        raise ValueError("a fault needs action=...")
    return FaultRule(**values)


class FaultPlan:
    """The active rules. Thread-safe: tests add rules from another thread."""

    def __init__(self, seed: int = 0) -> None:
        self._rules: list[FaultRule] = []
        self._seen: dict[int, int] = {}
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._next_id = 1
        self.fired: list[dict[str, Any]] = []

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            rule.id = self._next_id
            self._next_id += 1
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._seen.clear()

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def take(self, provider: str, route: str) -> FaultRule | None:
        """The first rule that fires for this request, consuming one of its ``times``."""
        with self._lock:
            for rule in self._rules:
                if rule.provider not in (None, provider):
                    continue
                if rule.route != route and not (rule.route == "any" and route != "task"):
                    continue
                seen = self._seen.get(rule.id, 0)
                self._seen[rule.id] = seen + 1
                if seen < rule.after:
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self._rules.remove(rule)
                self.fired.append({"id": rule.id, "action": rule.action, "route": route,
                                   "provider": provider})
                return rule
        return None
