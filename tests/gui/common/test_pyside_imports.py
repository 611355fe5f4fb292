"""PySide's import hook, made cheap (ui/common/pyside_imports.py): the same answers as PySide's
own check, so a module that uses PySide keeps its feature default (0) and one that does not
is ignored in feature switching (-1)."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from vidu_desktop.core import capabilities
from vidu_desktop.ui.common import pyside_imports, theme


@pytest.fixture
def feature():
    assert pyside_imports.quicken()
    return sys.modules[pyside_imports.FEATURE_MODULE]


def test_the_check_is_replaced_once(feature):
    check = getattr(feature, pyside_imports.CHECK)
    assert isinstance(check, pyside_imports.QuickCheck)
    assert pyside_imports.quicken()
    assert getattr(feature, pyside_imports.CHECK) is check  # not wrapped twice


@pytest.mark.parametrize("module", [theme, capabilities, json, sqlite3, sys, pytest],
                         ids=lambda m: m.__name__)
def test_it_answers_as_pysides_own_check(feature, module):
    check = getattr(feature, pyside_imports.CHECK)
    assert check(module) == check.original(module)


def test_a_module_imported_later_gets_the_same_feature_default(feature, tmp_path: Path,
                                                              monkeypatch):
    (tmp_path / "uses_qt_here.py").write_text("from PySide6.QtCore import QObject\n")
    (tmp_path / "no_qt_here.py").write_text("import json\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("uses_qt_here", "no_qt_here"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        monkeypatch.delitem(feature.pyside_feature_dict, name, raising=False)
        __import__(name)  # an import statement's way: through PySide's hook
    assert feature.pyside_feature_dict["uses_qt_here"] == 0
    assert feature.pyside_feature_dict["no_qt_here"] == -1


def test_the_standard_librarys_files_are_answered_without_reading_them(feature, monkeypatch):
    check = getattr(feature, pyside_imports.CHECK)
    assert check.in_stdlib(json.__file__) and check.in_stdlib(sqlite3.__file__)
    folder = check.stdlib  # what an interpreter installs inside the standard library:
    assert not check.in_stdlib(folder + "site-packages/pkg/mod.py".replace("/", os.sep))
    assert not check.in_stdlib(folder + "dist-packages/mod.py".replace("/", os.sep))
    assert not check.in_stdlib(pytest.__file__) and not check.in_stdlib(theme.__file__)

    def unreadable(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file of the standard library was read")

    monkeypatch.setattr("builtins.open", unreadable)
    assert check(json) is False  # (PySide's own answer for it, as the test above shows)
