"""What the prompt's @mentions mean for the draft and its model (no Qt here).

The editor asks these questions on every change, so each answer is linear in the prompt:

- which names a mention may use (``known_names``): the draft's cast members, and on a model
  with the subjects form also the loose pictures' names ``image1``, ``image2``, …;
- which mentions name no one (``core.mentions.unknown_mentions``) and what to tell the user
  (``unknown_message``);
- the prompt as the host counts it (``core.mentions.sent_references``; its limit is
  ``ModelSpec.sent_prompt_limit``) and where, in the prompt as typed, the part over the limit
  starts (``typed_offset``);
- the line under the editor (``form_line``): which picture numbers each name became (models
  without subjects), or that the mentions are sent as subjects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from vidu_desktop.core.mentions import (
    LOOSE_PREFIX,
    Mention,
    SentReferences,
    find_mentions,
    number_words,
    sent_references,
)
from vidu_desktop.core.request import GenerationRequest

#: ``@`` and the start of a name just before the cursor: the completer's prefix
TYPING = re.compile(r"(?<![\w@])@([\w-]*)$")
_LOOSE = re.compile(LOOSE_PREFIX + r"\d+$", re.IGNORECASE)


def loose_names(count: int) -> tuple[str, ...]:
    """The names a subjects model gives ``count`` loose pictures: image1, image2, …"""
    return tuple(f"{LOOSE_PREFIX}{n}" for n in range(1, count + 1))


def known_names(cast: Sequence[str], loose: int, subjects_form: bool, pictures: int = 0
                ) -> tuple[str, ...]:
    """The names a mention may use (as ``core.mentions.mention_names`` gives them for a
    request): the cast, then the loose pictures (subjects form) or every one of the
    ``pictures`` by its number (images form: ``@1``, ``@2``…)."""
    if subjects_form:
        return tuple(cast) + loose_names(loose)
    return tuple(cast) + tuple(str(n) for n in range(1, pictures + 1))


def typing_prefix(before_cursor: str) -> str | None:
    """The part of a name typed after an ``@`` that ends at the cursor (None: not in one)."""
    match = TYPING.search(before_cursor)
    return match.group(1) if match else None


def _listing(names: Sequence[str]) -> str:
    return ", ".join(names)


def unknown_message(names: Sequence[str], cast: Sequence[str], loose: int,
                    subjects_form: bool, model: str = "", pictures: int = 0) -> str:
    """What to tell the user about mentions (``names``, as written, without the @) that name
    no one in the draft: which, who the draft's cast is, and what to do."""
    names = list(dict.fromkeys(names))
    mentions = " and ".join(f"@{n}" for n in names) if len(names) <= 2 else \
        ", ".join(f"@{n}" for n in names[:-1]) + f" and @{names[-1]}"
    verb = "names" if len(names) == 1 else "name"
    on = f" on {model}" if model else ""
    who = f"the draft's cast: {_listing(cast)}" if cast else "the draft has no cast members yet"
    if subjects_form and loose:
        who += f"; its loose pictures: {_listing(['@' + n for n in loose_names(loose)])}"
    if not subjects_form and pictures:
        who += "; its pictures by number: " + ("@1" if pictures == 1 else f"@1 to @{pictures}")
    text = f"{mentions} {verb} no one in this draft; {who}."
    if not subjects_form and any(_LOOSE.match(n) for n in names):
        text += (f" Pictures{on} go in order, the cast's first: write @3 for the third.")
    elif len(names) == 1:
        text += f" Correct the name, or add a cast member named {names[0]} to the draft."
    else:
        text += " Correct the names, or add those cast members to the draft."
    return text


def numbers_text(sent: SentReferences, cast: Sequence[str], loose: int) -> str:
    """``@mia → images 1-2 · @red_car → image 3 · loose pictures → images 4-5``."""
    parts: list[str] = []
    last = 0
    for name in cast:
        numbers = sent.numbers.get(name, ())
        if numbers:
            parts.append(f"@{name} → {number_words(numbers)}")
            last = max(last, numbers[-1])
        else:
            parts.append(f"@{name} → no pictures")
    if loose:
        words = number_words(tuple(range(last + 1, last + loose + 1)))
        parts.append(("loose picture → " if loose == 1 else "loose pictures → ") + words)
    return " · ".join(parts)


