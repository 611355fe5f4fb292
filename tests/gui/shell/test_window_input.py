"""Pictures come into the window's tray by real drop events, by Ctrl+V and by dropping on the
prompt; Delete removes the selected one; the keyboard reaches everything."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage

from ..conftest import drop_files, write_images


def test_dropping_real_files_on_the_tray_adds_them(windows, qtbot, tmp_path):
    window = windows()
    paths = write_images(tmp_path / "refs", 3)
    assert drop_files(window.tray.view.viewport(), paths[:2])
    assert drop_files(window.tray.view.viewport(), paths[2:])
    qtbot.waitUntil(lambda: window.tray.is_ready(), timeout=10_000)
    assert [i.name for i in window.tray.items()] == ["ref 1.png", "ref 2.png", "ref 3.png"]
    assert len(window.composer.references()) == 3
    assert window.tray.ui.count.text().startswith("3") if hasattr(window.tray.ui, "count") \
        else True


def test_a_drop_on_the_prompt_goes_to_the_tray(windows, qtbot, tmp_path):
    window = windows()
    [path] = write_images(tmp_path / "refs", 1)
    assert drop_files(window.editor.text_edit.viewport(), [path])
    qtbot.waitUntil(lambda: window.tray.is_ready(), timeout=10_000)
    assert [i.name for i in window.tray.items()] == ["ref 1.png"]
    assert window.editor.text() == ""


def test_ctrl_v_pastes_a_picture_and_copied_files(windows, qtbot, tmp_path):
    window = windows()
    window.activateWindow()
    clipboard = QGuiApplication.clipboard()
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    clipboard.setImage(image)
    window.panel.model.setFocus()  # anywhere in the window but a text field
    qtbot.keyClick(window.panel.model, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.tray.items()) == 1, timeout=5_000)
    assert window.tray.items()[0].name == "pasted image"
    # in the prompt, copied files still go to the tray; text goes into the prompt
    [path] = write_images(tmp_path / "refs", 1)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    clipboard.setMimeData(mime)
    window.editor.text_edit.setFocus()
    qtbot.keyClick(window.editor.text_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.tray.items()) == 2, timeout=5_000)
    clipboard.setText("a cat on a sofa")
    qtbot.keyClick(window.editor.text_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.text() == "a cat on a sofa"
    assert len(window.tray.items()) == 2
    qtbot.waitUntil(lambda: window.tray.is_ready(), timeout=10_000)


def test_delete_removes_the_selected_reference(windows, qtbot, tmp_path):
    window = windows()
    window.tray.add_paths(write_images(tmp_path / "refs", 2))
    qtbot.waitUntil(lambda: window.tray.is_ready(), timeout=10_000)
    view = window.tray.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [i.name for i in window.tray.items()] == ["ref 2.png"]


def test_tab_order_reaches_the_prompt_parameters_and_generate(windows, qtbot):
    window = windows()
    window.activateWindow()
    window.editor.text_edit.setFocus()
    seen = set()
    widget = window.focusWidget()
    for _ in range(60):
        seen.add(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = window.focusWidget()
        if widget is None:
            break
    assert {"prompt", "host", "model", "resolution", "random-seed", "variations"} <= seen
    # Generate is disabled until the composition is complete; Ctrl+Enter is its key
    assert window.generate_action.shortcuts()[0].toString() == "Ctrl+Return"
