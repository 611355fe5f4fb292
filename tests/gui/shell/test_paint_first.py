"""Paint first, attach after: the window that appears first is the real one, its compose area
usable at once; the task list and Review come in after the first paint without moving a
control; the keychain is read after the paint and a wrong remembered mode is corrected, and
said."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import (
    AppPaths,
    SecretStore,
    Settings,
    TaskStore,
    open_database,
    transaction,
)
from vidu_desktop.ui.common.session import KEY_FOUND, KEYCHAIN_HOSTS_SETTING, NO_KEY_FOUND
from vidu_desktop.ui.shell.startup import Startup
from vidu_desktop.ui.tasks.model import PAGE

from ..conftest import drop_files, write_images

KEY_VARIABLES = ("VIDU_API_KEY", "NOVITA_API_KEY", "HIGHWAYAPI_API_KEY", "SEGMIND_API_KEY",
                 "VTRIX_API_KEY")


@pytest.fixture(autouse=True)
def no_key_variables(monkeypatch):
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _remember(profile: Path, hosts: list[str]) -> None:
    """What the last run's look-up of the keychain left in the profile."""
    conn = open_database(AppPaths(profile).ensure().database)
    Settings(conn).set(KEYCHAIN_HOSTS_SETTING, hosts)
    conn.close()


def _fill(profile: Path, n: int) -> None:
    """``n`` finished tasks in the profile's own library."""
    conn = open_database(AppPaths(profile).ensure().database)
    store = TaskStore(conn)
    with transaction(conn):
        for i in range(n):
            rec = store.create(GenerationRequest(
                ProviderId.VIDU, "viduq1", f"image 1 walks into the sea, take {i}",
                (ReferenceImage("https://example.com/ref.png", "the walker"),), seed=i + 1))
            store.transition(rec.local_id, TaskState.DOWNLOADING)
            store.transition(rec.local_id, TaskState.SUCCEEDED)
    conn.close()


def _start(window) -> Startup:
    return Startup(window, window.session, window.composer.bg.spawn)


def test_the_compose_area_works_before_the_task_list_is_attached(windows, qtbot, tmp_path):
    window = windows(progressive=True)
    window.show()  # shown as the app shows it, and never attached here
    qtbot.waitExposed(window)
    assert not window.attached and not hasattr(window, "task_list")
    assert window.tasks_place.isVisible()
    qtbot.keyClicks(window.editor.text_edit, "image 1 walks into the sea")
    assert window.editor.text() == "image 1 walks into the sea"
    paths = write_images(tmp_path / "refs", 1)
    assert drop_files(window.tray.view.viewport(), paths)
    qtbot.waitUntil(window.tray.is_ready, timeout=10_000)
    assert [i.name for i in window.tray.items()] == ["ref 1.png"]
    assert len(window.composer.references()) == 1
    assert not window.attached
    assert not window.session.keys_known  # the keychain is read after the paint


def _geometries(window) -> dict[int, tuple[str, QRect]]:
    """Every visible widget's rectangle in window coordinates, by identity."""
    found: dict[int, tuple[str, QRect]] = {}
    for widget in window.findChildren(QWidget):
        if widget.isVisible() and widget.isWindow() is False:
            top_left = widget.mapTo(window, widget.rect().topLeft())
            found[id(widget)] = (f"{type(widget).__name__} {widget.objectName()!r}",
                                 QRect(top_left, widget.size()))
    return found


