"""core.deferred: a module in sys.modules that runs at its first use, in the same object."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from vidu_desktop.core import deferred

#: every module the tests write records here that it ran (the name, once per run): a module
#: of its own (``dm_ran``) that the tests' modules import
RAN: list[str] = []


@pytest.fixture
def modules(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path for the tests' modules; they are taken out of sys.modules after."""
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    RAN.clear()
    ran = ModuleType("dm_ran")
    ran.RAN = RAN  # type: ignore[attr-defined]
    sys.modules["dm_ran"] = ran
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in set(sys.modules) - before:
        del sys.modules[name]


def _module(folder: Path, name: str, body: str = "") -> None:
    path = folder.joinpath(*name.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"from dm_ran import RAN\nRAN.append({name!r})\n"
                    + textwrap.dedent(body), encoding="utf-8")


def test_a_deferred_module_runs_at_its_first_use_in_the_same_object(modules):
    _module(modules, "dm_plain", "VALUE = 42\ndef twice(x):\n    return 2 * x\n")
    assert deferred.defer("dm_plain")
    import dm_plain  # type: ignore[import-not-found]

    assert RAN == [] and deferred.is_deferred("dm_plain")
    assert dm_plain.__name__ == "dm_plain" and dm_plain.__file__.endswith("dm_plain.py")
    assert RAN == []  # (what the import system set: no run)
    assert dm_plain.twice(dm_plain.VALUE) == 84
    assert RAN == ["dm_plain"] and not deferred.is_deferred("dm_plain")
    assert sys.modules["dm_plain"] is dm_plain
    from dm_plain import VALUE  # type: ignore[import-not-found]

    assert VALUE == 42 and RAN == ["dm_plain"]  # once
    with pytest.raises(AttributeError):
        _ = dm_plain.missing


def test_from_import_runs_it_and_a_missing_name_is_an_import_error(modules):
    _module(modules, "dm_from", "VALUE = 1\n")
    assert deferred.defer("dm_from")
    with pytest.raises(ImportError, match="cannot import name 'missing'"):
        from dm_from import missing  # type: ignore[import-not-found] # noqa: F401
    assert RAN == ["dm_from"]


def test_only_a_plain_module_not_imported_yet_is_deferred(modules):
    _module(modules, "dm_pkg.__init__")
    _module(modules, "dm_imported", "VALUE = 1\n")
    import dm_imported  # type: ignore[import-not-found]  # noqa: F401

    assert not deferred.defer("dm_imported")  # imported already
    assert not deferred.defer("dm_pkg")  # a package
    assert not deferred.defer("dm_nowhere")  # not found
    assert not deferred.defer("dm_nowhere.sub")
    assert "dm_pkg" not in sys.modules and "dm_nowhere" not in sys.modules
    assert not deferred.defer("sys")  # built in
    extension = "_lzma" if "_lzma" not in sys.modules else "_bz2"
    if extension not in sys.modules:
        assert not deferred.defer(extension)
        assert extension not in sys.modules
    assert RAN == ["dm_imported"]


def test_a_module_that_fails_raises_at_its_first_use_and_leaves_sys_modules(modules):
    _module(modules, "dm_broken", "raise RuntimeError('broken at the top')\n")
    assert deferred.defer("dm_broken")
    import dm_broken  # type: ignore[import-not-found]

    with pytest.raises(RuntimeError, match="broken at the top"):
        _ = dm_broken.anything
    assert "dm_broken" not in sys.modules
    with pytest.raises(RuntimeError, match="broken at the top"):
        import dm_broken  # (imported again: run again)
    assert RAN == ["dm_broken", "dm_broken"]


