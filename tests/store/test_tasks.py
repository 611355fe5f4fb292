"""The task table: persist first, the state machine, history, queries, spend, delete."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.states import InvalidTransition, TaskState
from vidu_desktop.store.artifacts import ArtifactKind, ArtifactStore, MediaLayout
from vidu_desktop.store.db import open_database
from vidu_desktop.store.errors import StoreError, TaskNotFoundError
from vidu_desktop.store.outbox import Outbox
from vidu_desktop.store.tasks import RESUMABLE, TaskStore

from .conftest import FakeClock, make_request

S = TaskState


def test_row_exists_and_says_submitting_before_the_remote_id(
        tasks: TaskStore, db_path: Path) -> None:
    record = tasks.create(make_request(seed=42), group_id="g1", take_index=0)
    assert record.state == S.SUBMITTING
    assert record.remote_id is None
    assert record.submit_attempts == 0
    assert len(record.local_id) == 32 and len(record.client_token) == 32
    assert record.seed == 42
    assert record.request == make_request(seed=42)
    assert record.estimated_cost == 8 and record.estimated_cost_unit == "credits"

    # another connection (another process) sees it at once: it was committed
    other = sqlite3.connect(db_path)
    state, remote = other.execute("SELECT state, remote_id FROM tasks WHERE local_id = ?",
                                  (record.local_id,)).fetchone()
    other.close()
    assert (state, remote) == ("submitting", None)


def test_submit_is_counted_once_and_a_second_send_must_be_explicit(tasks: TaskStore) -> None:
    record = tasks.create(make_request())
    assert tasks.record_submit_attempt(record.local_id) == 1
    with pytest.raises(StoreError, match="explicit resend"):
        tasks.record_submit_attempt(record.local_id)
    tasks.set_remote_id(record.local_id, "vidu-123", trace_id="tr-1", resolved_seed=305233514)
    tasks.transition(record.local_id, S.QUEUED, remote_state="queueing")
    with pytest.raises(StoreError, match="not submitting"):
        tasks.record_submit_attempt(record.local_id, resend=True)
    stored = tasks.get(record.local_id)
    assert stored is not None
    assert stored.submit_attempts == 1
    assert stored.submitted_at is not None
    assert stored.remote_id == "vidu-123" and stored.trace_id == "tr-1"
    assert stored.resolved_seed == 305233514 and stored.result_url == ""


def test_outcome_unknown_then_resend_counts_two(tasks: TaskStore, clock: FakeClock) -> None:
    record = tasks.create(make_request())
    tasks.record_submit_attempt(record.local_id)
    first_submit = clock.now
    clock.advance()
    tasks.transition(record.local_id, S.OUTCOME_UNKNOWN, detail="connection reset")
    tasks.transition(record.local_id, S.SUBMITTING, detail="user chose to resend")
    assert tasks.record_submit_attempt(record.local_id, resend=True) == 2
    stored = tasks.get(record.local_id)
    assert stored is not None and stored.submitted_at == first_submit


def test_crash_after_writing_leaves_a_row_that_says_what_is_known(db_path: Path) -> None:
    open_database(db_path).close()
    script = textwrap.dedent(f"""
        import os
        from vidu_desktop.core.capabilities import ProviderId
        from vidu_desktop.core.request import GenerationRequest, ReferenceImage
        from vidu_desktop.core.states import TaskState
        from vidu_desktop.store.db import open_database
        from vidu_desktop.store.tasks import TaskStore
        tasks = TaskStore(open_database({str(db_path)!r}))
        request = GenerationRequest(ProviderId.VIDU, "viduq1", "crash test",
                                    (ReferenceImage("https://example.com/a.png"),))
        a = tasks.create(request, local_id="sent")
        tasks.record_submit_attempt("sent")
        tasks.set_remote_id("sent", "remote-1")
        tasks.transition("sent", TaskState.QUEUED)
        b = tasks.create(request, local_id="in-flight")
        tasks.record_submit_attempt("in-flight")
        os._exit(3)  # no close, no cleanup: a crash
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    tasks = TaskStore(open_database(db_path))
    sent = tasks.get("sent")
    in_flight = tasks.get("in-flight")
    assert sent is not None and in_flight is not None
    assert (sent.state, sent.remote_id) == (S.QUEUED, "remote-1")
    # sent once, no answer recorded: the engine must reconcile, not resend
    assert (in_flight.state, in_flight.remote_id, in_flight.submit_attempts) == (
        S.SUBMITTING, None, 1)
    assert {r.local_id for r in tasks.active()} == {"sent", "in-flight"}


