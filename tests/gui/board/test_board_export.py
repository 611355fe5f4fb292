"""Export… of the board area opens the export dialog with a job over the engine's export:
the chosen takes become one MP4 and a timeline in the folder chosen, written in the dialog's
worker thread."""

from __future__ import annotations

import opentimelineio as otio

from .board_support import generate, make_board


def test_export_writes_the_chosen_takes(windows, qtbot, run, emulator, tmp_path):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    board = make_board(engine, 2)
    generate(engine, run, qtbot, board, takes=1)
    for shot in board.shots:
        engine.pick_take(shot.id, 1)
    area = window.board
    area.reload(board_id=board.id)
    area.bar.export_button.click()
    dialog = area.board_actions.export_dialog
    qtbot.waitUntil(dialog.isVisible)
    out = tmp_path / "out"
    out.mkdir()
    dialog.form.folder_edit.setText(str(out))
    choice = dialog.form.choice()
    run_ = dialog.start(choice)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert run_ is not None
    film = out / f"{choice.name}.mp4"
    assert film.is_file() and film in dialog.written
    assert "otio" in choice.timelines  # (OpenTimelineIO is a dependency)
    timeline = otio.adapters.read_from_file(str(out / f"{choice.name}.otio"))
    assert len(list(timeline.find_clips())) == 2
    dialog.close()
