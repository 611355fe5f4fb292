"""A draft with cast members, sent to every model of the capability table that has the subjects
form: the request is built from the draft through the engine's verbs, accepted by the emulator
of its host (over loopback), and its pictures reach it in order, the cast's first; the task is
linked to its members and its sidecar says what was sent."""

from __future__ import annotations

import pytest
from conftest import make_image

from vidu_desktop.core.capabilities import PROVIDERS, Mode, ProviderId, model_spec
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.engine import Engine
from vidu_desktop.store import Draft, DraftReference, DraftStore, ReferenceMeta
from vidu_desktop.store.references import REF_URI_PREFIX

from .conftest import Emu, EngineFactory, run, sidecar_of

SUBJECT_MODELS = [(p.id, m.model) for p in PROVIDERS.values() for m in p.models
                  if m.subjects is not None]


def kept(engine: Engine, shade: int, name: str) -> DraftReference:
    data = make_image(480, 320, color=(shade, 255 - shade, 90))
    return DraftReference(engine.keep_reference(data, ReferenceMeta("png", 480, 320, name)),
                          "", name)


def request_from(engine: Engine, draft: Draft) -> GenerationRequest:
    """What Generate sends for ``draft``: its cast members as subjects (in the draft's order),
    its loose pictures by hash."""
    members = [engine.cast_member(i) for i in draft.cast]
    spec = model_spec(ProviderId(draft.provider), draft.model, Mode(draft.mode))
    return GenerationRequest(
        spec.provider, draft.model, draft.prompt,
        tuple(ReferenceImage(REF_URI_PREFIX + r.sha256, r.original_name, r.sha256)
              for r in draft.references),
        subjects=tuple(engine.subject_of(m) for m in members if m is not None),
        audio=spec.supports_audio)


def test_every_host_model_with_subjects_is_in_the_list() -> None:
    assert {p.value for p, _ in SUBJECT_MODELS} == {"vidu", "novita", "highwayapi", "vtrix"}


@pytest.mark.parametrize(("host", "model"), SUBJECT_MODELS,
                         ids=[f"{h.value}-{m}" for h, m in SUBJECT_MODELS])
def test_a_draft_with_a_cast_is_accepted_in_the_subjects_form(
        make_engine: EngineFactory, emu: Emu, host: ProviderId, model: str) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            spec = model_spec(host, model, Mode.REFERENCE2VIDEO)
            assert spec.subjects is not None
            voice = "voice-mia" if spec.subjects.voice else ""
            mia = engine.add_cast_member("mia", (kept(engine, 10, "front.png"),
                                                 kept(engine, 60, "side.png")), voice_id=voice)
            leo = engine.add_cast_member("leo", (kept(engine, 120, "leo.png"),))
            sea = kept(engine, 200, "sea.png")
            draft = DraftStore(engine.conn).save(Draft.new(
                "Shot 1", provider=host.value, model=model, mode=Mode.REFERENCE2VIDEO.value,
                prompt="@mia hands @leo a shell by @image1", references=(sea,),
                cast=(mia.id, leo.id)))
            rec = await engine.submit(request_from(engine, draft), draft_id=draft.id)
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED, done.error

            [remote] = emu.server.world.board.tasks.values()
            order = [*mia.hashes, *leo.hashes, sea.sha256]
            assert remote.images == [engine.read_reference(s) for s in order]
            assert "@mia" in remote.params["prompt"] and "@leo" in remote.params["prompt"]
            assert engine.cast_usage(mia.id).tasks == engine.cast_usage(leo.id).tasks == 1
            sidecar = sidecar_of(engine, done)
            assert sidecar["mentions"]["form"] == "subjects"
            assert sidecar["mentions"]["mentioned"] == ["mia", "leo", "image1"]
            assert [(s["name"], s["voice_id"]) for s in sidecar["subjects"]] == [
                ("mia", voice), ("leo", "")]
    run(scenario())
