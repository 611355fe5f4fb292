"""The Review tab in the real window: a finished task selected in the list shows its cover;
double-click (or Enter, or Play) plays it; two takes selected compare side by side; a task with
no video, or whose file is gone, says why. And around it: the status bar (running tasks,
today's spend, a host's balance) and the notifications."""

from __future__ import annotations

from typing import Any

import httpx
from conftest import data_uri, make_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import ArtifactKind
from vidu_desktop.ui.review.compare import CompareWidget
from vidu_desktop.ui.review.player import PlayerWidget
from vidu_desktop.ui.tasks.actions import TaskAction
from vidu_desktop.ui.tasks.model import TASK

_S = TaskState
MODELS = {"vidu": "viduq1", "novita": "vidu-q1", "segmind": "vidu-q1"}


def submit(window: Any, run: Any, host: str = "vidu", prompt: str = "a fox in the snow",
           color: tuple[int, int, int] = (200, 80, 40)) -> str:
    image = ReferenceImage(data_uri(make_image(400, 300, color=color)), label="the fox")
    request = GenerationRequest(ProviderId(host), MODELS[host], prompt, (image,), seed=7)
    return run(window.session.engine.submit(request)).local_id


def finished(window: Any, qtbot: Any, local_id: str, state: TaskState = _S.SUCCEEDED) -> Any:
    tasks = window.session.engine.tasks
    qtbot.waitUntil(lambda: tasks.get(local_id).state.is_terminal, timeout=30_000)
    rec = tasks.get(local_id)
    assert rec.state == state, rec.error
    model = window.task_list.model  # the list follows the engine's events, a moment later
    qtbot.waitUntil(lambda: getattr(model.record_of(local_id), "state", None) == state)
    return rec


def row_rect(view: Any, local_id: str) -> Any:
    index = view.model.index_of(local_id, TASK)
    return view.table.visualRect(index)


def double_click(widget: Any, pos: Any) -> None:
    """As a user double-clicks: a click, then the second press that makes it double."""
    from pytestqt.qtbot import QtBot

    QtBot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    QtBot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_a_finished_task_shows_its_cover_and_a_double_click_plays_it(windows, qtbot, run,
                                                                      emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run, prompt="a red fox runs through fresh snow")
    finished(window, qtbot, local_id)
    view, review = window.task_list.view, window.review
    assert window.tabs.currentIndex() == 0  # composing: selecting does not switch tabs
    qtbot.waitUntil(lambda: view.model.row_of(local_id) is not None)
    assert view.select(local_id)
    assert isinstance(review.current, PlayerWidget)
    assert review.ids == [local_id]
    assert "a red fox runs" in review.title.text() and "Vidu viduq1" in review.title.text()
    assert window.tabs.currentIndex() == 0
    player = review.player
    files = {a.kind: a.path for a in window.session.engine.artifacts.for_task(local_id)}
    assert player.screen_view.source == files[ArtifactKind.VIDEO]
    with qtbot.waitSignal(player.frame_shown, timeout=20_000):
        double_click(view.table.viewport(), row_rect(view, local_id).center())
    assert window.tabs.currentWidget() is review
    qtbot.waitUntil(lambda: player.clock.is_playing() or player.player.position() > 0)
    assert not player.message


