"""API keys through keyring: a real (in-memory) keychain, no keychain, a failing keychain,
environment variables, and proof that a key never lands in a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.states import TaskState
from vidu_desktop.store.artifacts import MediaLayout, sidecar_for, write_sidecar
from vidu_desktop.store.db import open_database
from vidu_desktop.store.drafts import Draft, DraftStore
from vidu_desktop.store.paths import AppPaths
from vidu_desktop.store.secrets import (
    NO_KEYCHAIN_WARNING,
    SERVICE,
    KeySource,
    SecretStore,
    keychain_usable,
)
from vidu_desktop.store.settings import Settings
from vidu_desktop.store.tasks import TaskStore

from .conftest import make_request

KEY = "vidu-key-0123456789abcdef-SECRET"


class DictKeyring(KeyringBackend):
    """A keychain in a dict: tests never touch the real keychain nor write keys to disk."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError("not found")
        del self.entries[(service, username)]


class LockedKeyring(DictKeyring):
    """A keychain that exists but refuses to save (a locked or denied keychain)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the user dismissed the unlock prompt")


def _use(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def dict_keyring() -> Iterator[KeyringBackend]:
    yield from _use(DictKeyring())


@pytest.fixture
def no_keyring() -> Iterator[KeyringBackend]:
    yield from _use(keyring.backends.fail.Keyring())


@pytest.fixture
def locked_keyring() -> Iterator[KeyringBackend]:
    yield from _use(LockedKeyring())


def test_set_get_delete_in_the_keychain(dict_keyring: DictKeyring) -> None:
    secrets = SecretStore(environ={})
    assert secrets.persistent and secrets.warning == ""
    assert secrets.get("vidu") is None
    assert secrets.set(ProviderId.VIDU, f"  {KEY}\n") is True
    assert dict_keyring.entries == {(SERVICE, "vidu"): KEY}
    assert secrets.get("vidu") == KEY
    assert SecretStore(environ={}).get("vidu") == KEY  # another session reads it back
    assert secrets.source("vidu") == KeySource.KEYCHAIN
    secrets.delete("vidu")
    secrets.delete("vidu")  # nothing stored: no error
    assert secrets.get("vidu") is None and dict_keyring.entries == {}
    assert secrets.source("vidu") is None
    status = secrets.backend_status()
    assert status.persistent and status.backend.endswith("DictKeyring") and not status.message


class CountingKeyring(DictKeyring):
    """A keychain that counts what it is asked."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.reads.append(username)
        return super().get_password(service, username)


def test_the_keychain_is_asked_once_per_host_then_its_answer_is_kept() -> None:
    """The UI asks for keys on every refresh: only the first question reaches the keychain
    (a D-Bus call, a prompt); a key saved or deleted here is known without asking."""
    counting = CountingKeyring()
    counting.entries[(SERVICE, "novita")] = KEY
    secrets = SecretStore(counting, environ={})
    assert [secrets.get(p) for p in ("vidu", "novita", "vidu", "novita")] == [
        None, KEY, None, KEY]
    assert counting.reads == ["vidu", "novita"]
    assert secrets.set(ProviderId.VIDU, KEY) is True
    assert secrets.get("vidu") == KEY and secrets.source("vidu") == KeySource.KEYCHAIN
    assert counting.reads == ["vidu", "novita"]  # (saved here: known)
    secrets.delete("novita")
    assert secrets.get("novita") is None and counting.entries == {(SERVICE, "vidu"): KEY}
    assert counting.reads == ["vidu", "novita", "novita"]  # (deleted: asked again, once)
    assert secrets.get("novita") is None and len(counting.reads) == 3


def test_another_keyring_backend_is_asked_for_its_own_answers() -> None:
    first, second = CountingKeyring(), CountingKeyring()
    first.entries[(SERVICE, "vidu")] = KEY
    secrets = SecretStore(environ={})  # whatever keyring's backend is at each question
    for backend, expected in ((first, KEY), (second, None), (first, KEY)):
        for _ in _use(backend):
            assert secrets.get("vidu") == expected and secrets.get("vidu") == expected
    assert first.reads == ["vidu", "vidu"] and second.reads == ["vidu"]


