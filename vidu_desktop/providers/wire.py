"""The parts of a submit body every adapter builds the same way: the video parameters, and the
references: a ``subjects`` list on a model with the subjects form, the pictures in order on the
others, with the prompt as ``core.mentions.sent_references`` gives it (mentions kept, or put
into words with the pictures' numbers). Each adapter adds its own field names around them.
"""

from __future__ import annotations

from typing import Any

from vidu_desktop.core.capabilities import Mode
from vidu_desktop.core.mentions import SentReferences, sent_references
from vidu_desktop.core.request import GenerationRequest


def video_params(req: GenerationRequest, *, resolution: bool = True,
                 prompt: str | None = None) -> dict[str, Any]:
    """The video parameters every host spells the same way, from a resolved request (the
    references and host-specific fields are each adapter's own). ``prompt``: the prompt as
    sent (the request's own by default). The movement value is spelled as the host documents
    it; ``bgm`` goes only to models that offer it; ``audio`` always to models with audio
    (Q3 turns it on when it is left out), with the ``audio_type`` the model asks for."""
    spec = req.spec
    params: dict[str, Any] = {"prompt": req.prompt if prompt is None else prompt,
                              "duration": req.duration}
    if resolution:
        params["resolution"] = req.resolution
    params["movement_amplitude"] = spec.wire_movement_of(req.movement_amplitude or "auto")
    if spec.supports_bgm:
        params["bgm"] = req.bgm
    if req.mode == Mode.REFERENCE2VIDEO and req.aspect_ratio:
        params["aspect_ratio"] = req.aspect_ratio
    if req.seed:
        params["seed"] = req.seed
    if spec.supports_audio:
        params["audio"] = req.audio
        if req.audio and spec.audio_type:
            params["audio_type"] = spec.audio_type
    return params


def wire_subjects(sent: SentReferences, name_field: str = "id", voices: bool = True
                  ) -> list[dict[str, Any]]:
    """The ``subjects`` list: each subject's name under ``name_field``, its pictures and, when
    it has one and the model takes ``voices``, its voice."""
    out: list[dict[str, Any]] = []
    for subject in sent.subjects:
        entry: dict[str, Any] = {name_field: subject.name,
                                 "images": [image.uri for image in subject.images]}
        if subject.voice_id and voices:
            entry["voice_id"] = subject.voice_id
        out.append(entry)
    return out


def references(req: GenerationRequest, images_field: str = "images"
               ) -> tuple[SentReferences, dict[str, Any]]:
    """How ``req`` reaches its host, and the body's reference field: ``{"subjects": [...]}``
    on a model with subjects, ``{images_field: [uri, ...]}`` (the cast's pictures first) on
    the others. Use ``sent.prompt`` as the prompt."""
    sent = sent_references(req)
    spec = req.spec
    if sent.form == "subjects" and spec.subjects is not None:
        return sent, {"subjects": wire_subjects(sent, spec.subjects.name_field,
                                                    spec.subjects.voice)}
    return sent, {images_field: [image.uri for image in sent.images]}
