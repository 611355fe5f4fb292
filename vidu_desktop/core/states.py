"""The task state machine. Every transition the app knows is listed here, and only here.

Providers map their wire states (created/queueing/processing/success/failed, TASK_STATUS_*,
QUEUED/PROCESSING/COMPLETED/FAILED, pending/in_progress/completed/failed) onto these.
"""

from __future__ import annotations

from enum import StrEnum


class TaskState(StrEnum):
    DRAFT = "draft"  # composed, not yet sent (outbox waits here)
    SUBMITTING = "submitting"  # the submit request is in flight: outcome not yet known
    OUTCOME_UNKNOWN = "outcome_unknown"  # submit may or may not have reached the host
    QUEUED = "queued"  # accepted by the host, waiting for a worker
    PROCESSING = "processing"  # rendering on the host
    DOWNLOADING = "downloading"  # the host succeeded; the result is being fetched
    SUCCEEDED = "succeeded"  # the video is on disk and verified
    FAILED = "failed"  # the host or the app gave up; see the error
    CANCELLED = "cancelled"  # cancelled on the server
    UNTRACKED = "untracked"  # the user stopped tracking; the server task may go on (and bill)

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL

    @property
    def is_active(self) -> bool:
        return self in ACTIVE


TERMINAL = frozenset({TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED,
                      TaskState.UNTRACKED})
#: States in which the engine has work to do for the task (resume these at start).
ACTIVE = frozenset({TaskState.SUBMITTING, TaskState.QUEUED, TaskState.PROCESSING,
                    TaskState.DOWNLOADING})

_S = TaskState
TRANSITIONS: dict[TaskState, frozenset[TaskState]] = {
    _S.DRAFT: frozenset({_S.SUBMITTING, _S.CANCELLED, _S.FAILED}),
    _S.SUBMITTING: frozenset({_S.QUEUED, _S.PROCESSING, _S.DOWNLOADING, _S.FAILED,
                              _S.OUTCOME_UNKNOWN, _S.DRAFT}),
    _S.OUTCOME_UNKNOWN: frozenset({_S.QUEUED, _S.PROCESSING, _S.DOWNLOADING, _S.FAILED,
                                   _S.SUBMITTING, _S.UNTRACKED}),
    _S.QUEUED: frozenset({_S.PROCESSING, _S.DOWNLOADING, _S.FAILED, _S.CANCELLED,
                          _S.UNTRACKED}),
    _S.PROCESSING: frozenset({_S.DOWNLOADING, _S.FAILED, _S.CANCELLED, _S.UNTRACKED,
                              _S.QUEUED}),
    _S.DOWNLOADING: frozenset({_S.SUCCEEDED, _S.FAILED, _S.UNTRACKED}),
    # tracking can be taken up again by id (a timeout, an outage, a failed download)
    _S.FAILED: frozenset({_S.QUEUED, _S.PROCESSING, _S.DOWNLOADING}),
    _S.SUCCEEDED: frozenset({_S.DOWNLOADING}),  # the video file was lost: fetch it again
    _S.CANCELLED: frozenset(),
    _S.UNTRACKED: frozenset({_S.QUEUED, _S.PROCESSING, _S.DOWNLOADING}),  # resumed by id
}


class TaskMark(StrEnum):
    """The user's verdict on a task (a take): starred (chosen), rejected, or none."""

    NONE = ""
    STAR = "star"
    REJECT = "reject"


class InvalidTransition(ValueError):
    pass


def can_transition(old: TaskState, new: TaskState) -> bool:
    return old == new or new in TRANSITIONS[old]


def check_transition(old: TaskState, new: TaskState) -> None:
    if not can_transition(old, new):
        raise InvalidTransition(f"a task cannot go from {old} to {new}")
