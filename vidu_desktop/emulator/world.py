"""The emulator's shared state: settings, accounts, faults, the task board and the files.

Every contract gets the one ``World``; the contracts themselves are mounted by ``server.py``,
and the world knows them only as ``Mounted`` (a host id and its spec), so this module imports
none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from vidu_desktop.core.capabilities import ProviderId, ProviderSpec

from .accounts import Accounts
from .board import Board
from .config import EmulatorConfig
from .faults import FaultPlan
from .files import FileStore


class Mounted(Protocol):
    """What the world (and the control API) needs of a mounted contract."""

    @property
    def pid(self) -> ProviderId: ...
    @property
    def spec(self) -> ProviderSpec: ...


class World:
    """Everything the contracts share: settings, accounts, faults, tasks, files."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.accounts = Accounts(config.keys)
        self.faults = FaultPlan(config.seed)
        self.board = Board(config, self.accounts, self.faults)
        self.files = FileStore(self.faults)
        self.uploads: dict[str, tuple[bytes, str]] = {}
        #: the mounted contracts (set by the server once they are built)
        self.contracts: Sequence[Mounted] = ()

    async def close(self) -> None:
        for contract in self.contracts:
            closer = getattr(contract, "close", None)
            if closer is not None:
                await closer()
        await self.board.close()
