"""Every hint tells the truth: what an error's hint promises is what the engine then does.

Two tables. The first holds each hint's words against its promise (a hint that says "the app
retries" promises AUTOMATIC; no other hint may say so). The second drives the engine through
every error kind the emulator can produce, on every host, and holds the stored error against
what happens next: an error the engine has stopped on never promises an automatic retry; one
that promises "resume" is finished by a resume, "send again" by a new submission or an explicit
resend, "the app asks the host" by reconciliation; a fix-the-input, the-key or the-credits
promise names that kind of error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from vidu_desktop.core.errors import _DEFAULTS, AT_REST_HINTS, AppError, ErrorKind, Promise
from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import Engine, hints

from .conftest import HOSTS, Emu, EngineFactory, request_for, run, states_seen

#: Words that promise the app does the work by itself.
AUTOMATIC_WORDS = re.compile(r"\bthe app (waits|retries|tries again|asks the host for a "
                             r"fresh link|downloads it again)", re.IGNORECASE)
SAYS = {
    Promise.RESUME: re.compile(r"\bresume\b", re.IGNORECASE),
    Promise.RESEND: re.compile(r"\b(send it again|resend|retry as a new submission)",
                               re.IGNORECASE),
    Promise.RECONCILE: re.compile(r"\bthe app asks .+ whether the task arrived", re.IGNORECASE),
    Promise.ADD_CREDITS: re.compile(r"\btop up\b", re.IGNORECASE),
    Promise.FIX_KEY: re.compile(r"\bkey\b", re.IGNORECASE),
    Promise.FIX_INPUT: re.compile(r"\b(change|replace|check)\b", re.IGNORECASE),
}
FIX_INPUT_KINDS = {ErrorKind.INVALID_PARAMETER, ErrorKind.INVALID_IMAGE, ErrorKind.MODERATION,
                   ErrorKind.NOT_FOUND}
AT_REST = {TaskState.FAILED, TaskState.OUTCOME_UNKNOWN, TaskState.CANCELLED,
           TaskState.UNTRACKED}


def check_words(err: AppError) -> None:
    """The hint's words say what its promise says, and only an AUTOMATIC one says the app
    retries."""
    assert err.promise is not None
    says_automatic = bool(AUTOMATIC_WORDS.search(err.hint))
    assert says_automatic == (err.promise == Promise.AUTOMATIC), (err.promise, err.hint)
    pattern = SAYS.get(err.promise)
    if pattern is not None:
        assert pattern.search(err.hint), (err.promise, err.hint)


def _stored_hints() -> list[AppError]:
    sample = AppError(ErrorKind.RATE_LIMITED, http_status=429)
    out = [AppError(kind) for kind in ErrorKind]
    out += [AppError(kind).settled() for kind in AT_REST_HINTS]
    out += [hints.refused(AppError(kind)) for kind in ErrorKind]
    out += [hints.gave_up(sample, "Vidu", 1800), hints.lost_answer(sample, "Vidu"),
            hints.unresolved(sample, "resend it (it may be charged twice)", Promise.RESEND),
            hints.unresolved(None, "resume to try again", Promise.RESUME)]
    return out


@pytest.mark.parametrize("err", _stored_hints(), ids=lambda e: f"{e.kind}-{e.promise}")
def test_each_hint_says_what_it_promises(err: AppError) -> None:
    check_words(err)


def test_every_kind_has_a_promise_and_a_hint_at_rest() -> None:
    for kind, (_, hint, _retry, promise) in _DEFAULTS.items():
        if promise == Promise.AUTOMATIC:
            assert kind in AT_REST_HINTS, kind  # what it says once the engine stops
        assert AppError(kind).promise == promise
        assert AppError(kind, hint="Something else entirely.").promise == Promise.NONE, hint


def test_the_promise_survives_the_library() -> None:
    err = hints.gave_up(AppError(ErrorKind.RATE_LIMITED), "Vidu", 60)
    again = AppError.from_dict(err.to_dict())
    assert again.promise == Promise.RESEND and again.hint == err.hint


# -- the engine keeps the promises ---------------------------------------------------------------

@dataclass
class Scenario:
    name: str
    faults: list[dict[str, Any]] = field(default_factory=list)
    key: str = "vidu-sandbox-demo-key"
    settings: dict[str, Any] = field(default_factory=dict)
    #: the kinds the stored error may have at rest (None: it must succeed by itself)
    kinds: set[ErrorKind] | None = None


SCENARIOS = [
    # the engine retries by itself, and the task succeeds
    Scenario("submit-429", [dict(action="status", route="submit", status=429, retry_after=0.1)]),
    Scenario("submit-503", [dict(action="status", route="submit", status=503)]),
    Scenario("poll-429", [dict(action="status", route="poll", status=429, retry_after=0.1)]),
    Scenario("poll-500", [dict(action="status", route="poll", status=500, times=3)]),
    Scenario("poll-reset", [dict(action="reset", route="poll")]),
    Scenario("poll-malformed", [dict(action="malformed", route="poll")]),
    Scenario("download-truncate", [dict(action="truncate", route="download")]),
    Scenario("download-expired", [dict(action="expire", route="download")]),
    # the engine stops, and says what the user can do
    Scenario("submit-401", [dict(action="status", route="submit", status=401)],
             kinds={ErrorKind.AUTH}),
    Scenario("submit-400", [dict(action="status", route="submit", status=400,
                                 code="FieldInvalid", message="invalid field: duration")],
             kinds={ErrorKind.INVALID_PARAMETER}),
    Scenario("no-credits", key="broke-key", kinds={ErrorKind.CREDITS}),
    Scenario("busy-too-long", [dict(action="status", route="submit", status=429,
                                    retry_after=0.05, times=None)],
             settings=dict(submit_retry_s=0.3), kinds={ErrorKind.RATE_LIMITED}),
    Scenario("submit-cut", [dict(action="reset", route="submit")],
             kinds={ErrorKind.NETWORK}),  # Vidu reconciles it and succeeds
    Scenario("moderation", [dict(action="fail", code="CreationPolicyViolation",
                                          message="output refused by policy")],
             kinds={ErrorKind.MODERATION}),
    Scenario("generation-failed", [dict(action="fail", code="ModelOverloadedError",
                                                 message="the render crashed")],
             kinds={ErrorKind.GENERATION_FAILED}),
    Scenario("poll-unreadable", [dict(action="malformed", route="poll", times=None)],
             settings=dict(protocol_error_limit=2), kinds={ErrorKind.PROTOCOL}),
    Scenario("download-broken", [dict(action="truncate", route="download", times=None)],
             settings=dict(download_attempts=2),
             kinds={ErrorKind.NETWORK, ErrorKind.PROTOCOL, ErrorKind.BAD_RESULT}),
]


async def _keeps_promise(engine: Engine, emu: Emu, local_id: str) -> None:
    """What the stored error promises is what the engine does next."""
    rec = engine.tasks.get(local_id)
    assert rec is not None and rec.error is not None
    err = rec.error
    check_words(err)
    emu.clear_faults()
    if err.promise == Promise.RESUME:
        again = await engine.resume(local_id)
        assert again.state == TaskState.SUCCEEDED, (again.detail, again.error)
    elif err.promise == Promise.RESEND:
        if rec.state == TaskState.OUTCOME_UNKNOWN:
            again = await engine.resume(local_id, resend=True)
        else:
            new = await engine.submit(rec.request)
            again = await engine.wait(new.local_id)
        assert again.state == TaskState.SUCCEEDED, (again.detail, again.error)
    elif err.promise == Promise.FIX_INPUT:
        assert err.kind in FIX_INPUT_KINDS
    elif err.promise == Promise.FIX_KEY:
        assert err.kind == ErrorKind.AUTH
    elif err.promise == Promise.ADD_CREDITS:
        assert err.kind == ErrorKind.CREDITS
    else:
        pytest.fail(f"a task at rest with promise {err.promise}: {err.hint}")


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_the_engine_does_what_the_hint_says(host: str, scenario: Scenario, emu: Emu,
                                            make_engine: EngineFactory) -> None:
    emu.set_key("broke-key", 0)
    for rule in scenario.faults:
        emu.fault(**{"times": 1, **rule, "provider": host})

    async def go() -> None:
        async with make_engine(key=scenario.key, **scenario.settings) as engine:
            rec = await engine.submit(request_for(host))
            done = await engine.wait(rec.local_id)
            seen = states_seen(engine, rec.local_id)
            for event in engine.tasks.events(rec.local_id):
                if event.error is not None:
                    check_words(event.error)
            if done.state == TaskState.SUCCEEDED:
                assert scenario.kinds is None or scenario.name == "submit-cut", (
                    scenario.name, seen)
                if scenario.name == "submit-cut":  # a lost answer: found, never resent
                    assert TaskState.OUTCOME_UNKNOWN in seen and host == "vidu"
                return
            assert done.state in AT_REST, done.state
            assert scenario.kinds is not None, (done.detail, done.error)
            assert done.error is not None and done.error.kind in scenario.kinds, done.error
            assert not done.error.automatic, done.error.hint  # it stopped: it must say so
            await _keeps_promise(engine, emu, rec.local_id)
    run(go(), timeout=60)
    if scenario.name == "submit-cut":
        assert emu.requests(host, "submit") <= 2  # the first, and the user's explicit resend
