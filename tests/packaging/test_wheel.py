"""The wheel and the sdist as a user gets them (slow, opt-in like the frozen build:
``VIDU_PACKAGING_TESTS=1``; CI's ``.ci/run`` sets it).

``python -m build`` makes the sdist, then the wheel from the sdist (so the sdist is complete),
with the locked setuptools (``--no-isolation``). The wheel must hold the icons, the sample
pictures and the desktop files and no demo module. Then it is installed alone, outside the
source tree, the way users install Python apps: with pip into a fresh venv (the dependencies
from ``requirements/app.txt``, hash-checked) and with ``uv tool install`` (what ``pipx`` does
with its own pip): ``vidu-desktop --sandbox --self-test`` passes there, icon included,
``vidu-cli providers`` and ``vidu-emulator --help`` run, and ``vidu_desktop`` is imported
from the install, never from the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_LOCK = ROOT / "requirements" / "app.txt"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DEMOS = ("vidu_desktop/ui/compose/tray/demo.py", "vidu_desktop/ui/review/demo.py",
         "vidu_desktop/ui/board/demo.py")
BIN = "Scripts" if sys.platform == "win32" else "bin"
EXE = ".exe" if sys.platform == "win32" else ""

pytestmark = [
    pytest.mark.timeout(1800),
    pytest.mark.skipif(os.environ.get("VIDU_PACKAGING_TESTS") != "1",
                       reason="builds and installs the wheel (a minute or two): "
                              "set VIDU_PACKAGING_TESTS=1"),
]


def run(args: list[str | Path], cwd: Path, timeout: float = 600,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run outside the checkout, without its PYTHONPATH; fail with the output."""
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    base["QT_QPA_PLATFORM"] = "offscreen"
    out = subprocess.run([str(a) for a in args], cwd=cwd, env=base | (env or {}),
                         capture_output=True, text=True, timeout=timeout, check=False)
    assert out.returncode == 0, f"{args} exited {out.returncode}\n{out.stdout}\n{out.stderr}"
    return out


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder outside the source tree, removed afterwards (venvs and caches are big)."""
    folder = tmp_path_factory.mktemp("wheel")
    assert not folder.resolve().is_relative_to(ROOT)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def dists(outside: Path) -> tuple[Path, Path]:
    """(sdist, wheel) built by ``python -m build``, the wheel from the sdist."""
    out = outside / "dist"
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT], cwd=outside)
    [sdist] = out.glob("vidu_desktop-*.tar.gz")
    [wheel] = out.glob("vidu_desktop-*-py3-none-any.whl")
    return sdist, wheel


def test_the_wheel_holds_the_resources_and_no_demo_module(dists: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(dists[1]) as whl:
        names = set(whl.namelist())
    res = "vidu_desktop/resources"
    for size in PNG_SIZES:
        assert f"{res}/icons/hicolor/{size}x{size}/apps/vidu-studio.png" in names
    for icon in ("vidu-studio.svg", "vidu-studio.ico", "vidu-studio.icns"):
        assert f"{res}/icons/{icon}" in names
    for sample in ("character-robot.jpg", "object-teapot.jpg", "place-lake.jpg"):
        assert f"{res}/samples/{sample}" in names
    assert f"{res}/linux/vidu-desktop.desktop" in names
    assert f"{res}/linux/io.github.vidustudio.ViduStudio.metainfo.xml" in names
    assert "vidu_desktop/ui/shell/main_window.py" in names and "vidu_desktop/py.typed" in names
    for demo in DEMOS:
        assert demo not in names
    assert not [n for n in names if "demo" in n or n.startswith(("tests/", "resources/"))]
    assert not [n for n in names if "screenshots" in n or "__pycache__" in n]


def test_the_sdist_holds_what_the_wheel_is_built_from(dists: tuple[Path, Path]) -> None:
    with tarfile.open(dists[0]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for needed in ("setup.py", "pyproject.toml", "README.md", "MANIFEST.in",
                   "resources/samples/place-lake.jpg", "resources/icons/vidu-studio.svg",
                   "packaging/linux/vidu-desktop.desktop", "requirements/app.txt",
                   "requirements/dev.txt", "scripts/bootstrap", "tests/conftest.py", *DEMOS):
        assert needed in names, needed
    assert not [n for n in names if "__pycache__" in n or n.endswith(".mp4")]


def check_installed(bindir: Path, python: Path, cwd: Path, profile: Path) -> None:
    """The installed app passes its self-test offscreen; the command lines run."""
    where = run([python, "-c", "import vidu_desktop, vidu_desktop.ui.common.resources as r; "
                 "print(vidu_desktop.__file__); print(r.resource_dir())"], cwd=cwd).stdout
    package, resources = (Path(line) for line in where.split())
    assert not package.resolve().is_relative_to(ROOT), package
    assert resources == package.parent / "resources", resources
    demo = subprocess.run([python, "-c", "import vidu_desktop.ui.compose.tray.demo"], cwd=cwd,
                          capture_output=True, text=True, check=False)
    assert demo.returncode == 1 and "ModuleNotFoundError" in demo.stderr

    out = run([bindir / f"vidu-desktop{EXE}", "--sandbox", "--self-test", "--profile-dir",
               profile], cwd=cwd, timeout=400)
    assert "self-test passed" in out.stdout, out.stdout + out.stderr
    assert "app icon (8 sizes) and 3 sample pictures found" in out.stdout
    assert "played: a frame is on screen" in out.stdout
    assert (profile / "self-test.png").stat().st_size > 10_000

    providers = run([bindir / f"vidu-cli{EXE}", "providers"], cwd=cwd).stdout
    for host in ("vidu", "novita", "highway", "segmind", "vtrix"):
        assert host in providers.lower(), providers
    assert "usage: vidu-emulator" in run([bindir / f"vidu-emulator{EXE}", "--help"],
                                         cwd=cwd).stdout


def test_the_wheel_in_a_fresh_venv_passes_the_self_test(outside: Path,
                                                        dists: tuple[Path, Path]) -> None:
    venv = outside / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=outside)
    python = venv / BIN / f"python{EXE}"
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--require-hashes", "-r", APP_LOCK], cwd=outside)
    run([*pip, "--no-deps", dists[1]], cwd=outside)
    run([python, "-m", "pip", "check"], cwd=outside)
    check_installed(venv / BIN, python, outside, outside / "profile-venv")


def test_the_wheel_as_a_uv_tool_passes_the_self_test(outside: Path,
                                                     dists: tuple[Path, Path]) -> None:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    assert uv, "uv is in requirements/dev.txt (the package extra)"
    tools, bindir = outside / "uv-tools", outside / "uv-bin"
    env = {"UV_TOOL_DIR": str(tools), "UV_TOOL_BIN_DIR": str(bindir),
           "UV_CACHE_DIR": str(outside / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never"}
    run([uv, "tool", "install", "--python", sys.executable, "--constraints", APP_LOCK,
         dists[1]], cwd=outside, env=env)
    [python] = (tools / "vidu-desktop").glob(f"{BIN}/python{EXE}")
    check_installed(bindir, python, outside, outside / "profile-uv")
