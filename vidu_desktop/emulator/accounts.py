"""Keys, balances and counters: who may call, what they can afford, what was submitted."""

from __future__ import annotations

import threading
from collections import Counter


class Accounts:
    def __init__(self, keys: dict[str, float]) -> None:
        self._lock = threading.Lock()
        self._start = dict(keys)
        self._balances: dict[tuple[str, str], float] = {}
        self._granted: dict[tuple[str, str], float] = {}  # balances set for one host
        self.submissions: Counter[tuple[str, str]] = Counter()  # (provider, key) -> accepted
        self.requests: Counter[tuple[str, str]] = Counter()  # (provider, route) -> requests

    def valid(self, key: str) -> bool:
        with self._lock:
            return key in self._start

    def set_key(self, key: str, balance: float, provider: str | None = None) -> None:
        with self._lock:
            if provider is None:
                self._start[key] = balance
                for pk in [pk for pk in self._balances if pk[1] == key]:
                    del self._balances[pk]
                    self._granted.pop(pk, None)
            else:
                self._start.setdefault(key, balance)
                self._balances[(provider, key)] = balance
                self._granted[(provider, key)] = balance

    def remove_key(self, key: str) -> None:
        with self._lock:
            self._start.pop(key, None)

    def balance(self, provider: str, key: str) -> float:
        with self._lock:
            return self._balances.get((provider, key), self._start.get(key, 0.0))

    def granted(self, provider: str, key: str) -> float:
        """The balance the key was given on this host, before any charge."""
        with self._lock:
            return self._granted.get((provider, key), self._start.get(key, 0.0))

    def can_afford(self, provider: str, key: str, cost: float) -> bool:
        return self.balance(provider, key) >= cost

    def charge(self, provider: str, key: str, cost: float) -> float:
        with self._lock:
            now = self._balances.get((provider, key), self._start.get(key, 0.0)) - cost
            self._balances[(provider, key)] = round(now, 6)
            return now

    def count_submission(self, provider: str, key: str) -> None:
        with self._lock:
            self.submissions[(provider, key)] += 1

    def count_request(self, provider: str, route: str) -> None:
        with self._lock:
            self.requests[(provider, route)] += 1

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            subs: dict[str, dict[str, int]] = {}
            for (provider, key), n in self.submissions.items():
                subs.setdefault(provider, {})[key] = n
            reqs: dict[str, dict[str, int]] = {}
            for (provider, route), n in self.requests.items():
                reqs.setdefault(provider, {})[route] = n
            return {"submissions": subs, "requests": reqs}
