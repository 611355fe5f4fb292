"""The hosts' own error codes, sorted into our error kinds. Pure data plus two small functions.

Sources: the Vidu error table (``reason`` / ``err_code``), Novita's gateway reasons, Segmind's
HTTP statuses and messages, Vtrix's numeric codes (see provider-contracts.md §1.7, §2.3, §4.3, §5).
"""

from __future__ import annotations

import re

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.core.states import TaskState

#: Input or output refused by a content policy.
MODERATION_CODES = frozenset({
    "CreationPolicyViolation", "AuditSubmitIllegal", "TaskPromptPolicyViolation",
})
#: Balance too low.
CREDIT_CODES = frozenset({"CreditInsufficient", "NOT_ENOUGH_BALANCE", "INSUFFICIENT_BALANCE",
                          "insufficient_balance", "insufficient_credits"})
#: A reference image was refused.
IMAGE_CODES = frozenset({
    "ImageDownloadFailure", "ImageFormatInvalid", "PageSizeOutOfRange",
    "ImageCheckBodyJointsFailed", "ImageCheckFaceFailed", "ImageObjectsUndetected",
    "8008003001", "8008003004",
})
#: Temporary conditions: the same request can succeed later.
TRANSIENT_CODES = frozenset({
    "TooManyRequests", "SystemThrottling", "QuotaExceeded", "OperationInProcess",
    "InternalServiceFailure", "ModelUnavailable", "RATE_LIMIT_EXCEEDED", "8008003099",
})
AUTH_CODES = frozenset({"Unauthorized", "Forbidden", "FAILED_TO_AUTH", "invalid_token"})
NOT_FOUND_CODES = frozenset({"TaskNotFound", "CreationNotFound", "NotFound"})
CANCELLED_CODES = frozenset({"UserCancelled", "Canceled", "Cancelled"})

_MODERATION_WORDS = ("policy", "nsfw", "moderation", "sensitive", "inappropriate", "audit")
_CREDIT_WORDS = ("insufficient", "not enough credit", "not enough balance", "balance",
                 "credits")
#: A message about one particular image ("images[2]: too small", "Invalid image", "image
#: download failure"), not about the image list as a whole ("count out of range: images").
_ONE_IMAGE = re.compile(r"\bimage(s|_urls)?\[\d+\]|\bimage\b", re.IGNORECASE)


def _has(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(w in low for w in words)


def kind_for_http(status: int, code: str, message: str) -> ErrorKind:
    """Our error kind for an HTTP error answer with the host's ``code`` and ``message``."""
    if code in MODERATION_CODES:
        return ErrorKind.MODERATION
    if code in CREDIT_CODES or status == 402:
        return ErrorKind.CREDITS
    if status in (403, 406) and _has(message, _CREDIT_WORDS) and "permission" not in message:
        return ErrorKind.CREDITS
    if status == 401 or code in AUTH_CODES:
        return ErrorKind.AUTH
    if status == 403:
        return ErrorKind.AUTH
    if status == 404 or code in NOT_FOUND_CODES:
        return ErrorKind.NOT_FOUND
    if status == 408:
        return ErrorKind.TIMEOUT
    if status == 429 or code in ("TooManyRequests", "SystemThrottling", "QuotaExceeded",
                                 "RATE_LIMIT_EXCEEDED", "OperationInProcess"):
        return ErrorKind.RATE_LIMITED
    if status >= 500 or code in ("InternalServiceFailure", "ModelUnavailable", "8008003099"):
        return ErrorKind.OUTAGE
    if code in CANCELLED_CODES:
        return ErrorKind.CANCELLED
    if status in (400, 406, 409, 410, 413, 422):
        if code in IMAGE_CODES or _ONE_IMAGE.search(message):
            return ErrorKind.INVALID_IMAGE
        return ErrorKind.INVALID_PARAMETER
    return ErrorKind.PROTOCOL


def task_failure(code: str, message: str, host: str, trace_id: str = ""
                 ) -> tuple[TaskState, AppError]:
    """The final state and error of a task the host reports as failed with ``code``.

    Moderation codes give MODERATION, ``UserCancelled`` gives CANCELLED, everything else
    GENERATION_FAILED (retryable — as a new, paid submission — when the code is transient).
    """
    said = f" {host} says: {message}" if message else ""
    if code in CANCELLED_CODES:
        return TaskState.CANCELLED, AppError(
            ErrorKind.CANCELLED, f"The task was cancelled.{said}", code=code, trace_id=trace_id)
    if code in MODERATION_CODES or _has(message, _MODERATION_WORDS):
        return TaskState.FAILED, AppError(
            ErrorKind.MODERATION, f"The host's content policy refused this generation.{said}",
            code=code, trace_id=trace_id)
    if code in CREDIT_CODES:
        return TaskState.FAILED, AppError(
            ErrorKind.CREDITS, f"Not enough credits on this account.{said}", code=code,
            trace_id=trace_id)
    if code in IMAGE_CODES:
        return TaskState.FAILED, AppError(
            ErrorKind.INVALID_IMAGE, f"The host refused a reference image.{said}", code=code,
            trace_id=trace_id)
    return TaskState.FAILED, AppError(
        ErrorKind.GENERATION_FAILED, f"The host could not generate this video.{said}",
        code=code, trace_id=trace_id, retryable=code in TRANSIENT_CODES)
