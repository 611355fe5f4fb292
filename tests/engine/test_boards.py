"""The storyboard's verbs against the emulator over loopback, in real SQLite files: boards and
shots refused with words, the plan (count, cost, limit, problems), a 3-shot board generated
with 2 takes each, its takes linked, picked, rejected, made stale, the rejected deleted and
the cut exported as a film whose length is the sum of its takes'."""

from __future__ import annotations

import asyncio
from pathlib import Path

import opentimelineio as otio
import pytest
from film.takes import decode_all

from vidu_desktop.core.errors import AppError, ErrorKind, Promise
from vidu_desktop.core.states import TaskMark, TaskState
from vidu_desktop.engine import Engine, EventKind
from vidu_desktop.engine.sandbox import open_sandbox
from vidu_desktop.film import probe_cut
from vidu_desktop.store import DraftReference, TaskFilter

from .conftest import Emu, EngineFactory, fast_settings, run
from .test_cast_verbs import keep


def refused(call: object, words: str) -> AppError:
    assert callable(call)
    with pytest.raises(AppError) as err:
        call()
    assert err.value.kind == ErrorKind.INVALID_PARAMETER, words
    assert err.value.promise == Promise.FIX_INPUT and err.value.hint, words
    assert words in err.value.message, err.value.message
    return err.value


def picture(engine: Engine, shade: int) -> DraftReference:
    return keep(engine, 1, shade)[0]


