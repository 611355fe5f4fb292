"""Packaging: the spec, the desktop integration files, the icons and (slow, opt-in) the frozen
Linux build.

The fast tests always run. The frozen-build test runs with ``VIDU_PACKAGING_TESTS=1`` (CI's
``.ci/run`` sets it): it runs ``packaging/smoke-linux.sh --rebuild`` (a PyInstaller build of a
few minutes, then the frozen app offscreen: ``--help``, the multimedia plugin, playing an MP4, a
sandbox start, and ``--sandbox --self-test``: generate, download, play, screenshot).
``VIDU_PACKAGING_REUSE=1`` reuses an existing ``dist/vidu-desktop`` instead of rebuilding.
"""

from __future__ import annotations

import ast
import configparser
import os
import plistlib
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
SPEC = PACKAGING / "vidu-desktop.spec"
DESKTOP = PACKAGING / "linux" / "vidu-desktop.desktop"
APP_ID = "io.github.vidustudio.ViduStudio"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
PLIST = PACKAGING / "macos" / "Info.plist"
VERSION_INFO = PACKAGING / "windows" / "version_info.txt"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]


def spec_constant(name: str) -> Any:
    """A top-level ``NAME = <literal>`` of the spec."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not assigned in {SPEC.name}")


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


# --- the spec -------------------------------------------------------------------------------

def test_spec_is_valid_python_and_names_what_it_builds() -> None:
    source = SPEC.read_text(encoding="utf-8")
    compile(source, str(SPEC), "exec")
    assert spec_constant("APP_ID") == APP_ID
    for script in ("entry_desktop.py", "entry_cli.py", "smoke_play.py"):
        assert f'"{script}"' in source
        compile((PACKAGING / script).read_text(encoding="utf-8"), script, "exec")
    for exe in ("vidu-desktop", "vidu-cli", "vidu-smoke-play"):
        assert f'"{exe}"' in source
    for needed in ("keyring.backends", "uvicorn.lifespan.off", "uvicorn.loops.auto",
                   "uvicorn.protocols.http.auto", "uvicorn.logging", "qasync",
                   "ffmpegmediaplugin", "BUNDLE(", "Info.plist", "version_info.txt",
                   "copy_metadata(\"keyring\")", "\"keyrings.alt\""):
        assert needed in source, needed


def test_entry_points_match_the_project_scripts() -> None:
    scripts = PYPROJECT["project"]["scripts"]
    assert scripts["vidu-desktop"] == "vidu_desktop.app:main"
    assert "from vidu_desktop.app import main" in (PACKAGING / "entry_desktop.py").read_text()
    assert scripts["vidu-cli"] == "vidu_desktop.cli:main"
    assert "from vidu_desktop.cli import main" in (PACKAGING / "entry_cli.py").read_text()


def test_package_extra_installs_pyinstaller() -> None:
    extra = PYPROJECT["project"]["optional-dependencies"]["package"]
    assert any(req.replace(" ", "").startswith("pyinstaller>=6") for req in extra)


def test_build_scripts_exist_and_parse() -> None:
    for name in ("build-linux.sh", "build-macos.sh", "smoke-linux.sh", "self-test-bundle.sh"):
        path = PACKAGING / name
        assert os.access(path, os.X_OK), f"{name} is not executable"
        assert "vidu-desktop.spec" in path.read_text() or name.startswith(("smoke", "self"))
        if shutil.which("bash"):
            subprocess.run(["bash", "-n", str(path)], check=True)
    ps1 = (PACKAGING / "build-windows.ps1").read_text(encoding="utf-8")
    assert "vidu-desktop.spec" in ps1 and "--require-hashes -r requirements\\dev.txt" in ps1


def test_the_hosted_workflow_runs_the_ci_scripts_on_three_systems() -> None:
    """.github/workflows/ci.yml cannot run here: at least it calls the scripts that do."""
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "os: [ubuntu-latest, macos-latest, windows-latest]" in workflow
    assert 'python-version: "3.12"' in workflow and "shell: bash" in workflow
    for step in ("run: .ci/run", "VIDU_PACKAGING_TESTS=1 scripts/test",
                 "packaging/build-macos.sh", "./packaging/build-windows.ps1",
                 "run: packaging/self-test-bundle.sh", "actions/upload-artifact@v4"):
        assert step in workflow, step
    for script in (".ci/run", "scripts/test", "scripts/bootstrap"):
        assert os.access(ROOT / script, os.X_OK), script


# --- Linux desktop integration --------------------------------------------------------------

def test_desktop_file_keys_and_names() -> None:
    from vidu_desktop.app import DESKTOP_FILE

    entry = desktop_entry()
    for key in ("Type", "Name", "Exec", "Icon", "Categories", "Comment"):
        assert entry.get(key), f"missing {key}"
    assert entry["Type"] == "Application"
    assert DESKTOP.stem == DESKTOP_FILE  # QGuiApplication.setDesktopFileName must match
    exe = entry["Exec"].split()[0]
    assert exe == "vidu-desktop" and exe in PYPROJECT["project"]["scripts"]
    assert entry["TryExec"] == exe
    assert entry["StartupWMClass"] == DESKTOP_FILE
    icon = entry["Icon"]
    assert (ICONS / f"{icon}.svg").is_file()
    for size in PNG_SIZES:
        assert (ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{icon}.png").is_file()


@pytest.mark.skipif(not shutil.which("desktop-file-validate"),
                    reason="desktop-file-validate not installed (apt: desktop-file-utils)")
def test_desktop_file_validates() -> None:
    out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def test_metainfo_is_well_formed_with_the_id() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("launchable").get("type") == "desktop-id"  # type: ignore[union-attr]
    assert root.findtext("icon") == desktop_entry()["Icon"]
    assert root.findtext("name") == desktop_entry()["Name"]
    assert root.findtext("metadata_license") and root.findtext("project_license") == "MIT"
    assert next(r.get("version") for r in root.iter("release")) == VERSION


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstreamcli not installed")
def test_metainfo_validates() -> None:
    out = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


# --- icons ----------------------------------------------------------------------------------

@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_icons_exist_at_their_size(size: int) -> None:
    with Image.open(ICONS / "hicolor" / f"{size}x{size}" / "apps" / "vidu-studio.png") as im:
        assert im.format == "PNG"
        assert im.size == (size, size)
        assert im.mode == "RGBA"
        assert im.getpixel((0, 0))[3] == 0  # transparent corner: the tile is rounded
        assert im.getpixel((size // 2, size // 2))[3] == 255


def test_svg_source_is_well_formed() -> None:
    root = ET.parse(ICONS / "vidu-studio.svg").getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 256 256"


def test_ico_holds_every_windows_size() -> None:
    with Image.open(ICONS / "vidu-studio.ico") as im:
        assert im.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(im.info["sizes"])


def test_icns_holds_the_macos_sizes() -> None:
    with Image.open(ICONS / "vidu-studio.icns") as im:
        assert im.format == "ICNS"
        sizes = {s[:2] for s in im.info["sizes"]}
        assert {(16, 16), (32, 32), (128, 128), (256, 256), (512, 512)} <= sizes
        assert im.size == (1024, 1024) or (512, 512) in sizes


# --- macOS and Windows metadata -------------------------------------------------------------

def test_info_plist_has_the_bundle_id() -> None:
    with PLIST.open("rb") as fh:
        info = plistlib.load(fh)
    assert info["CFBundleIdentifier"] == APP_ID
    assert re.fullmatch(r"[A-Za-z0-9.-]+", info["CFBundleIdentifier"])  # Apple's allowed chars
    assert info["CFBundleExecutable"] == "vidu-desktop"
    assert info["CFBundleShortVersionString"] == VERSION
    assert (ICONS / info["CFBundleIconFile"]).is_file()
    assert info["NSHighResolutionCapable"] is True
    assert info["LSBackgroundOnly"] is False
    assert re.fullmatch(r"\d+\.\d+", info["LSMinimumSystemVersion"])


def test_windows_version_info_matches_the_project_version() -> None:
    """Evaluated with stand-ins for PyInstaller's classes (the real ones need pefile, which is
    only installed on Windows)."""
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def recorder(name: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
            calls.append((name, args, kwargs))
            return (name, args, kwargs)
        return make

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct")
    eval(VERSION_INFO.read_text(encoding="utf-8"), {n: recorder(n) for n in names})
    ffi = next(kw for name, _a, kw in calls if name == "FixedFileInfo")
    numbers = tuple(int(p) for p in VERSION.split("."))
    assert ffi["filevers"][:3] == numbers and ffi["prodvers"][:3] == numbers
    strings = dict(a for name, a, _kw in calls if name == "StringStruct")
    assert strings["FileVersion"] == VERSION and strings["ProductVersion"] == VERSION
    assert strings["ProductName"] == "Vidu Studio"


# --- the frozen build (slow, opt-in) --------------------------------------------------------

@pytest.mark.timeout(3600)
@pytest.mark.skipif(os.environ.get("VIDU_PACKAGING_TESTS") != "1",
                    reason="builds the frozen app with PyInstaller (several minutes): "
                           "set VIDU_PACKAGING_TESTS=1, or run packaging/smoke-linux.sh")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux build only")
def test_frozen_linux_build_runs_its_self_test_and_plays_a_clip() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.setdefault("VIDU_BUILD_VENV", sys.prefix)  # the venv running the tests
    args = ["bash", str(PACKAGING / "smoke-linux.sh")]
    if os.environ.get("VIDU_PACKAGING_REUSE") != "1":
        args.append("--rebuild")
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=3500, check=False)
    report = out.stdout + out.stderr[-4000:]
    assert out.returncode == 0, report
    for line in ("PASS  vidu-desktop --help", "PASS  FFmpeg multimedia plugin bundled",
                 "PASS  vidu-smoke-play --bundle plays", "PASS  vidu-desktop --sandbox starts",
                 "PASS  vidu-desktop --sandbox --self-test", "self-test passed",
                 "played: a frame is on screen", "PASS  self-test.png saved",
                 "PASS  vidu-cli --sandbox board: generate, pick, export (MP4, OTIO, PDF)"):
        assert line in out.stdout, report
