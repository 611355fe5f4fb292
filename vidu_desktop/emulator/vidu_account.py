"""Vidu's account info, ``GET /ent/v2/credits`` (platform.vidu.com/docs/get-account-info).

Auth ``Authorization: Token {key}``; the query takes ``show_detail`` ("whether to display
details of all active packages", default false). The answer:

``{"remains": [{type, credit_remain, concurrency_limit, current_concurrency, queue_count}],
"packages": [{id, name, type, concurrency, credit_amount, credit_remain, created_at,
purchase_at, valid_from, valid_to}]}``

Where the sources disagree: the page's field table names the first array ``remaining_credits``,
its example (and every copy of it) ``remains``; the emulator answers ``remains``, as the example.
The table marks ``show_detail`` "Required" yet gives it a default; the emulator treats it as
optional.

Emulator choices where the docs are silent [I]: one ``metered`` (credit package) entry per key,
its ``credit_remain`` the key's balance on this host (an Int as documented; a fractional test
balance is given as is); ``concurrency_limit`` the capability table's 5, ``current_concurrency``
the key's tasks holding one of those slots, ``queue_count`` the key's unfinished tasks waiting
for one. ``packages`` is ``[]`` unless ``show_detail`` is true (then the one package, granted
when the emulator started and valid a year). ``show_detail`` takes Go's boolean words (``true``,
``1``, ``t``, ... ``false``, ``0``, ``f``, ...) and, bare (``?show_detail``), means true; any
other value is ``FieldInvalid``; another query parameter is ``FieldUnwanted``.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from .fields import FieldProblem

if TYPE_CHECKING:
    from .contract import Contract

_TRUE = {"", "1", "t", "true"}
_FALSE = {"0", "f", "false"}
_PARAMS = {"show_detail"}
PACKAGE_TYPE = "metered"  # the docs' "Credit package"
PACKAGE_DAYS = 365


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def whole_credits(amount: float) -> float | int:
    """Credits as the docs type them (Int); a fractional test balance stays as it is."""
    return int(amount) if float(amount).is_integer() else round(amount, 2)


def show_detail(request: Request) -> bool:
    """The ``show_detail`` query flag, strictly read."""
    unknown = sorted(set(request.query_params.keys()) - _PARAMS)
    if unknown:
        raise FieldProblem("unknown", ",".join(unknown), f"unwanted field: {', '.join(unknown)}")
    raw = request.query_params.get("show_detail")
    if raw is None:
        return False
    word = raw.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise FieldProblem("invalid", "show_detail",
                       "invalid field: show_detail (accepted values: true, false)")


class ViduAccount:
    """The account endpoint of one Vidu contract."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.started = datetime.fromtimestamp(time.time(), UTC)

    async def credits(self, request: Request, key: str) -> Response:
        detail = show_detail(request)
        world, host = self.contract.world, self.contract.pid.value
        limit = self.contract.spec.concurrency or 0
        running, waiting = world.board.load(host, key)
        remain = whole_credits(world.accounts.balance(host, key))
        body: dict[str, Any] = {
            "remains": [{"type": PACKAGE_TYPE, "credit_remain": remain,
                         "concurrency_limit": limit, "current_concurrency": running,
                         "queue_count": waiting}],
            "packages": [],
        }
        if detail:
            start = self.started
            body["packages"].append({
                "id": str(int(hashlib.sha256(f"{host}:{key}".encode()).hexdigest()[:15], 16)),
                "name": "Emulator credits", "type": PACKAGE_TYPE, "concurrency": limit,
                "credit_amount": whole_credits(world.accounts.granted(host, key)),
                "credit_remain": remain, "created_at": _stamp(start),
                "purchase_at": _stamp(start), "valid_from": _stamp(start),
                "valid_to": _stamp(start + timedelta(days=PACKAGE_DAYS)),
            })
        return self.contract.json(body)
