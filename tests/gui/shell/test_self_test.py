"""The self-test drives the real window: sample references, a prompt, Generate in the sandbox,
the video downloaded, played until a frame shows, a screenshot saved; a failure says why."""

from __future__ import annotations

import httpx
from PySide6.QtGui import QIcon, QImage

from vidu_desktop.core.states import TaskState
from vidu_desktop.ui.common.resources import sample_references
from vidu_desktop.ui.shell.self_test import SHOT, SelfTest


def test_the_self_test_generates_plays_and_saves_a_screenshot(windows, run, emulator,
                                                               tmp_path):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    result = run(SelfTest(window, tmp_path / "out").run(), timeout=120)
    assert result.ok, result.report()
    assert result.screenshot == tmp_path / "out" / SHOT
    shot = QImage(str(result.screenshot))
    assert (shot.width(), shot.height()) == (window.width(), window.height())
    assert [name for name, _ in result.steps] == [
        "app icon (8 sizes) and 3 sample pictures found", "3 sample references prepared",
        "submitted to the sandbox", "video generated, downloaded and verified",
        "played: a frame is on screen"]
    assert len(window.tray.references()) == len(sample_references()) == 3
    [rec] = window.session.engine.tasks.list_tasks()
    assert rec.state == TaskState.SUCCEEDED and rec.prompt.startswith("@1 the friendly robot")
    assert window.tabs.currentWidget() is window.review and window.review.ids == [rec.local_id]
    assert "self-test passed" in result.report()


def test_a_failing_task_fails_the_self_test_with_the_reason(windows, run, emulator, tmp_path):
    httpx.post(f"{emulator.url}/_emulator/faults",
               json={"action": "fail", "code": "ModelOverloadedError"}).raise_for_status()
    window = windows(sandbox=True, sandbox_url=emulator.url)
    result = run(SelfTest(window, tmp_path).run(), timeout=120)
    assert not result.ok
    assert result.reason.startswith("the task ended failed: ")
    assert not (tmp_path / SHOT).exists()
    assert "self-test FAILED: the task ended failed" in result.report()


def test_outside_the_sandbox_the_self_test_refuses(windows, run, tmp_path):
    window = windows(sandbox=False)
    result = run(SelfTest(window, tmp_path).run())
    assert not result.ok and "only in sandbox mode" in result.reason
    assert window.session.engine.tasks.list_tasks() == []


def test_a_window_without_its_icon_fails_the_self_test(windows, run, emulator, tmp_path):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    assert len(window.windowIcon().availableSizes()) == 8  # one per PNG size
    window.setWindowIcon(QIcon())
    result = run(SelfTest(window, tmp_path).run(), timeout=60)
    assert not result.ok
    assert result.reason == "the app icon (resources/icons) is missing"
    assert result.steps == [] and not (tmp_path / SHOT).exists()