def test_without_a_keychain_the_key_stays_in_memory(no_keyring: KeyringBackend) -> None:
    secrets = SecretStore(environ={})
    assert not secrets.persistent
    assert secrets.warning == NO_KEYCHAIN_WARNING == (
        "No system keychain is available: the key is kept in memory for this session only "
        "and will not be saved.")
    assert secrets.set("segmind", KEY) is False
    assert secrets.get("segmind") == KEY
    assert secrets.source("segmind") == KeySource.SESSION
    assert SecretStore(environ={}).get("segmind") is None  # gone with the session
    secrets.delete("segmind")
    assert secrets.get("segmind") is None
    assert secrets.backend_status().message == NO_KEYCHAIN_WARNING


def test_a_keychain_that_refuses_to_save_falls_back_to_memory(
        locked_keyring: LockedKeyring) -> None:
    secrets = SecretStore(environ={})
    assert secrets.persistent
    assert secrets.set("vtrix", KEY) is False
    assert not secrets.persistent and secrets.warning == NO_KEYCHAIN_WARNING
    assert secrets.get("vtrix") == KEY
    assert locked_keyring.entries == {}


@pytest.mark.parametrize("backend", [
    keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()])
def test_fail_and_null_backends_are_not_keychains(backend: KeyringBackend) -> None:
    assert not keychain_usable(backend)
    secrets = SecretStore(backend, environ={})
    assert secrets.set("vidu", KEY) is False and secrets.get("vidu") == KEY


def test_an_empty_chainer_is_not_a_keychain(monkeypatch: pytest.MonkeyPatch) -> None:
    chainer = keyring.backends.chainer.ChainerBackend
    monkeypatch.setattr(chainer, "backends", [], raising=False)
    assert not keychain_usable(chainer())
    assert keychain_usable(DictKeyring())


def test_environment_overrides_the_keychain(dict_keyring: DictKeyring) -> None:
    env = {"VIDU_API_KEY": " from-env ", "NOVITA_API_KEY": "", "HIGHWAYAPI_API_KEY": "h",
           "SEGMIND_API_KEY": "s", "VTRIX_API_KEY": "v"}
    secrets = SecretStore(environ=env)
    secrets.set("vidu", KEY)
    secrets.set("novita", "stored-novita")
    assert secrets.from_env("vidu") == "from-env"
    assert secrets.resolve("vidu") == "from-env"
    assert secrets.source("vidu") == KeySource.ENVIRONMENT
    assert secrets.get("vidu") == KEY  # the stored key is untouched
    assert secrets.resolve("novita") == "stored-novita"  # an empty variable does not count
    assert [secrets.from_env(p) for p in ("highwayapi", "segmind", "vtrix")] == ["h", "s", "v"]
    with pytest.raises(KeyError):
        secrets.get("openai")
    with pytest.raises(ValueError):
        secrets.set("vidu", "   ")


def test_the_key_is_never_written_to_a_file(no_keyring: KeyringBackend, tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    """Use every part of the store with a key around, then scan every byte under tmp_path."""
    paths = AppPaths(tmp_path / "profile").ensure()
    conn = open_database(paths.database)
    secrets = SecretStore(environ={})
    secrets.set("vidu", KEY)
    assert KEY not in repr(secrets)
    tasks = TaskStore(conn)
    record = tasks.create(make_request(payload="client payload"))
    tasks.record_submit_attempt(record.local_id)
    tasks.set_remote_id(record.local_id, "r-1")
    done = tasks.transition(record.local_id, TaskState.FAILED, detail="host said no")
    Settings(conn).set("base_url.vidu", "http://127.0.0.1:1")
    DraftStore(conn).save(Draft.new("d", prompt="p"))
    write_sidecar(MediaLayout(paths.media_root).for_record(done).sidecar, sidecar_for(done),
                  secrets=[secrets.resolve("vidu") or ""])
    with pytest.raises(ValueError):
        Settings(conn).set("api_key", KEY)
    with pytest.raises(ValueError):
        write_sidecar(paths.media_root / "bad.json", {"note": KEY}, secrets=[KEY])
    conn.close()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files)
    assert any(p.suffix == ".json" for p in files)
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in caplog.text
