"""What a screen reader and a keyboard user get: every control Tab reaches has a name, the
pictures in the tray and the task list have text alternatives, Tab goes through Compose in
the order of the work (draft, pictures, prompt, parameters, Generate, tasks), and the focused
control is drawn differently from the others."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import QApplication

from vidu_desktop.ui.common import focus_ring, theme
from vidu_desktop.ui.common.accessibility import focus_chain, spoken_name, unnamed
from vidu_desktop.ui.compose.tray.tray import ItemState

from ..conftest import write_images
from ..review.test_review import finished, submit


def busy_window(windows: Any, qtbot: Any, run: Any, emulator: Any, tmp_path: Any) -> Any:
    """A window with two pictures in the tray, a finished task selected (its take in the
    player) and the advanced parameters open: most of the controls on screen."""
    window = windows(sandbox=True, sandbox_url=emulator.url)
    window.tray.add_paths([str(p) for p in write_images(tmp_path / "pictures", 2)])
    qtbot.waitUntil(lambda: len(window.tray.items()) == 2 and all(
        i.state == ItemState.READY for i in window.tray.items()), timeout=20_000)
    window.editor.set_text("image 1 meets image 2 on a bridge")
    local_id = submit(window, run, prompt="a kite over the dunes")
    finished(window, qtbot, local_id)
    qtbot.waitUntil(lambda: window.task_list.model.row_of(local_id) is not None)
    assert window.task_list.view.select(local_id)
    window.panel.advanced_toggle.setChecked(True)
    qtbot.waitUntil(window.generate_bar.button.isEnabled)
    return window


def test_every_control_tab_reaches_has_a_name_in_each_tab(windows, qtbot, run, emulator,
                                                          tmp_path):
    window = busy_window(windows, qtbot, run, emulator, tmp_path)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        reached = list(focus_chain(window))
        assert len(reached) > 15, [w.objectName() for w in reached]
        assert unnamed(window) == [], f"tab {window.tabs.tabText(index)}"
        for widget in reached:  # what the platform's accessibility layer reads, too
            face = QAccessible.queryAccessibleInterface(widget)
            assert face is not None and face.text(QAccessible.Text.Name), widget
    window.tabs.setCurrentWidget(window.review)
    controls = window.review.player.controls
    assert {spoken_name(w) for w in focus_chain(window) if controls.isAncestorOf(w)} >= {
        "Play", "Position", "Volume", "Mute", "Loop"}


def test_choices_are_named_by_their_label_not_their_value(windows):
    window = windows()
    panel = window.panel
    assert panel.host.accessibleName() == "Host"
    assert panel.model.accessibleName() == "Model"
    assert panel.duration.accessibleName() == "Duration"
    assert window.task_list.view.search.accessibleName()


def test_pictures_in_the_tray_and_the_task_list_have_text_alternatives(windows, qtbot, run,
                                                                        emulator, tmp_path):
    window = busy_window(windows, qtbot, run, emulator, tmp_path)
    tray = window.tray.model
    first = tray.data(tray.index(0, 0), Qt.ItemDataRole.AccessibleTextRole)
    assert first.startswith("Image 1, ") and "ref 1" in first
    assert tray.data(tray.index(0, 0), Qt.ItemDataRole.AccessibleDescriptionRole)
    tasks = window.task_list.model
    cells = [tasks.data(tasks.index(0, col), Qt.ItemDataRole.AccessibleTextRole)
             for col in range(tasks.columnCount())]
    assert cells[0] == "Cover of a kite over the dunes"
    assert all(cells) and "a kite over the dunes" in cells[1]
    assert tasks.data(tasks.index(0, 1), Qt.ItemDataRole.AccessibleDescriptionRole)


def tab_through(window: Any, qtbot: Any, start: Any, presses: int) -> list[Any]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    seen = [start]
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_goes_through_compose_in_the_order_of_the_work(windows, qtbot, run, emulator,
                                                          tmp_path):
    window = busy_window(windows, qtbot, run, emulator, tmp_path)
    window.tabs.setCurrentIndex(0)
    seen = tab_through(window, qtbot, window.draft_switcher.combo, 60)
    key = [window.tray.view, window.tray.ui.add_button, window.editor.text_edit,
           window.panel.host, window.panel.model, window.panel.variations,
           window.generate_bar.button, window.task_list.view.search,
           window.task_list.view.table]
    places = [seen.index(w) for w in key]  # each is reached …
    assert places == sorted(places), [spoken_name(w) for w in seen]  # … in this order


def test_tab_goes_through_the_player_in_review(windows, qtbot, run, emulator, tmp_path):
    window = busy_window(windows, qtbot, run, emulator, tmp_path)
    window.tabs.setCurrentWidget(window.review)
    controls = window.review.player.controls
    seen = tab_through(window, qtbot, controls.play_button, 12)
    key = [controls.play_button, controls.slider, controls.mute_button, controls.volume]
    places = [seen.index(w) for w in key]
    assert places == sorted(places), [spoken_name(w) for w in seen]


def test_the_focused_control_is_ringed(windows, qtbot, run, emulator, tmp_path):
    """Reached with Tab, each control gets the accent-coloured ring around it (drawn above
    the controls, not cut by its parent), and the window looks different there."""
    window = busy_window(windows, qtbot, run, emulator, tmp_path)
    chain = list(focus_chain(window))
    targets = [window.panel.keys_button, window.panel.host, window.panel.random_seed,
               window.editor.recent_button, window.editor.text_edit, window.tray.view,
               window.generate_bar.button, window.task_list.view.search,
               window.task_list.view.table, window.draft_switcher.new_button]
    accent = QColor(theme.colors().accent)
    for target in targets:
        before = chain[chain.index(target) - 1]
        before.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(before.hasFocus)
        around = QRect(target.mapTo(window, QPoint(0, 0)) - QPoint(4, 4),
                       target.size() + QSize(8, 8))
        unfocused = window.grab(around).toImage()
        qtbot.keyClick(before, Qt.Key.Key_Tab)
        qtbot.waitUntil(target.hasFocus)
        ring = focus_ring.install(QApplication.instance()).ring_of(window)
        assert ring is not None and ring.target is target and ring.isVisible()
        ringed = focus_ring.ring_rect(ring, window)
        assert ringed.contains(QRect(target.mapTo(window, QPoint(0, 0)), target.size()))
        focused = window.grab(around).toImage()
        assert focused != unfocused, f"{spoken_name(target)}: no visible focus"
        left_edge = focused.pixelColor(ringed.left() - around.left() + 1,
                                       ringed.center().y() - around.top())
        assert left_edge == accent, (spoken_name(target), left_edge.name())


def test_the_dialogs_name_their_controls(windows, qtbot):
    window = windows()
    keys = window.open_host_settings(window.panel.choices().provider)
    qtbot.waitExposed(keys)
    assert unnamed(keys) == []
    assert keys.host.accessibleName() == "Host" and keys.base_url.accessibleName() == "Base URL"
    keys.close()
    picker = window.editor.open_recent()
    qtbot.waitExposed(picker)
    assert unnamed(picker) == []
    assert picker.search.accessibleName() == "Search recent prompts"
    picker.close()
