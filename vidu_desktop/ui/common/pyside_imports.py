"""PySide6's start-up costs, made cheap: its import hook (:func:`quicken`, called once, first
thing at start-up), the creation of QtWidgets' classes (:func:`own_viewport`) and of QIcon's
(:func:`button`, :func:`action`).

Once ``PySide6.QtCore`` is imported, PySide replaces ``builtins.__import__`` (for its opt-in
``from __feature__ import snake_case``, selectable per module) and asks of every module
imported later whether it uses PySide: ``shibokensupport.feature._mod_uses_pyside`` looks for
the text "PySide6" in ``inspect.getsource(module)``. That decodes each module's source, splits
it into lines and keeps them in ``linecache``, for some 270 modules by the time the window is
ready: 70-110 ms of CPU in all, measured on ``bench/startup.py``'s app. :func:`quicken` asks
the same question of the file's bytes instead (the same answer for every UTF-8 or ASCII
source; about 25 ms in all), and answers no at once for a module of the standard library, whose
sources never name PySide (some 130 of the files by the time the window is ready: 5-8 ms
more); whatever is not a ``.py`` file (extension modules, built-ins, sourceless ``.pyc``)
still goes to PySide's own check.

The hook is PySide's internal code (read in PySide6 6.12, the locked version): when the
function is missing, nothing is changed and start-up is only slower.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractScrollArea, QPushButton, QWidget

#: where PySide keeps the hook's check (the module is loaded from shiboken's embedded zip)
FEATURE_MODULE = "shibokensupport.feature"
CHECK = "_mod_uses_pyside"


def quicken() -> bool:
    """Import ``PySide6.QtCore`` and replace its per-import source check with a read of the
    file's bytes. True when the check was replaced (now or before)."""
    import PySide6.QtCore  # noqa: F401  (installs the hook)

    feature = sys.modules.get(FEATURE_MODULE)
    check = getattr(feature, CHECK, None)
    if feature is None or not callable(check):
        return False
    if not isinstance(check, QuickCheck):
        setattr(feature, CHECK, QuickCheck(check, standard_library()))
    return True


def standard_library() -> str:
    """The folder of the standard library's ``.py`` files (``os``'s: ``sysconfig`` costs an
    import), ending in a separator; "" when ``os`` has no such file."""
    path = getattr(os, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return ""
    return os.path.join(os.path.dirname(os.path.abspath(path)), "")


#: the folders of installed packages, where they sit inside the standard library's folder
#: (an interpreter's own site-packages, Debian's dist-packages)
_PACKAGES = ("site-packages", "dist-packages")


class QuickCheck:
    """Whether a module's source names PySide6: no for a ``.py`` file of the standard library
    (``stdlib``: its folder, ending in a separator; not the packages installed inside it),
    else from the bytes of its ``.py`` file (``original``, PySide's own check, for everything
    else and when the file cannot be read)."""

    def __init__(self, original: Callable[[ModuleType], bool], stdlib: str = "") -> None:
        self.original = original
        self.stdlib = stdlib

    def in_stdlib(self, path: str) -> bool:
        if not self.stdlib or not path.startswith(self.stdlib):
            return False
        return path[len(self.stdlib):].split(os.sep, 1)[0] not in _PACKAGES

    def __call__(self, module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            if self.in_stdlib(path):
                return False
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return self.original(module)


def own_viewport(view: QAbstractScrollArea) -> None:
    """Give ``view`` a viewport made here, in Python.

    The first widget that Qt made and PySide has no wrapper for yet (a scroll area's own
    viewport, asked for with ``viewport()``) makes PySide create every class of QtWidgets it
    has not created yet, to find the widget's type: some 60 enum classes, 12-18 ms, measured
    on PySide6 6.12 in the window's first paint. A viewport made in Python has its wrapper
    already. The view sets it up as its own (``setupViewport``), as Qt does for the one it
    makes."""
    from PySide6.QtWidgets import QWidget

    view.setViewport(QWidget())


# QPushButton(text, parent) and QAction(text, parent) have an (icon, text) overload of the same
# length: to rule it out for a text, PySide makes QIcon's class, with the enum of its 150 theme
# icons (some 10 M instructions, about 2 ms, before the first paint). Made from the parent
# alone, then given the text, they make no QIcon: the window's first paint has no icon in it.


def button(text: str, parent: QWidget) -> QPushButton:
    """``QPushButton(text, parent)``, without QIcon's class (see above)."""
    from PySide6.QtWidgets import QPushButton

    made = QPushButton(parent)
    made.setText(text)
    return made


def action(text: str, parent: QObject) -> QAction:
    """``QAction(text, parent)``, without QIcon's class (see above)."""
    from PySide6.QtGui import QAction

    made = QAction(parent)
    made.setText(text)
    return made

