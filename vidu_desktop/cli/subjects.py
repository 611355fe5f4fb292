"""``vidu-cli generate --subject NAME=PIC[,PIC...] --voice NAME=ID``: the subjects of a request.

A subject with pictures is made for this request only; ``--subject NAME`` alone is the cast
member of that name, its pictures as the library keeps them. Every refusal is an AppError of
kind ``INVALID_PARAMETER`` (exit 2) that names the value and says what to do.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from vidu_desktop.core.errors import AppError, ErrorKind, Promise
from vidu_desktop.core.mentions import name_problem, number_words, sent_references
from vidu_desktop.core.records import record
from vidu_desktop.core.request import GenerationRequest, ReferenceImage, Subject
from vidu_desktop.store import MAX_PICTURES
from vidu_desktop.store.cast import check_voice_id

from .output import command, say

if TYPE_CHECKING:
    from vidu_desktop.engine import Engine


@record
class SubjectArg:
    """One ``--subject``: a name, and the pictures to prepare (none: the cast member's)."""

    name: str
    files: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.name.casefold()


def _refuse(message: str, hint: str) -> AppError:
    return AppError(ErrorKind.INVALID_PARAMETER, message, hint, retryable=False,
                    promise=Promise.FIX_INPUT)


def subject_args(values: list[str]) -> list[SubjectArg]:
    """The ``--subject`` values, in order; AppError for a bad name, a wrong picture count or
    a name given twice."""
    found: list[SubjectArg] = []
    for value in values:
        name, eq, rest = value.partition("=")
        name = name.strip()
        files = tuple(f.strip() for f in rest.split(",") if f.strip()) if eq else ()
        problem = name_problem(name)
        if problem is not None:
            raise _refuse(f"--subject {value!r}: {problem}",
                          "Write it as --subject NAME=PIC[,PIC...], or --subject NAME for a "
                          "cast member.")
        if eq and not 1 <= len(files) <= MAX_PICTURES:
            raise _refuse(f"--subject {value!r} gives {len(files)} pictures; a subject takes "
                          f"1 to {MAX_PICTURES}.",
                          "List its pictures after '=', separated by commas; leave out '=' "
                          "to use the cast member of that name.")
        if any(s.key == name.casefold() for s in found):
            raise _refuse(f"The subject {name!r} is given twice (names are the same whatever "
                          "their case).", "Give each subject once, with all its pictures.")
        found.append(SubjectArg(name, files))
    return found


def voice_args(values: list[str], subjects: list[SubjectArg]) -> dict[str, str]:
    """The ``--voice`` values as {subject key: voice id}; AppError for one that names no
    subject given with ``--subject``."""
    names = {s.key for s in subjects}
    voices: dict[str, str] = {}
    for value in values:
        name, eq, voice = value.partition("=")
        if not eq or not name.strip():
            raise _refuse(f"--voice {value!r} is not NAME=ID.",
                          "Write it as --voice mia=VOICE_ID, for a subject given with "
                          "--subject.")
        if name.strip().casefold() not in names:
            given = ", ".join(s.name for s in subjects) or "none"
            raise _refuse(f"--voice {value!r} names no subject of this request (subjects: "
                          f"{given}).", f"Add --subject {name.strip()}, or correct the name.")
        voices[name.strip().casefold()] = check_voice_id(voice)
    return voices


def draft_subjects(engine: Engine, wanted: list[SubjectArg], voices: dict[str, str]
                   ) -> tuple[Subject, ...]:
    """The subjects with the cast members' pictures in place and an empty placeholder for
    each picture still to prepare (so the request can be checked before any is prepared)."""
    subjects = []
    for arg in wanted:
        if arg.files:
            subject = Subject(arg.name, tuple(ReferenceImage("") for _ in arg.files))
        else:
            member = engine.cast_member_named(arg.name)
            if member is None:
                raise _refuse(
                    f"No cast member is called {arg.name!r}.",
                    f"Give its pictures (--subject {arg.name}=PIC[,PIC...]), or add it "
                    f"first: {command(f'cast add {arg.name} PIC...')}; "
                    f"{command('cast list')} shows the cast.")
            subject = engine.subject_of(member)
        if arg.key in voices:
            subject = replace(subject, voice_id=voices[arg.key])
        subjects.append(subject)
    return tuple(subjects)


def files_to_prepare(wanted: list[SubjectArg], loose: list[str]) -> list[str]:
    """Every picture to prepare, in the order of the request: the subjects', then the loose."""
    return [f for arg in wanted for f in arg.files] + list(loose)


def fill(subjects: tuple[Subject, ...], wanted: list[SubjectArg],
         prepared: list[ReferenceImage]) -> tuple[tuple[Subject, ...], tuple[ReferenceImage, ...]]:
    """The prepared pictures put in place (in :func:`files_to_prepare`'s order): the subjects
    and the loose pictures."""
    rest = list(prepared)
    filled = []
    for subject, arg in zip(subjects, wanted, strict=True):
        if arg.files:
            subject = replace(subject, images=tuple(rest[:len(arg.files)]))
            del rest[:len(arg.files)]
        filled.append(subject)
    return tuple(filled), tuple(rest)


def tell_numbers(request: GenerationRequest) -> None:
    """On stderr: the picture numbers each subject became, for a model that reads pictures
    in order (its prompt says them in words)."""
    if not request.subjects:
        return
    try:
        sent = sent_references(request)
    except KeyError:
        return
    if sent.form == "images":
        which = ", ".join(f"{name} is {number_words(n)}" for name, n in sent.numbers.items())
        say(f"{request.model} takes its pictures in order: {which} (the prompt sent says so "
            "in words).")
