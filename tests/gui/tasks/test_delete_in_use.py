"""Deleting a task whose video is open: the player lets go of it first (Windows cannot delete
an open file), a file another program holds is tried again, and one that stays is reported
with its folder. Another program's hold on a file cannot happen on Linux: ``unlink`` stands
in for it by raising ``PermissionError`` as Windows does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidu_desktop.store import ArtifactKind
from vidu_desktop.ui.tasks.actions import TaskAction

from ..review.test_review import finished, submit
from .test_task_actions import answer


def _delete(window: Any, qtbot: Any, local_id: str) -> Any:
    tasks = window.task_list
    task = tasks.view.run_action(TaskAction.DELETE, local_id)
    answer(qtbot, tasks.task_actions, "Delete")
    qtbot.waitUntil(task.done, timeout=20_000)
    assert task.result() is True
    return tasks


def test_the_player_lets_go_of_the_video_before_it_is_deleted(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run, prompt="a heron lifts off the lake")
    finished(window, qtbot, local_id)
    engine, review = window.session.engine, window.review
    video = {a.kind: a.path for a in engine.artifacts.for_task(local_id)}[ArtifactKind.VIDEO]
    qtbot.waitUntil(lambda: window.task_list.model.row_of(local_id) is not None)
    assert window.task_list.view.select(local_id)
    player = review.player.player
    qtbot.waitUntil(lambda: player.source().toLocalFile() == str(video.resolve()))
    held_when_removed: list[tuple[Path, bool]] = []

    def unlink(path: Path) -> None:
        held_when_removed.append((path, not player.source().isEmpty()))
        path.unlink(missing_ok=True)

    window.task_list.task_actions.unlink = unlink
    tasks = _delete(window, qtbot, local_id)
    assert (video, False) in held_when_removed  # closed by the player before the delete
    assert not any(held for _p, held in held_when_removed)
    assert not video.exists() and review.ids == [] and review.current is review.hint
    assert "Task deleted from this computer." in tasks.view.status.text()


def test_a_file_in_use_for_a_moment_is_deleted_on_a_later_try(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    finished(window, qtbot, local_id)
    files = [a.path for a in window.session.engine.artifacts.for_task(local_id)]
    video = next(p for p in files if p.suffix == ".mp4")
    tries: list[Path] = []

    def unlink(path: Path) -> None:  # another program holds the video for two tries
        tries.append(path)
        if path == video and tries.count(video) <= 2:
            raise PermissionError(32, "The process cannot access the file because it is "
                                      "being used by another process", str(path))
        path.unlink(missing_ok=True)

    actions = window.task_list.task_actions
    actions.unlink, actions.retry_waits = unlink, (0.01, 0.01, 0.01)
    tasks = _delete(window, qtbot, local_id)
    assert tries.count(video) == 3
    assert not any(p.exists() for p in files)
    assert "Task deleted from this computer." in tasks.view.status.text()


def test_a_file_that_stays_in_use_is_reported_with_its_folder(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    finished(window, qtbot, local_id)
    engine = window.session.engine
    files = [a.path for a in engine.artifacts.for_task(local_id)]
    video = next(p for p in files if p.suffix == ".mp4")

    def unlink(path: Path) -> None:
        if path == video:
            raise PermissionError(32, "in use by another process", str(path))
        path.unlink(missing_ok=True)

    actions = window.task_list.task_actions
    actions.unlink, actions.retry_waits = unlink, (0.01,)
    messages: list[str] = []
    actions.message.connect(messages.append)
    _delete(window, qtbot, local_id)
    assert engine.tasks.get(local_id) is None  # the task is gone from the library
    assert video.exists() and not any(p.exists() for p in files if p != video)
    assert messages[-1] == (
        "Task deleted from this computer, but 1 file is in use by another program and stayed "
        f"in {video.parent}: close that program, then delete it.")
