"""Generate… of a board in the real window, against the emulator as a real host: the count and
the estimated cost are shown before anything is sent, a shot with an empty prompt is listed as
a problem and nothing is sent, and a plan over the spend limit asks a second time."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.emulator.config import DEMO_KEY

from ..conftest import submissions
from .board_support import make_board


def real_window(windows, emulator, memory_keyring):
    memory_keyring.set_password("vidu-desktop", "vidu", DEMO_KEY)
    window = windows(sandbox=False)
    window.session.set_base_url_override(ProviderId.VIDU, f"{emulator.url}/vidu")
    return window


def open_dialog(window, board, shot_row=0):
    area = window.board
    area.reload(board_id=board.id)
    area.shots.go(shot_row)
    return area.board_actions.open_generate()


def test_count_and_cost_then_over_the_limit_asks_again(windows, qtbot, emulator,
                                                       memory_keyring):
    window = real_window(windows, emulator, memory_keyring)
    engine = window.session.engine
    board = make_board(engine, 3)
    dialog = open_dialog(window, board)
    dialog.scope_missing.click()
    dialog.takes.setValue(2)
    plan = dialog.plan
    assert plan.task_count == 6
    [(unit, amount)] = plan.cost.items()
    assert dialog.summary.text() == f"6 tasks · about {amount:g} {unit} (estimate)"
    assert not dialog.problems.isVisibleTo(dialog)
    # a limit under the plan's cost: Generate asks once more, Cancel sends nothing
    dialog.ask.setChecked(True)
    dialog.limit.setValue(amount - 1)
    assert engine.spend_limit() == {unit: amount - 1}
    assert dialog.plan.over_limit and dialog.over.isVisibleTo(dialog)
    dialog.send_button.click()
    qtbot.waitUntil(lambda: isinstance(dialog.question, QMessageBox))
    box = dialog.question
    assert "more than your limit" in box.informativeText()
    [cancel] = [b for b in box.buttons() if b.text() == "Cancel"]
    cancel.click()
    assert dialog.isVisible() and engine.count() == 0
    dialog.send_button.click()
    qtbot.waitUntil(lambda: isinstance(dialog.question, QMessageBox))
    [spend] = [b for b in dialog.question.buttons() if b.text() == "Spend it and generate"]
    spend.click()
    qtbot.waitUntil(lambda: engine.count() == 6, timeout=10_000)
    qtbot.waitUntil(lambda: submissions(emulator) == 6, timeout=20_000)
    area = window.board
    qtbot.waitUntil(lambda: [len(r.takes) for r in area.model.rows] == [2, 2, 2])


def test_an_empty_prompt_is_a_problem_and_nothing_is_sent(windows, qtbot, emulator,
                                                          memory_keyring):
    window = real_window(windows, emulator, memory_keyring)
    engine = window.session.engine
    board = make_board(engine, 2)
    engine.update_shot(board.shots[1].id, prompt="")
    dialog = open_dialog(window, board)
    dialog.scope_missing.click()
    assert "Shot 2: the prompt is empty" in dialog.problems.text()
    assert "Nothing is sent" in dialog.problems.text()
    assert dialog.problems.isVisibleTo(dialog)
    assert not dialog.send_button.isEnabled()
    dialog.send()  # even asked directly, nothing goes
    assert engine.count() == 0 and submissions(emulator) == 0
    dialog.scope_this.click()  # shot 1 alone has no problem
    assert dialog.send_button.isEnabled() and dialog.summary.text().startswith("1 task ·")
