"""Validation of a request against the capability table, naming field, value and allowed values.

The prompt is judged as the host receives it (``mentions.prompt_as_sent``: on a model without
subjects the mentions are put into words first), the pictures as they are sent (cast members'
and loose ones together), and the cast by the model's ``SubjectRules``.
"""

from __future__ import annotations

from vidu_desktop.core.records import record

from .capabilities import PROMPT_COUNTING, ModelSpec, provider
from .mentions import mention_names, name_problem, prompt_as_sent, unknown_mentions
from .request import GenerationRequest


@record
class Problem:
    field: str
    message: str  # a full sentence for the user
    value: object = None
    allowed: tuple[object, ...] = ()

    def __str__(self) -> str:
        return self.message


def prompt_length(prompt: str) -> int:
    """The prompt's length as the hosts count it (see ``PROMPT_COUNTING``)."""
    return len(prompt)


def _choice(field: str, value: object, allowed: tuple[object, ...], what: str) -> Problem | None:
    if value in allowed:
        return None
    shown = ", ".join(str(a) for a in allowed) or "none"
    return Problem(field, f"{what} {value!r} is not offered by this model; allowed: {shown}.",
                   value, allowed)


def _listed(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(values) or "none"


def validate(request: GenerationRequest) -> list[Problem]:
    """Every problem with ``request`` for its host and model; empty when it can be sent."""
    try:
        spec: ModelSpec = request.spec
    except KeyError as exc:
        return [Problem("model", str(exc.args[0]), request.model)]
    req = request.resolved()
    problems: list[Problem] = []
    if spec.prompt_required and not req.prompt.strip():
        problems.append(Problem("prompt", "The prompt is empty; this model needs one."))
    problems.extend(_prompt_problems(req, spec))
    problems.extend(_picture_problems(req, spec))
    problems.extend(_mention_problems(req, spec))
    duration_problem = _choice("duration", req.duration, spec.durations, "Duration")
    checks = [
        duration_problem,
        # the resolutions depend on the duration: judge them only for an offered one
        None if duration_problem else _choice(
            "resolution", req.resolution, spec.resolutions_for(req.duration or 0),
            f"Resolution at {req.duration} s"),
        _choice("movement_amplitude", req.movement_amplitude, spec.movement_amplitudes,
                "Movement amplitude"),
    ]
    if spec.aspect_ratios:
        checks.append(_choice("aspect_ratio", req.aspect_ratio, spec.aspect_ratios,
                              "Aspect ratio"))
    problems.extend(p for p in checks if p is not None)
    if req.seed is not None and not (spec.supports_seed and 0 <= req.seed <= spec.seed_max):
        problems.append(Problem("seed", f"Seed {req.seed} is out of range; use 0 (random) to "
                                f"{spec.seed_max}.", req.seed, (0, spec.seed_max)))
    if req.bgm and not spec.supports_bgm:
        problems.append(Problem("bgm", "This model does not offer background music.", True))
    for flag, supported, what in (
        (bool(req.payload), spec.supports_payload, "payload"),
        (req.off_peak, spec.supports_off_peak, "off_peak"),
        (req.watermark, spec.supports_watermark, "watermark"),
        (bool(req.callback_url), spec.supports_callback, "callback_url"),
    ):
        if flag and not supported:
            problems.append(Problem(what, f"This host does not support {what}.", True))
    if len(req.payload) > 1_048_576:
        problems.append(Problem("payload", "The payload is longer than 1,048,576 characters.",
                                len(req.payload)))
    problems.extend(_audio_problems(req, spec))
    return problems


def _prompt_problems(req: GenerationRequest, spec: ModelSpec) -> list[Problem]:
    """The prompt as sent against the limit of the form it is sent in."""
    sent = prompt_as_sent(req)
    n, limit = prompt_length(sent), spec.sent_prompt_limit
    if n <= limit:
        return []
    words = (" as sent (the mentions put into words)"
             if spec.subjects is None and sent != req.prompt else "")
    return [Problem("prompt", f"The prompt{words} is {n} characters; the limit is {limit} "
                    f"({PROMPT_COUNTING}). Shorten it by {n - limit}.", n, (limit,))]


def _picture_problems(req: GenerationRequest, spec: ModelSpec) -> list[Problem]:
    """The number of pictures (cast and loose) and, in the subjects form, of subjects."""
    problems: list[Problem] = []
    count = len(req.all_images)
    rules = spec.images
    rules_max = rules.max_count
    if spec.subjects is not None:
        rules_max = min(rules_max, spec.subjects.max_images_total)
    if not rules.min_count <= count <= rules_max:
        span = (f"exactly {rules.min_count}" if rules.min_count == rules_max
                else f"{rules.min_count} to {rules_max}")
        whose = (f" ({len(req.all_images) - len(req.images)} of the cast, {len(req.images)} "
                 "loose)" if req.subjects else "")
        problems.append(Problem("images", f"{count} reference images given{whose}; this model "
                                f"takes {span}.", count, (rules.min_count, rules_max)))
    seen: dict[str, str] = {}
    for subject in req.subjects:
        problem = name_problem(subject.name)
        if problem:
            problems.append(Problem("subjects", problem, subject.name))
        key = subject.name.casefold()
        if key in seen:
            problems.append(Problem(
                "subjects", f"Two cast members are called {seen[key]!r} and {subject.name!r}; "
                "a mention could not tell them apart. Rename one.", subject.name))
        seen[key] = subject.name
        if not subject.images:
            problems.append(Problem("subjects", f"Cast member {subject.name!r} has no picture; "
                                    "give it at least one.", subject.name, (1,)))
    sub = spec.subjects
    if sub is None:
        return problems
    total = len(req.subjects) + len(req.images)
    if total > sub.max_subjects:
        loose = (f" (each of the {len(req.images)} loose pictures is a subject of its own)"
                 if req.images else "")
        problems.append(Problem(
            "subjects", f"{total} subjects given{loose}; {spec.model} takes at most "
            f"{sub.max_subjects}. Leave some out or make a cast member of several pictures.",
            total, (1, sub.max_subjects)))
    for subject in req.subjects:
        if len(subject.images) > sub.max_images_each:
            problems.append(Problem(
                "subjects", f"Cast member {subject.name!r} has {len(subject.images)} pictures; "
                f"{spec.model} takes at most {sub.max_images_each} for each subject.",
                len(subject.images), (1, sub.max_images_each)))
    return problems


def _mention_problems(req: GenerationRequest, spec: ModelSpec) -> list[Problem]:
    """Mentions that name no one in the draft (loose pictures are ``@image1``… in the
    subjects form; every picture is ``@1``, ``@2``… in the images form)."""
    names = mention_names(req, subjects_form=spec.subjects is not None)
    unknown = list(dict.fromkeys(m.name for m in unknown_mentions(req.prompt, names)))
    if not unknown:
        return []
    shown = ", ".join("@" + n for n in unknown)
    allowed = tuple("@" + n for n in names)
    may = (f"it may mention {_listed(allowed)}" if names
           else "the draft has no cast member and no picture")
    return [Problem("mentions", f"The prompt mentions {shown}, but no one in the draft is "
                    f"called so; {may}. Add the cast member to the draft or correct the "
                    "mention.", tuple(unknown), allowed)]


def _audio_problems(req: GenerationRequest, spec: ModelSpec) -> list[Problem]:
    problems: list[Problem] = []
    host = provider(spec.provider)
    same_mode = [m for m in host.models if m.mode == spec.mode]
    if req.audio and not spec.supports_audio:
        with_audio = tuple(m.model for m in same_mode if m.supports_audio)
        problems.append(Problem(
            "audio", f"{spec.model} does not generate audio; {host.display_name}'s models "
            f"with audio: {_listed(with_audio)}. Turn audio off or pick one of them.",
            True, with_audio))
    elif (req.audio and req.off_peak and spec.supports_off_peak
          and not spec.audio_with_off_peak):
        problems.append(Problem(
            "audio", f"{host.display_name} does not run a task with audio off-peak "
            f"({spec.model}); turn off audio or off-peak.", True, (False,)))
    # A voice speaks only in a video with audio: without audio a voiced member is sent without
    # its voice (nothing is lost); with audio, a model that takes no voices would lose them.
    voiced = [s for s in req.subjects if s.voice_id]
    if voiced and req.audio and spec.supports_audio and (spec.subjects is None
                                                         or not spec.subjects.voice):
        with_voice = tuple(m.model for m in same_mode
                           if m.subjects is not None and m.subjects.voice)
        names = ", ".join(f"{s.name} ({s.voice_id})" for s in voiced)
        problems.append(Problem(
            "voice_id", f"{spec.model} takes no voices, so with audio on these would be lost: "
            f"{names}. {host.display_name}'s models with voices: {_listed(with_voice)}; pick "
            "one of them, or turn audio off.",
            tuple(s.voice_id for s in voiced), with_voice))
    return problems
