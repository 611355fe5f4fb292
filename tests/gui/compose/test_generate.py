"""Generate: Ctrl+Enter sends a job that reaches the emulator; N variations send N takes with
their own seeds; with the host unreachable the job waits in a visible outbox and sends itself
when the host answers again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.states import TaskState
from vidu_desktop.emulator.config import DEMO_KEY

from ..conftest import closed_port, drop_files, submissions, write_images

SENT = {TaskState.QUEUED, TaskState.PROCESSING, TaskState.DOWNLOADING, TaskState.SUCCEEDED}


def compose(window, qtbot, tmp_path, prompt="image 1 walks into the sea at dusk", n=1):
    assert drop_files(window.tray.view.viewport(), write_images(tmp_path / "refs", n))
    window.editor.text_edit.setFocus()
    qtbot.keyClicks(window.editor.text_edit, prompt)
    qtbot.waitUntil(lambda: window.generate_bar.button.isEnabled(), timeout=10_000)


def test_ctrl_enter_sends_a_job_that_reaches_the_emulator(windows, qtbot, tmp_path, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    compose(window, qtbot, tmp_path)
    engine = window.session.engine
    qtbot.keyClick(window.editor.text_edit, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.editor.text() == "image 1 walks into the sea at dusk"  # no newline typed
    qtbot.waitUntil(lambda: submissions(emulator) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: engine.tasks.count() == 1
                    and engine.tasks.list_tasks()[0].state in SENT, timeout=10_000)
    rec = engine.tasks.list_tasks()[0]
    assert rec.provider == "vidu" and rec.model == "viduq1"
    assert rec.request.images[0].uri.startswith("ref:sha256:")  # the row keeps the hash only
    assert rec.seed is not None  # a random seed, drawn by the app and recorded
    qtbot.waitUntil(lambda: window.task_list.state_of(rec.local_id) not in ("", "sending…"))
    assert window.library.recent()[0] == "image 1 walks into the sea at dusk"
    # the emulator finishes it; the list follows the engine's events to the end
    qtbot.waitUntil(lambda: window.task_list.state_of(rec.local_id) == "done", timeout=20_000)


def test_variations_send_n_takes_with_their_own_seeds(windows, qtbot, tmp_path, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    compose(window, qtbot, tmp_path, "image 1 dances")
    window.panel.random_seed.setChecked(False)
    window.panel.seed.setValue(41)
    window.panel.variations.setValue(3)
    window.generate_bar.button.click()
    engine = window.session.engine
    qtbot.waitUntil(lambda: submissions(emulator) == 3, timeout=10_000)
    qtbot.waitUntil(lambda: engine.tasks.count() == 3)
    records = sorted(engine.tasks.list_tasks(), key=lambda r: r.take_index)
    assert [r.take_index for r in records] == [0, 1, 2]
    assert [r.seed for r in records] == [41, 42, 43]
    assert len({r.group_id for r in records}) == 1


def test_unreachable_host_puts_the_job_in_a_visible_outbox(windows, qtbot, tmp_path,
                                                          emulator, memory_keyring):
    memory_keyring.set_password("vidu-desktop", "vidu", DEMO_KEY)
    window = windows(sandbox=False)
    session = window.session
    session.set_base_url_override(ProviderId.VIDU, f"http://127.0.0.1:{closed_port()}")
    compose(window, qtbot, tmp_path, "image 1 in the rain")
    assert not window.outbox_banner.isVisible()
    window.generate()
    engine = session.engine
    qtbot.waitUntil(lambda: len(engine.outbox) == 1, timeout=10_000)
    [local_id] = engine.outbox.pending()
    assert engine.tasks.get(local_id).state == TaskState.DRAFT
    qtbot.waitUntil(window.outbox_banner.isVisible)
    assert "Offline: 1 job waits in the outbox" in window.outbox_banner.label.text()
    assert "Vidu" in window.outbox_banner.label.text()
    assert window.task_list.state_of(local_id) == "waiting in the outbox"
    assert submissions(emulator) == 0
    # the connection returns (here: the address is fixed) and the job sends itself
    session.set_base_url_override(ProviderId.VIDU, f"{emulator.url}/vidu")
    qtbot.waitUntil(lambda: submissions(emulator) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: engine.tasks.get(local_id).state in SENT, timeout=10_000)
    qtbot.waitUntil(lambda: not window.outbox_banner.isVisible(), timeout=5_000)
    assert len(engine.outbox) == 0
