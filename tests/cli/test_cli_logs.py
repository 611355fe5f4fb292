"""``vidu-cli``'s log goes through :mod:`vidu_desktop.logs`: ``<profile>/logs/cli.log`` and,
with ``-v``, stderr; a key in any record is replaced with ``***`` (the environment's keys, the
demo key, and each key the engine read from the keychain), and the keychain is not read just
for the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import make_image

from vidu_desktop.cli import commands as cli_commands
from vidu_desktop.cli import main
from vidu_desktop.cli.setup import LOG_FILE, redacted_keys, setup_logging
from vidu_desktop.core.capabilities import PROVIDERS, ProviderId
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer
from vidu_desktop.store import AppPaths, SecretStore
from vidu_desktop.store.memory_keyring import MemoryKeyring

KEYCHAIN_KEY = "vk-keychain-secret-0a1b2c3d4e5f"
ENV_KEY = "nv-environment-secret-9f8e7d6c"


@pytest.fixture(autouse=True)
def clean_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for spec in PROVIDERS.values():
        monkeypatch.delenv(spec.key_env, raising=False)
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_a_key_in_a_record_of_a_cli_command_is_redacted(
        tmp_path: Path, emulator: EmulatorServer, memory_keyring: MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    httpx.post(f"{emulator.url}/_emulator/keys", json={"key": KEYCHAIN_KEY, "balance": 100})
    memory_keyring.set_password("vidu-desktop", "vidu", KEYCHAIN_KEY)
    monkeypatch.setenv("NOVITA_API_KEY", ENV_KEY)
    real_load = cli_commands.load_images

    def load_and_log(*args: object) -> object:
        # what the redaction guards against: some code logging a key in the middle of a run
        log = logging.getLogger("vidu_desktop.somewhere")
        log.warning("using %s and %s and %s", KEYCHAIN_KEY, ENV_KEY, DEMO_KEY)
        try:
            raise RuntimeError(f"Authorization: Token {KEYCHAIN_KEY}")
        except RuntimeError:
            log.exception("failed")
        return real_load(*args)

    monkeypatch.setattr(cli_commands, "load_images", load_and_log)
    image = tmp_path / "ref.png"
    image.write_bytes(make_image())
    profile = tmp_path / "profile"
    code = main(["--profile-dir", str(profile), "-v", "--base-url",
                 f"vidu={emulator.url}/vidu", "--poll", "0.05", "generate", "-i", str(image),
                 "-p", "a heron", "--wait"])
    assert code == 0  # the keychain's key was used, and accepted
    text = (profile / "logs" / LOG_FILE).read_text(encoding="utf-8")
    err = capsys.readouterr().err
    for output in (text, err):
        assert "using *** and *** and ***" in output
        assert "Token ***" in output
        assert KEYCHAIN_KEY not in output and ENV_KEY not in output and DEMO_KEY not in output
    assert not (profile / "logs" / "app.log").exists()  # the app's log is its own


def test_the_keychain_is_read_only_for_the_keys_the_engine_asks_for(
        tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    memory_keyring.set_password("vidu-desktop", "vidu", KEYCHAIN_KEY)
    reads: list[str] = []
    real_get = memory_keyring.get_password

    def counted(service: str, username: str) -> str | None:
        reads.append(username)
        return real_get(service, username)

    monkeypatch.setattr(memory_keyring, "get_password", counted)
    secrets = SecretStore(environ={"NOVITA_API_KEY": ENV_KEY})
    setup = setup_logging(AppPaths(tmp_path).ensure(), 0, secrets)
    log = logging.getLogger("vidu_desktop.somewhere")
    log.info("before %s %s", ENV_KEY, KEYCHAIN_KEY)
    assert reads == []  # setting up the log read no keychain
    lookup = redacted_keys(secrets.resolve, setup.redactor)
    assert lookup(ProviderId.VIDU) == KEYCHAIN_KEY and reads == ["vidu"]
    log.info("after %s", KEYCHAIN_KEY)
    text = setup.file.read_text(encoding="utf-8") if setup.file else ""
    assert f"before *** {KEYCHAIN_KEY}" in text  # not known yet: no keychain read for it
    assert "after ***" in text and ENV_KEY not in text
    setup.remove()
