"""A keyring backend (``PYTHON_KEYRING_BACKEND=tripwire_keyring.Keyring``) that looks like a
real keychain but holds nothing, and writes every use to the ``VIDU_TRIPWIRE`` file."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from sitecustomize import _line


class Keyring(KeyringBackend):
    priority = 1.0  # a usable keychain, so it is asked

    def get_password(self, service: str, username: str) -> str | None:
        _line(f"keyring get {username}")
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        _line(f"keyring set {username}")

    def delete_password(self, service: str, username: str) -> None:
        _line(f"keyring delete {username}")
