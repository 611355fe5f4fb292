"""The subjects form of a reference request, read strictly: ``subjects: [{"id", "images": [...],
"voice_id"?}, ...]``. Shared by the contracts; each raises ``FieldProblem`` in its own shape.

The limits are the capability table's ``SubjectRules`` (subjects, pictures per subject,
pictures in all, whether a subject may carry a voice). A model the table gives no rules but
whose host documents the form gets ``SubjectRules()`` from its contract.

A prompt's mentions (``@id``) are not checked against the subjects: no host documents refusing
a mention that names no subject (Vidu: platform.vidu.com/docs/reference-to-video and its
mirrors; Novita/HighwayAPI: the ``vidu-q2-reference2video`` pages; Vtrix: the reference pages),
so a task with one is accepted like any other.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from vidu_desktop.core.capabilities import SubjectRules
from vidu_desktop.core.records import record

from . import fields
from .fields import FieldProblem


@record
class Subjects:
    """A subjects list that passed: every picture in order and where each came from."""

    refs: list[object] = field(default_factory=list)
    #: "subjects[0].images[1]" for each of ``refs``, for messages
    labels: list[str] = field(default_factory=list)
    #: per subject: ``{"id": ..., "images": <count>, "voice_id": ...}``
    entries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def voiced(self) -> bool:
        return any(entry["voice_id"] for entry in self.entries)


def _count(name: str, given: int, hi: int, what: str = "") -> FieldProblem:
    return FieldProblem("count", name, f"field item count out of range: {name} ({given} "
                        f"{what}given, 1 to {hi} allowed)")


def _name(subject: dict[str, Any], where: str, id_keys: tuple[str, ...],
          int_ids: bool) -> str:
    for key in id_keys:
        value = subject.get(key)
        if value is None:
            continue
        if int_ids and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        text = fields.opt_str({f"{where}.{key}": value}, f"{where}.{key}", "")
        if not text:
            raise FieldProblem("missing", f"{where}.{key}",
                               f"field is missing or empty: {where}.{key}")
        return text
    raise FieldProblem("missing", f"{where}.{id_keys[0]}",
                       f"field is missing or empty: {where}.{id_keys[0]}")


def parse(value: object, rules: SubjectRules, *, id_keys: tuple[str, ...] = ("id",),
          int_ids: bool = False) -> Subjects:
    """Check ``value`` (the body's ``subjects``) against ``rules``.

    ``id_keys``: the names a subject's id may go by, in the order they are looked at (Vidu's
    newer pages call it ``name``); ``int_ids``: whether a number is taken for an id.
    Raises ``FieldProblem``: ``missing`` (no subjects, an id or pictures missing), ``invalid``
    (wrong types, a repeated id), ``unknown`` (a key the form does not have, ``voice_id``
    included where the model takes no voice), ``count`` (too many subjects, pictures in one
    subject or pictures in all).
    """
    if value is None or value == []:
        raise FieldProblem("missing", "subjects", "field is missing or empty: subjects")
    if not isinstance(value, list):
        raise FieldProblem("invalid", "subjects", "invalid field: subjects (expected a list of "
                           '{"id": ..., "images": [...]})')
    if len(value) > rules.max_subjects:
        raise _count("subjects", len(value), rules.max_subjects)
    keys = {*id_keys, "images", *(("voice_id",) if rules.voice else ())}
    out = Subjects()
    for i, subject in enumerate(value):
        where = f"subjects[{i}]"
        if not isinstance(subject, dict):
            raise FieldProblem("invalid", where, f"invalid field: {where} (expected an object "
                               '{"id": ..., "images": [...]})')
        fields.check_unknown({f"{where}.{k}": v for k, v in subject.items()},
                             {f"{where}.{k}" for k in keys})
        name = _name(subject, where, id_keys, int_ids)
        if any(entry["id"] == name for entry in out.entries):
            raise FieldProblem("invalid", f"{where}.{id_keys[0]}", f"invalid field: "
                               f"{where}.{id_keys[0]} (subject {name!r} is given twice)")
        pictures = subject.get("images")
        label = f"{where}.images"
        if pictures is None or pictures == []:
            raise FieldProblem("missing", label, f"field is missing or empty: {label}")
        if not isinstance(pictures, list):
            raise FieldProblem("invalid", label, f"invalid field: {label} (expected a list)")
        if len(pictures) > rules.max_images_each:
            raise _count(label, len(pictures), rules.max_images_each)
        voice = fields.opt_str({f"{where}.voice_id": subject.get("voice_id")},
                               f"{where}.voice_id", "") or ""
        out.refs.extend(pictures)
        out.labels.extend(f"{label}[{j}]" for j in range(len(pictures)))
        out.entries.append({"id": name, "images": len(pictures), "voice_id": voice})
    if len(out.refs) > rules.max_images_total:
        raise _count("subjects", len(out.refs), rules.max_images_total, "pictures in all ")
    return out