def test_reopening_shows_the_same_state(db_path: Path, clock: FakeClock) -> None:
    conn = open_database(db_path)
    tasks = TaskStore(conn, clock=clock)
    record = tasks.create(make_request())
    tasks.set_remote_id(record.local_id, "r-9")
    tasks.transition(record.local_id, S.PROCESSING, progress=40.0)
    conn.close()
    reopened = TaskStore(open_database(db_path)).get(record.local_id)
    assert reopened is not None
    assert (reopened.state, reopened.remote_id, reopened.progress) == (S.PROCESSING, "r-9", 40.0)


def test_invalid_transitions_raise_and_change_nothing(tasks: TaskStore) -> None:
    record = tasks.create(make_request())
    with pytest.raises(InvalidTransition):
        tasks.transition(record.local_id, S.SUCCEEDED)
    tasks.transition(record.local_id, S.FAILED)
    tasks.transition(record.local_id, S.DOWNLOADING)  # a failed download can be retried
    tasks.transition(record.local_id, S.SUCCEEDED)
    for target in (S.QUEUED, S.FAILED, S.SUBMITTING, S.DRAFT):
        with pytest.raises(InvalidTransition):
            tasks.transition(record.local_id, target)
    stored = tasks.get(record.local_id)
    assert stored is not None and stored.state == S.SUCCEEDED
    assert [e.new_state for e in tasks.events(record.local_id)] == [
        S.SUBMITTING, S.FAILED, S.DOWNLOADING, S.SUCCEEDED]
    with pytest.raises(TaskNotFoundError):
        tasks.transition("nope", S.QUEUED)


def test_history_is_ordered_with_timestamps_and_timings(tasks: TaskStore,
                                                        clock: FakeClock) -> None:
    t0 = clock.now
    record = tasks.create(make_request())
    steps = [(S.QUEUED, "position 2"), (S.PROCESSING, ""), (S.DOWNLOADING, ""),
             (S.SUCCEEDED, "verified")]
    for state, detail in steps:
        clock.advance(10)
        tasks.transition(record.local_id, state, detail=detail)
    events = tasks.events(record.local_id)
    assert [(e.old_state, e.new_state) for e in events] == [
        (None, S.SUBMITTING), (S.SUBMITTING, S.QUEUED), (S.QUEUED, S.PROCESSING),
        (S.PROCESSING, S.DOWNLOADING), (S.DOWNLOADING, S.SUCCEEDED)]
    assert [e.at for e in events] == [t0, t0 + 10, t0 + 20, t0 + 30, t0 + 40]
    assert events[1].detail == "position 2"
    done = tasks.get(record.local_id)
    assert done is not None
    assert (done.queued_at, done.started_at, done.result_at, done.finished_at) == (
        t0 + 10, t0 + 20, t0 + 30, t0 + 40)
    assert done.progress == 100.0 and done.detail == "verified"


def test_same_state_updates_progress_without_history(tasks: TaskStore) -> None:
    record = tasks.create(make_request())
    tasks.transition(record.local_id, S.PROCESSING)
    for pct in (10.0, 50.0, 90.0):
        tasks.transition(record.local_id, S.PROCESSING, progress=pct, remote_state="processing")
    tasks.record_poll(record.local_id, remote_state="processing", progress=95.0)
    stored = tasks.get(record.local_id)
    assert stored is not None
    assert (stored.progress, stored.poll_count, stored.remote_state) == (95.0, 1, "processing")
    assert len(tasks.events(record.local_id)) == 2


