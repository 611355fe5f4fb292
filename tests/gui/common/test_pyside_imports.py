"""PySide's import hook, made cheap (ui/common/pyside_imports.py): the same answers as PySide's
own check, so a module that uses PySide keeps its feature default (0) and one that does not
is ignored in feature switching (-1)."""

from __future__ import annotations

import json
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
