"""The board driven by the keyboard in the real window against the emulator: a 3-shot board of
2 takes each; 2 picks take 2 of shot 1 (the star and the chosen take show), → goes to shot 2,
X rejects its current take, 1 picks take 1, Enter asks Review to play the board from there.
A prompt changed in place makes the shot's takes stale."""

from __future__ import annotations

from PySide6.QtCore import Qt

from vidu_desktop.core.states import TaskMark
from vidu_desktop.ui.board.shot_model import shot_state

from .board_support import generate, make_board


def test_keys_pick_reject_and_play(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    board = make_board(engine, 3)
    generate(engine, run, qtbot, board, takes=2)
    window.show_board()
    area = window.board
    area.reload(board_id=board.id)
    shots = area.shots
    qtbot.waitUntil(shots.hasFocus)
    assert [shot_state(r) for r in area.model.rows] == ["2 takes"] * 3
    assert shots.current_row() == 0

    qtbot.keyClick(shots, Qt.Key.Key_2)
    one = area.model.rows[0]
    assert one.chosen is not None and one.chosen.number == 2
    assert shot_state(one) == "take 2 chosen"
    assert [c.mark.text() for c in area.takes.cards] == ["", "★ chosen"]
    assert engine.chosen_take(one.shot.id).number == 2

    qtbot.keyClick(shots, Qt.Key.Key_Right)
    assert shots.current_row() == 1
    assert area.detail.title.text() == "Shot 2"
    assert area.takes.current == 1
    qtbot.keyClick(shots, Qt.Key.Key_X)
    two = area.model.rows[1]
    assert two.take(1).mark == TaskMark.REJECT
    assert area.takes.cards[0].mark.text() == "✕ rejected"
    assert area.takes.current == 2  # the next take not rejected
    qtbot.keyClick(shots, Qt.Key.Key_1)
    assert area.model.rows[1].take(1).mark == TaskMark.STAR
    assert shot_state(area.model.rows[1]) == "take 1 chosen"

    with qtbot.waitSignal(area.play_cut_requested) as played:
        qtbot.keyClick(shots, Qt.Key.Key_Return)
    assert [e.label for e in played.args[0]] == ["Shot 2"]  # shot 3 has no chosen take
    assert "shot 3" in window.statusBar().currentMessage()
    assert window.tabs.currentWidget() is window.review


def test_a_prompt_changed_in_place_makes_the_takes_stale(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    board = make_board(engine, 2)
    generate(engine, run, qtbot, board, takes=2, shot_ids=[board.shots[0].id])
    window.show_board()
    area = window.board
    area.reload(board_id=board.id)
    assert [c.take.stale for c in area.takes.cards] == [False, False]
    prompt = area.detail.prompt
    prompt.setFocus()
    prompt.moveCursor(prompt.textCursor().MoveOperation.End)
    qtbot.keyClicks(prompt, ", in slow motion")
    assert area.detail.counter.text() == f"{len(prompt.toPlainText())} / 1500"
    area.shots.setFocus()  # leaving the editor saves the prompt
    qtbot.waitUntil(lambda: engine.board(board.id).shots[0].prompt.endswith("slow motion"))
    assert shot_state(area.model.rows[0]) == "stale"
    qtbot.waitUntil(lambda: [c.stale.isVisibleTo(area) for c in area.takes.cards]
                    == [True, True])  # (new cards show in the next turn of the loop)
    assert area.takes.cards[0].stale.text() == "made before the shot changed"
    assert all(t.stale for t in engine.takes(board.shots[0].id))