def form_line(sent: SentReferences | None, cast: Sequence[str], loose: int, model: str
              ) -> tuple[str, str]:
    """The line under the editor and its tooltip ("" when there is nothing to say)."""
    if sent is None or (not cast and not loose and not sent.mentioned):
        return "", ""
    if sent.form == "images":
        if not cast:
            return "", ""
        tip = (f"{model or 'This model'} takes pictures in order, not subjects: the cast's "
               "pictures go first, then the loose ones, and each @name is sent as the name "
               "and its picture numbers, e.g. \"mia (images 1-2)\". The counter counts that.")
        return f"{model or 'The model'} gets pictures in order: " + \
            numbers_text(sent, cast, loose), tip
    parts = [_listing(["@" + n for n in cast])] if cast else []
    if loose:
        parts.append(("loose picture: " if loose == 1 else "loose pictures: ")
                     + _listing(["@" + n for n in loose_names(loose)]))
    tip = (f"{model or 'This model'} takes named subjects: each cast member is sent as a "
           "subject with its pictures, each loose picture as a subject of its own "
           "(@image1, @image2, …), and the prompt goes as written.")
    to = f" to {model}" if model else ""
    return f"Mentions are sent{to} as subjects: " + " · ".join(parts), tip


def typed_offset(request: GenerationRequest, sent_limit: int) -> int:
    """The index (in code points) in ``request.prompt`` from which the prompt as sent passes
    ``sent_limit``; a mention that is only partly within the limit counts from its ``@``.
    ``len(prompt)`` when the prompt as sent is within it."""
    prompt = request.prompt
    typed = sent = 0
    words: dict[str, int] = {}
    for mention in find_mentions(prompt):
        gap = mention.start - typed
        if sent + gap > sent_limit:
            return typed + (sent_limit - sent)
        sent += gap
        width = words.get(mention.name)
        if width is None:
            width = words[mention.name] = _sent_width(request, prompt, mention)
        if sent + width > sent_limit:
            return mention.start
        sent += width
        typed = mention.end
    return min(len(prompt), typed + max(0, sent_limit - sent))


def _sent_width(request: GenerationRequest, prompt: str, mention: Mention) -> int:
    """How long ``mention`` is once sent (as its words, or as the subject's name)."""
    alone = replace(request, prompt=prompt[mention.start:mention.end])
    return len(sent_references(alone).prompt)


def mention_tip(name: str, known: Sequence[str], cast: Sequence[str], loose: int,
                sent: SentReferences | None, model: str = "") -> str:
    """The tooltip of the mention ``@name``: what it names and how it is sent."""
    canonical = next((n for n in known if n.casefold() == name.casefold()), None)
    subjects_form = sent is not None and sent.form == "subjects"
    if canonical is None:
        pictures = len(sent.images) if sent is not None else 0
        return unknown_message([name], cast, loose, subjects_form, model, pictures)
    to = f" to {model}" if model else ""
    if sent is not None and sent.form == "images" and canonical.isdigit():
        number = int(canonical)
        owner = next((n for n, numbers in sent.numbers.items() if number in numbers), "")
        whose = f"one of {owner}'s" if owner else "a loose picture"
        return f"@{name}: picture {number} ({whose}), sent{to} as written."
    if sent is not None and sent.form == "images":
        numbers = sent.numbers.get(canonical, ())
        if not numbers:
            return f"@{name}: the cast member {canonical} has no pictures in this draft."
        words = f"{canonical.replace('_', ' ')} ({number_words(numbers)})"
        return f"@{name}: the cast member {canonical}, sent{to} as \"{words}\"."
    if canonical in cast:
        return f"@{name}: the cast member {canonical}, sent{to} as a subject."
    return (f"@{name}: loose picture {canonical.removeprefix(LOOSE_PREFIX)}, sent{to} as a "
            "subject of its own.")


def insertable(sent: SentReferences, cast: Sequence[str]) -> list[tuple[str, str]]:
    """What the "image N" menu offers: (text to insert, the picture's label). Pictures in
    order: "image N" for each picture (a cast member's named in its label); subjects:
    "@name" for each cast member and loose picture."""
    if sent.form == "subjects":
        return [(f"@{s.name}", s.images[0].label if s.name not in cast and s.images else "")
                for s in sent.subjects]
    owner = {n: name for name, numbers in sent.numbers.items() for n in numbers}
    entries: list[tuple[str, str]] = []
    for number, image in enumerate(sent.images, 1):
        label = image.label
        if number in owner:
            label = f"{owner[number]}" + (f": {label}" if label else "")
        entries.append((f"image {number}", label))
    return entries