@pytest.mark.parametrize("tasks", [0, 300])
def test_the_task_list_and_review_attach_without_moving_a_control(windows, qtbot, tasks):
    _fill(windows.profile, tasks)
    window = windows(progressive=True)
    startup = _start(window)
    before: dict[int, tuple[str, QRect]] = {}
    places: dict[str, QRect] = {}

    def at_first_paint() -> None:  # before the next turn, where attach() runs
        assert not window.attached
        before.update(_geometries(window))
        places["tasks"] = QRect(window.tasks_place.mapTo(window, window.tasks_place.rect()
                                                         .topLeft()), window.tasks_place.size())
        places["tabs"] = QRect(window.tabs.geometry())

    startup.painted.connect(at_first_paint)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.show()
    assert window.attached and before
    after = _geometries(window)
    moved = [f"{name}: {rect} -> {after[key][1]}" for key, (name, rect) in before.items()
             if key in after and after[key][1] != rect]
    assert moved == []
    still_there = [key for key in before if key in after]
    assert len(still_there) > 50  # the compose area's controls, the menus, the status bar
    listed = window.task_list
    assert QRect(listed.mapTo(window, listed.rect().topLeft()), listed.size()) \
        == places["tasks"]
    assert window.tabs.geometry() == places["tabs"]
    assert window.tabs.widget(1) is window.review
    assert window.tabs.currentIndex() == 0
    assert window.task_list.view.focus_order()[0] in _tab_chain(window)
    assert window.session.keys_known and window.session.engine_ready
    assert window.task_list.view.table.isVisible() == bool(tasks)
    assert window.task_list.model.rowCount() == min(tasks, PAGE)  # the first page


def _tab_chain(window) -> list[QWidget]:
    chain, widget = [], window.generate_bar.button
    for _ in range(400):
        widget = widget.nextInFocusChain()
        if widget is window.generate_bar.button:
            break
        chain.append(widget)
    return chain


def test_a_remembered_key_that_is_gone_switches_to_the_sandbox_and_says_so(
        windows, qtbot, run, emulator):
    _remember(windows.profile, ["vidu"])  # the last run found a key; the keychain is empty now
    window = windows(progressive=True, sandbox=None, sandbox_url=emulator.url)
    session = window.session
    assert not session.sandbox  # started as the last run left it
    assert window.panel.key_status.text() == "● key in the keychain"
    startup = _start(window)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.show()
    assert session.sandbox and startup.message == NO_KEY_FOUND
    assert window.statusBar().currentMessage() == NO_KEY_FOUND
    assert "sandbox" in window.panel.key_status.text()
    assert window.task_list.engine is session.engine  # the sandbox library's list
    assert session.engine_ready
    assert session.settings.get(KEYCHAIN_HOSTS_SETTING) == []
    run(session.settled())  # the real library's engine closed


def test_a_key_found_after_the_paint_leaves_the_sandbox_and_says_so(windows, qtbot, run,
                                                                   emulator):
    SecretStore().set(ProviderId.NOVITA, "nk-found-after-the-paint")
    _remember(windows.profile, [])  # the last run found none
    window = windows(progressive=True, sandbox=None, sandbox_url=emulator.url)
    session = window.session
    assert session.sandbox
    startup = _start(window)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.show()
    assert not session.sandbox and startup.message == KEY_FOUND
    assert window.statusBar().currentMessage() == KEY_FOUND
    assert session.settings.get(KEYCHAIN_HOSTS_SETTING) == ["novita"]
    window.panel.host.setCurrentIndex(window.panel.host.findData(ProviderId.NOVITA))
    assert window.panel.key_status.text() == "● key in the keychain"
    assert "nk-found-after-the-paint" in session.known_keys()  # redacted from the logs now
    run(session.settled())


def test_a_remembered_mode_that_is_right_changes_nothing(windows, qtbot):
    SecretStore().set(ProviderId.VIDU, "vk-still-there")
    _remember(windows.profile, ["vidu"])
    window = windows(progressive=True, sandbox=None, sandbox_starter=lambda: "unused")
    startup = _start(window)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.show()
    assert not window.session.sandbox and startup.message == ""
    assert window.statusBar().currentMessage() != KEY_FOUND


