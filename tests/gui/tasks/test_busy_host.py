"""A host that answers "not now" (429) at submit: the task list and its details say what the
engine is doing, and the take ends succeeded with one task at the host."""

from __future__ import annotations

from typing import Any

import httpx

from vidu_desktop.core.states import TaskState

from ..review.test_review import finished, submit


def test_the_list_says_the_host_is_busy_and_the_take_then_succeeds(windows: Any, qtbot: Any,
                                                                     run: Any,
                                                                     emulator: Any) -> None:
    httpx.post(f"{emulator.url}/_emulator/faults", json={
        "action": "status", "route": "submit", "status": 429, "retry_after": 2,
        "times": 1}).raise_for_status()
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    model = window.task_list.model
    waiting = "waiting for Vidu: rate limited, next try in 2 s"
    qtbot.waitUntil(lambda: waiting in getattr(model.record_of(local_id), "detail", ""),
                    timeout=10_000)
    # the list's State column (the host is in the Task column beside it)
    assert window.task_list.state_of(local_id) == "rate limited, next try in 2 s"
    details = window.task_list.view.details
    details.show_record(model.record_of(local_id))
    assert waiting in details.state.text()
    if not details.error_box.isHidden():  # the host's answer, and what the app does about it
        assert "waits and retries by itself" in details.error_hint.text()
    rec = finished(window, qtbot, local_id)
    assert rec.state == TaskState.SUCCEEDED and rec.submit_attempts == 1
    counts = httpx.get(f"{emulator.url}/_emulator/counters").json()
    assert sum(counts["submissions"]["vidu"].values()) == 1
