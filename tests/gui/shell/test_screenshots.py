"""Screenshots of the window (empty, filled, over the limit, offline, dark) at 1280x800 and
1920x1080, saved under a temp dir (``VIDU_SHOTS`` to keep them), and checks that the layout
holds: tray, prompt, parameters and Generate all visible at once, nothing cut off."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.ui.common import theme

from ..conftest import closed_port, write_images

SIZES = [(1280, 800), (1920, 1080)]


def fully_visible(window, widget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    rect = QRect(top_left, widget.size())
    return (widget.isVisible() and window.rect().contains(rect)
            and not widget.visibleRegion().isEmpty())


def check_layout(window) -> None:
    scroll = window.findChild(object, "parameter-scroll")
    for widget in (window.tray, window.editor.text_edit, window.editor.counter,
                   window.panel.host, window.panel.model, window.panel.resolution,
                   window.panel.variations, window.generate_bar.button):
        assert fully_visible(window, widget), widget.objectName() or type(widget).__name__
    assert scroll.verticalScrollBar().maximum() == 0, "the parameters need scrolling"
    assert window.tray.height() >= 180 and window.editor.text_edit.height() >= 100


def shoot(window, qtbot, folder: Path, name: str) -> list[Path]:
    saved = []
    for w, h in SIZES:
        window.resize(w, h)
        qtbot.waitUntil(lambda w=w, h=h: window.width() == w and window.height() == h)
        qtbot.wait(50)  # let the layouts settle
        check_layout(window)
        path = folder / f"{name}-{w}x{h}.png"
        assert window.grab().save(str(path))
        saved.append(path)
    return saved


def fill(window, qtbot, tmp_path, prompt: str) -> None:
    window.tray.add_paths(write_images(tmp_path / "refs", 3))
    qtbot.waitUntil(window.tray.is_ready, timeout=10_000)
    for i, label in enumerate(["the old fisherman", "the red boat", ""]):
        if label:
            window.tray.set_label(i, label)
    window.editor.set_text(prompt)
    window.panel.variations.setValue(2)


PROMPT = ("image 1 pushes image 2 off the beach at dawn; slow dolly-in, mist on the water, "
          "gulls overhead, the village of image 3 behind them.")


def test_screens_empty_filled_and_over_the_limit(windows, qtbot, tmp_path, shots, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    shoot(window, qtbot, shots, "1-empty")
    fill(window, qtbot, tmp_path, PROMPT)
    assert window.generate_bar.button.isEnabled()
    shoot(window, qtbot, shots, "2-filled")
    window.editor.set_text(PROMPT * 12)
    assert not window.generate_bar.button.isEnabled()
    assert window.editor.over_note.isVisible()
    shoot(window, qtbot, shots, "3-over-limit")


def test_screen_offline_with_the_outbox(windows, qtbot, tmp_path, shots, memory_keyring):
    memory_keyring.set_password("vidu-desktop", "vidu", DEMO_KEY)
    window = windows(sandbox=False)
    window.session.set_base_url_override(ProviderId.VIDU, f"http://127.0.0.1:{closed_port()}")
    fill(window, qtbot, tmp_path, PROMPT)
    window.panel.variations.setValue(1)
    assert window.generate()
    qtbot.waitUntil(window.outbox_banner.isVisible, timeout=10_000)
    shoot(window, qtbot, shots, "4-offline")


@pytest.mark.parametrize("scheme", ["dark"])
def test_screen_dark_scheme(windows, qtbot, tmp_path, shots, emulator, qapp, scheme):
    theme.install(qapp, scheme)
    window = windows(sandbox=True, sandbox_url=emulator.url)
    fill(window, qtbot, tmp_path, PROMPT)
    window.panel.model.setCurrentIndex(window.panel.model.findData("vidu2.0"))  # notes show
    window.panel.advanced_toggle.click()  # and the advanced options: the Tasks list gives room
    assert window.panel.notes_frame.isVisible() and window.panel.payload.isVisible()
    assert theme.colors().dark
    assert window.palette().window().color().lightness() < 80
    shoot(window, qtbot, shots, "5-dark")
