"""Editing a board in the window: shots reordered by the engine's move and by a drop on the
list, a shot with takes deleted only after a question, a board made from the composer's host
and model, and a board and its takes shown again by a window rebuilt on the same profile."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from vidu_desktop.ui.board.shot_model import shot_state

from .board_support import PROMPTS, generate, make_board, shown_board


def prompts(area):
    return [r.shot.prompt for r in area.model.rows]


def answer(qtbot, area, button_text):
    qtbot.waitUntil(lambda: isinstance(area.questions.dialog, QMessageBox)
                    and area.questions.dialog.isVisible())
    box = area.questions.dialog
    text = box.text()
    [button] = [b for b in box.buttons() if b.text() == button_text]
    button.click()
    return text


def test_reorder_by_move_and_by_drop(windows, qtbot):
    window = windows(sandbox=True)
    engine = window.session.engine
    board = shown_board(window, 3)
    area = window.board
    assert prompts(area) == list(PROMPTS[:3])
    area.board_actions.move_shot(board.shots[0].id, 2)
    assert prompts(area) == [PROMPTS[1], PROMPTS[2], PROMPTS[0]]
    assert area.current_shot().id == board.shots[0].id  # the moved shot stays selected
    # a drag of the last row dropped before the first (what the view's drop does)
    model = area.model
    mime = model.mimeData([model.index(2)])
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert prompts(area) == [PROMPTS[0], PROMPTS[1], PROMPTS[2]]
    assert [s.prompt for s in engine.board(board.id).shots] == list(PROMPTS[:3])


def test_delete_a_shot_with_takes_asks_first(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    board = make_board(engine, 2)
    generate(engine, run, qtbot, board, takes=2, shot_ids=[board.shots[0].id])
    area = window.board
    area.reload(board_id=board.id)
    area.shots.go(0)
    area.shots.setFocus()
    qtbot.keyClick(area.shots, Qt.Key.Key_Delete)
    assert answer(qtbot, area, "Cancel") == "Shot 1 has 2 takes. Delete the shot?"
    assert len(engine.board(board.id).shots) == 2
    qtbot.keyClick(area.shots, Qt.Key.Key_Delete)
    answer(qtbot, area, "Delete shot")
    qtbot.waitUntil(lambda: len(area.model.rows) == 1)
    assert prompts(area) == [PROMPTS[1]]
    assert engine.count() == 2  # the takes stay in the task list
    area.shots.go(0)
    area.board_actions.delete_shot()  # no takes: no question
    assert area.questions.dialog is None and area.model.rows == []


def test_new_board_from_the_composers_choice_then_add_shots(windows, qtbot):
    window = windows(sandbox=True)
    window.panel.set_choices(window.panel.choices().__class__(model="viduq2", duration=4))
    area = window.board
    assert area.empty.isVisibleTo(area)
    area.bar.new_button.click()
    qtbot.waitUntil(lambda: isinstance(area.questions.dialog, QInputDialog))
    dialog = area.questions.dialog
    assert "Vidu viduq2" in dialog.labelText()
    dialog.setTextValue("Night walk")
    dialog.accept()
    qtbot.waitUntil(lambda: area.board is not None)
    assert (area.board.name, area.board.model) == ("Night walk", "viduq2")
    assert area.board.parameters["duration"] == 4
    assert not area.empty.isVisibleTo(area)
    area.add_button.click()
    area.add_button.click()
    assert [r.shot.number for r in area.model.rows] == [1, 2]
    assert [shot_state(r) for r in area.model.rows] == ["no take", "no take"]
    assert area.bar.picker.currentText() == "Night walk · 2 shots"


def test_a_rebuilt_window_shows_the_same_board_and_takes(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    board = make_board(engine, 3)
    generate(engine, run, qtbot, board, takes=2, shot_ids=[board.shots[1].id])
    engine.pick_take(board.shots[1].id, 2)
    window.board.reload(board_id=board.id)
    windows.close(window)

    again = windows(sandbox=True, sandbox_url=emulator.url)
    area = again.board
    assert area.board is not None and area.board.id == board.id
    assert prompts(area) == list(PROMPTS[:3])
    assert [shot_state(r) for r in area.model.rows] == ["no take", "take 2 chosen", "no take"]
    assert [t.number for t in area.model.rows[1].takes] == [1, 2]


def test_open_in_composer_and_update_from_composer(windows, qtbot):
    window = windows(sandbox=True)
    engine = window.session.engine
    board = shown_board(window, 2)
    area = window.board
    area.shots.go(1)
    area.detail.open_button.click()
    assert window.tabs.currentIndex() == 0
    assert window.editor.text() == PROMPTS[1]
    qtbot.waitUntil(lambda: len(window.tray.loose_references()) == 1)  # prepared in the tray
    window.editor.set_text("the fox sits by the water")
    window.show_board()
    area.detail.update_button.click()
    shot = engine.board(board.id).shots[1]
    assert shot.prompt == "the fox sits by the water"
    assert shot.references and shot.references[0].sha256 == board.shots[1].references[0].sha256
    assert area.detail.prompt.toPlainText() == "the fox sits by the water"
    assert "now has the composer's prompt" in window.statusBar().currentMessage()


def test_the_board_tab_puts_the_composers_parameters_and_generate_bar_aside(windows, qtbot):
    window = windows(sandbox=True)
    window.show()
    qtbot.waitExposed(window)
    assert window.parameter_scroll.isVisible() and window.generate_bar.isVisible()
    window.show_board()
    assert not window.parameter_scroll.isVisible() and not window.generate_bar.isVisible()
    assert window.task_list.isVisible()  # the task list takes their room
    window.tabs.setCurrentIndex(0)
    assert window.parameter_scroll.isVisible() and window.generate_bar.isVisible()


def test_the_board_follows_a_switch_of_sandbox_mode(windows, qtbot, run, emulator,
                                                    memory_keyring):
    """A board is the profile's: both modes show it, each with its own library's takes."""
    memory_keyring.set_password("vidu-desktop", "vidu", "a-real-key")
    window = windows(sandbox=True, sandbox_url=emulator.url)
    session = window.session
    run(session.start())
    board = make_board(session.engine, 2)
    generate(session.engine, run, qtbot, board, takes=2, shot_ids=[board.shots[0].id])
    area = window.board
    area.reload(board_id=board.id)
    assert shot_state(area.model.rows[0]) == "2 takes"
    session.leave_sandbox()
    run(session.settled())
    assert area.engine is session.engine and not session.sandbox
    assert prompts(area) == list(PROMPTS[:2])  # the same board
    assert [shot_state(r) for r in area.model.rows] == ["no take", "no take"]
    session.enter_sandbox()
    run(session.settled())
    assert shot_state(area.model.rows[0]) == "2 takes"
