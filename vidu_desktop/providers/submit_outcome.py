"""Whether a failed submit may have created a (paid) task: one table per host, with sources.

A submit is money. After a failed one the engine must know which of four things happened:

* ``NOT_SENT``: the connection was never made; nothing reached the host.
* ``NOT_CREATED``: the host answered, and its answer proves it made no task, for a reason that
  passes (rate limits, a busy or failing backend): sending the same request again is safe and is
  what the user expects. The engine waits (Retry-After, else backoff) and sends again.
* ``REJECTED``: the host answered that it will not make this task (bad key, credits, input):
  no task, and the same request fails again. The task fails with the host's reason.
* ``UNKNOWN``: the request may have reached the host and created a task (the answer was lost,
  cut, timed out, unreadable, or came from a gateway in front of the host). Never resent on its
  own: reconcile, or ask the user.

Each host's table lists the answers its documentation names; the first row that matches wins.
Answers no row names fall to the general rule at the end (``classify``). A row's ``codes`` are
the host's symbolic codes (Vidu's ``reason``, Novita's ``reason``, Vtrix's ``error.code``);
``None`` matches any code. Sources: provider-contracts.md §1.7 (Vidu's error table,
platform.vidu.com/docs/error-code), §2.3 (novita.ai/docs/guides/error), §3 (HighwayAPI is
Novita's white label), §4.3 (Segmind's HTTP codes; "only HTTP 200 is billed", its conventions
file), §5 (Vtrix's model pages: 401, 403, 429, 500; the 8008003xxx codes of the seed document).
"""

from __future__ import annotations

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError, SubmitOutcome
from vidu_desktop.core.records import record

__all__ = ["TABLES", "Answer", "SubmitOutcome", "classify", "classify_refusal"]


@record
class Answer:
    """One documented answer to a submit: an HTTP status (None: any), the host's codes
    (None: any), what it proves, and where that is written."""

    status: int | None
    codes: frozenset[str] | None
    outcome: SubmitOutcome
    source: str

    def matches(self, status: int, code: str) -> bool:
        return (self.status is None or self.status == status) and (
            self.codes is None or code in self.codes)


_NC, _RJ, _UN = SubmitOutcome.NOT_CREATED, SubmitOutcome.REJECTED, SubmitOutcome.UNKNOWN


def _a(status: int | None, codes: str | None, outcome: SubmitOutcome, source: str) -> Answer:
    return Answer(status, frozenset(codes.split()) if codes is not None else None, outcome,
                  source)


_VIDU_DOC = "platform.vidu.com/docs/error-code"
_NOVITA_DOC = "novita.ai/docs/guides/error"
_SEGMIND_DOC = "segmind.com/models/vidu-q1-reference-to-video/api (error codes)"
_VTRIX_DOC = "doc.vtrix.ai/docs/api/vidu (HTTP codes on every model page)"

VIDU: tuple[Answer, ...] = (
    # "operation in process, please retry later": the host asks for the same request again
    _a(400, "OperationInProcess", _NC, _VIDU_DOC),
    # "model unavailable": refused before a task is made; the same model may be back later
    _a(400, "ModelUnavailable", _NC, _VIDU_DOC),
    _a(400, None, _RJ, _VIDU_DOC),  # BadRequest, Field*, Image*, CreditInsufficient, Audit…
    _a(401, None, _RJ, _VIDU_DOC),
    _a(403, None, _RJ, _VIDU_DOC),
    _a(404, None, _RJ, _VIDU_DOC),
    _a(409, None, _RJ, _VIDU_DOC),  # Conflict
    # QuotaExceeded "concurrency limit exceeded", TooManyRequests, SystemThrottling
    _a(429, None, _NC, _VIDU_DOC),
    # "request canceled by client": the host stopped reading; what it did before is unknown
    _a(499, None, _UN, _VIDU_DOC),
    _a(500, "InternalServiceFailure", _NC, _VIDU_DOC + ": retry / contact support"),
)