def test_errors_are_stored_with_trace_id_and_cleared_on_success(tasks: TaskStore,
                                                                clock: FakeClock) -> None:
    record = tasks.create(make_request())
    tasks.transition(record.local_id, S.DOWNLOADING)
    error = AppError(ErrorKind.BAD_RESULT, trace_id="trace-77", http_status=200)
    clock.advance()
    tasks.transition(record.local_id, S.FAILED, detail="not an MP4", error=error)
    failed = tasks.get(record.local_id)
    assert failed is not None and failed.error is not None
    assert (failed.error.kind, failed.error.trace_id, failed.trace_id) == (
        ErrorKind.BAD_RESULT, "trace-77", "trace-77")
    assert failed.error.hint and failed.finished_at == clock.now
    assert tasks.events(record.local_id)[-1].error is not None
    # a retryable error while staying in a state is recorded in the history too
    tasks.transition(record.local_id, S.DOWNLOADING)
    assert tasks.get(record.local_id).finished_at is None  # type: ignore[union-attr]
    tasks.transition(record.local_id, S.DOWNLOADING, error=AppError(ErrorKind.TIMEOUT))
    assert len(tasks.events(record.local_id)) == 5
    assert tasks.record_download_attempt(record.local_id) == 1
    assert tasks.record_download_attempt(record.local_id) == 2
    tasks.transition(record.local_id, S.SUCCEEDED)
    done = tasks.get(record.local_id)
    assert done is not None and done.error is None and done.download_attempts == 2


def test_result_cost_and_billing_fields(tasks: TaskStore) -> None:
    record = tasks.create(make_request())
    tasks.set_result(record.local_id, url="https://cdn.example/v.mp4", expires_at=123.0,
                     cover_url="https://cdn.example/c.jpg", resolved_seed=987)
    tasks.set_cost(record.local_id, 8.0, "credits")
    tasks.set_billing(record.local_id, credits=8.0, balance=992.0, balance_unit="credits")
    stored = tasks.get(record.local_id)
    assert stored is not None
    assert (stored.result_url, stored.result_expires_at, stored.cover_url,
            stored.resolved_seed) == ("https://cdn.example/v.mp4", 123.0,
                                      "https://cdn.example/c.jpg", 987)
    assert (stored.actual_cost, stored.actual_cost_unit, stored.credits, stored.balance,
            stored.balance_unit) == (8.0, "credits", 8.0, 992.0, "credits")


def test_lookups_by_remote_id_and_client_token(tasks: TaskStore) -> None:
    a = tasks.create(make_request())
    b = tasks.create(make_request(provider=ProviderId.NOVITA, model="vidu-q1"))
    tasks.set_remote_id(a.local_id, "same-id")
    tasks.set_remote_id(b.local_id, "same-id")  # ids are unique per host only
    assert tasks.by_remote_id("same-id", "vidu").local_id == a.local_id  # type: ignore[union-attr]
    found = tasks.by_remote_id("same-id", ProviderId.NOVITA)
    assert found is not None and found.local_id == b.local_id
    assert tasks.by_client_token(b.client_token).local_id == b.local_id  # type: ignore[union-attr]
    assert tasks.by_remote_id("missing") is None
    c = tasks.create(make_request())
    with pytest.raises(StoreError, match="already belongs"):
        tasks.set_remote_id(c.local_id, "same-id")


def test_active_and_count_by_state(tasks: TaskStore) -> None:
    ids = {}
    for state in S:
        ids[state] = tasks.create(make_request(state.value)).local_id
    path = {S.DRAFT: [S.SUBMITTING, S.DRAFT], S.OUTCOME_UNKNOWN: [S.OUTCOME_UNKNOWN],
            S.QUEUED: [S.QUEUED], S.PROCESSING: [S.PROCESSING],
            S.DOWNLOADING: [S.DOWNLOADING], S.SUCCEEDED: [S.DOWNLOADING, S.SUCCEEDED],
            S.FAILED: [S.FAILED], S.CANCELLED: [S.QUEUED, S.CANCELLED],
            S.UNTRACKED: [S.QUEUED, S.UNTRACKED]}
    for state, steps in path.items():
        for step in steps:
            tasks.transition(ids[state], step)
    assert {r.local_id for r in tasks.active()} == {ids[s] for s in RESUMABLE}
    resumable = {S.SUBMITTING, S.QUEUED, S.PROCESSING, S.DOWNLOADING, S.OUTCOME_UNKNOWN}
    assert resumable == RESUMABLE
    assert tasks.count_by_state() == dict.fromkeys(S, 1)
    assert [r.state for r in tasks.in_states([S.FAILED])] == [S.FAILED]


