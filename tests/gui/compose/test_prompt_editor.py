"""The prompt editor: the live counter counted as the API counts, the warning near the limit,
the highlight past it, Generate disabled with the reason; recent prompts, snippets, "image N"
labels, undo and redo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from vidu_desktop.core.capabilities import PROMPT_COUNTING, ProviderId

from ..conftest import commit_text


def test_counter_follows_every_keystroke_and_counts_an_emoji_as_one(windows, qtbot):
    window = windows()
    editor = window.editor
    qtbot.keyClicks(editor.text_edit, "a cat")
    assert editor.counter.text() == "5 / 1500"
    commit_text(editor.text_edit, "🎬")  # one code point, two UTF-16 units
    assert editor.text() == "a cat🎬"
    assert editor.counter.text() == "6 / 1500"
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Backspace)
    assert editor.counter.text() == "5 / 1500"
    # and it says how it counts
    assert PROMPT_COUNTING in editor.counter.toolTip()
    assert "as the API counts" in editor.counting.text()


def test_counter_warns_near_the_limit_and_highlights_the_part_over_it(windows, qtbot):
    window = windows()
    editor = window.editor
    editor.set_text("x" * 1349)
    assert editor.counter.property("role") == "counter"
    qtbot.keyClicks(editor.text_edit, "x")  # 1350 = 90 %
    assert editor.counter.property("role") == "counter-warn"
    assert editor.highlighted_range() is None
    # emoji before the limit shift Qt's UTF-16 positions: the highlight must still start at
    # code point 1500
    editor.set_text("🎬" * 10 + "y" * 1495)
    assert editor.length() == 1505
    assert editor.counter.text() == "1505 / 1500"
    assert editor.counter.property("role") == "counter-over"
    start, end = editor.highlighted_range()
    assert (start, end) == (10 * 2 + 1490, 10 * 2 + 1495)
    assert editor.over_note.isVisible()
    assert "5 characters over the limit of 1500" in editor.over_note.text()
    # Generate is disabled and says why
    bar = window.generate_bar
    assert not bar.button.isEnabled()
    assert "The prompt is 1505 characters; the limit is 1500" in bar.reason.text()
    assert "Shorten it by 5" in bar.reason.text()


def test_limit_follows_the_host(windows, qtbot):
    window = windows()
    window.editor.set_text("z" * 1800)
    assert window.editor.counter.text() == "1800 / 1500"
    window.panel.host.setCurrentIndex(window.panel.host.findData(ProviderId.VTRIX))
    assert window.editor.counter.text() == "1800 / 2000"
    assert window.editor.highlighted_range() is None
    assert "prompt" not in window.generate_bar.reason.text().lower()


def test_recent_prompts_are_searchable_and_undoable(windows, qtbot):
    window = windows()
    library = window.library
    library.remember("a knight on a horse at dawn")
    library.remember("a cat on a red sofa")
    library.remember("the knight again, now at night")
    editor = window.editor
    qtbot.keyClicks(editor.text_edit, "draft text")
    picker = editor.open_recent()
    qtbot.waitExposed(picker)
    assert picker.visible_texts()[0] == "the knight again, now at night"
    qtbot.keyClicks(picker.search, "knight")
    assert picker.visible_texts() == ["the knight again, now at night",
                                      "a knight on a horse at dawn"]
    qtbot.keyClicks(picker.search, " on")
    assert picker.visible_texts() == ["a knight on a horse at dawn"]
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert editor.text() == "a knight on a horse at dawn"
    editor.text_edit.setFocus()
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "draft text"
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert editor.text() == "a knight on a horse at dawn"
    editor.undo_button.click()
    assert editor.text() == "draft text"
    editor.redo_button.click()
    assert editor.text() == "a knight on a horse at dawn"


def test_snippets_are_saved_and_inserted_at_the_cursor(windows, qtbot):
    window = windows()
    editor = window.editor
    editor.set_text("cinematic lighting, shallow depth of field")
    dialog = editor.save_snippet()
    qtbot.waitExposed(dialog)
    dialog.setTextValue("look")
    dialog.accept()
    assert window.library.snippets() == [("look", "cinematic lighting, shallow depth of field")]
    editor.set_text("a cat on a sofa, ")
    editor._fill_snippets()
    action = next(a for a in editor.snippet_menu.actions() if a.text() == "look")
    action.trigger()
    assert editor.text() == "a cat on a sofa, cinematic lighting, shallow depth of field"
    picker = editor.open_snippets()
    qtbot.keyClicks(picker.search, "depth")
    assert picker.visible_texts() == ["cinematic lighting, shallow depth of field"]
    picker.reject()


def test_image_labels_from_the_tray_are_inserted(windows, qtbot, tmp_path):
    from ..conftest import write_images

    window = windows()
    window.tray.add_paths(write_images(tmp_path / "refs", 2))
    qtbot.waitUntil(lambda: len(window.tray.references()) == 2, timeout=10_000)
    window.tray.set_label(1, "the red car")
    editor = window.editor
    editor._fill_images()
    texts = [a.text() for a in editor.image_menu.actions()]
    assert texts == ["image 1", "image 2 — the red car"]
    editor.image_menu.actions()[1].trigger()
    assert editor.text() == "image 2"
