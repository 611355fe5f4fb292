"""The error taxonomy: every failure the user can meet, as data.

An error says what happened (``kind``), a message for the user, a hint on what to do, whether
retrying the same request can help, and the provider's trace id for support.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


_DEFAULTS: dict[ErrorKind, tuple[str, str, bool]] = {
    ErrorKind.AUTH: ("The host refused the API key.",
                     "Check the key in Settings → Hosts, or test it there.", False),
    ErrorKind.CREDITS: ("Not enough credits on this account.",
                        "Top up the balance at the host, then retry.", False),
    ErrorKind.MODERATION: ("The host's content policy refused this generation.",
                           "Change the prompt or the reference images; retrying as is will fail "
                           "again.", False),
    ErrorKind.INVALID_PARAMETER: ("The host refused a parameter.",
                                  "Change the named value to one of the allowed ones.", False),
    ErrorKind.INVALID_IMAGE: ("The host refused a reference image.",
                              "Replace or fix the named image.", False),
    ErrorKind.RATE_LIMITED: ("The host is rate-limiting requests.",
                             "The app waits and retries by itself.", True),
    ErrorKind.NETWORK: ("Could not reach the host.",
                        "Check the internet connection; the app retries when it is back.", True),
    ErrorKind.TIMEOUT: ("The host did not answer in time.",
                        "The app retries; raise the timeout in Settings if this repeats.", True),
    ErrorKind.OUTAGE: ("The host reported a server error.",
                       "Usually temporary: the app retries with backoff.", True),
    ErrorKind.NOT_FOUND: ("The host does not know this task (any more).",
                          "Check the task id; hosts keep task records only for a while.", False),
    ErrorKind.EXPIRED: ("The result link has expired.",
                        "The app asks the host for a fresh link.", True),
    ErrorKind.GENERATION_FAILED: ("The host could not generate this video.",
                                  "Retry (a new paid submission) or change the inputs.", False),
    ErrorKind.CANCELLED: ("The task was cancelled.", "", False),
    ErrorKind.PROTOCOL: ("The host sent an answer the app cannot read.",
                         "Retry later; copy the trace id if you report it.", True),
    ErrorKind.BAD_RESULT: ("The downloaded file is not a playable video.",
                           "Download again; the app keeps the task so nothing is lost.", True),
    ErrorKind.LOCAL: ("A local error occurred.", "See the log for details.", False),
}


@dataclass(eq=False)
class AppError(Exception):
    kind: ErrorKind
    message: str = ""
    hint: str = ""
    retryable: bool | None = None
    trace_id: str = ""
    http_status: int | None = None
    code: str = ""  # the provider's own code (reason, err_code, numeric code)
    retry_after: float | None = None  # seconds, when the host said so
    details: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.kind.value)
        msg, hint, retry = _DEFAULTS[self.kind]
        if not self.message:
            self.message = msg
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

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value, "message": self.message, "hint": self.hint,
            "retryable": self.can_retry, "trace_id": self.trace_id,
            "http_status": self.http_status, "code": self.code,
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
        )
