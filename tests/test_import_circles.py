"""No module of the package imports another that imports it back, directly or through others,
type-only imports (under ``TYPE_CHECKING``) and imports inside functions included."""

from __future__ import annotations

import grimp


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = grimp.build_graph("vidu_desktop", include_external_packages=False,
                              cache_dir=None)
    circles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                circles.append(" -> ".join((module, *back)))
    assert circles == [], "\n".join(circles)
