"""After a restart, a task that was running is listed as it was left, resumes, and its row
shows its progress again until it is done."""

from __future__ import annotations

import re

import httpx
from conftest import data_uri, make_image

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.ui.tasks.model import STATE

_S = TaskState


def percent(text: str) -> int:
    found = re.match(r"processing (\d+)%", text or "")
    return int(found.group(1)) if found else -1


def test_a_running_task_resumes_after_a_restart_and_shows_progress(windows, qtbot, run,
                                                                   emulator):
    # slow renders: about 6 s of processing at the test emulator's time scale
    httpx.post(f"{emulator.url}/_emulator/config",
               json={"processing_s": 600}).raise_for_status()
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    image = ReferenceImage(data_uri(make_image(400, 300)), label="the cat")
    rec = run(engine.submit(GenerationRequest(ProviderId.NOVITA, "vidu-q1", "a cat on a sofa",
                                              (image,))))
    local_id = rec.local_id
    qtbot.waitUntil(lambda: (r := engine.tasks.get(local_id)).state == _S.PROCESSING
                    and 0 < (r.progress or 0) < 50, timeout=10_000)
    windows.close(window)  # quit while it renders: the row stays "processing"
    assert windows.made == []

    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    model = window.task_list.model
    left = model.index_of(local_id, STATE).data()
    assert left.startswith("processing")  # listed as it was left, before anything is asked
    before = percent(left)
    assert run(engine.start()) == [local_id]
    assert 0 < before < 50
    qtbot.waitUntil(lambda: percent(model.index_of(local_id, STATE).data()) > before,
                    timeout=15_000)  # the row follows the resumed task's progress
    view = window.task_list.view
    assert view.select(local_id)
    assert view.details.bar.isVisible() and view.details.bar.value() > 0
    qtbot.waitUntil(lambda: model.index_of(local_id, STATE).data().startswith("done"),
                    timeout=30_000)
