"""Cancelling a task: on the server where the host allows it, else stop tracking, and say which.

Only Vidu has a cancel endpoint, and only for a task that has not started processing (then it
is not charged). Everywhere else, and on Vidu once processing, the app can only stop following
the task: the host will finish it and may charge it, and the task's detail says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.states import TaskState
from vidu_desktop.providers.base import CancelOutcome

from .lifecycle import Lifecycle

if TYPE_CHECKING:
    from .context import CancelContext

_S = TaskState


async def cancel_task(engine: CancelContext, local_id: str) -> CancelOutcome:
    rec = engine.tasks.get(local_id)
    if rec is None:
        raise AppError(ErrorKind.LOCAL, f"No task {local_id} in the library.")
    if rec.state.is_terminal:
        raise AppError(ErrorKind.LOCAL, f"Task {local_id} is already {rec.state}.")
    await engine.stop_running(local_id)
    rec = engine.tasks.get(local_id) or rec  # it may have moved while it was stopping
    life = Lifecycle(engine, local_id)
    if rec.state.is_terminal:
        raise AppError(ErrorKind.LOCAL, f"Task {local_id} is already {rec.state}.")
    if rec.state == _S.DRAFT:
        engine.outbox.remove(local_id)
        life.move(_S.CANCELLED, detail="removed from the outbox; nothing was sent")
        return CancelOutcome.CANCELLED_ON_SERVER
    adapter = engine.adapter(rec.provider)
    host = adapter.spec.display_name
    outcome = CancelOutcome.NOT_SUPPORTED
    if rec.remote_id and adapter.supports_cancel:
        try:
            async with engine.host_slot(rec.provider):
                outcome = await adapter.cancel(rec.remote_id)
        except AppError:
            engine.track(local_id)  # the cancel did not go through: keep following it
            raise
    if outcome == CancelOutcome.CANCELLED_ON_SERVER:
        life.move(_S.CANCELLED, detail=f"cancelled on {host} before it started; not charged")
        return outcome
    if not rec.remote_id:
        why = (f"stopped tracking only: the submit may have reached {host}, which may still "
               "run the task and charge it")
    elif outcome == CancelOutcome.TOO_LATE:
        why = (f"too late to cancel: {host} has already started it; stopped tracking only, "
               "the host will finish it and may still charge it")
    else:
        why = (f"{host} has no cancel: stopped tracking only; the host may still finish the "
               "task and charge it")
    if rec.state == _S.SUBMITTING:
        life.move(_S.OUTCOME_UNKNOWN, detail="stopped while submitting")
    life.move(_S.UNTRACKED, detail=why)
    return outcome
