"""The app's asyncio loop: qasync's, with its last pass made a pass of the loop.

When Qt's event loop stops, qasync runs what is still queued once more (the last
``processEvents`` of ``run_until_complete``) after it has already said that no loop runs. Every
step that asks for its loop there fails: ``asyncio.current_task()``, anyio's delivery of a
cancel, an httpx request that was connecting. That happens when Qt's loop ends on its own (the
display went away), with requests in flight: an account request then failed with "no running
event loop" and anyio's cancel delivery reached the crash handler. Here the loop is still the
running one for that last pass, and no longer after it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import qasync


class QtLoop(qasync.QEventLoop):  # type: ignore[misc]  # qasync has no type information
    _last_pass = False

    def run_until_complete(self, future: Any) -> Any:
        if self.is_running():
            return super().run_until_complete(future)  # which says it runs already
        self._last_pass = True
        try:
            return super().run_until_complete(future)
        finally:
            self._last_pass = False
            if asyncio.events._get_running_loop() is self:
                asyncio.events._set_running_loop(None)

    def run_forever(self) -> Any:
        try:
            return super().run_forever()
        finally:
            if self._last_pass:  # run_until_complete's last processEvents comes next
                asyncio.events._set_running_loop(self)
