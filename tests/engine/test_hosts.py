"""Every host end to end: submit, follow, download, verify, cover and sidecar."""

from __future__ import annotations

import hashlib

import pytest

from vidu_desktop.core.states import TaskState
from vidu_desktop.store import ArtifactKind

from .conftest import (
    HOSTS,
    MODELS,
    Emu,
    EngineFactory,
    assert_playable,
    request_for,
    run,
    sidecar_of,
    states_seen,
)


@pytest.mark.parametrize("host", HOSTS)
def test_every_host_end_to_end(host: str, emu: Emu, make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for(host, seed=1234, duration=5,
                                                  movement_amplitude="small"))
            assert rec.state == TaskState.SUBMITTING  # persisted before anything was sent
            done = await engine.wait(rec.local_id)

            assert done.state == TaskState.SUCCEEDED, (done.detail, done.error)
            assert done.remote_id and done.submit_attempts == 1 and done.poll_count >= 1
            history = states_seen(engine, rec.local_id)
            assert history[0] == TaskState.SUBMITTING and history[-2:] == [
                TaskState.DOWNLOADING, TaskState.SUCCEEDED]
            assert TaskState.QUEUED in history

            media = engine.layout.for_record(done)
            assert media.video.is_file() and not media.part.exists()
            width, height = assert_playable(media.video)
            assert width > 0 and height > 0
            files = {a.kind: a for a in engine.artifacts.for_task(rec.local_id)}
            video = files[ArtifactKind.VIDEO]
            assert video.verified
            assert video.sha256 == hashlib.sha256(media.video.read_bytes()).hexdigest()
            assert ArtifactKind.SIDECAR in files
            if done.cover_url:
                assert files[ArtifactKind.COVER].path.is_file()

            side = sidecar_of(engine, done)
            assert side["provider"] == host and side["model"] == MODELS[host]
            assert side["local_id"] == rec.local_id and side["remote_id"] == done.remote_id
            assert side["prompt"] == "a cat on a red sofa"
            request = side["request"]
            for name, value in (("duration", 5), ("seed", 1234),
                                ("movement_amplitude", "small"), ("bgm", False)):
                assert request[name] == value, name
            for name in ("resolution", "aspect_ratio", "off_peak", "watermark", "payload",
                         "mode"):
                assert name in request, name
            assert request["images"] and "uri" not in request["images"][0]  # hash, not data
            assert request["images"][0]["sha256"]
            assert side["seed"]["requested"] == 1234
            cost = side["cost"]  # what the capability table expects, what the host said
            assert cost["estimated_unit"] in ("credits", "USD")
            assert {"estimated", "actual", "actual_unit", "credits"} <= set(cost)
            times = side["times"]
            for name in ("created_at", "submitted_at", "queued_at", "result_at",
                         "finished_at"):
                assert times[name], name
            assert side["attempts"]["submit"] == 1
            assert {f["kind"] for f in side["files"]} >= {"video"}
            assert side["video"]["width"] == width and side["video"]["duration_s"] > 0

        assert emu.submissions(host) == 1

    run(scenario())


def test_vidu_reports_cost_and_seed(emu: Emu, make_engine: EngineFactory) -> None:
    """Vidu says what a task cost (credits) and which seed it used; both reach the sidecar."""
    async def scenario() -> None:
        async with make_engine() as engine:
            rec = await engine.submit(request_for("vidu"))
            done = await engine.wait(rec.local_id)
            assert done.state == TaskState.SUCCEEDED
            side = sidecar_of(engine, done)
            assert side["cost"]["actual"] and side["cost"]["actual_unit"] == "credits"
            assert side["seed"]["resolved"]

    run(scenario())
