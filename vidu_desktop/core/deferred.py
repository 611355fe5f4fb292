"""Modules that the start imports only because another module names them at its top, run on
first use instead: :func:`defer` puts a module in ``sys.modules`` that is not run yet.

    deferred.defer("urllib.request")  # keyring's dependency imports it for one function

``import urllib.request`` then hands out that module at once; the first read of a name it
does not have yet (``urllib.request.urlopen``, ``from ssl import SSLContext``) runs the
module's code in that same module object, under a lock, so every module that holds it sees
the loaded module and a second thread waits for the first. Until then it has what the import
system gives a module before running it: ``__name__``, ``__spec__``, ``__loader__``,
``__file__``. A module that fails to load is taken out of ``sys.modules`` and the error is
raised as the import would have raised it, at the first use.

Only a plain module (not a package) that is not imported yet can be deferred; anything else
is left to the import system (:func:`defer` returns False). A deferred submodule whose package
is not imported yet (``asyncio.sslproto`` before ``asyncio``) is found in the package's folder
without importing the package; ``from package import submodule`` finds it in ``sys.modules``.

Which modules the app defers, and why, is in ``vidu_desktop.app`` (``DEFERRED``).
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from importlib.machinery import ExtensionFileLoader, ModuleSpec
from types import ModuleType

_lock = threading.RLock()
_loading: set[str] = set()  # the modules running their code now (in the thread holding _lock)
#: names asked of any module that a plain module never has, answered without running it: the
#: import system's "is it a package?", and ``inspect.unwrap``'s (``inspect.getsource``)
_NEVER = frozenset({"__path__", "__wrapped__"})


class _Deferred(ModuleType):
    """A module whose code has not run yet; it runs at the first name missing."""

    def __getattr__(self, name: str) -> object:
        # only for names the module does not have: its spec, name and file are there already
        if name in _NEVER:
            raise AttributeError(name)
        _load(self)
        return ModuleType.__getattribute__(self, name)


def _load(module: ModuleType) -> None:
    with _lock:
        name = module.__name__
        if type(module) is not _Deferred or name in _loading:
            return  # loaded (by another thread meanwhile), or running: the name is not there yet
        spec = module.__spec__
        assert spec is not None and spec.loader is not None
        _loading.add(name)
        try:
            spec.loader.exec_module(module)
        except BaseException:
            if sys.modules.get(name) is module:
                del sys.modules[name]  # as the import system does with a module that failed
            raise
        finally:
            _loading.discard(name)
        plain: ModuleType = module
        plain.__class__ = ModuleType  # a module as any other from now on
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)


def _find(name: str) -> ModuleSpec | None:
    parent, _, _child = name.rpartition(".")
    if not parent or parent in sys.modules:
        return importlib.util.find_spec(name)
    if "." in parent:
        return None  # (two levels down, with neither imported: not needed)
    package = importlib.util.find_spec(parent)
    if package is None or package.submodule_search_locations is None:
        return None
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        spec = find_spec(name, package.submodule_search_locations) if find_spec else None
        if spec is not None:
            return spec  # type: ignore[no-any-return]
    return None


def defer(name: str) -> bool:
    """Put module ``name`` in ``sys.modules`` unrun, to run at its first use. False (nothing
    changed) when it is imported already, not found, or a package."""
    with _lock:
        if name in sys.modules:
            return False
        try:
            spec = _find(name)
        except (ImportError, ValueError):
            return False
        if (spec is None or spec.loader is None or spec.submodule_search_locations is not None
                or isinstance(spec.loader, type | ExtensionFileLoader)):
            return False  # a built-in, frozen or extension module is made as it is found
        module = importlib.util.module_from_spec(spec)
        if type(module) is not ModuleType:  # a loader that makes its own kind of module
            return False
        module.__class__ = _Deferred
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)
        return True


def is_deferred(name: str) -> bool:
    """Whether module ``name`` is deferred and has not run yet."""
    return type(sys.modules.get(name)) is _Deferred