def test_a_submodule_is_deferred_before_its_package_is_imported(modules):
    _module(modules, "dm_parent.__init__", "from . import child\n")
    _module(modules, "dm_parent.child", "VALUE = 'child'\n")
    assert deferred.defer("dm_parent.child")
    assert RAN == [] and "dm_parent" not in sys.modules
    import dm_parent  # type: ignore[import-not-found]

    assert RAN == ["dm_parent.__init__"]  # the package ran; its submodule was handed out
    child = sys.modules["dm_parent.child"]
    assert deferred.is_deferred("dm_parent.child")
    assert child.VALUE == "child" and dm_parent.child is child
    assert RAN == ["dm_parent.__init__", "dm_parent.child"]


def test_a_module_reading_itself_while_it_runs_does_not_run_again(modules):
    _module(modules, "dm_self", """
        import sys
        FIRST = 1
        SEEN = getattr(sys.modules[__name__], "LATER", "not yet")
        LATER = 2
    """)
    assert deferred.defer("dm_self")
    import dm_self  # type: ignore[import-not-found]

    assert (dm_self.FIRST, dm_self.SEEN, dm_self.LATER) == (1, "not yet", 2)
    assert RAN == ["dm_self"]


def test_two_threads_at_the_first_use_run_it_once(modules):
    gate = threading.Event()
    entered = threading.Event()
    events = ModuleType("dm_gate_events")
    events.gate, events.entered = gate, entered  # type: ignore[attr-defined]
    sys.modules["dm_gate_events"] = events
    _module(modules, "dm_slow", """
        import dm_gate_events
        dm_gate_events.entered.set()
        dm_gate_events.gate.wait(30)
        VALUE = 'loaded'
    """)
    assert deferred.defer("dm_slow")
    import dm_slow  # type: ignore[import-not-found]

    seen: list[str] = []
    first = threading.Thread(target=lambda: seen.append(dm_slow.VALUE))
    first.start()
    assert entered.wait(30)  # the first thread runs the module now, held at the gate
    reading = threading.Event()

    def read() -> None:
        reading.set()
        seen.append(dm_slow.VALUE)  # waits for the first thread's run

    second = threading.Thread(target=read)
    second.start()
    assert reading.wait(30)
    gate.set()
    first.join(30)
    second.join(30)
    assert seen == ["loaded", "loaded"]
    assert RAN == ["dm_slow"]


_APP_CHILD = """
import json, os, sys
from vidu_desktop import app
from vidu_desktop.core import deferred

app.defer_modules()
import asyncio  # as the app after its paint: its TLS module and ssl are handed out unrun
import keyring.backend  # (its dependency imports urllib.request)

seen = {"deferred": [m for m in app.DEFERRED if deferred.is_deferred(m)]}
import urllib.request
seen["urlopen"] = callable(urllib.request.urlopen)

async def handshake():  # TLS through asyncio, with a server that hangs up at once
    server = await asyncio.start_server(lambda _reader, writer: writer.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    import ssl
    context = ssl.create_default_context()
    try:
        await asyncio.open_connection("127.0.0.1", port, ssl=context)
    except (ssl.SSLError, ConnectionError) as exc:
        return type(exc).__name__
    finally:
        server.close()
    return "connected"

seen["tls"] = asyncio.run(handshake())
seen["run"] = [m for m in app.DEFERRED if not deferred.is_deferred(m)]
print(json.dumps(seen))
"""


def test_the_apps_deferred_modules_load_when_used():
    """What the app defers (``app.DEFERRED``) stays unrun through asyncio's and keyring's
    imports, and works when used: urllib.request, and TLS through asyncio."""
    out = subprocess.run([sys.executable, "-c", _APP_CHILD], capture_output=True, text=True,
                         timeout=120, check=False,
                         env={**os.environ,
                              "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["deferred"] == ["urllib.request", "ssl", "asyncio.sslproto"]
    assert seen["urlopen"] is True
    assert seen["tls"] in {"SSLError", "SSLEOFError", "ConnectionResetError"}  # (a TLS error)
    assert seen["run"] == ["urllib.request", "ssl", "asyncio.sslproto"]
