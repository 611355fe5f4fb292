"""The engine's verbs over its library (what the UI and the CLI use instead of the stores): a
real engine, real SQLite, real tasks on the emulator over loopback."""

from __future__ import annotations

import hashlib
import socket

from conftest import make_image

from vidu_desktop.core.states import TaskState
from vidu_desktop.store import ArtifactKind, ReferenceMeta, StoreError, TaskFilter

from .conftest import EngineFactory, request_for, run

_S = TaskState


def _dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_tasks_files_history_and_delete(make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            ids = []
            for prompt in ("one fox", "two foxes", "three foxes"):
                rec = await engine.submit(request_for("vidu", prompt))
                ids.append(rec.local_id)
            for local_id in ids:
                assert (await engine.wait(local_id)).state == _S.SUCCEEDED
            newest_first = list(reversed(ids))
            assert engine.count() == 3 and engine.count(TaskFilter.of(text="two")) == 1
            assert [r.local_id for r in engine.tasks_page(limit=2)] == newest_first[:2]
            assert [r.local_id for r in engine.tasks_page(offset=2, limit=2)] == ids[:1]
            assert [r.local_id for r in engine.tasks_in({_S.SUCCEEDED})] == ids
            first = engine.task(ids[0])
            assert first is not None and first.prompt == "one fox"
            assert engine.task("no such task") is None
            assert first.remote_id and engine.task_by_remote_id(first.remote_id) == first
            history = [e.new_state for e in engine.history(ids[0])]
            assert history[0] == _S.SUBMITTING and history[-1] == _S.SUCCEEDED

            files = {a.kind: a.path for a in engine.files(ids[0])}
            video = engine.file(ids[0], ArtifactKind.VIDEO)
            assert video is not None and files[ArtifactKind.VIDEO] == video.path
            assert video.path.is_absolute() and video.path.parent == engine.media_folder(first)

            kept = engine.delete(ids[0])  # the row goes; the files are the caller's to remove
            assert engine.task(ids[0]) is None and engine.files(ids[0]) == []
            assert video.path in kept and all(p.exists() for p in kept)
            gone = engine.delete(ids[1], remove_files=True)
            assert gone and not any(p.exists() for p in gone)
            assert engine.count() == 1
            # what the hosts charged today, per unit, and the balances they last reported
            left = engine.task(ids[2])
            assert left is not None and left.actual_cost is not None
            assert engine.spent_today() == {left.actual_cost_unit: left.actual_cost}
            assert engine.latest_balances() == {}  # Vidu's tasks say no balance
            paid = await engine.submit(request_for("segmind"))
            segmind = await engine.wait(paid.local_id)
            assert segmind.state == _S.SUCCEEDED and segmind.balance is not None
            assert engine.latest_balances() == {
                "segmind": (segmind.balance, segmind.balance_unit)}
    run(scenario())


def test_outbox_and_references(make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine(base_urls={"vidu": f"{_dead_url()}/vidu"}) as engine:
            assert engine.outbox_size() == 0
            rec = await engine.submit(request_for("vidu"))
            draft = await engine.wait_until_sent(rec.local_id)
            assert draft.state == _S.DRAFT
            assert engine.in_outbox(rec.local_id) and engine.outbox_size() == 1
            assert [r.local_id for r in engine.waiting_in_outbox()] == [rec.local_id]
            # the request's picture was stored by hash; it reads back as the same bytes
            sha = draft.request.images[0].sha256
            assert sha is not None
            found = engine.reference(sha)
            assert found is not None and found.format == "png"
            assert hashlib.sha256(engine.read_reference(sha)).hexdigest() == sha
            data = make_image(64, 48)
            kept = engine.keep_reference(data, ReferenceMeta("png", 64, 48, "small.png"))
            assert engine.read_reference(kept) == data and engine.reference(kept) is not None
            try:
                engine.read_reference("0" * 64)
            except StoreError:
                pass
            else:
                raise AssertionError("an unknown picture was read")
            assert engine.reference("0" * 64) is None
            engine.delete(rec.local_id)
            assert not engine.in_outbox(rec.local_id) and engine.outbox_size() == 0
    run(scenario())
