"""Sandbox mode and real work never mix: each mode has its own library (SQLite, media, refs,
outbox) and its own engine; switching closes one and opens the other; drafts are shared."""

from __future__ import annotations

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.states import TaskState
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.store import RESUMABLE

from ..conftest import closed_port, drop_files, submissions, write_images


def compose(window, qtbot, tmp_path, prompt: str) -> None:
    assert drop_files(window.tray.view.viewport(), write_images(tmp_path / "refs", 1))
    window.editor.set_text(prompt)
    qtbot.waitUntil(lambda: window.generate_bar.button.isEnabled(), timeout=10_000)


def test_a_real_outbox_job_is_never_sent_to_the_emulator(windows, qtbot, run, tmp_path,
                                                         emulator, memory_keyring):
    # the emulator would accept this key: only the separate libraries keep the job away
    memory_keyring.set_password("vidu-desktop", "vidu", DEMO_KEY)
    window = windows(sandbox=False, sandbox_url=emulator.url)
    session = window.session
    run(session.start())
    session.set_base_url_override(ProviderId.VIDU, f"http://127.0.0.1:{closed_port()}")
    compose(window, qtbot, tmp_path, "image 1 in the rain")
    real = session.engine
    assert window.generate()
    qtbot.waitUntil(lambda: len(real.outbox) == 1, timeout=10_000)
    [real_job] = real.outbox.pending()
    qtbot.waitUntil(window.outbox_banner.isVisible)

    session.enter_sandbox()
    run(session.settled())  # the real engine is closed, the sandbox one started
    sandbox = session.engine
    assert sandbox is not real and session.sandbox
    assert sandbox.paths.profile_dir == window.session.paths.profile_dir / "sandbox"
    assert sandbox.tasks.count() == 0 and len(sandbox.outbox) == 0
    assert window.task_list.state_of(real_job) == ""
    assert not window.outbox_banner.isVisible()
    assert submissions(emulator) == 0
    # a sandbox job goes to the emulator, and only it
    assert window.generate()
    qtbot.waitUntil(lambda: sandbox.tasks.count() == 1, timeout=10_000)
    sandbox_job = sandbox.tasks.list_tasks()[0].local_id
    qtbot.waitUntil(lambda: window.task_list.state_of(sandbox_job) == "done", timeout=20_000)
    assert submissions(emulator) == 1

    session.leave_sandbox()
    run(session.settled())
    real = session.engine
    assert real.paths.profile_dir == session.paths.profile_dir
    assert real.outbox.pending() == [real_job]  # still waiting, in the real library
    assert real.tasks.get(real_job).state == TaskState.DRAFT
    assert real.tasks.get(sandbox_job) is None  # the sandbox task is not in it
    assert window.task_list.state_of(sandbox_job) == ""
    assert window.task_list.state_of(real_job) == "waiting in the outbox"
    assert window.outbox_banner.isVisible()
    assert submissions(emulator) == 1


def test_an_unfinished_sandbox_task_is_resumed_only_in_sandbox_mode(
        windows, qtbot, run, tmp_path, emulator, memory_keyring):
    memory_keyring.set_password("vidu-desktop", "vidu", "a-real-key")
    window = windows(sandbox=True, sandbox_url=emulator.url)
    session = window.session
    run(session.start())
    compose(window, qtbot, tmp_path, "image 1 at dawn")
    sandbox = session.engine
    assert window.generate()
    qtbot.waitUntil(lambda: submissions(emulator) == 1, timeout=10_000)
    [rec] = sandbox.tasks.list_tasks()
    session.leave_sandbox()  # at once: the task is still queued on the emulator
    run(session.settled())
    real = session.engine
    assert real.tasks.get(rec.local_id) is None
    assert real.tasks.in_states(RESUMABLE) == []
    assert window.task_list.state_of(rec.local_id) == ""
    assert session.key_for(ProviderId.VIDU) == "a-real-key"
    assert real.settings.base_urls == {}  # the real engine never saw the emulator's address

    session.enter_sandbox()  # back: the sandbox library resumes its own task
    run(session.settled())
    sandbox = session.engine
    qtbot.waitUntil(lambda: sandbox.tasks.get(rec.local_id).state == TaskState.SUCCEEDED,
                    timeout=20_000)
    qtbot.waitUntil(lambda: window.task_list.state_of(rec.local_id) == "done")  # the event
    assert submissions(emulator) == 1  # followed, not sent again


def test_drafts_and_their_pictures_are_shared_by_both_modes(windows, qtbot, run, tmp_path,
                                                             emulator, memory_keyring):
    memory_keyring.set_password("vidu-desktop", "vidu", "a-real-key")
    window = windows(sandbox=True, sandbox_url=emulator.url)
    session = window.session
    compose(window, qtbot, tmp_path, "image 1 composed in the sandbox")
    window.drafts.save_now()
    session.leave_sandbox()
    run(session.settled())
    window.drafts.open_last()  # read back from the store, in real mode
    assert window.editor.text() == "image 1 composed in the sandbox"
    qtbot.waitUntil(lambda: len(window.tray.entries()) == 1, timeout=10_000)
    assert [d.prompt for d in session.drafts.list_drafts()] == [
        "image 1 composed in the sandbox"]
