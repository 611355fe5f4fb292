"""@mentions of cast members in a prompt, and how a request's pictures reach a host.

A prompt names a cast member as ``@name`` (a name is letters, digits, ``_`` and ``-``; matched
without regard to case). Two forms reach the hosts:

- **subjects** (models with ``ModelSpec.subjects``): every cast member is a ``subjects`` entry
  whose id is its name, and the prompt goes as written, mentions included, with each mention
  spelled as the cast member's name. A loose picture becomes a subject of its own named
  ``image<N>`` (N its place among the loose pictures), since such a model takes no other form;
  the prompt may mention it as ``@image1``.
- **images** (Q1 and the other models without subjects): the pictures go in order, the cast
  members' first, and each mention is put into words as the name followed by the numbers of the
  pictures it became: ``@mia`` with pictures 1 and 2 becomes ``mia (images 1-2)``. Why this
  choice: these models read the prompt as plain text and only know pictures by their order; a
  bare name would carry no link to the pictures, and "image 1" alone would lose the name that
  the rest of the prompt may use (a name's ``_`` becomes a space). The host counts the prompt it
  receives, so the counter and the limit apply to the words, not to the mentions.

In the images form a mention of a number, ``@2``, is a picture's number (the hosts' own
examples write "@1 and @2"): it is left as written and names picture 2. A mention of a name
not in the draft is left as written; validation refuses it (``mention_names`` says which
names a prompt may mention).
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Literal

from vidu_desktop.core.records import record

from .request import GenerationRequest, ReferenceImage, Subject

#: ``@name`` not preceded by a letter, digit or ``@`` (so an e-mail address is no mention)
MENTION = re.compile(r"(?<![\w@])@(\w+(?:-\w+)*)")
NAME_MAX = 32
_NAME = re.compile(r"^\w+(?:-\w+)*$")
LOOSE_PREFIX = "image"


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a cast member's name (None when it can)."""
    if not name:
        return "A cast member needs a name."
    if len(name) > NAME_MAX:
        return f"The name {name!r} is {len(name)} characters; the limit is {NAME_MAX}."
    if not _NAME.match(name):
        example = "_".join(re.findall(r"[^\W_]+", name)) or "mia"
        return (f"The name {name!r} can only hold letters, digits, '_' and '-' (no spaces), "
                f"since the prompt mentions it as @name; for example {example!r}.")
    if re.fullmatch(LOOSE_PREFIX + r"\d+", name, re.IGNORECASE):
        return (f"The name {name!r} is kept for loose pictures (@image1, @image2, …); "
                "choose another.")
    return None


@record
class Mention:
    name: str  # as written, without the @
    start: int  # index of the @ in the prompt
    end: int  # index after the name

    @property
    def key(self) -> str:
        return self.name.casefold()


def find_mentions(prompt: str) -> list[Mention]:
    return [Mention(m.group(1), m.start(), m.end()) for m in MENTION.finditer(prompt)]


def unknown_mentions(prompt: str, names: list[str] | tuple[str, ...]) -> list[Mention]:
    """The mentions in ``prompt`` that name none of ``names``."""
    known = {n.casefold() for n in names}
    return [m for m in find_mentions(prompt) if m.key not in known]


def number_words(numbers: tuple[int, ...]) -> str:
    """``(1,)`` -> "image 1"; ``(1, 2)`` -> "images 1-2"; ``(1, 3)`` -> "images 1, 3"."""
    if len(numbers) == 1:
        return f"image {numbers[0]}"
    if list(numbers) == list(range(numbers[0], numbers[-1] + 1)):
        return f"images {numbers[0]}-{numbers[-1]}"
    return "images " + ", ".join(str(n) for n in numbers)


def _spoken(name: str) -> str:
    return name.replace("_", " ")


@record
class SentReferences:
    """What a request's pictures and prompt become on the wire (see the module docstring)."""

    form: Literal["subjects", "images"]
    prompt: str
    images: tuple[ReferenceImage, ...] = ()  # the images form
    subjects: tuple[Subject, ...] = ()  # the subjects form, loose pictures included
    #: the images form: a cast member's name -> the (1-based) numbers its pictures became
    numbers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: the mentions that were put into words or sent, by name (for the sidecar)
    mentioned: tuple[str, ...] = ()


def _rewrite(prompt: str, canonical: dict[str, str], numbers: dict[str, str] | None) -> str:
    """``prompt`` with each known mention (a key of ``canonical``) spelled as the cast member's
    name (``numbers`` None) or put into words with its picture numbers."""
    def swap(m: re.Match[str]) -> str:
        key = m.group(1).casefold()
        if key not in canonical:
            return m.group(0)
        if numbers is None:
            return "@" + canonical[key]
        return f"{_spoken(m.group(1))} ({numbers[key]})" if key in numbers else m.group(0)
    return MENTION.sub(swap, prompt)


def loose_subjects(images: tuple[ReferenceImage, ...]) -> tuple[Subject, ...]:
    return tuple(Subject(f"{LOOSE_PREFIX}{n}", (image,)) for n, image in enumerate(images, 1))


def sent_references(request: GenerationRequest, *, subjects_form: bool | None = None
                    ) -> SentReferences:
    """How ``request`` reaches its host. ``subjects_form`` defaults to whether the model has
    the subjects form."""
    if subjects_form is None:
        subjects_form = request.spec.subjects is not None
    cast = request.subjects
    names = {s.name.casefold(): s.name for s in cast}
    if subjects_form:
        everyone = cast + loose_subjects(request.images)
        names.update({s.name.casefold(): s.name for s in everyone})
        mentioned = tuple(dict.fromkeys(names[m.key] for m in find_mentions(request.prompt)
                                        if m.key in names))
        prompt = _rewrite(request.prompt, names, None)
        return SentReferences("subjects", prompt, subjects=everyone, mentioned=mentioned)
    numbers: dict[str, tuple[int, ...]] = {}
    n = 0
    for subject in cast:
        numbers[subject.name] = tuple(range(n + 1, n + 1 + len(subject.images)))
        n += len(subject.images)
    words = {s.name.casefold(): number_words(numbers[s.name]) for s in cast if numbers[s.name]}
    mentioned = tuple(dict.fromkeys(names[m.key] for m in find_mentions(request.prompt)
                                    if m.key in names))
    return SentReferences("images", _rewrite(request.prompt, names, words),
                          images=request.all_images, numbers=numbers, mentioned=mentioned)


def mention_names(request: GenerationRequest, *, subjects_form: bool | None = None
                  ) -> list[str]:
    """The names the prompt of ``request`` may mention: its cast members, and then the loose
    pictures as ``image1``, ``image2``… (subjects form) or every picture by its number, ``1``,
    ``2``… (images form)."""
    if subjects_form is None:
        subjects_form = request.spec.subjects is not None
    names = [s.name for s in request.subjects]
    if subjects_form:
        return names + [f"{LOOSE_PREFIX}{n}" for n in range(1, len(request.images) + 1)]
    return names + [str(n) for n in range(1, len(request.all_images) + 1)]


def prompt_as_sent(request: GenerationRequest) -> str:
    """The prompt the host receives (and counts)."""
    return sent_references(request).prompt