def test_boards_and_shots_refuse_what_the_model_does_not_offer(
        make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            refused(lambda: engine.create_board("B", "vidu", "nope"), "has no")
            refused(lambda: engine.create_board("B", "vidu", "viduq1", {"duration": 7}),
                    "Board B: duration 7 s is not offered by Vidu viduq1 (offered: 5 s)")
            refused(lambda: engine.create_board("B", "vidu", "viduq1", {"speed": 2}),
                    "Board B: there is no parameter 'speed'")
            refused(lambda: engine.create_board("B", "vidu", "viduq1", {"duration": "5"}),
                    "duration '5' is not a whole number")
            board = engine.create_board("Beach", "vidu", "viduq2", {"duration": 4})
            pic = picture(engine, 10)
            one = engine.add_shot(board.id, prompt="the sea", references=(pic,))
            refused(lambda: engine.add_shot(board.id, cast=("ghost",)),
                    "Shot 2: no cast member has the id 'ghost'")
            refused(lambda: engine.add_shot(board.id, references=(
                DraftReference("f" * 64, "", "lost.png"),)), "Shot 2: the picture lost.png")
            refused(lambda: engine.update_shot(one.id, parameters={"resolution": "4k"}),
                    "Shot 1: resolution 4k is not offered by Vidu viduq2 (offered: 720p, "
                    "1080p)")
            two = engine.duplicate_shot(one.id)
            three = engine.add_shot(board.id, prompt="first", position=0)
            shots = engine.board(board.id).shots  # type: ignore[union-attr]
            assert [s.id for s in shots] == [three.id, one.id, two.id]
            assert (two.prompt, two.references) == ("the sea", (pic,))
            moved = engine.move_shot(three.id, 2)
            assert [s.id for s in moved.shots] == [one.id, two.id, three.id]
            engine.delete_shot(two.id)
            assert [s.number for s in engine.board(board.id).shots] == [1, 2]  # type: ignore
            assert engine.board_named("BEACH") == engine.board(board.id)
            assert [b.shot_count for b in engine.boards()] == [2]
            engine.delete_board(board.id)
            assert engine.boards() == [] and engine.board(board.id) is None
    run(scenario())


def test_the_plan_counts_costs_and_names_each_shots_problems(
        make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            mia = engine.add_cast_member("mia", keep(engine, 1, 30))
            board = engine.create_board("Plan", "vidu", "viduq1")
            pic = picture(engine, 40)
            for prompt in ("@mia runs", "", "the sea"):
                engine.add_shot(board.id, prompt=prompt, references=(pic,),
                                cast=(mia.id,) if "@mia" in prompt else ())
            plan = engine.plan_generation(board.id, takes_each=2)
            assert plan.problems == ("Shot 2: the prompt is empty",)
            assert plan.task_count == len(plan.items) == 4
            assert [i.shot_number for i in plan.items] == [1, 1, 3, 3]
            assert plan.cost == {"credits": 32.0} and not plan.over_limit and not plan.free
            with pytest.raises(AppError, match="Shot 2: the prompt is empty"):
                await engine.generate_plan(plan)
            assert engine.count() == 0  # nothing written

            engine.set_spend_limit("credits", 20)
            assert engine.spend_limit() == {"credits": 20.0}
            assert engine.plan_generation(board.id, takes_each=2).over_limit
            first_shot = engine.board(board.id).shots[0]  # type: ignore[union-attr]
            assert not engine.plan_generation(board.id, shot_ids=[first_shot.id]).over_limit
            engine.set_spend_limit("credits", None)
            assert engine.spend_limit() == {}
            refused(lambda: engine.set_spend_limit("euros", 3), "no cost unit 'euros'")
            refused(lambda: engine.plan_generation(board.id, takes_each=9), "9 takes")

            # a shot's own value the board's new model does not offer
            other = engine.create_board("Q2", "vidu", "viduq2")
            engine.add_shot(other.id, prompt="long", references=(pic,),
                            parameters={"duration": 8})
            engine.update_board(other.id, model="viduq1")
            assert engine.plan_generation(other.id).problems == (
                "Shot 1: duration 8 s is not offered by Vidu viduq1 (offered: 5 s)",)
    run(scenario())


async def all_done(engine: Engine, ids: list[str]) -> None:
    done = await asyncio.gather(*(engine.wait(i) for i in ids))
    assert [r.state for r in done] == [TaskState.SUCCEEDED] * len(ids), [r.error for r in done]


def test_a_board_generated_picked_made_stale_and_exported(
        make_engine: EngineFactory, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            mia = engine.add_cast_member("mia", keep(engine, 1, 50))
            board = engine.create_board("Film", "vidu", "viduq1", {"seed": 7})
            pics = [picture(engine, 60 + n) for n in range(3)]
            shots = [engine.add_shot(board.id, prompt=p, references=(pics[n],),
                                     cast=(mia.id,) if n == 2 else ())
                     for n, p in enumerate(("a beach", "a wave", "@mia waves"))]
            changes: list[str] = []
            engine.listen_boards(changes.append)
            marks: list[str] = []
            engine.listen(lambda ev: marks.append(ev.local_id)
                          if ev.kind == EventKind.MARK else None)

            ids = await engine.generate_plan(engine.plan_generation(board.id, takes_each=2))
            assert len(ids) == 6 and changes == [board.id]
            await all_done(engine, ids)
            for shot in shots:
                takes = engine.takes(shot.id)
                assert [t.number for t in takes] == [1, 2]
                assert not any(t.stale for t in takes) and engine.chosen_take(shot.id) is None
                assert {t.record.group_id for t in takes} != {None}
                assert engine.shot_of_task(takes[0].local_id) == engine.board_store.shot(
                    shot.id)
            # the seed given is the first take's, the next the second's
            assert [t.record.seed for t in engine.takes(shots[0].id)] == [7, 8]
            assert engine.plan_generation(board.id, only_missing=True).task_count == 0

            first, second = engine.takes(shots[0].id)
            engine.pick_take(shots[0].id, 1)
            engine.pick_take(shots[0].id, 2)  # one star per shot
            assert engine.chosen_take(shots[0].id).local_id == second.local_id  # type: ignore
            assert engine.task(first.local_id).mark == TaskMark.NONE  # type: ignore
            assert marks == [first.local_id, second.local_id, first.local_id]
            engine.reject_take(shots[0].id, 1)
            engine.pick_take(shots[1].id, 1)
            engine.reject_take(shots[1].id, 2)
            engine.pick_take(shots[2].id, 2)
            refused(lambda: engine.pick_take(shots[2].id, 3),
                    "Shot 3 has 2 takes; there is no take 3")
            assert engine.count(TaskFilter.of(marks=[TaskMark.STAR])) == 3

            # the cut, exported
            cut = engine.cut(board.id)
            assert [t.shot for t in cut] == [1, 2, 3]
            out = tmp_path / "export"
            seen: list[float] = []
            report = await asyncio.to_thread(
                engine.export_board, board.id, out, name="film", timelines=("otio",),
                sheet=("png", "pdf"), progress=seen.append)
            assert [p.name for p in report.paths] == ["film.mp4", "film.otio", "film.png",
                                                      "film.pdf"]
            assert sorted(p.name for p in out.iterdir()) == sorted(
                p.name for p in report.paths)  # nothing else, no part left
            expected = float(sum(m.duration for m in probe_cut(cut)))
            frames, _samples, _container_s, video_s = decode_all(out / "film.mp4")
            assert abs(video_s - expected) <= 0.1 and frames > 0
            assert report.duration is not None and abs(report.duration - expected) <= 0.1
            timeline = otio.adapters.read_from_file(str(out / "film.otio"))
            clips = list(timeline.find_clips())
            assert [c.name for c in clips] == ["Shot 1", "Shot 2", "Shot 3"]
            assert seen[-1] == 1.0 and seen == sorted(seen)

            # stale: a prompt, a parameter, a cast member's picture changed
            engine.update_shot(shots[0].id, prompt="a beach at night")
            engine.update_shot(shots[1].id, parameters={"seed": 99})
            engine.update_cast_member(mia.id, pictures=keep(engine, 1, 51))
            for shot in shots:
                assert [t.stale for t in engine.takes(shot.id)] == [True, True], shot.number
            engine.update_shot(shots[0].id, prompt="a beach")  # back as it was
            assert [t.stale for t in engine.takes(shots[0].id)] == [False, False]

            # delete the rejected: their files, rows and links go
            rejected = [engine.takes(shots[0].id)[0], engine.takes(shots[1].id)[1]]
            tasks, files = engine.rejected_summary()
            assert tasks == 2 and files >= 4  # a video and a sidecar each at least
            paths = [f.path for t in rejected for f in engine.files(t.local_id)]
            deleted = await engine.delete_rejected()
            assert (deleted.tasks, deleted.files, deleted.left) == (2, files, ())
            assert not any(p.exists() for p in paths)
            assert all(engine.task(t.local_id) is None for t in rejected)
            assert [t.number for t in engine.takes(shots[0].id)] == [1]
            assert engine.rejected_summary() == (0, 0)
            assert len(engine.cut(board.id)) == 3  # the chosen takes stay
    run(scenario(), timeout=90)


def test_a_cut_with_a_shot_without_a_picked_take_is_refused_naming_it(
        make_engine: EngineFactory, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            board = engine.create_board("Half", "vidu", "viduq1")
            pic = picture(engine, 80)
            one = engine.add_shot(board.id, prompt="one", references=(pic,))
            engine.add_shot(board.id, prompt="two", references=(pic,))
            ids = await engine.generate_plan(engine.plan_generation(board.id, shot_ids=[
                one.id]))
            await all_done(engine, ids)
            engine.pick_take(one.id, 1)
            refused(lambda: engine.cut(board.id),
                    "Board Half cannot be cut: shot 2 (no take picked)")
            out = tmp_path / "out"
            refused(lambda: engine.export_board(board.id, out, name="x"),
                    "shot 2 (no take picked)")
            assert not out.exists()
            refused(lambda: engine.export_board(board.id, out, name="a/b"),
                    "The export's name 'a/b' has")
    run(scenario())


def test_the_sandbox_shows_the_profiles_boards_with_its_own_takes(
        make_engine: EngineFactory, emu: Emu) -> None:
    async def scenario() -> None:
        async with make_engine() as real:
            board = real.create_board("Shared", "vidu", "viduq1")
            shot = real.add_shot(board.id, prompt="the sea",
                                 references=(picture(real, 90),))
            await all_done(real, await real.generate_plan(real.plan_generation(board.id)))
            assert len(real.takes(shot.id)) == 1
            paths = real.paths
        async with open_sandbox(paths, fast_settings(emu), lambda: emu.url) as sandbox:
            assert sandbox.board(board.id) is not None and sandbox.takes(shot.id) == []
            plan = sandbox.plan_generation(board.id)
            assert plan.free and not plan.over_limit
            await all_done(sandbox, await sandbox.generate_plan(plan))
            assert len(sandbox.takes(shot.id)) == 1
            sandbox.add_shot(board.id, prompt="made in the sandbox",
                             references=(picture(sandbox, 91),))
        async with make_engine() as real:
            assert [s.prompt for s in real.board(board.id).shots] == [  # type: ignore
                "the sea", "made in the sandbox"]
            assert len(real.takes(shot.id)) == 1
    run(scenario(), timeout=60)


def test_the_shots_follow_a_cast_member_renamed_or_deleted(
        make_engine: EngineFactory) -> None:
    async def scenario() -> None:
        async with make_engine() as engine:
            mia = engine.add_cast_member("mia", keep(engine, 1, 70))
            board = engine.create_board("Cast", "vidu", "viduq1")
            shot = engine.add_shot(board.id, prompt="@Mia runs, @mia jumps", cast=(mia.id,))
            before = engine.recipe(board, shot)
            engine.update_cast_member(mia.id, name="zoe")
            renamed = engine.board_store.require_shot(shot.id)
            assert renamed.prompt == "@zoe runs, @zoe jumps"
            assert engine.recipe(board, renamed) == before  # the same recipe: not stale
            assert engine.plan_generation(board.id).problems == ()
            engine.delete_cast_member(mia.id)
            dropped = engine.board_store.require_shot(shot.id)
            assert dropped.cast == () and dropped.prompt == "@zoe runs, @zoe jumps"
            problems = engine.plan_generation(board.id).problems
            assert any(p.startswith("Shot 1: The prompt mentions @zoe, but no one")
                       for p in problems), problems
    run(scenario())