def test_spend_today_sums_actual_cost_per_unit_for_tasks_finished_today(
        tasks: TaskStore, clock: FakeClock) -> None:
    today_noon = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)
    yesterday = (today_noon - timedelta(days=1)).timestamp()

    def finished(at: float, cost: float | None, unit: str, provider: ProviderId) -> None:
        clock.now = at
        model = "viduq1" if provider == ProviderId.VIDU else "vidu-q1"
        record = tasks.create(make_request(provider=provider, model=model))
        if cost is not None:
            tasks.set_cost(record.local_id, cost, unit)
        tasks.transition(record.local_id, S.FAILED)

    finished(today_noon.timestamp(), 8, "credits", ProviderId.VIDU)
    finished(today_noon.timestamp() + 60, 4, "credits", ProviderId.VIDU)
    finished(today_noon.timestamp() + 120, 0.5, "USD", ProviderId.SEGMIND)
    finished(today_noon.timestamp() + 180, None, "", ProviderId.NOVITA)  # only an estimate
    finished(yesterday, 100, "credits", ProviderId.VIDU)
    assert tasks.spend_today(now=today_noon.timestamp() + 3600) == {"credits": 12.0, "USD": 0.5}



def test_latest_balances_are_the_last_reported_per_host(tasks: TaskStore,
                                                        clock: FakeClock) -> None:
    assert tasks.latest_balances() == {}
    reports = [(ProviderId.SEGMIND, "vidu-q1", 10.0, 7.5), (ProviderId.SEGMIND, "vidu-q1",
               20.0, 7.0), (ProviderId.VIDU, "viduq1", 30.0, None),
               (ProviderId.SEGMIND, "vidu-q1", 15.0, 7.25)]  # older than the 20 s report
    for provider, model, at, balance in reports:
        clock.now = at
        record = tasks.create(make_request(provider=provider, model=model))
        tasks.set_billing(record.local_id, balance=balance, balance_unit="USD")
    assert tasks.latest_balances() == {"segmind": (7.0, "USD")}

def test_delete_removes_history_artifacts_outbox_and_optionally_files(
        conn: sqlite3.Connection, tasks: TaskStore, tmp_path: Path) -> None:
    record = tasks.create(make_request(), state=S.DRAFT)
    Outbox(conn).enqueue(record.local_id)
    media = MediaLayout(tmp_path / "media").for_record(record)
    media.folder.mkdir(parents=True)
    for path in (media.video, media.part, media.sidecar):
        path.write_bytes(b"x")
    artifacts = ArtifactStore(conn, tmp_path / "media")
    artifacts.record(record.local_id, ArtifactKind.VIDEO, media.video)
    artifacts.record(record.local_id, ArtifactKind.SIDECAR, media.sidecar)
    keep = tasks.create(make_request("keep me"))
    assert tasks.delete(record.local_id, remove_files=True, media_root=tmp_path / "media") == [
        media.video, media.sidecar]
    assert list(media.folder.iterdir()) == []
    assert tasks.get(record.local_id) is None
    for table in ("task_events", "artifacts", "outbox"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE local_id = ?",
                            (record.local_id,)).fetchone()[0] == 0
    assert tasks.get(keep.local_id) is not None
    with pytest.raises(TaskNotFoundError):
        tasks.delete(record.local_id)


def test_new_tasks_start_as_draft_or_submitting_only(tasks: TaskStore) -> None:
    with pytest.raises(ValueError):
        tasks.create(make_request(), state=S.QUEUED)
