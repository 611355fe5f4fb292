"""A host's account, where it has an endpoint for it: the balance, the concurrency limit, the
tasks running and queued now. ``AccountSource`` is what an adapter implements to give it (Vidu's
``GET /ent/v2/credits``); the others have no such endpoint."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from vidu_desktop.core.records import record


@record
class AccountInfo:
    balance: float | None  # None: the host did not say
    unit: str  # "credits" | "USD"
    concurrency_limit: int | None = None  # tasks the host runs at once for the account
    running: int | None = None  # tasks running now
    queued: int | None = None  # tasks waiting for a slot


@runtime_checkable
class AccountSource(Protocol):
    async def account_info(self) -> AccountInfo:
        """The account now; AppError when the host cannot say."""
        ...
