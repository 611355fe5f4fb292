"""The engine's verbs over the cast, on the Engine and the SandboxEngine (which keeps the
profile's cast): real SQLite files, real pictures, real tasks on the emulator over loopback.
A Q1 task made with a cast member reaches the host in the images form: the pictures in
order, the cast member's first, and ``@mia`` put into words with its picture numbers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest
from conftest import make_image

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.errors import AppError, ErrorKind, Promise
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.engine import Engine
from vidu_desktop.engine.sandbox import SandboxEngine, open_sandbox, sandbox_paths
from vidu_desktop.store import (
    AppPaths,
    CastUsage,
    Draft,
    DraftReference,
    DraftStore,
    ReferenceMeta,
    ReferenceStore,
    open_database,
)
from vidu_desktop.store.references import REF_URI_PREFIX

from .conftest import Emu, EngineFactory, fast_settings, run, sidecar_of

Scenario = Callable[[Engine, DraftStore], Awaitable[None]]


def keep(engine: Engine, count: int, shade: int = 0) -> tuple[DraftReference, ...]:
    """``count`` real pictures kept through the engine's verb, as the tray keeps them."""
    out = []
    for n in range(count):
        data = make_image(400 + 8 * n, 300, color=(shade, 60 * n, 120))
        sha = engine.keep_reference(data, ReferenceMeta("png", 400 + 8 * n, 300,
                                                        f"shot-{shade}-{n}.png"))
        out.append(DraftReference(sha, f"view {n + 1}", f"shot-{shade}-{n}.png"))
    return tuple(out)


async def verbs(engine: Engine, drafts: DraftStore) -> None:
    pics = keep(engine, 3)
    mia = engine.add_cast_member("mia", pics[:2], "red coat", "voice-1")
    assert engine.cast_members() == [mia] and engine.cast_member(mia.id) == mia
    assert engine.cast_member_named("MIA") == mia and engine.cast_member("nope") is None
    assert (mia.description, mia.voice_id, mia.pictures) == ("red coat", "voice-1", pics[:2])

    refused = [
        (lambda: engine.add_cast_member("Mia", pics[2:]), "already called 'mia'"),
        (lambda: engine.add_cast_member("mia lee", pics[2:]), "no spaces"),
        (lambda: engine.add_cast_member("leo", ()), "leo has 0 pictures"),
        (lambda: engine.add_cast_member("leo", (*pics, *keep(engine, 1, 90))),
         "leo has 4 pictures; a cast member takes 1 to 3"),
        (lambda: engine.add_cast_member("leo", (DraftReference("f" * 64, "", "lost.png"),)),
         "The picture lost.png of leo is not in the library's pictures"),
        (lambda: engine.update_cast_member("nope", name="x"), "No cast member with id 'nope'"),
        (lambda: engine.delete_cast_member("nope"), "No cast member with id 'nope'"),
    ]
    for call, words in refused:
        with pytest.raises(AppError) as err:
            call()
        assert err.value.kind == ErrorKind.INVALID_PARAMETER, words
        assert err.value.promise == Promise.FIX_INPUT and err.value.hint, words
        assert words in err.value.message
    assert engine.cast_members() == [mia]

    leo = engine.add_cast_member("leo", pics[2:])
    assert [m.name for m in engine.cast_members()] == ["leo", "mia"]
    shot1 = drafts.save(Draft.new("Shot 1", prompt="@mia and @leo", cast=(mia.id, leo.id)))
    drafts.save(Draft.new("", prompt="@mia alone", cast=(mia.id,)))
    assert engine.cast_usage(mia.id) == CastUsage(("Untitled draft", "Shot 1"), 0)

    # the subject as a request carries it: pictures by hash, read from the store when sent
    subject = engine.subject_of(mia)
    assert subject.name == "mia" and subject.voice_id == "voice-1"
    assert [i.uri for i in subject.images] == [REF_URI_PREFIX + p.sha256 for p in pics[:2]]
    assert [i.sha256 for i in subject.images] == [p.sha256 for p in pics[:2]]
    loose = ReferenceImage(REF_URI_PREFIX + pics[2].sha256, "the sea", pics[2].sha256)
    request = GenerationRequest(ProviderId.VIDU, "viduq1", "@Mia waves at the sea", (loose,),
                                subjects=(subject,))
    rec = await engine.submit(request)  # Q1 makes no sound: the voice is not sent
    assert rec.request.subjects[0].images[0].uri.startswith(REF_URI_PREFIX)
    done = await engine.wait(rec.local_id)
    assert done.state == TaskState.SUCCEEDED, done.error
    assert engine.cast_usage(mia.id).tasks == 1 and engine.cast_usage(leo.id).tasks == 0
    sidecar = sidecar_of(engine, done)
    assert sidecar["subjects"] == [{"name": "mia", "pictures": [p.sha256 for p in pics[:2]],
                                    "voice_id": ""}]
    assert sidecar["mentions"]["prompt"] == "Mia (images 1-2) waves at the sea"
    assert sidecar["mentions"]["numbers"] == {"mia": [1, 2]}
    # a subject named like a member but with other pictures is not the member
    other = GenerationRequest(ProviderId.VIDU, "viduq1", "@leo", (), subjects=(
        replace(subject, name="leo"),))
    await engine.wait((await engine.submit(other)).local_id)
    assert engine.cast_usage(leo.id).tasks == 0

    # rename: the drafts of the member follow; pictures and voice changed
    renamed = engine.update_cast_member(mia.id, name="Mia_R", pictures=pics[1:2],
                                        voice_id="")
    assert (renamed.name, renamed.pictures, renamed.voice_id) == ("Mia_R", pics[1:2], "")
    assert drafts.get(shot1.id).prompt == "@Mia_R and @leo"  # type: ignore[union-attr]
    with pytest.raises(AppError, match="already called 'leo'"):
        engine.update_cast_member(mia.id, name="LEO")

    # delete: the drafts that had it drop it; the task keeps its request
    engine.delete_cast_member(mia.id)
    assert engine.cast_member(mia.id) is None and engine.cast_usage(mia.id) == CastUsage()
    assert drafts.get(shot1.id).cast == (leo.id,)  # type: ignore[union-attr]
    assert drafts.get(shot1.id).prompt == "@Mia_R and @leo"  # type: ignore[union-attr]
    assert [m.name for m in engine.cast_members()] == ["leo"]
    kept = engine.task(rec.local_id)
    assert kept is not None and kept.request.subjects[0].name == "mia"


