"""Keys and hosts: one page per host with the API key (kept in the OS keychain through keyring,
or in memory for the session when there is no keychain, said visibly), a "Test key" button that
asks the host, and a base URL override. Opened with ``open()``, never ``exec()``."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vidu_desktop.core.capabilities import PROVIDERS, ProviderId, provider
from vidu_desktop.store import NO_KEYCHAIN_WARNING
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.common.accessibility import name_from_labels
from vidu_desktop.ui.common.background import Background
from vidu_desktop.ui.common.session import Session


class HostSettingsDialog(QDialog):
    saved = Signal(object)  # ProviderId
    tested = Signal(bool)  # the host accepted the key (for tests and the status line)

    def __init__(self, session: Session, pid: ProviderId, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Keys and hosts")
        self.setMinimumWidth(560)
        self._bg = Background()

        self.host = QComboBox(self)
        for spec_id, spec in PROVIDERS.items():
            self.host.addItem(spec.display_name, spec_id)
        self.key = QLineEdit(self)
        self.key.setObjectName("api-key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("API key")
        reveal = QAction("Show", self.key)
        reveal.setCheckable(True)
        reveal.toggled.connect(lambda on: self.key.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        self.key.addAction(reveal, QLineEdit.ActionPosition.TrailingPosition)
        self.key_source = QLabel(self)
        theme.set_role(self.key_source, "muted")
        self.keychain_warning = QLabel(NO_KEYCHAIN_WARNING, self)
        self.keychain_warning.setObjectName("keychain-warning")
        self.keychain_warning.setWordWrap(True)
        theme.set_role(self.keychain_warning, "warning")
        self.sandbox_note = QLabel(self)
        self.sandbox_note.setWordWrap(True)
        theme.set_role(self.sandbox_note, "muted")
        self.base_url = QLineEdit(self)
        self.base_url.setObjectName("base-url")
        self.test_button = QPushButton("Test key", self)
        self.test_button.setObjectName("test-key")
        self.remove_button = QPushButton("Remove key", self)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("test-result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("&Host", self.host)
        form.addRow("API &key", self.key)
        form.addRow("", self.key_source)
        form.addRow("&Base URL", self.base_url)
        tests = QHBoxLayout()
        tests.addWidget(self.test_button)
        tests.addWidget(self.remove_button)
        tests.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Close, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.keychain_warning)
        layout.addLayout(form)
        layout.addLayout(tests)
        layout.addWidget(self.result_label)
        layout.addWidget(self.sandbox_note)
        layout.addStretch(1)
        name_from_labels(self)  # Host, API key, Base URL
        self.key.setAccessibleDescription("Hidden as you type; the Show button reveals it")
        layout.addWidget(buttons)

        self.host.currentIndexChanged.connect(lambda _: self._load())
        self.test_button.clicked.connect(self.start_test)
        self.remove_button.clicked.connect(self.remove_key)
        self.finished.connect(self._stop_tests)
        self.host.setCurrentIndex(max(0, self.host.findData(pid)))
        self._load()

    def _stop_tests(self, _result: int = 0) -> None:
        for task in self._bg.pending:
            task.cancel()

    @property
    def pid(self) -> ProviderId:
        return ProviderId(self.host.currentData())

    def _load(self) -> None:
        spec = provider(self.pid)
        secrets = self.session.secrets
        self.key.clear()
        stored = secrets.source(self.pid)
        self.key.setPlaceholderText(
            f"{spec.display_name} API key" if stored is None
            else "A key is stored; type a new one to replace it")
        self.key_source.setText(
            "No key yet." if stored is None else {
                "environment": f"Using {spec.key_env} from the environment (it wins over a "
                               "stored key).",
                "keychain": "Stored in the system keychain.",
                "session": "Kept in memory for this session only.",
            }[stored.value])
        self.keychain_warning.setVisible(not secrets.persistent)
        self.base_url.setPlaceholderText(spec.base_url)
        self.base_url.setText(self.session.base_url_override(self.pid))
        self.remove_button.setEnabled(stored is not None and stored.value != "environment")
        self.result_label.clear()
        self.sandbox_note.setText(
            "Sandbox mode is on: requests go to the built-in emulator with its demo key. A key "
            "saved here is used when you leave the sandbox." if self.session.sandbox else "")
        self.sandbox_note.setVisible(self.session.sandbox)

    def _typed_or_stored(self) -> str:
        return self.key.text().strip() or self.session.secrets.resolve(self.pid) or ""

    def start_test(self) -> None:
        key = self._typed_or_stored()
        if not key:
            self._show_result(False, "Type a key first.")
            return
        self.test_button.setEnabled(False)
        self.result_label.setText(f"Asking {provider(self.pid).display_name}…")
        theme.set_role(self.result_label, "muted")
        self._bg.spawn(self._test(self.pid, key, self.base_url.text().strip()), "test key")

    async def _test(self, pid: ProviderId, key: str, base_url: str) -> None:
        name = provider(pid).display_name
        try:
            error = await self.session.test_key(pid, key, base_url)
        finally:
            self.test_button.setEnabled(True)
        if error is None:
            self._show_result(True, f"OK: {name} accepted the key.")
        else:
            hint = f" {error.hint}" if error.hint else ""
            self._show_result(False, f"Failed: {error.message}{hint}")

    def _show_result(self, ok: bool, text: str) -> None:
        self.result_label.setText(("✓ " if ok else "✗ ") + text)
        theme.set_role(self.result_label, "ok" if ok else "error")
        self.tested.emit(ok)

    def save(self) -> None:
        url = self.base_url.text().strip()
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.netloc):
            self.result_label.setText(f"✗ {url} is not an http(s) address; nothing was saved.")
            theme.set_role(self.result_label, "error")
            return
        key = self.key.text().strip()
        if key:
            self.session.set_key(self.pid, key)
            self.key.clear()
        if url != self.session.base_url_override(self.pid):
            self.session.set_base_url_override(self.pid, url)
        self.saved.emit(self.pid)
        self._load()
        stored = self.session.secrets.source(self.pid)
        session_only = stored is not None and stored.value == "session"
        self.keychain_warning.setVisible(not self.session.secrets.persistent)
        self.result_label.setText("Saved for this session only (no keychain)." if session_only
                                  else "Saved.")
        theme.set_role(self.result_label, "muted" if session_only else "ok")

    def remove_key(self) -> None:
        self.session.delete_key(self.pid)
        self.saved.emit(self.pid)
        self._load()
        self.result_label.setText("Key removed.")
