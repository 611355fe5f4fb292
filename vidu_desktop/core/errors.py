"""The error taxonomy: every failure the user can meet, as data.

An error says what happened (``kind``), a message for the user, a hint on what to do, whether
retrying the same request can help, and the provider's trace id for support.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class ErrorKind(StrEnum):
    AUTH = "auth"  # key missing, wrong or expired
    CREDITS = "credits"  # balance too low
    MODERATION = "moderation"  # input or output refused by content policy
    INVALID_PARAMETER = "invalid_parameter"  # the host (or we) refused a value
    INVALID_IMAGE = "invalid_image"  # a reference image was refused
    RATE_LIMITED = "rate_limited"  # 429: too many requests or tasks
    NETWORK = "network"  # could not reach the host (DNS, refused, reset, offline)
    TIMEOUT = "timeout"  # the host did not answer in time
    OUTAGE = "outage"  # 5xx, host unavailable
    NOT_FOUND = "not_found"  # task unknown or expired at the host
    EXPIRED = "expired"  # result URL expired
    GENERATION_FAILED = "generation_failed"  # the host ran the task and it failed
    CANCELLED = "cancelled"
    PROTOCOL = "protocol"  # the host answered something we cannot read
    BAD_RESULT = "bad_result"  # the downloaded file is not a playable video
    LOCAL = "local"  # disk full, permissions, a bug


class SubmitOutcome(StrEnum):
    """What a failed submit proves about a (paid) task at the host; each host's table of
    answers is ``providers/submit_outcome.py``. Only ``NOT_SENT`` and ``NOT_CREATED`` may be
    sent again without the user; ``UNKNOWN`` is reconciled or left to the user."""

    NOT_SENT = "not_sent"  # the connection was never made
    NOT_CREATED = "not_created"  # the host answered: no task, for a reason that passes
    REJECTED = "rejected"  # the host answered: no task, and the same request fails again
    UNKNOWN = "unknown"  # the request may have made a task

    @property
    def may_be_billed(self) -> bool:
        return self == SubmitOutcome.UNKNOWN


class Promise(StrEnum):
    """What an error's hint says happens next, or what the user should do. The engine keeps
    it true: an error the engine has stopped retrying never says ``AUTOMATIC`` (see
    ``AppError.settled``), and tests hold every hint's words against its promise."""

    AUTOMATIC = "automatic"  # the app waits and retries by itself
    RECONCILE = "reconcile"  # the app asks the host whether a lost submit arrived
    RESUME = "resume"  # the user resumes the task: the same task, no new charge
    RESEND = "resend"  # the user sends the task again (a new submission)
    FIX_INPUT = "fix_input"  # change the prompt, a parameter or a picture
    FIX_KEY = "fix_key"  # the API key
    ADD_CREDITS = "add_credits"
    FIX_SETUP = "fix_setup"  # an address, the disk, the installation: see the log
    NONE = "none"  # nothing to do (a cancelled task)


_P = Promise
_DEFAULTS: dict[ErrorKind, tuple[str, str, bool, Promise]] = {
    ErrorKind.AUTH: ("The host refused the API key.",
                     "Check the key in File → Keys and hosts, or test it there.", False,
                     _P.FIX_KEY),
    ErrorKind.CREDITS: ("Not enough credits on this account.",
                        "Top up the balance at the host, then send the task again.", False,
                        _P.ADD_CREDITS),
    ErrorKind.MODERATION: ("The host's content policy refused this generation.",
                           "Change the prompt or the reference images; sending it as is will "
                           "fail again.", False, _P.FIX_INPUT),
    ErrorKind.INVALID_PARAMETER: ("The host refused a parameter.",
                                  "Change the named value to one of the allowed ones.", False,
                                  _P.FIX_INPUT),
    ErrorKind.INVALID_IMAGE: ("The host refused a reference image.",
                              "Replace or fix the named image.", False, _P.FIX_INPUT),
    ErrorKind.RATE_LIMITED: ("The host is rate-limiting requests.",
                             "The app waits and retries by itself.", True, _P.AUTOMATIC),
    ErrorKind.NETWORK: ("Could not reach the host.",
                        "Check the internet connection; the app retries when it is back.", True,
                        _P.AUTOMATIC),
    ErrorKind.TIMEOUT: ("The host did not answer in time.",
                        "The app retries by itself.", True, _P.AUTOMATIC),
    ErrorKind.OUTAGE: ("The host reported a server error.",
                       "Usually temporary: the app retries with backoff.", True, _P.AUTOMATIC),
    ErrorKind.NOT_FOUND: ("The host does not know this task (any more).",
                          "Check the task id; hosts keep task records only for a while.", False,
                          _P.FIX_INPUT),
    ErrorKind.EXPIRED: ("The result link has expired.",
                        "The app asks the host for a fresh link.", True, _P.AUTOMATIC),
    ErrorKind.GENERATION_FAILED: ("The host could not generate this video.",
                                  "Send it again (a new paid submission) or change the inputs.",
                                  False, _P.RESEND),
    ErrorKind.CANCELLED: ("The task was cancelled.", "", False, _P.NONE),
    ErrorKind.PROTOCOL: ("The host sent an answer the app cannot read.",
                         "The app tries again; copy the trace id if you report it.", True,
                         _P.AUTOMATIC),
    ErrorKind.BAD_RESULT: ("The downloaded file is not a playable video.",
                           "The app downloads it again; the task is kept, so nothing is lost.",
                           True, _P.AUTOMATIC),
    ErrorKind.LOCAL: ("A local error occurred.", "See the log for details.", False,
                      _P.FIX_SETUP),
}