def test_the_cast_verbs_on_the_engine(make_engine: EngineFactory, emu: Emu) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            await verbs(engine, DraftStore(engine.conn))
            # the emulator got the pictures in order, the cast member's first
            [first, _] = sorted(emu.server.world.board.tasks.values(),
                                key=lambda t: t.created_at)
            assert first.params["prompt"] == "Mia (images 1-2) waves at the sea"
            sent = [p.sha256 for p in keep(engine, 3)]  # the same bytes: the same hashes
            assert first.images == [engine.read_reference(s) for s in sent]
    run(scenario())


def test_the_sandbox_engine_keeps_the_profiles_cast(paths: AppPaths, emu: Emu) -> None:
    """The app's sandbox (given the profile's reference store) and the CLI's (open_sandbox)
    both work on the profile's cast, which the real engine sees too."""
    async def scenario() -> None:
        profile = open_database(paths.database)
        try:
            profile_refs = ReferenceStore(profile, paths.ensure().refs_dir)
            settings = fast_settings(emu, base_urls={})
            async with SandboxEngine(sandbox_paths(paths), DEMO_KEY, settings, lambda: emu.url,
                                     profile_refs=profile_refs) as sandbox:
                await verbs(sandbox, DraftStore(profile))
                assert [m.name for m in sandbox.cast_members()] == ["leo"]
                # the cast's pictures are the profile's: its store has them
                leo = sandbox.cast_members()[0]
                assert profile_refs.exists(leo.pictures[0].sha256)
        finally:
            profile.close()
        async with open_sandbox(paths, fast_settings(emu), lambda: emu.url) as cli_sandbox:
            assert [m.name for m in cli_sandbox.cast_members()] == ["leo"]
            zoe = cli_sandbox.add_cast_member("zoe", keep(cli_sandbox, 1, 200))
            rec = await cli_sandbox.submit(GenerationRequest(
                ProviderId.NOVITA, "vidu-q1", "@zoe runs", (),
                subjects=(cli_sandbox.subject_of(zoe),)))
            assert (await cli_sandbox.wait(rec.local_id)).state == TaskState.SUCCEEDED
            assert cli_sandbox.cast_usage(zoe.id).tasks == 1
        async with Engine(paths, lambda _pid: DEMO_KEY, fast_settings(emu)) as real:
            assert [m.name for m in real.cast_members()] == ["leo", "zoe"]
            assert real.cast_usage(zoe.id).tasks == 0  # the sandbox's tasks are its own
    run(scenario(), timeout=60)


def test_a_subject_whose_picture_left_the_store_is_refused_before_anything_is_written(
        make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            mia = engine.add_cast_member("mia", keep(engine, 1))
            subject = engine.subject_of(mia)
            gone = engine.reference(mia.pictures[0].sha256)
            assert gone is not None
            gone.path.unlink()
            with pytest.raises(AppError) as err:
                await engine.submit(GenerationRequest(ProviderId.VIDU, "viduq1", "@mia", (),
                                                      subjects=(subject,)))
            assert err.value.kind == ErrorKind.INVALID_IMAGE
            assert "Picture 1 of mia (view 1) is no longer in the library" in err.value.message
            assert engine.count() == 0
    run(scenario())


def test_a_model_with_the_subjects_form_gets_the_subjects_with_their_pictures_inline(
        make_engine: EngineFactory, emu: Emu, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the engine hands the adapter of a model with subjects (viduq2): the subjects as
    the draft had them, voices kept, their pictures read back from the store as data URIs,
    the prompt as written (the adapter builds the host's ``subjects``)."""
    async def scenario() -> None:
        async with make_engine() as engine:
            mia = engine.add_cast_member("mia", keep(engine, 2), voice_id="voice-1")
            loose = keep(engine, 1, 150)[0]
            request = GenerationRequest(
                ProviderId.VIDU, "viduq2", "@mia waves at @image1", (ReferenceImage(
                    REF_URI_PREFIX + loose.sha256, "sea", loose.sha256),),
                subjects=(engine.subject_of(mia),), audio=True)
            adapter = engine.adapter("vidu")
            handed: list[GenerationRequest] = []
            real_submit = adapter.submit

            async def spy(req: GenerationRequest, token: str) -> object:
                handed.append(req)
                return await real_submit(req, token)

            monkeypatch.setattr(adapter, "submit", spy)
            rec = await engine.submit(request)
            await engine.wait(rec.local_id)
            [sent] = handed
            assert sent.prompt == "@mia waves at @image1" and sent.audio is True
            [subject] = sent.subjects
            assert (subject.name, subject.voice_id) == ("mia", "voice-1")
            assert all(i.uri.startswith("data:image/png;base64,") for i in subject.images)
            assert [i.sha256 for i in subject.images] == list(mia.hashes)
            assert sent.images[0].uri.startswith("data:image/png;base64,")
            assert engine.cast_usage(mia.id).tasks == 1
    run(scenario())