def test_enter_and_the_play_button_play_the_selected_task(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    finished(window, qtbot, local_id)
    view = window.task_list.view
    qtbot.waitUntil(lambda: view.select(local_id))
    button = view.details.buttons[TaskAction.PLAY]
    assert button.isEnabled() and button.isVisible()
    with qtbot.waitSignal(window.review.player.frame_shown, timeout=20_000):
        button.click()
    assert window.tabs.currentWidget() is window.review
    window.review.player.pause()
    window.tabs.setCurrentIndex(0)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.review
    qtbot.waitUntil(window.review.player.clock.is_playing)


def test_two_selected_takes_are_compared_side_by_side(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    first = submit(window, run, prompt="take one")
    second = submit(window, run, prompt="take two", color=(40, 120, 200))
    for local_id in (first, second):
        finished(window, qtbot, local_id)
    view, review = window.task_list.view, window.review
    qtbot.waitUntil(lambda: view.model.row_of(second) is not None)
    view.select(first)
    # Ctrl+click the second take, as a user picks two
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, row_rect(view, second).center())
    assert {r.local_id for r in view.selected_records()} == {first, second}
    assert isinstance(review.current, CompareWidget)
    assert set(review.ids) == {first, second}
    compare = review.compare_view
    assert {compare.caption_a.full[4:13], compare.caption_b.full[4:13]} == {"Vidu vidu"}
    assert "take one" in compare.caption_a.full + compare.caption_b.full
    shown: list[str] = []
    compare.a.frame_shown.connect(lambda: shown.append("a"))
    compare.b.frame_shown.connect(lambda: shown.append("b"))
    window.compare_tasks(*review.ids)
    assert window.tabs.currentWidget() is review
    qtbot.waitUntil(lambda: set(shown) == {"a", "b"}, timeout=20_000)
    compare.seek(500)
    qtbot.waitUntil(lambda: abs(compare.a.player.position() - 500) < 100
                    and abs(compare.b.player.position() - 500) < 100)


def test_a_task_with_no_video_says_why_and_cannot_be_played(windows, qtbot, run, emulator):
    httpx.post(f"{emulator.url}/_emulator/faults",
               json={"action": "fail"}).raise_for_status()
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    finished(window, qtbot, local_id, _S.FAILED)
    view, review = window.task_list.view, window.review
    qtbot.waitUntil(lambda: view.select(local_id))
    assert review.current is review.hint
    assert review.hint.text() == "This task failed: it has no video."
    assert not view.details.buttons[TaskAction.PLAY].isEnabled()
    assert not window.play_task(local_id)  # asked anyway (a notification click): says why
    assert window.tabs.currentWidget() is review and review.hint.isVisible()


def test_a_deleted_video_file_gives_a_message_not_a_crash(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    finished(window, qtbot, local_id)
    files = {a.kind: a.path for a in window.session.engine.artifacts.for_task(local_id)}
    files[ArtifactKind.VIDEO].unlink()
    assert not window.play_task(local_id)
    assert window.review.player.message.startswith("The video file is missing")
    assert "The video file is missing" in window.statusBar().currentMessage()


def test_the_status_bar_counts_running_tasks_and_todays_spend(windows, qtbot, run, emulator):
    httpx.post(f"{emulator.url}/_emulator/faults", json={"action": "stuck"}).raise_for_status()
    window = windows(sandbox=True, sandbox_url=emulator.url)
    summary = window.summary
    assert summary.active.text() == "No task running"
    assert summary.spend.text() == "Today: nothing (sandbox: no real cost)"
    stuck = submit(window, run)
    qtbot.waitUntil(lambda: summary.active.text() == "1 task running", timeout=10_000)
    run(window.task_list.task_actions.cancel(stuck))
    qtbot.waitUntil(lambda: summary.active.text() == "No task running", timeout=10_000)
    httpx.delete(f"{emulator.url}/_emulator/faults").raise_for_status()
    done = submit(window, run)
    rec = finished(window, qtbot, done)
    assert rec.actual_cost
    qtbot.waitUntil(lambda: summary.spend.text() == f"Today: {rec.actual_cost:g} credits "
                    "(sandbox: no real cost)", timeout=5_000)


def test_the_status_bar_shows_the_balance_a_host_reports(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    assert not window.summary.balance.isVisible()
    rec = finished(window, qtbot, submit(window, run, "segmind"))
    assert rec.balance is not None
    qtbot.waitUntil(lambda: window.summary.balance.text()
                    == f"Segmind balance: {rec.balance:g} credits"
                    or window.summary.balance.text().startswith("Segmind balance: $"),
                    timeout=5_000)
    assert window.summary.balance.isVisible()


def test_finished_and_failed_tasks_are_notified(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    notifier = window.notifier
    assert (notifier.tray is not None) == QSystemTrayIcon.isSystemTrayAvailable()
    said: list[tuple[str, str, str]] = []
    notifier.notified.connect(lambda *args: said.append(args))
    ok = submit(window, run, prompt="a heron lands on the lake")
    finished(window, qtbot, ok)
    qtbot.waitUntil(lambda: len(said) == 1)
    title, text, local_id = said[0]
    assert (title, local_id) == ("Video ready", ok)
    assert "a heron lands on the lake" in text
    assert window.statusBar().currentMessage().startswith("Video ready: ")
    httpx.post(f"{emulator.url}/_emulator/faults",
               json={"action": "fail"}).raise_for_status()
    bad = submit(window, run)
    finished(window, qtbot, bad, _S.FAILED)
    qtbot.waitUntil(lambda: len(said) == 2)
    assert said[1][0] == "Task failed" and said[1][2] == bad
    notifier.clicked.emit(ok)  # what clicking the notification does
    assert window.tabs.currentWidget() is window.review and window.review.ids == [ok]


def test_switching_the_library_clears_the_review(windows, qtbot, run, emulator,
                                                 memory_keyring):
    memory_keyring.set_password("vidu-desktop", "vidu", "a-real-key")
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    finished(window, qtbot, local_id)
    assert window.play_task(local_id)
    window.mode_banner.sandbox_button.click()  # leave the sandbox: another library
    assert window.review.ids == [] and window.review.current is window.review.hint
    assert window.summary.spend.text() == "Today: nothing"

