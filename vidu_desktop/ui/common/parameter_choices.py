"""The parameter panel's choices (``Choices``, kept in ``core/choices.py`` with the requests
they make) and the rules that keep them valid (no Qt here).

``fit(choices, spec)`` returns the choices every value of which the chosen host and model
offer, and a note for each value it had to change, so the panel can show the user what moved
("Resolution 720p is not offered by viduq1; now 1080p") instead of replacing it silently.
"""

from __future__ import annotations

from dataclasses import replace

from vidu_desktop.core.capabilities import Mode, ModelSpec, ProviderId, provider
from vidu_desktop.core.choices import MAX_VARIATIONS, Choices

__all__ = ["MAX_VARIATIONS", "Choices", "audio_excludes_off_peak", "default_choices", "fit"]


def _name(spec: ModelSpec) -> str:
    return spec.model


def fit(choices: Choices, previous: Choices | None = None) -> tuple[Choices, list[str]]:
    """``choices`` made valid for its host and model, and a note per value that changed.

    ``previous`` is what the user saw before this change; options that merely became unsent
    (payload, off-peak, watermark, audio) get a note only when they were in use and the host
    or model before offered them. Audio and off-peak on a model that refuses them together
    keep audio (what the video is) and turn off-peak off (when it runs), with a note.
    """
    notes: list[str] = []
    if not isinstance(choices.provider, ProviderId):  # Qt hands enum data back as str
        choices = replace(choices, provider=ProviderId(choices.provider))
    host = provider(choices.provider)
    models = host.models_for(Mode.REFERENCE2VIDEO)
    if choices.model not in [m.model for m in models]:
        new = models[0].model
        notes.append(f"Model {choices.model} is not offered by {host.display_name}; "
                     f"now {new}.")
        choices = replace(choices, model=new)
    spec = choices.spec
    who = _name(spec)

    if choices.duration not in spec.durations:
        notes.append(f"Duration {choices.duration} s is not offered by {who}; "
                     f"now {spec.default_duration} s.")
        choices = replace(choices, duration=spec.default_duration)
    allowed = spec.resolutions_for(choices.duration)
    if choices.resolution not in allowed:
        new = allowed[0]
        at = f" at {choices.duration} s" if len(spec.durations) > 1 else ""
        notes.append(f"Resolution {choices.resolution} is not offered by {who}{at}; "
                     f"now {new}.")
        choices = replace(choices, resolution=new)
    if spec.aspect_ratios and choices.aspect_ratio not in spec.aspect_ratios:
        notes.append(f"Aspect ratio {choices.aspect_ratio} is not offered by {who}; "
                     f"now {spec.default_aspect_ratio}.")
        choices = replace(choices, aspect_ratio=spec.default_aspect_ratio)
    if choices.movement_amplitude not in spec.movement_amplitudes:
        new = spec.movement_amplitudes[0]
        notes.append(f"Movement amplitude {choices.movement_amplitude} is not offered by "
                     f"{who}; now {new}.")
        choices = replace(choices, movement_amplitude=new)
    if not 1 <= choices.seed <= spec.seed_max:
        seed = min(max(1, choices.seed), spec.seed_max)
        if not choices.random_seed:
            notes.append(f"Seed {choices.seed} is above {host.display_name}'s maximum of "
                         f"{spec.seed_max}; now {seed}.")
        choices = replace(choices, seed=seed)
    if not 1 <= choices.variations <= MAX_VARIATIONS:
        choices = replace(choices, variations=min(max(1, choices.variations), MAX_VARIATIONS))
    if choices.bgm and not spec.supports_bgm:
        notes.append(f"Background music is not offered by {who}; it will not be asked for.")

    before = previous.spec if previous is not None else None
    for used, supported, was, what in (
        (bool(choices.payload.strip()), spec.supports_payload,
         before.supports_payload if before else True, "Payload"),
        (choices.off_peak, spec.supports_off_peak,
         before.supports_off_peak if before else True, "Off-peak"),
        (choices.watermark, spec.supports_watermark,
         before.supports_watermark if before else True, "Watermark"),
    ):
        if used and was and not supported:
            notes.append(f"{what} is not offered by {host.display_name}; it is kept for "
                         "later but not sent.")
    if choices.audio and not spec.supports_audio and (before is None or before.supports_audio):
        notes.append(f"Audio is not offered by {who}; it is kept for later but not sent.")
    if audio_excludes_off_peak(choices):
        notes.append(f"Audio cannot be combined with off-peak on {who}; off-peak is now off "
                     "(turn audio off to run off-peak).")
        choices = replace(choices, off_peak=False)
    return choices, notes


def audio_excludes_off_peak(choices: Choices) -> bool:
    """Whether both audio and off-peak are on and sent, on a model that refuses the two
    together."""
    spec = choices.spec
    return (choices.audio and choices.off_peak and spec.supports_audio
            and spec.supports_off_peak and not spec.audio_with_off_peak)


def default_choices(pid: ProviderId = ProviderId.VIDU) -> Choices:
    spec = provider(pid).models_for(Mode.REFERENCE2VIDEO)[0]
    return Choices(provider=pid, model=spec.model, duration=spec.default_duration,
                   resolution=spec.default_resolution(),
                   aspect_ratio=spec.default_aspect_ratio if spec.aspect_ratios else "16:9",
                   movement_amplitude=spec.movement_amplitudes[0])