NOVITA: tuple[Answer, ...] = (
    _a(400, None, _RJ, _NOVITA_DOC),  # INVALID_REQUEST_BODY
    _a(401, None, _RJ, _NOVITA_DOC),  # FAILED_TO_AUTH
    _a(403, None, _RJ, _NOVITA_DOC),  # NOT_ENOUGH_BALANCE, identity verification
    _a(429, None, _NC, _NOVITA_DOC),  # RATE_LIMIT_EXCEEDED (RPM)
    _a(503, None, _NC, _NOVITA_DOC + ": backend overload"),
    # "backend timeout": the backend may have taken the task before the gateway gave up
    _a(504, None, _UN, _NOVITA_DOC + ": backend timeout"),
)

SEGMIND: tuple[Answer, ...] = (
    _a(400, None, _RJ, _SEGMIND_DOC),
    _a(401, None, _RJ, _SEGMIND_DOC),
    _a(403, None, _RJ, _SEGMIND_DOC),  # model restricted for the team
    _a(404, None, _RJ, _SEGMIND_DOC),  # unknown model
    _a(405, None, _RJ, _SEGMIND_DOC),
    _a(406, None, _RJ, _SEGMIND_DOC),  # not enough credits, spend limit, bad value
    _a(410, None, _RJ, _SEGMIND_DOC),  # model retired
    _a(429, None, _NC, _SEGMIND_DOC + "; x-rate-limit-reset-at-utc"),
    # "only HTTP 200 is billed" (api-evangelist/segmind conventions): an error answer from
    # Segmind itself made no paid job
    _a(500, None, _NC, _SEGMIND_DOC + "; only HTTP 200 is billed"),
    _a(503, None, _NC, _SEGMIND_DOC + "; only HTTP 200 is billed"),
)

VTRIX: tuple[Answer, ...] = (
    # the seed document's codes, in an error object of a 200 or 4xx answer
    _a(None, "8008003099", _NC, "seed document 003: Provider unavailable"),
    _a(None, "8008003001 8008003002 8008003003 8008003004", _RJ,
       "seed document 003: missing image, invalid parameter, style or image"),
    _a(400, None, _RJ, _VTRIX_DOC),
    _a(401, None, _RJ, _VTRIX_DOC),
    _a(403, None, _RJ, _VTRIX_DOC),  # insufficient balance or permission
    _a(429, None, _NC, _VTRIX_DOC),
    _a(500, None, _NC, _VTRIX_DOC),
)

TABLES: dict[ProviderId, tuple[Answer, ...]] = {
    ProviderId.VIDU: VIDU,
    ProviderId.NOVITA: NOVITA,
    ProviderId.HIGHWAYAPI: NOVITA,  # Novita's white label: same gateway, same answers
    ProviderId.SEGMIND: SEGMIND,
    ProviderId.VTRIX: VTRIX,
}

#: Gateways in front of the host, or a cut-off wait: the host may have made the task.
_UNKNOWN_STATUSES = frozenset({408, 499, 502, 504})


def classify(pid: ProviderId | str, err: AppError) -> SubmitOutcome:
    """What the failed submit ``err`` (to host ``pid``) proves about a task at the host."""
    if err.http_status is None:  # no HTTP answer: a transport failure or an unreadable body
        return SubmitOutcome.NOT_SENT if err.sent is False else _UN
    status = err.http_status
    if 200 <= status < 300:  # accepted, then unreadable: a task may exist
        return _UN
    outcome = _answer(pid, status, err.code)
    if outcome == _NC and not err.from_host:
        return _UN  # a page from something in front of the host proves nothing
    return outcome


def _answer(pid: ProviderId | str, status: int, code: str) -> SubmitOutcome:
    """The host's table's row for this answer, else the general rule."""
    for row in TABLES.get(ProviderId(pid), ()):
        if row.matches(status, code):
            return row.outcome
    if status in _UNKNOWN_STATUSES:
        return _UN
    if status == 429 or status >= 500:
        return _NC
    return _RJ


def classify_refusal(pid: ProviderId | str, code: str) -> SubmitOutcome:
    """An answer that carries an error object and no task id (Vtrix answers so with HTTP 200):
    no task was made; the rows that name ``code`` for any status say whether to send again."""
    for row in TABLES.get(ProviderId(pid), ()):
        if row.status is None and row.matches(0, code):
            return row.outcome
    return _RJ
