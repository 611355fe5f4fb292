"""Drafts: the composition autosaves and is there again after a restart; named drafts can be
kept and switched; the window's geometry and splitter sizes come back too."""

from __future__ import annotations

from vidu_desktop.core.capabilities import ProviderId

from ..conftest import commit_text, write_images


def test_the_composition_comes_back_after_a_restart(windows, qtbot, tmp_path):
    window = windows()
    window.tray.add_paths(write_images(tmp_path / "refs", 2))
    qtbot.waitUntil(window.tray.is_ready, timeout=10_000)
    window.tray.set_label(0, "the old man")
    panel = window.panel
    panel.model.setCurrentIndex(panel.model.findData("vidu2.0"))
    panel.resolution.setCurrentIndex(panel.resolution.findData("720p"))
    panel.aspect.setCurrentIndex(panel.aspect.findData("9:16"))
    panel.variations.setValue(2)
    qtbot.keyClicks(window.editor.text_edit, "image 1 feeds the birds ")
    commit_text(window.editor.text_edit, "🕊")  # QTest.keyClicks cannot type past the BMP
    with qtbot.waitSignal(window.drafts.saved, timeout=5_000):
        pass  # the autosave fires by itself after a quiet moment
    draft_id = window.drafts.current_id
    window.h_split.setSizes([560, 470])
    sizes = window.h_split.sizes()
    assert sizes[1] == 470
    windows.close(window)

    again = windows()
    assert again.drafts.current_id == draft_id
    assert again.editor.text() == "image 1 feeds the birds 🕊"
    choices = again.panel.choices()
    assert (choices.provider, choices.model, choices.resolution, choices.aspect_ratio,
            choices.variations) == (ProviderId.VIDU, "vidu2.0", "720p", "9:16", 2)
    assert not again.panel.notes_frame.isVisible()  # nothing had to change
    qtbot.waitUntil(again.tray.is_ready, timeout=10_000)
    items = again.tray.items()
    assert [i.name for i in items] == ["ref 1.png", "ref 2.png"]
    assert [i.label for i in items] == ["the old man", ""]
    assert again.h_split.sizes() == sizes


def test_named_drafts_are_kept_and_switched(windows, qtbot):
    window = windows()
    qtbot.keyClicks(window.editor.text_edit, "first idea")
    first = window.drafts.current_id
    window.drafts.new()
    assert window.editor.text() == ""
    assert window.draft_switcher.combo.count() == 2
    qtbot.keyClicks(window.editor.text_edit, "second idea")
    window.drafts.rename("Beach scene")
    assert window.draft_switcher.combo.currentText() == "Beach scene"
    combo = window.draft_switcher.combo
    combo.setCurrentIndex(combo.findData(first))
    combo.activated.emit(combo.currentIndex())
    assert window.editor.text() == "first idea"
    assert window.drafts.current_id == first
    combo.setCurrentIndex(combo.findText("Beach scene"))
    combo.activated.emit(combo.currentIndex())
    assert window.editor.text() == "second idea"
    window.drafts.delete_current()
    assert window.editor.text() == "first idea"
    assert combo.count() == 1
