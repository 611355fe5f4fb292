"""The words a task's error carries once the engine has decided what happens next.

The error kinds' own hints (``core/errors.py``) describe the engine's first reaction ("the app
waits and retries"). When the engine stops retrying, or does something else (reconciles a lost
submit, fails a refused one), the error it stores is rewritten here, so that what the user reads
is what the engine does. ``tests/engine/test_hint_truth.py`` holds each promise against the
engine's behaviour on every host.
"""

from __future__ import annotations

from vidu_desktop.core.errors import AppError, ErrorKind, Promise


def span(seconds: float) -> str:
    """A stretch of time in words: "30 min", "45 s", "0.3 s"."""
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.3g} s"


def busy_reason(err: AppError) -> str:
    """A few words for why a host did not take a task now ("rate limited", "server busy")."""
    if err.kind == ErrorKind.RATE_LIMITED:
        return "rate limited"
    status = f" (HTTP {err.http_status})" if err.http_status else ""
    return f"server busy{status}"


def refused(err: AppError) -> AppError:
    """A submit the host refused: no task was made. An error whose hint promised a retry
    (a host that refused with a passing reason the table counts as final) says so instead."""
    return err.settled("Nothing was charged. Send it again later (Retry as a new submission).",
                       Promise.RESEND)


def gave_up(err: AppError, host: str, waited_s: float) -> AppError:
    """The host kept refusing for a passing reason until the submit's time ran out."""
    return err.with_hint(
        f"{host} did not take the task in {span(waited_s)} ({busy_reason(err)}); nothing was "
        "charged. Send it again later (Retry as a new submission), or send fewer tasks at once.",
        Promise.RESEND)


def lost_answer(err: AppError, host: str) -> AppError:
    """A submit whose answer was lost: the task may exist (and be billed) at the host."""
    return err.with_hint(
        f"The app asks {host} whether the task arrived; it never sends it twice on its own.",
        Promise.RECONCILE)


def unresolved(err: AppError | None, detail: str, promise: Promise) -> AppError:
    """The error left on a task whose submit outcome is still unknown, with ``detail`` (what
    the user can do) as its hint."""
    base = err or AppError(ErrorKind.PROTOCOL, "The app cannot tell whether the host received "
                           "the task.")
    return base.with_hint(detail[:1].upper() + detail[1:].rstrip(".") + ".", promise)


def stopped(err: AppError) -> AppError:
    """Following or downloading stopped on ``err``: the task is kept and can be resumed."""
    return err.settled()
