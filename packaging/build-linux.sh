#!/usr/bin/env bash
# Build Vidu Studio for Linux with PyInstaller (onedir): dist/vidu-desktop/
#
#   packaging/build-linux.sh            # build venv: build/venv-linux (created on first run)
#   VIDU_BUILD_VENV=.venv packaging/build-linux.sh   # reuse an existing venv (e.g. the dev one)
#
# The project is installed editable (-e) with the [package] extra, so a dev venv stays a dev venv
# (skipped when the venv already has PyInstaller and vidu_desktop, e.g. offline; set
# VIDU_BUILD_REINSTALL=1 to force it). The spec reads the sources from the tree either way.
# Needs Python >= 3.12.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VIDU_BUILD_VENV:-$ROOT/build/venv-linux}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if [ -n "${VIDU_BUILD_REINSTALL:-}" ] || ! "$VENV/bin/python" -c "import PyInstaller, vidu_desktop" 2>/dev/null; then
    echo "== installing the project with the [package] extra into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[package]"
else
    echo "== $VENV already has PyInstaller and vidu_desktop (VIDU_BUILD_REINSTALL=1 to reinstall)"
fi

echo "== icons"
"$VENV/bin/python" packaging/make_icons.py --if-needed

echo "== pyinstaller"
start=$(date +%s)
"$VENV/bin/python" -m PyInstaller --noconfirm --clean \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    packaging/vidu-desktop.spec
end=$(date +%s)

OUT="$ROOT/dist/vidu-desktop"
echo "== built $OUT in $((end - start)) s"
echo "   size: $(du -sh "$OUT" | cut -f1)"
echo "   run:  $OUT/vidu-desktop    (smoke test: packaging/smoke-linux.sh)"
