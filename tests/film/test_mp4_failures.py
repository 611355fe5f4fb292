"""Cancel, bad takes, progress, leftovers: the export leaves the whole film or nothing."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from vidu_desktop.core.errors import AppError, ErrorKind, Promise
from vidu_desktop.film import Take, export_mp4
from vidu_desktop.film.partfiles import part_path, stale_parts, writing


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("force_encode", [False, True], ids=["copy", "encode"])
def test_cancel_midway_leaves_no_file(make: Callable[..., Take], out_dir: Path,
                                      force_encode: bool) -> None:
    takes = [make(f"t{i}", sound=True, seconds=1.0, shade=i * 40, shot=i + 1) for i in range(4)]
    cancel = threading.Event()
    seen: list[float] = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.4:
            cancel.set()  # as the UI's Cancel button does, from its own thread

    with pytest.raises(AppError) as caught:
        export_mp4(takes, out_dir / "film.mp4", progress=progress, cancel=cancel,
                   force_encode=force_encode)
    assert caught.value.kind == ErrorKind.CANCELLED
    assert "no file was written" in caught.value.message
    assert 0.4 < seen[-1] < 1.0  # it stopped where it was asked to, not at the end
    assert _names(out_dir) == []


def test_cancel_from_another_thread_while_running(make: Callable[..., Take],
                                                  out_dir: Path) -> None:
    takes = [make(f"t{i}", seconds=1.0, shade=i * 40, shot=i + 1) for i in range(3)]
    cancel = threading.Event()
    started = threading.Event()
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            export_mp4(takes, out_dir / "film.mp4", force_encode=True, cancel=cancel,
                       progress=lambda f: started.set())
            outcome.append(None)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(30)
    cancel.set()
    worker.join(60)
    assert not worker.is_alive()
    assert isinstance(outcome[0], AppError) and outcome[0].kind == ErrorKind.CANCELLED
    assert _names(out_dir) == []


def test_progress_rises_to_one_in_small_steps(make: Callable[..., Take], out_dir: Path) -> None:
    takes = [make(f"t{i}", sound=True, shade=i * 40, shot=i + 1) for i in range(3)]
    seen: list[float] = []
    export_mp4(takes, out_dir / "film.mp4", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert 20 <= len(seen) <= 250  # often enough for a bar, not a flood
    assert max(b - a for a, b in itertools.pairwise(seen)) < 0.1


def test_a_missing_take_names_its_shot_and_writes_nothing(
        make: Callable[..., Take], out_dir: Path) -> None:
    good = make("good", shot=1)
    gone = make("gone", shot=2)
    gone.path.unlink()
    with pytest.raises(AppError) as caught:
        export_mp4([good, gone], out_dir / "film.mp4")
    assert "Shot 2" in caught.value.message and "gone.mp4" in caught.value.message
    assert caught.value.promise == Promise.FIX_INPUT
    assert "another take" in caught.value.hint
    assert _names(out_dir) == []


def test_a_file_that_is_not_a_video_names_its_shot(make: Callable[..., Take],
                                                   out_dir: Path) -> None:
    good = make("good", shot=1)
    broken = Take(path=good.path.with_name("broken.mp4"), shot=7)
    broken.path.write_bytes(b"\0\0\0\x18ftypisom" + os.urandom(2000))
    with pytest.raises(AppError) as caught:
        export_mp4([good, broken], out_dir / "film.mp4")
    assert "Shot 7" in caught.value.message and "broken.mp4" in caught.value.message
    assert _names(out_dir) == []


def test_an_empty_cut_says_what_to_do(out_dir: Path) -> None:
    with pytest.raises(AppError) as caught:
        export_mp4([], out_dir / "film.mp4")
    assert "no takes" in caught.value.message and "Pick a take" in caught.value.hint


def test_a_part_carries_the_process_id_and_goes_on_failure(out_dir: Path) -> None:
    dest = out_dir / "film.mp4"
    assert f".{os.getpid()}-" in part_path(dest).name
    with pytest.raises(RuntimeError), writing(dest) as part:
        part.write_bytes(b"half a film")
        assert _names(out_dir) == [part.name]
        raise RuntimeError("the export failed")
    assert _names(out_dir) == []


def test_parts_of_dead_exports_are_removed_but_not_live_ones(
        make: Callable[..., Take], out_dir: Path) -> None:
    dead = out_dir / ".film.mp4.999999999-0123abcd.part"  # no such process
    live = out_dir / f".film.mp4.{os.getppid()}-0123abcd.part"  # our parent is running
    other = out_dir / ".other.mp4.999999999-0123abcd.part"  # another export's: not ours
    for path in (dead, live, other):
        path.write_bytes(b"left behind")
    assert stale_parts(out_dir / "film.mp4") == [dead]
    export_mp4([make("a", shot=1)], out_dir / "film.mp4")
    assert _names(out_dir) == sorted(["film.mp4", live.name, other.name])


def test_the_film_never_replaces_a_take(make: Callable[..., Take]) -> None:
    takes = [make("a", shot=1), make("b", shade=90, shot=2)]
    before = takes[1].path.read_bytes()
    with pytest.raises(AppError) as caught:
        export_mp4(takes, takes[1].path)
    assert "shot 2" in caught.value.message and "another name" in caught.value.hint
    assert takes[1].path.read_bytes() == before
    assert _names(takes[1].path.parent) == ["a.mp4", "b.mp4"]