#: What a hint says once the engine has stopped retrying, where the task stays the same task
#: (following or downloading stopped: resuming goes on with it, at no new cost).
AT_REST_HINTS: dict[ErrorKind, str] = {
    ErrorKind.RATE_LIMITED: "The app stopped trying; resume the task later to go on.",
    ErrorKind.NETWORK: "Check the internet connection, then resume the task.",
    ErrorKind.TIMEOUT: "Resume the task to look again: the host may still finish it.",
    ErrorKind.OUTAGE: "Resume the task later: the host may still finish it.",
    ErrorKind.EXPIRED: "Resume the task to fetch a fresh link from the host.",
    ErrorKind.PROTOCOL: "Resume the task to look again; copy the trace id if you report it.",
    ErrorKind.BAD_RESULT: "Resume the task to download it again; the task is kept.",
}


@dataclass(eq=False)
class AppError(Exception):
    """An error as the user is told it (its kind, what went wrong and what to do) with what
    the host said: whether a retry may help, its trace id, status, code and wait."""

    kind: ErrorKind
    message: str = ""
    hint: str = ""
    retryable: bool | None = None
    trace_id: str = ""
    http_status: int | None = None
    code: str = ""  # the provider's own code (reason, err_code, numeric code)
    retry_after: float | None = None  # seconds, when the host said so
    details: dict[str, str] = field(default_factory=dict)
    #: what the hint promises; the kind's own with its own hint, NONE with another hint
    promise: Promise | None = None
    #: a transport failure: False when the connection was never made (nothing reached the
    #: host), True when the request may have reached it; None for an HTTP answer
    sent: bool | None = None
    #: a failed submit: what it proves about a task at the host (set by the adapter)
    outcome: SubmitOutcome | None = None
    #: an HTTP error answer: whether its body was the host's own JSON (a page from a gateway
    #: in front of the host proves less)
    from_host: bool | None = None

    def __post_init__(self) -> None:
        super().__init__(self.kind.value)
        msg, hint, retry, promise = _DEFAULTS[self.kind]
        if not self.message:
            self.message = msg
        if self.promise is None:
            self.promise = promise if not self.hint or self.hint == hint else Promise.NONE
        if not self.hint:
            self.hint = hint
        if self.retryable is None:
            self.retryable = retry

    def __str__(self) -> str:
        parts = [self.message]
        if self.code:
            parts.append(f"[{self.code}]")
        if self.trace_id:
            parts.append(f"(trace id {self.trace_id})")
        return " ".join(parts)

    @property
    def can_retry(self) -> bool:
        return bool(self.retryable)

    @property
    def automatic(self) -> bool:
        """The hint says the app retries by itself."""
        return self.promise == Promise.AUTOMATIC

    def settled(self, hint: str | None = None, promise: Promise = Promise.RESUME,
                *, message: str | None = None) -> AppError:
        """This error as the engine leaves it when it stops retrying: a hint that promises
        an automatic retry becomes ``hint`` (default: the kind's resume hint) with ``promise``.
        Other errors are returned as they are."""
        if not self.automatic:
            return self
        return self.with_hint(hint or AT_REST_HINTS.get(self.kind, "Resume the task."),
                              promise, message=message)

    def with_hint(self, hint: str, promise: Promise, *, message: str | None = None
                  ) -> AppError:
        """A copy with another hint (and what it promises)."""
        return replace(self, hint=hint, promise=promise, message=message or self.message,
                       details=dict(self.details))

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value, "message": self.message, "hint": self.hint,
            "retryable": self.can_retry, "trace_id": self.trace_id,
            "http_status": self.http_status, "code": self.code,
            "promise": str(self.promise),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> AppError:
        status = data.get("http_status")
        return cls(
            kind=ErrorKind(str(data["kind"])), message=str(data.get("message", "")),
            hint=str(data.get("hint", "")), retryable=bool(data.get("retryable")),
            trace_id=str(data.get("trace_id", "")),
            http_status=int(status) if isinstance(status, int) else None,
            code=str(data.get("code", "")),
            promise=Promise(str(data["promise"])) if data.get("promise") in set(Promise)
            else None,
        )
