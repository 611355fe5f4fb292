"""The engine is the only door to the library: no module of ``vidu_desktop.ui`` (nor of the
CLI, ``vidu_desktop.cli``) reaches
through an engine into its stores, its database or its event bus (``engine.tasks``,
``self.session.engine.refs``, ``engine.bus.subscribe``...). It uses the engine's verbs, and
hears its events through the bridge (``ui/common/bridge.py``, the one place that subscribes).

Read from the syntax tree: an attribute of the forbidden names taken of anything called
``engine`` (a name, or an attribute such as ``self.engine``)."""

from __future__ import annotations

import ast
from pathlib import Path

import vidu_desktop.cli
import vidu_desktop.ui

UI = Path(vidu_desktop.ui.__file__).parent
CLI = Path(vidu_desktop.cli.__file__).parent
STORES = frozenset({"tasks", "artifacts", "refs", "outbox", "conn", "layout", "bus", "cast",
                    "drafts", "cast_refs"})

#: (module, function): the places allowed to. The bridge subscribes to the bus (that is what
#: it is for).
ALLOWED = frozenset({
    ("common/bridge.py", "follow"),
})


def _is_engine(node: ast.expr) -> bool:
    return ((isinstance(node, ast.Name) and node.id == "engine")
            or (isinstance(node, ast.Attribute) and node.attr == "engine"))


class _Finder(ast.NodeVisitor):
    def __init__(self, module: str) -> None:
        self.module = module
        self.functions: list[str] = []
        self.found: list[str] = []

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in STORES and _is_engine(node.value):
            where = self.functions[-1] if self.functions else ""
            if (self.module, where) not in ALLOWED:
                self.found.append(f"{self.module}:{node.lineno}: {ast.unparse(node)}")
        self.generic_visit(node)


def reaches_into_engine(source: str, module: str = "<test>") -> list[str]:
    finder = _Finder(module)
    finder.visit(ast.parse(source))
    return finder.found


def test_the_finder_sees_every_way_in() -> None:
    source = (
        "def f(self, engine):\n"
        "    engine.tasks.get('x')\n"
        "    tasks = self.engine.tasks\n"
        "    self.session.engine.refs.read('y')\n"
        "    self.model.engine.artifacts.for_task('z')\n"
        "    self.engine.bus.subscribe(print)\n"
        "    engine.task('x'); engine.files('x'); self.tasks.count()\n")
    assert [line.split(": ", 1)[1] for line in reaches_into_engine(source)] == [
        "engine.tasks", "self.engine.tasks", "self.session.engine.refs",
        "self.model.engine.artifacts", "self.engine.bus"]


def test_the_ui_uses_only_the_engines_verbs() -> None:
    found = []
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 40  # the whole UI is read
    for path in modules:
        module = path.relative_to(UI).as_posix()
        found += reaches_into_engine(path.read_text(encoding="utf-8"), module)
    assert found == [], "\n".join(found)


def test_the_cli_uses_only_the_engines_verbs() -> None:
    found = []
    modules = sorted(CLI.rglob("*.py"))
    assert len(modules) >= 5
    for path in modules:
        found += reaches_into_engine(path.read_text(encoding="utf-8"), f"cli/{path.name}")
    assert found == [], "\n".join(found)
