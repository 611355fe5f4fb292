"""Packages whose names load their modules on first use (``core.lazy``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import vidu_desktop.engine as engine
import vidu_desktop.store as store


def test_a_name_loads_its_module_when_first_asked_for() -> None:
    """A fresh interpreter: importing the packages loads none of their modules; a name loads
    its own (a submodule, or a module of another package the package hands it on from)."""
    code = (
        "import sys\n"
        "import vidu_desktop.engine, vidu_desktop.store\n"
        "def loaded(m): return m in sys.modules\n"
        "before = [loaded(m) for m in ('vidu_desktop.engine.engine', 'vidu_desktop.store.tasks',"
        " 'vidu_desktop.providers.account')]\n"
        "vidu_desktop.store.TaskStore\n"
        "vidu_desktop.engine.AccountInfo\n"
        "print(before, loaded('vidu_desktop.store.tasks'), "
        "loaded('vidu_desktop.providers.account'), loaded('vidu_desktop.engine.engine'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.split() == ["[False,", "False,", "False]", "True", "True", "False"]


def test_the_names_are_the_modules_own_and_unknown_ones_are_refused() -> None:
    from vidu_desktop.providers.account import AccountInfo
    from vidu_desktop.store.cast import CastMember
    from vidu_desktop.store.tasks import TaskStore

    assert store.TaskStore is TaskStore
    assert engine.AccountInfo is AccountInfo and engine.CastMember is CastMember
    assert set(engine.__all__) <= set(dir(engine))
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = engine.Nope  # type: ignore[attr-defined]
