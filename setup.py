"""The one build step ``pyproject.toml`` cannot say: the wheel carries the app's resources as
package data, ``vidu_desktop/resources/<name>/``, copied from the source folders that stay their
source of truth (``[tool.vidu-desktop.package] resources``), and leaves the development-only
modules (``dev-only-modules``: the demo windows) out. Everything else is in ``pyproject.toml``.

An editable install (``pip install -e .``) copies nothing: the app finds ``resources/`` in the
checkout (:mod:`vidu_desktop.ui.common.resources`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGE = "vidu_desktop"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETTINGS = CONFIG["tool"]["vidu-desktop"]["package"]
RESOURCES: dict[str, str] = SETTINGS["resources"]
DEV_ONLY: set[str] = set(SETTINGS["dev-only-modules"])


class BuildPyWithResources(build_py):
    def find_package_modules(self, package: str, package_dir: str) -> list[Any]:
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if f"{m[0]}.{m[1]}" not in DEV_ONLY]

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name, source in RESOURCES.items():
            folder = ROOT / source
            if not (folder.is_dir() and any(folder.iterdir())):
                raise SystemExit(f"setup.py: the resource folder {source} is missing or empty")
            self.copy_tree(str(folder), str(Path(self.build_lib, PACKAGE, "resources", name)))


setup(cmdclass={"build_py": BuildPyWithResources})
