"""Star and reject in the task list against the emulator: S stars the selected task (the mark
shows in its row), the Starred filter lists it alone, X rejects, and Delete all rejected…
says how many tasks and files go, then removes them and their files."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QMessageBox

from vidu_desktop.core.states import TaskMark, TaskState
from vidu_desktop.store import ArtifactKind
from vidu_desktop.ui.tasks.model import TASK

from .test_task_actions import submit

OPENED = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)


def done(window, ids):
    engine = window.session.engine
    return all(engine.task(i).state == TaskState.SUCCEEDED for i in ids)


def test_star_filter_reject_and_delete_all_rejected(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    ids = [submit(window, run, prompt=f"take {n} of the walk") for n in range(3)]
    qtbot.waitUntil(lambda: done(window, ids), timeout=30_000)
    view = window.task_list.view
    table = view.table
    player = window.review.player.player

    def select(local_id):
        """Select the task and let Review open its take (another take selected mid-open cuts
        that open short, which FFmpeg reports as a warning)."""
        assert view.select(local_id)
        video = str(engine.file(local_id, ArtifactKind.VIDEO).path.resolve())
        qtbot.waitUntil(lambda: player.source().toLocalFile() == video
                        and player.mediaStatus() in OPENED)

    select(ids[0])
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_S)
    assert engine.task(ids[0]).mark == TaskMark.STAR
    assert view.model.index_of(ids[0], TASK).data().startswith("★ take 0 of the walk")
    view.marks.starred.click()
    qtbot.waitUntil(lambda: view.model.total == 1)
    assert view.model.record(0).local_id == ids[0]
    view.marks.starred.click()
    qtbot.waitUntil(lambda: view.model.total == 3)
    assert not view.marks.delete_rejected.isVisibleTo(view)
    for local_id in ids[1:]:
        select(local_id)
        qtbot.keyClick(table, Qt.Key.Key_X)
    assert [engine.task(i).mark for i in ids] == [TaskMark.STAR, TaskMark.REJECT,
                                                  TaskMark.REJECT]
    assert view.marks.delete_rejected.isVisibleTo(view)
    files = [a.path for i in ids[1:] for a in engine.files(i)]
    assert files and all(p.exists() for p in files)
    on_disk = sum(1 for p in files if p.is_file())
    view.marks.delete_rejected.click()
    actions = view.task_actions
    qtbot.waitUntil(lambda: isinstance(actions.dialog, QMessageBox)
                    and actions.dialog.isVisible())
    box = actions.dialog
    assert box.text() == (f"Delete 2 rejected tasks and {on_disk} files from this "
                          "computer?")
    [yes] = [b for b in box.buttons() if b.text() == "Delete them"]
    yes.click()
    qtbot.waitUntil(lambda: view.model.total == 1, timeout=10_000)
    assert engine.task(ids[0]) is not None
    assert engine.task(ids[1]) is None and engine.task(ids[2]) is None
    assert not any(p.exists() for p in files)
    qtbot.waitUntil(lambda: view.status.text().startswith(
        f"Deleted 2 rejected tasks and {on_disk} files"))
    assert not view.marks.delete_rejected.isVisibleTo(view)


def test_a_task_list_opened_on_rejected_tasks_offers_to_delete_them(
        windows, qtbot, run, emulator):
    from vidu_desktop.ui.tasks.panel import TaskList

    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    ids = [submit(window, run, prompt=f"take {n}") for n in range(2)]
    qtbot.waitUntil(lambda: done(window, ids), timeout=30_000)
    engine.mark_task(ids[1], TaskMark.REJECT)  # as vidu-cli board reject does, from outside
    opened = TaskList(engine)  # as the next start builds it
    qtbot.addWidget(opened)
    assert opened.view.marks.delete_rejected.isVisibleTo(opened)
    assert opened.view.marks.delete_rejected.text() == "Delete all rejected (1)…"
