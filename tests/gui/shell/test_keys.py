"""Keys and hosts: the settings dialog keeps the key in the keychain (here the in-memory
keyring), "Test key" asks the host, the base URL override is used; with no keychain the key is
kept for the session only, with a visible warning."""

from __future__ import annotations

import keyring
import keyring.backends.fail
from PySide6.QtCore import Qt

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.store import NO_KEYCHAIN_WARNING


def test_the_dialog_stores_the_key_and_tests_it_against_the_host(windows, qtbot, emulator,
                                                                   memory_keyring):
    window = windows(sandbox=False)
    assert window.mode_banner.isVisible()  # no key: the banner offers a key or the sandbox
    assert "No API key is configured" in window.mode_banner.label.text()
    assert "No API key for Vidu" in window.generate_bar.reason.text()
    assert window.panel.key_status.text() == "○ no key"
    dialog = window.open_host_settings(ProviderId.VIDU)
    qtbot.waitExposed(dialog)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec()
    assert not dialog.keychain_warning.isVisible()
    qtbot.keyClicks(dialog.key, DEMO_KEY)
    dialog.base_url.setText(f"{emulator.url}/vidu")
    with qtbot.waitSignal(dialog.tested, timeout=10_000) as blocker:
        dialog.test_button.click()
    assert blocker.args == [True]
    assert dialog.result_label.text() == "✓ OK: Vidu accepted the key."
    dialog.save_button.click()
    assert memory_keyring.store[("vidu-desktop", "vidu")] == DEMO_KEY
    assert window.session.settings.get("base_url.vidu") == f"{emulator.url}/vidu"
    assert window.session.engine.settings.base_urls["vidu"] == f"{emulator.url}/vidu"
    assert dialog.key_source.text() == "Stored in the system keychain."
    assert dialog.key.text() == ""  # never left on screen
    assert window.panel.key_status.text() == "● key in the keychain"
    assert not window.mode_banner.isVisible()
    # the stored key tests OK with nothing typed; a wrong key is refused by the host
    with qtbot.waitSignal(dialog.tested, timeout=10_000) as blocker:
        dialog.test_button.click()
    assert blocker.args == [True]
    qtbot.keyClicks(dialog.key, "not-the-key")
    with qtbot.waitSignal(dialog.tested, timeout=10_000) as blocker:
        dialog.test_button.click()
    assert blocker.args == [False]
    assert dialog.result_label.text().startswith("✗ Failed: ")
    assert "key" in dialog.result_label.text().lower()
    dialog.reject()
    assert not dialog.isVisible()


def test_no_keychain_keeps_the_key_for_the_session_with_a_warning(windows, qtbot,
                                                                  memory_keyring):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    window = windows(sandbox=False)
    dialog = window.open_host_settings(ProviderId.SEGMIND)
    qtbot.waitExposed(dialog)
    assert dialog.keychain_warning.isVisible()
    assert dialog.keychain_warning.text() == NO_KEYCHAIN_WARNING
    qtbot.keyClicks(dialog.key, "session-only-key")
    dialog.save_button.click()
    assert dialog.key_source.text() == "Kept in memory for this session only."
    assert "session only" in dialog.result_label.text()
    assert memory_keyring.store == {}
    assert window.session.key_for(ProviderId.SEGMIND) == "session-only-key"
    window.panel.host.setCurrentIndex(window.panel.host.findData(ProviderId.SEGMIND))
    assert window.panel.key_status.text() == "● key for this session only"
    dialog.reject()


def test_sandbox_mode_uses_the_demo_key_and_never_stores_it(windows, emulator, memory_keyring):
    window = windows(sandbox=None, sandbox_url=emulator.url)  # no key: sandbox by itself
    session = window.session
    assert session.sandbox
    assert session.key_for(ProviderId.NOVITA) == DEMO_KEY
    assert session.engine.settings.base_urls == {
        p.value: f"{emulator.url}/{p.value}" for p in ProviderId}
    assert memory_keyring.store == {}
    assert "sandbox" in window.panel.key_status.text()
    assert DEMO_KEY not in str(session.settings.all())
