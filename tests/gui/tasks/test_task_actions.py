"""Each action of the task list, in the real window against the emulator: cancel says whether
the server stops the task, retry asks first (a new paid submission), reuse loads the
composer, re-run uses a new seed, ids and errors go to the clipboard, the sidecar is exported,
delete asks first and removes the row and the files."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import data_uri, make_image
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import ArtifactKind
from vidu_desktop.ui.tasks.actions import TaskAction
from vidu_desktop.ui.tasks.model import STATE

from ..conftest import submissions

_S = TaskState
MODELS = {"vidu": "viduq1", "novita": "vidu-q1"}


def emu_post(emulator: Any, what: str, **body: Any) -> None:
    httpx.post(f"{emulator.url}/_emulator/{what}", json=body).raise_for_status()


def request(host: str = "vidu", prompt: str = "image 1 walks into the sea at dusk",
            seed: int | None = 1234) -> GenerationRequest:
    image = ReferenceImage(data_uri(make_image(400, 300)), label="the walker")
    return GenerationRequest(ProviderId(host), MODELS[host], prompt, (image,), seed=seed)


def submit(window: Any, run: Any, host: str = "vidu", **kw: Any) -> str:
    return run(window.session.engine.submit(request(host, **kw))).local_id


def state(window: Any, local_id: str) -> TaskState:
    return window.session.engine.tasks.get(local_id).state


def answer(qtbot: Any, actions: Any, button_text: str) -> QMessageBox:
    """Click ``button_text`` in the question the actions have open."""
    qtbot.waitUntil(lambda: isinstance(actions.dialog, QMessageBox)
                    and actions.dialog.isVisible())
    box = actions.dialog
    [button] = [b for b in box.buttons() if b.text() == button_text]
    button.click()
    return box


def test_cancel_a_vidu_task_still_queued_stops_it_on_the_server(windows, qtbot, run, emulator):
    emu_post(emulator, "faults", action="stuck")
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    qtbot.waitUntil(lambda: state(window, local_id) == _S.QUEUED, timeout=10_000)
    tasks = window.task_list
    text = run(tasks.task_actions.cancel(local_id))
    assert text.startswith("Cancelled on the server")
    assert "not charged" in text
    assert state(window, local_id) == _S.CANCELLED
    assert tasks.view.status.text() == text
    assert window.statusBar().currentMessage() == text
    qtbot.waitUntil(lambda: tasks.model.index_of(local_id, STATE).data().startswith(
        "cancelled"))


def test_cancel_on_novita_only_stops_tracking(windows, qtbot, run, emulator):
    emu_post(emulator, "faults", action="stuck")
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run, "novita")
    qtbot.waitUntil(lambda: state(window, local_id) == _S.QUEUED, timeout=10_000)
    view = window.task_list.view
    assert view.select(local_id)
    assert view.details.buttons[TaskAction.CANCEL].isEnabled()
    view.details.buttons[TaskAction.CANCEL].click()  # the button runs it in the background
    qtbot.waitUntil(lambda: state(window, local_id) == _S.UNTRACKED, timeout=10_000)
    qtbot.waitUntil(lambda: view.status.text().startswith("Stopped tracking only"))
    assert "may still finish the task and charge it" in view.status.text()
    qtbot.waitUntil(lambda: not view.details.buttons[TaskAction.CANCEL].isEnabled())


def test_retry_says_it_is_a_new_paid_submission(windows, qtbot, run, emulator):
    emu_post(emulator, "faults", action="fail", code="ModelOverloadedError",
             message="the render crashed")
    window = windows(sandbox=False, sandbox_url=emulator.url)
    window.session.enter_sandbox()
    engine = window.session.engine
    local_id = submit(window, run)
    qtbot.waitUntil(lambda: state(window, local_id) == _S.FAILED, timeout=10_000)
    assert submissions(emulator) == 1
    actions = window.task_list.task_actions
    window.session.sandbox = False  # as with a real host: the question names the price
    try:
        task = window.task_list.view.run_action(TaskAction.RETRY, local_id)
        box = answer(qtbot, actions, "Cancel")
        assert "new paid submission" in box.text()
        assert "charges it again" in box.informativeText()
        qtbot.waitUntil(task.done)
        assert task.result() is None and engine.tasks.count() == 1  # nothing sent
        task = window.task_list.view.run_action(TaskAction.RETRY, local_id)
        answer(qtbot, actions, "Send again")
        qtbot.waitUntil(task.done, timeout=10_000)
    finally:
        window.session.sandbox = True
    new = task.result()
    assert new is not None and new.local_id != local_id
    assert engine.tasks.count() == 2
    assert state(window, local_id) == _S.FAILED  # the failed one stays
    qtbot.waitUntil(lambda: submissions(emulator) == 2, timeout=10_000)
    assert window.task_list.model.record(0).local_id == new.local_id
    assert "new paid submission" in window.task_list.view.status.text()


def test_reuse_loads_references_prompt_and_parameters_into_the_composer(windows, qtbot, run,
                                                                       emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run, prompt="a lighthouse in a storm, image 1 watching",
                      seed=777)
    window.editor.set_text("something else")
    window.task_list.task_actions.reuse(local_id)
    assert window.editor.text() == "a lighthouse in a storm, image 1 watching"
    choices = window.panel.choices()
    assert choices.provider == ProviderId.VIDU and choices.model == "viduq1"
    assert choices.seed == 777 and not choices.random_seed
    qtbot.waitUntil(lambda: window.tray.is_ready() and len(window.tray.references()) == 1,
                    timeout=10_000)
    assert window.tray.items()[0].label == "the walker"
    assert "loaded into the composer" in window.task_list.view.status.text()


def test_rerun_with_a_new_seed(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run, seed=55)
    new = run(window.task_list.task_actions.rerun_new_seed(local_id))
    assert new is not None and new.seed not in (None, 55)
    assert new.prompt == window.session.engine.tasks.get(local_id).prompt
    qtbot.waitUntil(lambda: submissions(emulator) == 2, timeout=10_000)
    assert f"seed {new.seed}" in window.task_list.view.status.text()


def test_copy_ids_export_sidecar_and_reveal(windows, qtbot, run, emulator, tmp_path):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    local_id = submit(window, run)
    qtbot.waitUntil(lambda: state(window, local_id) == _S.SUCCEEDED, timeout=20_000)
    rec = engine.tasks.get(local_id)
    actions = window.task_list.task_actions
    actions.copy_ids(local_id)
    copied = QGuiApplication.clipboard().text()
    assert f"task id: {local_id}" in copied and rec.remote_id in copied
    if rec.trace_id:
        assert rec.trace_id in copied
    out = actions.export_sidecar_to(local_id, tmp_path / "export" / "task.json")
    data = json.loads(out.read_text())
    assert data["local_id"] == local_id and data["remote_id"] == rec.remote_id
    assert "base64" not in out.read_text()  # references by hash, never inline
    dialog = actions.export_sidecar(local_id)  # the non-blocking dialog writes on accept
    # offered under the prompt's words and the task, a name every system accepts
    assert dialog.selectedFiles()[0].endswith(f"image 1 walks into the sea at dusk "
                                              f"{local_id[:8]}.json")
    dialog.fileSelected.emit(str(tmp_path / "chosen.json"))
    dialog.close()
    assert json.loads((tmp_path / "chosen.json").read_text())["local_id"] == local_id
    opened = []
    actions.opener = opened.append
    folder = actions.reveal(local_id)
    assert opened == [folder] and (folder / f"{local_id}.mp4").exists()


def test_error_details_show_message_hint_and_trace_id_with_copy(windows, qtbot, run,
                                                                emulator):
    emu_post(emulator, "faults", action="status", route="submit", status=400)  # refused
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    qtbot.waitUntil(lambda: state(window, local_id) == _S.FAILED, timeout=10_000)
    rec = window.session.engine.tasks.get(local_id)
    assert rec.error is not None and rec.error.trace_id  # Vidu's error body carries one
    view = window.task_list.view
    qtbot.waitUntil(lambda: view.select(local_id))
    details = view.details
    assert details.error_box.isVisible()
    assert details.error_message.text() == rec.error.message
    assert details.error_hint.text() == rec.error.hint and rec.error.hint
    trace = rec.error.trace_id or rec.trace_id
    assert trace and trace in details.error_trace.text()
    details.copy_error_button.click()
    copied = QGuiApplication.clipboard().text()
    assert rec.error.message in copied and rec.error.hint in copied and trace in copied


def test_delete_asks_then_removes_the_row_and_the_files(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    local_id = submit(window, run)
    qtbot.waitUntil(lambda: state(window, local_id) == _S.SUCCEEDED, timeout=20_000)
    files = [a.path for a in engine.artifacts.for_task(local_id)]
    assert files and all(p.exists() for p in files)
    assert ArtifactKind.VIDEO in {a.kind for a in engine.artifacts.for_task(local_id)}
    tasks = window.task_list
    task = tasks.view.run_action(TaskAction.DELETE, local_id)
    box = answer(qtbot, tasks.task_actions, "Cancel")
    assert "Delete this task and its files" in box.text()
    qtbot.waitUntil(task.done)
    assert engine.tasks.get(local_id) is not None and tasks.model.row_of(local_id) == 0
    task = tasks.view.run_action(TaskAction.DELETE, local_id)
    answer(qtbot, tasks.task_actions, "Delete")
    qtbot.waitUntil(task.done)
    assert task.result() is True
    assert engine.tasks.get(local_id) is None
    assert tasks.model.row_of(local_id) is None and tasks.model.total == 0
    assert not any(p.exists() for p in files)


def test_each_button_and_menu_item_runs_its_action(windows, qtbot, run, emulator, tmp_path):
    """The details' buttons and the list's menu name their actions by :class:`TaskAction`;
    each reaches what it says (the ones that send or delete only as far as their question)."""
    window = windows(sandbox=True, sandbox_url=emulator.url)
    local_id = submit(window, run)
    qtbot.waitUntil(lambda: state(window, local_id) == _S.SUCCEEDED, timeout=20_000)
    view = window.task_list.view
    actions = view.task_actions
    assert view.select(local_id)
    assert set(view.details.buttons) == set(TaskAction)
    assert {b.objectName() for b in view.details.buttons.values()} == {
        f"task-{a.value}" for a in TaskAction}
    played: list[str] = []
    reused: list[Any] = []
    opened: list[Any] = []
    view.play_requested.connect(played.append)
    actions.reuse_requested.connect(reused.append)
    actions.opener = opened.append
    buttons = view.details.buttons
    qtbot.waitUntil(buttons[TaskAction.PLAY].isEnabled)  # the list hears it a moment later
    buttons[TaskAction.PLAY].click()
    assert played == [local_id]
    view.table.activated.emit(view.model.index_of(local_id))  # Enter / double-click plays too
    assert played == [local_id, local_id]
    buttons[TaskAction.REUSE].click()
    assert [r.local_id for r in reused] == [local_id]
    buttons[TaskAction.COPY_IDS].click()
    assert f"task id: {local_id}" in QGuiApplication.clipboard().text()
    buttons[TaskAction.REVEAL].click()
    assert len(opened) == 1 and (opened[0] / f"{local_id}.mp4").exists()
    buttons[TaskAction.EXPORT_SIDECAR].click()
    assert actions.dialog is not None and actions.dialog.isVisible()
    actions.dialog.close()
    assert not buttons[TaskAction.CANCEL].isEnabled()  # finished: nothing to cancel
    # the list's menu offers the same actions, enabled alike, and runs them
    menu = view.task_menu(window.session.engine.task(local_id))
    items = {item.text(): item for item in menu.actions() if item.text()}
    for action, button in buttons.items():
        assert items[button.text()].isEnabled() == button.isEnabled(), action
    items[buttons[TaskAction.REVEAL].text()].trigger()
    items[buttons[TaskAction.PLAY].text()].trigger()
    menu.deleteLater()
    assert len(opened) == 2 and played == [local_id] * 3
    # the ones that ask first: the question comes, "Cancel" leaves the task as it was
    for action, title, nothing_done in ((TaskAction.RETRY, "Retry as a new submission", None),
                                        (TaskAction.DELETE, "Delete task", False)):
        task = view.run_action(action, local_id)
        assert task is not None
        box = answer(qtbot, actions, "Cancel")
        assert box.windowTitle() == title
        qtbot.waitUntil(task.done)
        assert task.result() is nothing_done
    assert window.session.engine.count() == 1 and submissions(emulator) == 1
    with pytest.raises(ValueError):
        actions.run(TaskAction.PLAY, local_id)  # playing is the view's (the Review tab)