def test_the_start_turns_the_collector_back_on_when_it_is_ready(windows, qtbot):
    import gc

    from vidu_desktop.ui.common import gc_hold

    window = windows(progressive=True)
    startup = _start(window)
    seen: list[bool] = []
    startup.painted.connect(lambda: seen.append(gc.isenabled()))
    gc.collect()
    gc.enable()  # (off in these tests: see gc_on_the_main_thread)
    try:
        assert gc_hold.hold()  # as vidu_desktop.app.main does
        with qtbot.waitSignal(startup.ready, timeout=20_000):
            startup.show()
        assert seen == [False]  # held through the paint
        assert gc.isenabled() and not gc_hold.held()
    finally:
        gc_hold.release()
        gc.disable()
        gc.unfreeze()


def test_the_board_area_is_made_when_its_tab_is_first_shown(windows, qtbot):
    from vidu_desktop.ui.board.area import BoardArea

    window = windows(progressive=True)
    startup = _start(window)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.show()
    assert window.findChild(BoardArea) is None  # not needed to start
    size = window.tabs.currentWidget().size()  # every tab's page has the stack's size
    tabs = window.tabs.geometry()
    window.tabs.setCurrentIndex(2)
    assert window.tabs.currentIndex() == 2
    assert isinstance(window.tabs.currentWidget(), BoardArea)
    assert window.tabs.currentWidget() is window.board
    assert window.board.size() == size and window.tabs.geometry() == tabs  # nothing moves
    assert not window.generate_bar.isVisible()  # the board has its own
    window.tabs.setCurrentIndex(0)
    assert window.generate_bar.isVisible()


def _draft_with_a_cast_member(windows, qtbot, tmp_path) -> tuple[str, str]:
    """A draft of one loose picture and a cast member, saved; its id and the member's."""
    from ..compose.test_cast import member, ready

    window = windows()
    mara = member(window.session.engine, tmp_path, "mara", 1)
    window.tray.add_paths(write_images(tmp_path / "loose", 1))
    ready(window, qtbot)
    assert window.cast_area.controller.add_to_draft(mara.id)
    qtbot.waitUntil(lambda: len(window.tray.items()) == 2 and window.tray.is_ready(),
                    timeout=15_000)
    window.drafts.save_now()
    draft_id = window.drafts.current_id
    windows.close(window)
    return draft_id, mara.id


def test_the_draft_s_pictures_and_cast_come_with_the_engine_after_the_paint(
        windows, qtbot, tmp_path):
    """The window paints before the engine (and its library) opens: the draft's prompt and
    parameters are there at once, its pictures and cast members when the engine opens; a
    save meanwhile keeps them, and a picture added meanwhile stays beside them."""
    from ..compose.test_cast import rows

    draft_id, mara_id = _draft_with_a_cast_member(windows, qtbot, tmp_path)
    window = windows(progressive=True)
    window.show()
    qtbot.waitExposed(window)
    assert not window.session.engine_open and window.drafts.current_id == draft_id
    assert window.tray.items() == [] and window.cast_area.panel.model.rows == []
    assert not window.cast_area.panel.list.known  # no "No cast members yet" meanwhile
    assert "Opening the library…" in window.composer.generate_state().reason
    window.drafts.save_now()
    saved = window.session.drafts.get(draft_id)
    assert saved is not None and len(saved.references) == 1 and saved.cast == (mara_id,)

    window.tray.add_paths(write_images(tmp_path / "new", 2)[1:])  # another picture
    qtbot.waitUntil(lambda: window.tray.items() and window.tray.is_ready(), timeout=15_000)
    window.session.open_engine()
    qtbot.waitUntil(lambda: len(window.tray.items()) == 3 and window.tray.is_ready(),
                    timeout=15_000)
    # the member first (its picture), the picture added meanwhile, the draft's loose one
    assert rows(window.tray) == ["[mara · 1 picture]", "ref 1.png", "ref 2.png", "ref 1.png"]
    assert [r.name for r in window.cast_area.panel.model.rows] == ["mara"]
    assert window.cast_area.panel.list.known
    assert "Opening the library…" not in window.composer.generate_state().reason
    window.drafts.save_now()
    saved = window.session.drafts.get(draft_id)
    assert saved is not None and len(saved.references) == 2 and saved.cast == (mara_id,)
